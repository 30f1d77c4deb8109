//! LSP positions ↔ byte offsets. Columns are UTF-16 code units unless the client
//! negotiated UTF-8 (`general.positionEncodings`), in which case they are bytes.

use crate::diagnostic::{LineIndex, Span};
use lsp_types::{Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes.
    Utf8,
    /// UTF-16 code units: the LSP default.
    #[default]
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it, otherwise the mandatory UTF-16.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// A text with its line index, for converting in both directions.
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl Text<'_> {
    pub fn position(&self, offset: usize) -> Position {
        let (line, character) = match self.encoding {
            Encoding::Utf8 => self.index.utf8_position(self.text, offset),
            Encoding::Utf16 => self.index.utf16_position(self.text, offset),
        };
        Position { line, character }
    }

    pub fn range(&self, span: Span) -> Range {
        let (start, end) = if span.start <= span.end {
            (span.start, span.end)
        } else {
            (span.end, span.start)
        };
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }

    /// The byte offset of a position; positions past a line's end clamp to it, lines
    /// past the end of the text clamp to the end, and offsets inside a character move
    /// back to its start.
    pub fn offset(&self, position: Position) -> usize {
        match self.encoding {
            Encoding::Utf16 => {
                self.index
                    .offset_of_utf16(self.text, position.line, position.character)
            }
            Encoding::Utf8 => {
                let line = position.line as usize;
                if line >= self.index.line_count() {
                    return self.text.len();
                }
                let start = self.index.line_start(line);
                let end = if line + 1 < self.index.line_count() {
                    self.index.line_start(line + 1) - 1
                } else {
                    self.text.len()
                };
                let mut offset = (start + position.character as usize).min(end);
                while !self.text.is_char_boundary(offset) {
                    offset -= 1;
                }
                offset
            }
        }
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        Span::new(start.min(end), start.max(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(source: &str, encoding: Encoding, f: impl FnOnce(&Text<'_>)) {
        let index = LineIndex::new(source);
        f(&Text {
            text: source,
            index: &index,
            encoding,
        });
    }

    #[test]
    fn utf16_counts_surrogate_pairs_as_two() {
        let source = "FROM a\nLABEL x=\"é𝄞\" y\n";
        let y = source.rfind('y').unwrap();
        text(source, Encoding::Utf16, |t| {
            assert_eq!(t.position(y), Position::new(1, 14));
            assert_eq!(t.offset(Position::new(1, 14)), y);
        });
        text(source, Encoding::Utf8, |t| {
            assert_eq!(t.position(y), Position::new(1, 17));
            assert_eq!(t.offset(Position::new(1, 17)), y);
        });
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let source = "FROM a\nRUN é\n";
        text(source, Encoding::Utf8, |t| {
            // Inside `é` moves back to its start.
            assert_eq!(t.offset(Position::new(1, 5)), 11);
            assert_eq!(t.offset(Position::new(0, 99)), 6);
            assert_eq!(t.offset(Position::new(9, 0)), source.len());
        });
        text(source, Encoding::Utf16, |t| {
            assert_eq!(t.offset(Position::new(0, 99)), 6);
            assert_eq!(t.offset(Position::new(9, 0)), source.len());
        });
    }
}
