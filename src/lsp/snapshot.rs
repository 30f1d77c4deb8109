//! A linted version of a document: what the worker publishes and request handlers
//! (hover, navigation, code actions) read.

use super::diagnostics;
use super::encoding::{Encoding, Text};
use crate::lint::{self, Analysis, LintOptions};
use crate::model::shell::ShellCache;
use lsp_types::Uri;

/// A linted version of a document, shared with request handlers.
pub struct Snapshot {
    pub uri: Uri,
    pub version: i32,
    pub encoding: Encoding,
    pub analysis: Analysis,
}

impl Snapshot {
    pub fn analyze(
        uri: Uri,
        version: i32,
        text: &str,
        options: &LintOptions,
        encoding: Encoding,
        cache: Option<&ShellCache>,
    ) -> Snapshot {
        let analysis =
            lint::analyze_cached(Some(uri.path().as_str()), text.as_bytes(), options, cache);
        Snapshot {
            uri,
            version,
            encoding,
            analysis,
        }
    }

    pub fn text(&self) -> Text<'_> {
        Text {
            text: &self.analysis.file.source,
            index: &self.analysis.file.line_index,
            encoding: self.encoding,
        }
    }

    pub fn lsp_diagnostics(&self) -> Vec<lsp_types::Diagnostic> {
        let text = self.text();
        self.analysis
            .diagnostics
            .iter()
            .map(|d| diagnostics::to_lsp(d, &self.uri, &text))
            .collect()
    }
}
