//! Shell text assembled from pieces of a Dockerfile, with a byte map back to
//! the Dockerfile source.
//!
//! The shell does not see the Dockerfile's bytes: BuildKit joins continuation
//! lines (dropping the comment and blank lines inside them), heredoc bodies
//! follow the command line, and exec-form words are JSON strings. We parse
//! the text the shell sees and map each of its bytes back to where it was
//! written, so findings point at the Dockerfile.

use crate::diagnostic::Span;

/// Text and, for each of its bytes, an offset in the Dockerfile source; one
/// extra entry holds the offset just past the text.
#[derive(Clone, Debug, Default)]
pub(super) struct MappedText {
    pub text: String,
    map: Vec<usize>,
}

impl MappedText {
    /// Appends text whose bytes sit at `source_start..` in the source.
    pub fn push_verbatim(&mut self, text: &str, source_start: usize) {
        self.map.pop();
        self.map.extend(source_start..source_start + text.len());
        self.text.push_str(text);
        self.map.push(source_start + text.len());
    }

    /// Appends text that is not in the source as such (a newline we add, a
    /// quote we write); every byte maps to `at`.
    pub fn push_synthetic(&mut self, text: &str, at: usize) {
        self.map.pop();
        self.map.extend(std::iter::repeat_n(at, text.len()));
        self.text.push_str(text);
        self.map.push(at);
    }

    /// Appends `text`, which BuildKit read from `within` in `source` by
    /// joining continuation lines (escape `escape`). When the two cannot be
    /// lined up, each byte maps to the start of `within`.
    pub fn push_joined(&mut self, text: &str, source: &str, within: Span, escape: char) {
        match align(source, within, text, escape) {
            Some(positions) => {
                self.map.pop();
                self.map.extend(positions);
                self.text.push_str(text);
                self.map.push(within.end);
            }
            None => {
                self.push_synthetic(text, within.start);
                self.map.pop();
                self.map.push(within.end);
            }
        }
    }

    /// Appends bytes `range` of `other`, with their map.
    pub fn push_part(&mut self, other: &MappedText, range: std::ops::Range<usize>) {
        let (Some(text), Some(map)) = (other.text.get(range.clone()), other.map.get(range.clone()))
        else {
            return;
        };
        let end = map
            .last()
            .map_or(self.map.last().copied().unwrap_or(0), |&last| last + 1);
        self.map.pop();
        self.map.extend_from_slice(map);
        self.text.push_str(text);
        self.map.push(end);
    }

    /// The source span of a byte range of the text.
    pub fn span(&self, span: Span) -> Span {
        let at = |i: usize| self.map.get(i).or(self.map.last()).copied().unwrap_or(0);
        let start = at(span.start);
        let end = if span.end > span.start {
            at(span.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
}

/// Where each byte of `text` is in `source[within]`, skipping the
/// continuations (escape, trailing blanks, newline) and the blank and comment
/// lines BuildKit drops inside them.
fn align(source: &str, within: Span, text: &str, escape: char) -> Option<Vec<usize>> {
    let src = source.as_bytes().get(within.start..within.end)?;
    let escape = u8::try_from(escape).ok();
    let mut positions = Vec::with_capacity(text.len());
    let mut i = 0;
    for &byte in text.as_bytes() {
        loop {
            let &at = src.get(i)?;
            if Some(at) == escape && byte != at {
                if let Some(next_line) = continuation_end(src, i + 1) {
                    i = skip_ignored_lines(src, next_line);
                    continue;
                }
            }
            if at == byte {
                positions.push(within.start + i);
                i += 1;
                break;
            }
            i += 1;
        }
    }
    Some(positions)
}

/// After an escape at `at - 1`: the start of the next line when the escape
/// ends its line (trailing blanks allowed).
fn continuation_end(src: &[u8], mut at: usize) -> Option<usize> {
    while matches!(src.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    match src.get(at) {
        Some(b'\n') => Some(at + 1),
        Some(b'\r') if src.get(at + 1) == Some(&b'\n') => Some(at + 2),
        _ => None,
    }
}

/// Skips blank and comment lines from `line` on.
fn skip_ignored_lines(src: &[u8], mut line: usize) -> usize {
    loop {
        let mut at = line;
        while matches!(src.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        if !matches!(src.get(at), Some(b'#' | b'\n' | b'\r')) {
            return line;
        }
        match src[at..].iter().position(|&b| b == b'\n') {
            Some(newline) => line = at + newline + 1,
            None => return line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_joined_lines_back_across_continuations_and_comments() {
        let source = "RUN a \\\n# note\n\n  && b";
        let within = Span::new(4, source.len());
        let mut text = MappedText::default();
        text.push_joined("a   && b", source, within, '\\');
        let b = text.text.find('b').unwrap();
        assert_eq!(
            text.span(Span::new(b, b + 1)),
            Span::new(source.len() - 1, source.len())
        );
        assert_eq!(
            text.span(Span::new(0, text.text.len())),
            Span::new(4, source.len())
        );
    }

    #[test]
    fn an_escaped_escape_is_not_a_continuation() {
        let source = "RUN echo \\\\\nRUN x";
        let within = Span::new(4, 11);
        let mut text = MappedText::default();
        text.push_joined("echo \\\\", source, within, '\\');
        assert_eq!(text.span(Span::new(5, 7)), Span::new(9, 11));
    }

    #[test]
    fn text_that_does_not_line_up_maps_to_the_start() {
        let mut text = MappedText::default();
        text.push_joined("xyz", "RUN abc", Span::new(4, 7), '\\');
        assert_eq!(text.span(Span::new(1, 2)), Span::new(4, 5));
    }

    #[test]
    fn synthetic_text_maps_to_one_point() {
        let mut text = MappedText::default();
        text.push_verbatim("ab", 10);
        text.push_synthetic("\n", 12);
        text.push_verbatim("cd", 20);
        assert_eq!(text.text, "ab\ncd");
        assert_eq!(text.span(Span::new(0, 5)), Span::new(10, 22));
        assert_eq!(text.span(Span::new(3, 4)), Span::new(20, 21));
    }
}
