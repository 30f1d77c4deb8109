//! One file through the whole pipeline: bytes → syntax → model → rules → filter.

use crate::diagnostic::Diagnostic;
use crate::emit::FileReport;
use crate::filter::{Selection, Suppressions};
use crate::model::shell::ShellCache;
use crate::model::StageGraph;
use crate::rules::{self, Context, Settings};
use crate::syntax::{self, Dockerfile};
use std::sync::Arc;

/// The largest file `check` reads (32 MiB); a larger one is a tool error (exit 2) and
/// the other files are still linted.
pub const MAX_FILE_BYTES: usize = 32 << 20;

/// What the user asked for, per run.
#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    pub target: Option<String>,
    pub selection: Selection,
    pub warn_unused_ignores: bool,
    /// Stages also built on their own (configuration `targets`): they and what they
    /// use are not unused.
    pub extra_targets: Vec<String>,
    /// Rule options and knowledge from the configuration.
    pub settings: Arc<Settings>,
}

/// A file's parse and model, kept for callers that need more than diagnostics (LSP).
pub struct Analysis {
    pub file: Dockerfile,
    pub graph: StageGraph,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn analyze(bytes: &[u8], options: &LintOptions) -> Analysis {
    analyze_path(None, bytes, options)
}

/// Like [`analyze`], for the file at `path`: rules may read its name
/// (`Dockerfile.dev` builds a development image).
pub fn analyze_path(path: Option<&str>, bytes: &[u8], options: &LintOptions) -> Analysis {
    analyze_cached(path, bytes, options, None)
}

/// Like [`analyze_path`], taking the shell facts of unchanged scripts from `cache`
/// (the language server's, kept across edits); the result is the same.
pub fn analyze_cached(
    path: Option<&str>,
    bytes: &[u8],
    options: &LintOptions,
    cache: Option<&ShellCache>,
) -> Analysis {
    let file = syntax::parse_bytes(bytes);
    let mut graph = StageGraph::build(&file, options.target.as_deref());
    graph.set_extra_targets(&options.extra_targets);
    let cx = Context::with_settings(&file, &graph, &options.settings)
        .with_path(path)
        .with_shell_cache(cache);
    let mut diagnostics = rules::run_all(&cx);
    if let Some(cache) = cache {
        cache.end_lint();
    }
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
    let analysis = analyze_path(Some(path), bytes, options);
    FileReport::new(path, analysis.file.source, analysis.diagnostics)
}
