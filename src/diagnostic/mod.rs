//! One diagnostic type for everything: syntax errors, configuration errors and rule findings.

mod line_index;

pub use line_index::{LineCol, LineIndex};

use serde::Serialize;

/// A half-open byte range into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    pub const fn len(self) -> usize {
        self.end - self.start
    }

    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Style,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Style => "style",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "style" => Some(Severity::Style),
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The lowest severity that fails a run (`--fail-level`, `fail-level`); `None` never
/// fails on findings. The CLI parses it with clap, the configuration with [`FailLevel::parse`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl FailLevel {
    /// As the configuration writes it: a severity (any case, `warn` too) or `none`.
    pub fn parse(text: &str) -> Option<FailLevel> {
        if text.eq_ignore_ascii_case("none") {
            return Some(FailLevel::None);
        }
        Severity::parse(text).map(|severity| match severity {
            Severity::Error => FailLevel::Error,
            Severity::Warning => FailLevel::Warning,
            Severity::Info => FailLevel::Info,
            Severity::Style => FailLevel::Style,
        })
    }

    /// The severity at or above which a finding fails the run.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailLevel::Error => Some(Severity::Error),
            FailLevel::Warning => Some(Severity::Warning),
            FailLevel::Info => Some(Severity::Info),
            FailLevel::Style => Some(Severity::Style),
            FailLevel::None => None,
        }
    }
}

/// Whether the stage a diagnostic is in ends up in the built image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageRole {
    /// The target stage: what `docker build` produces.
    Final,
    /// Reached from the target: its files may be copied into the final image.
    FeedsFinal,
    /// Not reached from the target: never built by default.
    Unused,
}

impl StageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StageRole::Final => "final",
            StageRole::FeedsFinal => "feeds-final",
            StageRole::Unused => "unused",
        }
    }
}

/// The stage a diagnostic belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageRef {
    pub index: usize,
    pub name: Option<String>,
    pub role: StageRole,
}

impl StageRef {
    /// The name users know the stage by: its alias, or its index.
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => self.index.to_string(),
        }
    }
}

/// A secondary location, e.g. where a leaked tool was installed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One text replacement of a fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps the meaning of the Dockerfile; `--fix` applies it.
    Safe,
    /// Changes what gets built; applied only with `--unsafe-fixes`.
    Unsafe,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub message: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case rule name, e.g. `unknown-stage`.
    pub rule: &'static str,
    /// Stable short code, e.g. `DS001`.
    pub code: &'static str,
    pub severity: Severity,
    /// One sentence, no trailing period.
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub stage: Option<StageRef>,
}

impl Diagnostic {
    pub fn new(
        rule: &'static str,
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            code,
            severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
            stage: None,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn with_stage(mut self, stage: StageRef) -> Self {
        self.stage = Some(stage);
        self
    }
}

/// Name and code of the built-in `syntax-error` pseudo-rule.
pub const SYNTAX_ERROR: (&str, &str) = ("syntax-error", "DS000");
