//! `--format human`: reports for people at a terminal, rendered by miette.
//!
//! This is the only file that imports miette (besides configuration errors). Each
//! finding says each thing once, in the shape clippy and ruff use: a header
//! `[rule-name] message`, the lines it points at (the primary span underlined, the
//! other labels saying what the header does not), `help`, then `stage:` (whether it
//! ships) and `fix:` lines. Then tool errors, then a one-line summary. Every text
//! from the input is escaped ([`super::escape`]). No global hook is installed and
//! nothing is read from the environment: the caller decides colour and width.

use super::escape::{escape, escape_inline, escape_mapped, OffsetMap};
use super::{plural, tool_error_location, FileReport, Report};
use crate::diagnostic::{Applicability, Diagnostic, Severity, Span, StageRole};
use crate::model::ImageRole;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::borrow::Cow;
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
        // Without context lines miette would show the span's text alone: show the
        // whole lines it is on, as clippy and ruff do.
        let lines = if context_lines_before == 0 && context_lines_after == 0 {
            let start = span.offset().min(self.text.len());
            let end = (start + span.len()).min(self.text.len());
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = if end > start && self.text[..end].ends_with('\n') {
                end - 1
            } else {
                self.text[end..]
                    .find('\n')
                    .map_or(self.text.len(), |i| end + i)
            };
            SourceSpan::new(line_start.into(), line_end.max(line_start) - line_start)
        } else {
            *span
        };
        let inner = self
            .text
            .read_span(&lines, context_lines_before, context_lines_after)?;
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

/// A file's path and text escaped for the terminal, once per file; spans are moved
/// with the offset map.
struct SafeFile<'a> {
    file: &'a FileReport,
    path: Cow<'a, str>,
    text: Cow<'a, str>,
    offsets: OffsetMap,
}

impl<'a> SafeFile<'a> {
    fn new(file: &'a FileReport) -> Self {
        let (text, offsets) = escape_mapped(&file.source);
        SafeFile {
            file,
            path: escape_inline(&file.path),
            text,
            offsets,
        }
    }

    fn span(&self, span: Span) -> SourceSpan {
        let span = self.file.clamp(span);
        let start = self.offsets.map(span.start);
        SourceSpan::new(start.into(), self.offsets.map(span.end) - start)
    }
}

/// One finding, seen through miette's `Diagnostic` trait. Every text in it comes from
/// the input and is escaped.
#[derive(Debug)]
struct Finding<'a> {
    header: String,
    help: Option<String>,
    severity: Severity,
    source: NamedText<'a>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Finding<'a> {
    fn new(file: &'a SafeFile<'a>, diagnostic: &'a Diagnostic) -> Self {
        // The header says the message; the primary span is only underlined, and the
        // other labels say what the header does not.
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            None,
            file.span(diagnostic.span),
        )];
        labels.extend(diagnostic.labels.iter().map(|label| {
            LabeledSpan::new_with_span(
                Some(escape(&label.message).into_owned()),
                file.span(label.span),
            )
        }));
        let message = escape(&diagnostic.message);
        // No text, no snippet (a binary file is read as empty): the header says where.
        let header = if file.text.is_empty() {
            labels.clear();
            format!("[{}] {}: {message}", diagnostic.rule, file.path)
        } else {
            format!("[{}] {message}", diagnostic.rule)
        };
        Finding {
            header,
            help: diagnostic
                .help
                .as_deref()
                .map(|help| escape(help).into_owned()),
            severity: diagnostic.severity,
            source: NamedText {
                name: &file.path,
                text: &file.text,
            },
            labels,
        }
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info | Severity::Style => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
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

/// The lines under a finding: its stage and its fix, as `  note:` lines (escaped:
/// stage names and fix messages come from the input).
fn footer(diagnostic: &Diagnostic) -> String {
    let mut lines = String::new();
    if let Some(stage) = &diagnostic.stage {
        let role = match stage.role {
            StageRole::Final => "the final image",
            StageRole::FeedsFinal => "feeds the final image",
            StageRole::Unused => "not used by the target",
        };
        let name = stage.display_name();
        lines.push_str(&format!("  stage: {} ({role})\n", escape_inline(&name)));
    }
    if let Some(fix) = &diagnostic.fix {
        let how = match fix.applicability {
            Applicability::Safe => "apply with --fix",
            Applicability::Unsafe => "apply with --fix --unsafe-fixes",
        };
        lines.push_str(&format!("  fix: {} ({how})\n", escape(&fix.message)));
    }
    lines
}

fn render_finding(
    out: &mut String,
    file: &SafeFile,
    diagnostic: &Diagnostic,
    options: &HumanOptions,
) {
    let theme = if options.colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    // No context lines: the lines a finding points at, as clippy and ruff show them.
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_urls(false)
        .with_context_lines(0)
        .tab_width(4);
    let finding = Finding::new(file, diagnostic);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &finding).is_ok() {
        out.push_str(&rendered);
    } else {
        // miette refused the snippet: fall back to a plain line rather than lose it.
        let start = file.file.range(diagnostic.span).start;
        out.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            file.path, start.line, start.column, diagnostic.severity, finding.header
        ));
    }
    out.push_str(&footer(diagnostic));
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
    let mut line = if summary.files == 0 {
        "No file linted".to_string()
    } else if summary.total() == 0 {
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
            out.push_str(&escape(&line));
        }
        let safe = SafeFile::new(file);
        for diagnostic in file.sorted_diagnostics() {
            render_finding(&mut out, &safe, diagnostic, options);
        }
    }
    for error in report.tool_errors.iter().filter(|e| !e.shown) {
        let location = tool_error_location(error);
        let label = if options.colour {
            "\u{1b}[1;31merror\u{1b}[0m"
        } else {
            "error"
        };
        out.push_str(&format!("{label}: {location}{}\n", escape(&error.message)));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// Writes [`render()`]'s output.
pub fn write(out: &mut dyn Write, report: &Report, options: &HumanOptions) -> io::Result<()> {
    out.write_all(render(report, options).as_bytes())
}
