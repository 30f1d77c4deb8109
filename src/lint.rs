//! One file through the whole pipeline: bytes → syntax → model → rules → filter.

use crate::diagnostic::Diagnostic;
use crate::emit::FileReport;
use crate::filter::{Selection, Suppressions};
use crate::model::StageGraph;
use crate::rules::{self, Context};
use crate::syntax::{self, Dockerfile};

/// What the user asked for, per run.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub target: Option<String>,
    pub selection: Selection,
    pub warn_unused_ignores: bool,
}

/// A file's parse and model, kept for callers that need more than diagnostics (LSP).
pub struct Analysis {
    pub file: Dockerfile,
    pub graph: StageGraph,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(bytes: &[u8], options: &LintOptions) -> Analysis {
    let file = syntax::parse_bytes(bytes);
    let graph = StageGraph::build(&file, options.target.as_deref());
    let cx = Context::new(&file, &graph);
    let mut diagnostics = rules::run_all(&cx);
    let suppressions = Suppressions::collect(&file);
    diagnostics = suppressions.apply(&file, diagnostics, options.warn_unused_ignores);
    diagnostics.retain(|d| options.selection.enabled(d));
    diagnostics = diagnostics
        .into_iter()
        .map(|d| options.selection.adjust(d))
        .collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end, d.code));
    diagnostics.dedup();
    Analysis {
        file,
        graph,
        diagnostics,
    }
}

/// Lints one file's bytes; `path` is what reports show.
pub fn lint(path: &str, bytes: &[u8], options: &LintOptions) -> FileReport {
    let analysis = analyze(bytes, options);
    FileReport::new(path, analysis.file.source, analysis.diagnostics)
}
