//! One file through the whole pipeline: bytes → syntax → model → rules → filter.

use crate::diagnostic::Diagnostic;
use crate::emit::FileReport;
use crate::filter::{Selection, Suppressions};
use crate::model::{ImageRole, RoleInference, StageGraph};
use crate::rules::{self, Context, Settings};
use crate::syntax::{self, Dockerfile};
use std::sync::Arc;

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
    /// What the image is for, when the configuration says (`role`); else inferred.
    pub image_role: Option<ImageRole>,
}

/// A file's parse and model, kept for callers that need more than diagnostics (LSP).
pub struct Analysis {
    pub file: Dockerfile,
    pub graph: StageGraph,
    pub diagnostics: Vec<Diagnostic>,
    /// What the image is for, and why.
    pub image_role: RoleInference,
}

pub fn analyze(bytes: &[u8], options: &LintOptions) -> Analysis {
    analyze_path(None, bytes, options)
}

/// Like [`analyze`], for the file at `path`: rules may read its name
/// (`Dockerfile.dev` builds a development image).
pub fn analyze_path(path: Option<&str>, bytes: &[u8], options: &LintOptions) -> Analysis {
    let file = syntax::parse_bytes(bytes);
    let mut graph = StageGraph::build(&file, options.target.as_deref());
    graph.set_extra_targets(&options.extra_targets);
    let cx = Context::with_settings(&file, &graph, &options.settings)
        .with_path(path)
        .with_role(options.image_role);
    let mut diagnostics = rules::run_all(&cx);
    let image_role = cx.image_role().clone();
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
        image_role,
    }
}

/// Lints one file's bytes; `path` is what reports show.
pub fn lint(path: &str, bytes: &[u8], options: &LintOptions) -> FileReport {
    let analysis = analyze_path(Some(path), bytes, options);
    FileReport::new(path, analysis.file.source, analysis.diagnostics)
        .with_image_role(analysis.image_role)
}
