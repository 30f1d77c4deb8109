//! Configuration errors: miette diagnostics that carry the TOML source and a labelled
//! span, so a bad key or value is shown where it is written.

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One problem in (or with) a configuration file. Validation reports every problem it
/// finds: the first is this error, the rest are in [`ConfigError::related`].
#[derive(Clone, Debug)]
pub struct ConfigError(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    path: PathBuf,
    message: String,
    /// Byte range in the file, for errors inside it.
    span: Option<Range<usize>>,
    label: Option<String>,
    help: Option<String>,
    source: Option<Arc<NamedSource<String>>>,
    text: Option<Arc<str>>,
    related: Vec<ConfigError>,
    /// A warning: reported, but the configuration is used.
    warning: bool,
}

impl ConfigError {
    /// The file could not be read.
    pub(crate) fn io(path: &Path, err: &std::io::Error) -> ConfigError {
        ConfigError(Box::new(Inner {
            path: path.to_path_buf(),
            message: format!("cannot read {}: {err}", path.display()),
            span: None,
            label: None,
            help: None,
            source: None,
            text: None,
            related: Vec::new(),
            warning: false,
        }))
    }

    /// An error at `span` in `text`, the content of `path`.
    pub(crate) fn at(
        path: &Path,
        text: &Arc<str>,
        source: &Arc<NamedSource<String>>,
        span: Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfigError {
        let end = span.end.min(text.len());
        let start = span.start.min(end);
        ConfigError(Box::new(Inner {
            path: path.to_path_buf(),
            message: message.into(),
            span: Some(start..end),
            label: Some(label.into()),
            help: None,
            source: Some(source.clone()),
            text: Some(text.clone()),
            related: Vec::new(),
            warning: false,
        }))
    }

    /// The same problem as a warning.
    pub(crate) fn into_warning(mut self) -> ConfigError {
        self.0.warning = true;
        self
    }

    /// Whether the configuration is used despite this problem.
    pub fn is_warning(&self) -> bool {
        self.0.warning
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        self.0.help = Some(help.into());
        self
    }

    pub(crate) fn with_help_opt(mut self, help: Option<String>) -> ConfigError {
        self.0.help = help;
        self
    }

    /// Several problems as one error (the first one leading); `None` for none.
    pub(crate) fn collect(mut errors: Vec<ConfigError>) -> Option<ConfigError> {
        if errors.is_empty() {
            return None;
        }
        // In file order; errors without a place last.
        errors.sort_by_key(|e| e.0.span.as_ref().map_or(usize::MAX, |s| s.start));
        let mut first = errors.remove(0);
        first.0.related = errors;
        Some(first)
    }

    /// The configuration file concerned.
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// One line, no location.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Byte range of the problem in the file.
    pub fn span(&self) -> Option<Range<usize>> {
        self.0.span.clone()
    }

    pub fn help(&self) -> Option<&str> {
        self.0.help.as_deref()
    }

    /// The other problems found in the same file.
    pub fn related(&self) -> &[ConfigError] {
        &self.0.related
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let span = self.0.span.as_ref()?;
        let text = self.0.text.as_deref()?;
        let before = text.get(..span.start)?;
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Some((line, before[line_start..].chars().count() + 1))
    }

    /// `path:line:column: message` for this problem and every related one, one a line.
    pub fn short(&self) -> String {
        std::iter::once(self)
            .chain(&self.0.related)
            .map(|e| match e.line_col() {
                Some((line, column)) => {
                    format!("{}:{line}:{column}: {}", e.0.path.display(), e.0.message)
                }
                None => format!("{}: {}", e.0.path.display(), e.0.message),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The miette report: source snippet, labelled span, help, related problems.
    /// Deterministic without colour (no environment is read).
    pub fn render(&self, colour: bool, width: usize) -> String {
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
        if handler.render_report(&mut out, self).is_err() {
            return self.short();
        }
        out
    }

    /// As an emitter's tool error: `path` is how reports show the file.
    pub fn to_tool_error(&self, path: String) -> crate::emit::ToolError {
        let error = crate::emit::ToolError::new(Some(path), self.0.message.clone());
        match self.line_col() {
            Some((line, _)) => error.with_line(line),
            None => error,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ConfigError {}

impl Diagnostic for ConfigError {
    fn severity(&self) -> Option<miette::Severity> {
        self.0.warning.then_some(miette::Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.0.span.clone()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.0.label.clone(),
            span,
        ))))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.0.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.0.related.iter().map(|e| e as &dyn Diagnostic),
        ))
    }
}
