//! Emitters: presentation of diagnostics. They know nothing about rules.
//!
//! Every emitter is a pure function of a [`Report`]: it writes to a `&mut dyn Write`
//! (or returns a `String`) and never reads the environment. The caller decides
//! everything else (colour, width, where the output goes).
//!
//! | format       | module         | for                                        |
//! |--------------|----------------|--------------------------------------------|
//! | `human`      | [`human`]      | terminals (miette, the only miette user)   |
//! | `json`       | [`json`]       | scripts; schema in `docs/json-schema.json` |
//! | `sarif`      | [`sarif`]      | GitHub code scanning and SARIF viewers     |
//! | `github`     | [`github`]     | GitHub Actions annotations                 |
//! | `checkstyle` | [`checkstyle`] | Jenkins and other Checkstyle consumers     |
//! | `gitlab`     | [`gitlab`]     | GitLab Code Quality                        |
//! | `compact`    | [`compact`]    | editors' problem matchers, grep            |
//!
//! Lines and columns are 1-based everywhere; columns count Unicode scalar values
//! (see [`LineIndex::line_col`]). Spans out of range are clamped, never a panic.

pub mod checkstyle;
pub mod compact;
pub mod escape;
mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, LineCol, LineIndex, Severity, Span};
use crate::model::RoleInference;
use crate::rules::RuleMeta;

/// The diagnostics of one file, with what emitters need to place them.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as shown to users: relative to the working directory when possible,
    /// always with `/` separators.
    pub path: String,
    pub source: String,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
    /// What the image is for, when the file was linted (not for reports built from
    /// diagnostics alone).
    pub image_role: Option<RoleInference>,
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
            image_role: None,
        }
    }

    pub fn with_image_role(mut self, role: RoleInference) -> Self {
        self.image_role = Some(role);
        self
    }

    /// The diagnostics in a stable order: by position, then code, then message.
    ///
    /// Rules may run in parallel; every emitter goes through this so output never
    /// depends on scheduling.
    pub fn sorted_diagnostics(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.diagnostics.iter().collect();
        sorted.sort_by(|a, b| {
            let (a_span, b_span) = (self.clamp(a.span), self.clamp(b.span));
            (a_span.start, a_span.end, a.code, &a.message).cmp(&(
                b_span.start,
                b_span.end,
                b.code,
                &b.message,
            ))
        });
        sorted
    }

    /// The span made safe to index the source with: ordered, inside the text, on
    /// character boundaries.
    pub fn clamp(&self, span: Span) -> Span {
        let (start, end) = if span.start <= span.end {
            (span.start, span.end)
        } else {
            (span.end, span.start)
        };
        Span::new(
            floor_char_boundary(&self.source, start),
            floor_char_boundary(&self.source, end),
        )
    }

    /// The 1-based start and end (exclusive) of a span, columns in characters.
    pub fn range(&self, span: Span) -> Range {
        let span = self.clamp(span);
        Range {
            start: self.line_index.line_col(&self.source, span.start),
            end: self.line_index.line_col(&self.source, span.end),
        }
    }

    /// The text a span covers (clamped).
    pub fn text(&self, span: Span) -> &str {
        let span = self.clamp(span);
        &self.source[span.start..span.end]
    }

    /// The text of the 0-based line that contains `offset`, without its line break.
    pub fn line_text(&self, offset: usize) -> &str {
        let offset = floor_char_boundary(&self.source, offset);
        let line = self.line_index.line_of(offset);
        let start = self.line_index.line_start(line);
        let end = if line + 1 < self.line_index.line_count() {
            self.line_index.line_start(line + 1)
        } else {
            self.source.len()
        };
        let start = floor_char_boundary(&self.source, start);
        let end = floor_char_boundary(&self.source, end.max(start));
        self.source[start..end].trim_end_matches(['\n', '\r'])
    }
}

/// A region of a file: 1-based lines and columns, the end exclusive (the column
/// after the last character), as SARIF and LSP expect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: LineCol,
    pub end: LineCol,
}

impl Range {
    /// The last line holding a character of the range: a range that ends just after
    /// a line break ends on the line before.
    pub fn last_line(&self) -> usize {
        if self.end.column == 1 && self.end.line > self.start.line {
            self.end.line - 1
        } else {
            self.end.line
        }
    }
}

/// A problem of the tool itself rather than of a Dockerfile: a file that could not be
/// read, an invalid configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolError {
    /// The file concerned, relative with `/` separators, if any.
    pub path: Option<String>,
    pub message: String,
    /// 1-based line in `path`, when known (e.g. a configuration syntax error).
    pub line: Option<usize>,
    /// Already shown in full (a configuration error with its snippet, on standard
    /// error): the human report counts it but does not say it again.
    pub shown: bool,
}

impl ToolError {
    pub fn new(path: Option<String>, message: impl Into<String>) -> Self {
        ToolError {
            path,
            message: message.into(),
            line: None,
            shown: false,
        }
    }

    pub fn shown(mut self) -> Self {
        self.shown = true;
        self
    }

    pub fn with_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

/// Everything an emitter is given.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    /// Every file checked, with or without diagnostics, in the order to report them.
    pub files: &'a [FileReport],
    /// Every registered rule, in registry order.
    pub rules: &'a [RuleMeta],
    /// I/O and configuration errors.
    pub tool_errors: &'a [ToolError],
    /// The process exit code the CLI will return.
    pub exit_code: i32,
}

impl<'a> Report<'a> {
    /// Counts of diagnostics by severity.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for diagnostic in self.files.iter().flat_map(|file| &file.diagnostics) {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
                Severity::Style => summary.styles += 1,
            }
        }
        summary
    }

    /// A rule's metadata and its index in [`Report::rules`], by code.
    pub fn rule(&self, code: &str) -> Option<(usize, &'a RuleMeta)> {
        self.rules
            .iter()
            .enumerate()
            .find(|(_, rule)| rule.code == code)
    }
}

/// Counts of diagnostics by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub styles: usize,
}

impl Summary {
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.styles
    }
}

/// Whether a diagnostic is a syntax error (the built-in `syntax-error` pseudo-rule).
pub fn is_syntax_error(diagnostic: &Diagnostic) -> bool {
    diagnostic.rule == crate::diagnostic::SYNTAX_ERROR.0
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Writes `text` to standard output; false when it could not (said on standard
/// error, except for a closed pipe: `| head` is not worth a message).
pub fn print_stdout(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(err) => {
            report_write_error(&err);
            false
        }
    }
}

/// Says why the output could not be written, unless the reader closed the pipe.
pub fn report_write_error(err: &std::io::Error) {
    if err.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("dockstage: cannot write the output: {err}");
    }
}

/// `count` followed by `noun`, pluralised with an `s` when needed.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("{count} {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// One line of text: line breaks and tabs become spaces, other control characters
/// are escaped for the terminal.
fn single_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|ch| {
            if matches!(ch, '\n' | '\r' | '\t') {
                ' '
            } else {
                ch
            }
        })
        .collect();
    escape::escape(&spaced).into_owned()
}

/// `path:line: `, `path: ` or nothing: where a tool error is, escaped for the terminal.
fn tool_error_location(error: &ToolError) -> String {
    match (&error.path, error.line) {
        (Some(path), Some(line)) => format!("{}:{line}: ", escape::escape_inline(path)),
        (Some(path), None) => format!("{}: ", escape::escape_inline(path)),
        (None, _) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(source: &str) -> FileReport {
        FileReport::new("Dockerfile", source, Vec::new())
    }

    #[test]
    fn spans_are_clamped_and_ordered() {
        let file = file("FROM é\n");
        // Inside the two-byte é, reversed, and past the end.
        assert_eq!(file.clamp(Span::new(7, 6)), Span::new(5, 7));
        assert_eq!(file.clamp(Span::new(100, 200)), Span::new(8, 8));
        let range = file.range(Span::new(5, 100));
        assert_eq!((range.start.line, range.start.column), (1, 6));
        assert_eq!((range.end.line, range.end.column), (2, 1));
    }

    #[test]
    fn line_text_has_no_line_break() {
        let file = file("FROM a\r\nRUN b\nCMD c");
        assert_eq!(file.line_text(0), "FROM a");
        assert_eq!(file.line_text(9), "RUN b");
        assert_eq!(file.line_text(100), "CMD c");
    }
}
