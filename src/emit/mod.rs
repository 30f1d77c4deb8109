//! Emitters: presentation of diagnostics. They know nothing about rules.

use crate::diagnostic::{Diagnostic, LineIndex};

/// The diagnostics of one file, with what emitters need to place them.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as shown to users: relative to the working directory when possible,
    /// always with `/` separators.
    pub path: String,
    pub source: String,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(
        path: impl Into<String>,
        source: impl Into<String>,
        diagnostics: Vec<Diagnostic>,
    ) -> Self {
        let source = source.into();
        FileReport {
            path: path.into(),
            line_index: LineIndex::new(&source),
            source,
            diagnostics,
        }
    }
}
