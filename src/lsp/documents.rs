//! Open documents: their text and version, kept in sync with the client's full or
//! incremental changes. Linting works on these buffers, saved or not.

use super::encoding::{Encoding, Text};
use crate::diagnostic::LineIndex;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Document {
    pub version: i32,
    pub text: Arc<str>,
    pub language_id: String,
}

#[derive(Debug, Default)]
pub struct Documents {
    open: HashMap<Uri, Document>,
}

impl Documents {
    pub fn open(&mut self, uri: Uri, version: i32, text: String, language_id: String) {
        self.open.insert(
            uri,
            Document {
                version,
                text: text.into(),
                language_id,
            },
        );
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        self.open.remove(uri)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Uri, &Document)> {
        self.open.iter()
    }

    /// Applies the changes in order; `None` when the document is not open.
    pub fn change(
        &mut self,
        uri: &Uri,
        version: i32,
        changes: Vec<TextDocumentContentChangeEvent>,
        encoding: Encoding,
    ) -> Option<&Document> {
        let document = self.open.get_mut(uri)?;
        let mut text = document.text.to_string();
        for change in changes {
            apply_change(&mut text, change, encoding);
        }
        document.text = text.into();
        document.version = version;
        Some(document)
    }
}

/// One content change: a whole new text, or a range replaced.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent, encoding: Encoding) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let index = LineIndex::new(text);
    let span = Text {
        text,
        index: &index,
        encoding,
    }
    .span(range);
    text.replace_range(span.start..span.end, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn edit(range: ((u32, u32), (u32, u32)), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(
                Position::new(range.0 .0, range.0 .1),
                Position::new(range.1 .0, range.1 .1),
            )),
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn incremental_changes_apply_in_order_in_utf16() {
        let mut text = "FROM a\nLABEL d=\"☕𝄞\" AS\n".to_string();
        // After `𝄞` (2 UTF-16 units): column 9 + 1 + 2 + 1 = 13.
        apply_change(&mut text, edit(((1, 13), (1, 13)), " x"), Encoding::Utf16);
        assert_eq!(text, "FROM a\nLABEL d=\"☕𝄞\" x AS\n");
        apply_change(&mut text, edit(((0, 5), (0, 6)), "alpine"), Encoding::Utf16);
        assert_eq!(text, "FROM alpine\nLABEL d=\"☕𝄞\" x AS\n");
        apply_change(&mut text, edit(((0, 0), (2, 0)), ""), Encoding::Utf16);
        assert_eq!(text, "");
    }

    #[test]
    fn utf8_columns_are_bytes() {
        let mut text = "RUN é x\n".to_string();
        apply_change(&mut text, edit(((0, 7), (0, 8)), "y"), Encoding::Utf8);
        assert_eq!(text, "RUN é y\n");
    }
}
