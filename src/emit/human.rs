//! `--format human`: reports for people at a terminal, rendered by miette.
//!
//! This is the only file that imports miette. Each finding is a miette report with
//! the source snippet, the primary span labelled with the message, the secondary
//! labels, `help`, and `rule-name (CODE)` as its code; a footer names the stage and
//! whether it ships, and the fix when there is one. Then tool errors, then a
//! one-line summary. No global hook is installed and nothing is read from the
//! environment: the caller decides colour (is-terminal, `NO_COLOR`) and width.

use super::{plural, FileReport, Report};
use crate::diagnostic::{Applicability, Diagnostic, Severity, StageRole};
use crate::model::ImageRole;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};

/// How to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours and styles.
    pub colour: bool,
    /// The width to wrap text at, in columns.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            colour: false,
            width: 100,
        }
    }
}

/// The source text of a file under its path, as miette wants it.
#[derive(Debug)]
struct NamedText<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for NamedText<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        // miette counts the column of a span's start (read without context, for the
        // `[file:line:column]` header) in bytes; every other format counts characters.
        let column = if context_lines_before == 0 {
            let offset = span.offset().min(self.text.len());
            self.text.get(..offset).map_or(inner.column(), |before| {
                let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                before[line_start..].chars().count()
            })
        } else {
            inner.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// One finding, seen through miette's `Diagnostic` trait.
#[derive(Debug)]
struct Finding<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedText<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Finding<'a> {
    fn new(file: &'a FileReport, diagnostic: &'a Diagnostic) -> Self {
        let to_source_span = |span| {
            let span = file.clamp(span);
            SourceSpan::new(span.start.into(), span.len())
        };
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(diagnostic.message.clone()),
            to_source_span(diagnostic.span),
        )];
        labels.extend(diagnostic.labels.iter().map(|label| {
            LabeledSpan::new_with_span(Some(label.message.clone()), to_source_span(label.span))
        }));
        Finding {
            diagnostic,
            source: NamedText {
                name: &file.path,
                text: &file.source,
            },
            labels,
        }
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} ({})",
            self.diagnostic.rule, self.diagnostic.code
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// The lines under a finding: its stage and its fix.
fn footer(diagnostic: &Diagnostic) -> Option<String> {
    let mut lines = Vec::new();
    if let Some(stage) = &diagnostic.stage {
        let role = match stage.role {
            StageRole::Final => "the final image",
            StageRole::FeedsFinal => "feeds the final image",
            StageRole::Unused => "not used by the target",
        };
        lines.push(format!("stage: {} ({role})", stage.display_name()));
    }
    if let Some(fix) = &diagnostic.fix {
        let how = match fix.applicability {
            Applicability::Safe => "apply with --fix",
            Applicability::Unsafe => "apply with --fix --unsafe-fixes",
        };
        lines.push(format!("fix: {} ({how})", fix.message));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn render_finding(
    out: &mut String,
    file: &FileReport,
    diagnostic: &Diagnostic,
    options: &HumanOptions,
) {
    let theme = if options.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_urls(false)
        .tab_width(4);
    if let Some(footer) = footer(diagnostic) {
        handler = handler.with_footer(footer);
    }
    let finding = Finding::new(file, diagnostic);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &finding).is_ok() {
        out.push_str(&rendered);
    } else {
        // miette refused the snippet: fall back to a plain line rather than lose it.
        let start = file.range(diagnostic.span).start;
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}\n",
            file.path,
            start.line,
            start.column,
            diagnostic.severity,
            diagnostic.rule,
            diagnostic.message
        ));
    }
    out.push('\n');
}

/// `path: image role: toolchain (reasons)`, for images that are not applications: it
/// says why findings about the shipped image are fewer or milder.
fn role_line(file: &FileReport) -> Option<String> {
    let role = file.image_role.as_ref()?;
    (role.role != ImageRole::Application)
        .then(|| format!("{}: image role: {}\n\n", file.path, role.describe()))
}

/// The summary line: `2 errors, 1 warning in 3 files`.
pub fn summary_line(report: &Report) -> String {
    let summary = report.summary();
    let files = plural(summary.files, "file");
    let mut line = if summary.total() == 0 {
        format!("No problems found in {files}")
    } else {
        let mut parts = vec![
            plural(summary.errors, "error"),
            plural(summary.warnings, "warning"),
        ];
        if summary.infos > 0 {
            parts.push(plural(summary.infos, "info"));
        }
        if summary.styles > 0 {
            parts.push(plural(summary.styles, "style issue"));
        }
        format!("{} in {files}", parts.join(", "))
    };
    if !report.tool_errors.is_empty() {
        line.push_str(&format!(
            "; {}",
            plural(report.tool_errors.len(), "tool error")
        ));
    }
    line
}

/// The whole report as text.
pub fn render(report: &Report, options: &HumanOptions) -> String {
    let mut out = String::new();
    for file in report.files {
        if let Some(line) = role_line(file) {
            out.push_str(&line);
        }
        for diagnostic in file.sorted_diagnostics() {
            render_finding(&mut out, file, diagnostic, options);
        }
    }
    for error in report.tool_errors {
        let location = match (&error.path, error.line) {
            (Some(path), Some(line)) => format!("{path}:{line}: "),
            (Some(path), None) => format!("{path}: "),
            (None, _) => String::new(),
        };
        let label = if options.colour {
            "\u{1b}[1;31merror\u{1b}[0m"
        } else {
            "error"
        };
        out.push_str(&format!("{label}: {location}{}\n", error.message));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// Writes [`render()`]'s output.
pub fn write(out: &mut dyn Write, report: &Report, options: &HumanOptions) -> io::Result<()> {
    out.write_all(render(report, options).as_bytes())
}
