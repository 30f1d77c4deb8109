//! One file through the whole pipeline: bytes → syntax → model → rules → filter.

use crate::diagnostic::{Diagnostic, Severity, Span, SYNTAX_ERROR};
use crate::emit::{FileReport, ToolError};
use crate::filter::{ExperimentalAsks, Selection, Suppressions};
use crate::model::shell::ShellCache;
use crate::model::{ImageRole, RoleInference, StageGraph};
use crate::rules::{self, Context, Settings};
use crate::syntax::{self, Dockerfile};
use std::borrow::Cow;
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
    /// What the image is for, when the configuration says (`role`); else inferred.
    pub image_role: Option<ImageRole>,
    /// `disable-ignore-pragma` of a `.hadolint.yaml`.
    pub disable_hadolint_pragmas: bool,
    /// The build context (`check --context`); `None`: the Dockerfile's directory.
    pub build_context: Option<std::path::PathBuf>,
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

/// Why `bytes` are not a text file, if they are not: a NUL byte (as git decides), or
/// mostly control characters and invalid UTF-8. Such a file gets one finding, not
/// one per line of noise.
pub fn binary_reason(bytes: &[u8]) -> Option<&'static str> {
    if memchr::memchr(0, bytes).is_some() {
        return Some("it holds NUL bytes");
    }
    let text = String::from_utf8_lossy(bytes);
    let (mut chars, mut odd) = (0usize, 0usize);
    for ch in text.chars() {
        chars += 1;
        if ch == '\u{fffd}' || (ch.is_control() && !matches!(ch, '\t' | '\n' | '\r' | '\x0c')) {
            odd += 1;
        }
    }
    (odd * 10 > chars * 3).then_some("most of it is not text")
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
    if let Some(reason) = binary_reason(bytes) {
        let file = syntax::parse("");
        let graph = StageGraph::build(&file, None);
        let finding = syntax_finding(
            Severity::Error,
            Span::empty(0),
            format!("not a Dockerfile: the file is binary ({reason})"),
        );
        return Analysis {
            file,
            graph,
            diagnostics: vec![finding],
            image_role: RoleInference {
                role: ImageRole::Application,
                reasons: Vec::new(),
                configured: false,
            },
        };
    }
    // BuildKit reads the bytes as they are; invalid UTF-8 (often in a comment) builds.
    let (text, invalid_at) = match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(err) => (String::from_utf8_lossy(bytes), Some(err.valid_up_to())),
    };
    let file = syntax::parse(&text);
    let mut graph = StageGraph::build(&file, options.target.as_deref());
    graph.set_extra_targets(&options.extra_targets);
    let cx = Context::with_settings(&file, &graph, &options.settings)
        .with_path(path)
        .with_build_context(options.build_context.as_deref())
        .with_role(options.image_role)
        .with_shell_cache(cache);
    let asks = ExperimentalAsks::collect(&file);
    let mut diagnostics = rules::run_selected(&cx, |meta| asks.runs(&options.selection, meta));
    diagnostics.retain(|d| asks.keeps(&options.selection, d));
    if let Some(cache) = cache {
        cache.end_lint();
    }
    // Template text makes stages, names and commands unknowable until rendered: the
    // one finding that says so stands for the file.
    if let Some(at) = file.template {
        diagnostics.retain(|d| d.rule == SYNTAX_ERROR.0 && d.span == at);
    }
    let image_role = cx.image_role().clone();
    if let Some(at) = invalid_at {
        // The bad byte became U+FFFD (three bytes): the span covers that character.
        let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
        // In a comment the bytes change nothing: info; elsewhere they reach the build.
        let in_comment = file
            .comments
            .iter()
            .any(|c| c.span.start <= at && at < c.span.end);
        let (severity, place) = if in_comment {
            (Severity::Info, "a comment")
        } else {
            (Severity::Warning, "the file")
        };
        diagnostics.push(
            syntax_finding(
                severity,
                Span::new(at, end),
                format!("{place} is not valid UTF-8 (byte {at}); BuildKit builds it, the byte is shown as U+FFFD"),
            )
            .with_help("save the Dockerfile as UTF-8"),
        );
    }
    let suppressions = Suppressions::collect(&file, !options.disable_hadolint_pragmas);
    diagnostics = suppressions.apply(diagnostics, options.warn_unused_ignores, &options.selection);
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

fn syntax_finding(severity: Severity, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(SYNTAX_ERROR.0, SYNTAX_ERROR.1, severity, span, message)
}

/// Lints one file's bytes; `path` is what reports show. A `--target` that names no
/// stage of the file is an error, not a lint of some other stage.
pub fn lint(path: &str, bytes: &[u8], options: &LintOptions) -> Result<FileReport, ToolError> {
    let analysis = analyze_path(Some(path), bytes, options);
    if let Some(error) = analysis.graph.target_error {
        return Err(ToolError::new(Some(path.to_string()), error));
    }
    Ok(
        FileReport::new(path, analysis.file.source, analysis.diagnostics)
            .with_image_role(analysis.image_role),
    )
}
