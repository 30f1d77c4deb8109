//! Byte offset → line/column conversion, the one place it happens.

/// A 1-based line and a 1-based column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Start offsets of every line of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    /// From line ends already found (each just past a `\n`, or the text's end for a
    /// last line without one), sparing the parser a second scan of the text.
    pub(crate) fn from_line_ends(line_ends: impl Iterator<Item = usize>, text: &str) -> Self {
        let bytes = text.as_bytes();
        // Reserved up front: the filter hides the count from `extend`.
        let mut line_starts = Vec::with_capacity(line_ends.size_hint().1.unwrap_or(0) + 1);
        line_starts.push(0);
        line_starts.extend(line_ends.filter(|&end| end > 0 && bytes[end - 1] == b'\n'));
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line of a byte offset (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where a 0-based line starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// 1-based line and 1-based column counted in Unicode scalar values.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }

    /// 0-based line and 0-based column counted in UTF-16 code units (LSP default).
    pub fn utf16_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column: usize = text[start..offset].chars().map(char::len_utf16).sum();
        (line as u32, column as u32)
    }

    /// 0-based line and 0-based byte column (LSP when UTF-8 is negotiated).
    pub fn utf8_position(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        ((line) as u32, (offset - self.line_start(line)) as u32)
    }

    /// Byte offset of a 0-based line and UTF-16 column; clamped to the line's end.
    pub fn offset_of_utf16(&self, text: &str, line: u32, column: u32) -> usize {
        let line = line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let mut units = 0u32;
        for (i, ch) in text[start..end].char_indices() {
            if units >= column {
                return start + i;
            }
            units += ch.len_utf16() as u32;
        }
        end
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "FROM a\nRUN echo \"é😀\" x\n";
        let index = LineIndex::new(text);
        let x = text.find(" x").unwrap() + 1;
        assert_eq!(
            index.line_col(text, x),
            LineCol {
                line: 2,
                column: 15
            }
        );
        assert_eq!(index.utf16_position(text, x), (1, 15));
        assert_eq!(index.offset_of_utf16(text, 1, 15), x);
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let text = "FROM a";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 100), LineCol { line: 1, column: 7 });
    }
}
