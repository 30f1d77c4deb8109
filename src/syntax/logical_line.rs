//! A logical line: physical lines joined the way BuildKit joins them, with a map
//! from every byte of the joined text back to the source.

use std::cell::Cell;

use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug)]
struct Segment {
    logical_start: usize,
    source_start: usize,
    len: usize,
}

/// Most instructions fit on one line: their text is borrowed, and only a line joined
/// from several pieces is copied into the owned buffer.
#[derive(Clone, Copy)]
enum Edge {
    Start,
    End,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct LogicalLine<'a> {
    single: Option<&'a str>,
    joined: String,
    segments: Vec<Segment>,
    /// The segment last found by [`LogicalLine::segment_of`].
    hint: Cell<usize>,
}

impl<'a> LogicalLine<'a> {
    /// Empties the line but keeps its buffers, so one line serves every instruction.
    pub fn clear(&mut self) {
        self.single = None;
        self.joined.clear();
        self.segments.clear();
        self.hint.set(0);
    }

    #[inline]
    pub fn text(&self) -> &str {
        self.single.unwrap_or(&self.joined)
    }

    /// Appends `piece`, which starts at byte `source_start` of the source.
    pub fn push(&mut self, piece: &'a str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        let logical_start = self.text().len();
        match self.segments.len() {
            0 => self.single = Some(piece),
            _ => {
                if let Some(first) = self.single.take() {
                    self.joined.push_str(first);
                }
                self.joined.push_str(piece);
            }
        }
        self.segments.push(Segment {
            logical_start,
            source_start,
            len: piece.len(),
        });
    }

    /// Source offset of a logical offset that starts something.
    #[inline]
    pub fn source_start(&self, logical: usize) -> usize {
        self.map_in(self.segment_of(logical, Edge::Start), logical)
    }

    /// Source offset of a logical offset that ends something.
    #[inline]
    pub fn source_end(&self, logical: usize) -> usize {
        self.map_in(self.segment_of(logical, Edge::End), logical)
    }

    /// The segment a start lies in (`start <= logical < end`), or an end lies in
    /// (`start < logical <= end`). Words are mapped left to right, so the segment found
    /// last is tried first.
    fn segment_of(&self, logical: usize, edge: Edge) -> usize {
        let count = self.segments.len();
        // Most instructions fit on one line: one segment, no search.
        if count <= 1 {
            return 0;
        }
        let holds = |s: &Segment| match edge {
            Edge::Start => s.logical_start <= logical && logical < s.logical_start + s.len,
            Edge::End => s.logical_start < logical && logical <= s.logical_start + s.len,
        };
        let hint = self.hint.get().min(count - 1);
        if holds(&self.segments[hint]) {
            return hint;
        }
        let index = match edge {
            Edge::Start => self
                .segments
                .partition_point(|s| s.logical_start + s.len <= logical)
                .min(count - 1),
            Edge::End => self
                .segments
                .partition_point(|s| s.logical_start < logical)
                .saturating_sub(1),
        };
        self.hint.set(index);
        index
    }

    #[inline]
    fn map_in(&self, index: usize, logical: usize) -> usize {
        match self.segments.get(index) {
            Some(s) => s.source_start + logical.saturating_sub(s.logical_start).min(s.len),
            None => 0,
        }
    }

    /// The source span of a logical range.
    #[inline]
    pub fn span(&self, start: usize, end: usize) -> Span {
        if start >= end {
            let at = self.source_start(start);
            return Span::empty(at);
        }
        Span::new(self.source_start(start), self.source_end(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_across_joined_lines() {
        // "RUN a \\\n  b" joined as "RUN a   b"
        let mut line = LogicalLine::default();
        line.push("RUN a ", 0);
        line.push("  b", 8);
        assert_eq!(line.text(), "RUN a   b");
        assert_eq!(line.source_start(4), 4);
        assert_eq!(line.source_start(6), 8);
        assert_eq!(line.source_end(6), 6);
        assert_eq!(line.span(4, 9), Span::new(4, 11));
    }

    #[test]
    fn mapping_in_any_order_matches_a_full_search() {
        // Pieces of 1..=4 bytes with gaps between them in the source.
        let pieces = ["RUN", " a", "b", "cd ", "e", "fgh"];
        let mut line = LogicalLine::default();
        let mut expected = Vec::new();
        let mut source = 0;
        for piece in pieces {
            line.push(piece, source);
            expected.push((line.text().len() - piece.len(), source, piece.len()));
            source += piece.len() + 5;
        }
        let full = |logical: usize, end: bool| {
            let index = if end {
                expected
                    .iter()
                    .rposition(|&(l, _, _)| l < logical)
                    .unwrap_or(0)
            } else {
                expected
                    .iter()
                    .position(|&(l, _, n)| logical < l + n)
                    .unwrap_or(expected.len() - 1)
            };
            let (l, s, n) = expected[index];
            s + logical.saturating_sub(l).min(n)
        };
        let len = line.text().len();
        let forward: Vec<usize> = (0..=len).collect();
        let backward: Vec<usize> = (0..=len).rev().collect();
        let jumping: Vec<usize> = (0..=len).map(|i| (i * 7) % (len + 1)).collect();
        for order in [forward, backward, jumping] {
            for &at in &order {
                assert_eq!(line.source_start(at), full(at, false), "start {at}");
                assert_eq!(line.source_end(at), full(at, true), "end {at}");
            }
        }
    }
}
