//! A logical line: physical lines joined the way BuildKit joins them, with a map
//! from every byte of the joined text back to the source.

use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug)]
struct Segment {
    logical_start: usize,
    source_start: usize,
    len: usize,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct LogicalLine {
    pub text: String,
    segments: Vec<Segment>,
}

impl LogicalLine {
    /// Empties the line but keeps its buffers, so one line serves every instruction.
    pub fn clear(&mut self) {
        self.text.clear();
        self.segments.clear();
    }

    /// Appends `piece`, which starts at byte `source_start` of the source.
    pub fn push(&mut self, piece: &str, source_start: usize) {
        if piece.is_empty() {
            return;
        }
        self.segments.push(Segment {
            logical_start: self.text.len(),
            source_start,
            len: piece.len(),
        });
        self.text.push_str(piece);
    }

    /// Source offset of a logical offset that starts something.
    pub fn source_start(&self, logical: usize) -> usize {
        // Most instructions fit on one line: one segment, no search.
        if self.segments.len() == 1 {
            return self.map_in(0, logical);
        }
        let index = self
            .segments
            .partition_point(|s| s.logical_start + s.len <= logical)
            .min(self.segments.len().saturating_sub(1));
        self.map_in(index, logical)
    }

    /// Source offset of a logical offset that ends something.
    pub fn source_end(&self, logical: usize) -> usize {
        if self.segments.len() == 1 {
            return self.map_in(0, logical);
        }
        let index = self
            .segments
            .partition_point(|s| s.logical_start < logical)
            .saturating_sub(1);
        self.map_in(index, logical)
    }

    fn map_in(&self, index: usize, logical: usize) -> usize {
        match self.segments.get(index) {
            Some(s) => s.source_start + logical.saturating_sub(s.logical_start).min(s.len),
            None => 0,
        }
    }

    /// The source span of a logical range.
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
        assert_eq!(line.text, "RUN a   b");
        assert_eq!(line.source_start(4), 4);
        assert_eq!(line.source_start(6), 8);
        assert_eq!(line.source_end(6), 6);
        assert_eq!(line.span(4, 9), Span::new(4, 11));
    }
}
