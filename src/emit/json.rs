//! `--format json`: dockstage's own machine-readable output.
//!
//! The shape is versioned (`"version": 1`) and described by `docs/json-schema.json`
//! (JSON Schema draft 2020-12); a test validates real output against it. Adding a
//! field is compatible; renaming or removing one bumps `version`.
//!
//! Lines and columns are 1-based; columns count Unicode characters; `end_column` is
//! exclusive (the column after the last character).

use super::{FileReport, Report};
use crate::diagnostic::{Diagnostic, Span};
use serde::Serialize;
use std::io::{self, Write};

/// The version of this output's shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    errors: Vec<JsonError<'a>>,
    images: Vec<JsonImage<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonImage<'a> {
    file: &'a str,
    role: &'static str,
    reasons: &'a [String],
    configured: bool,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    rule: &'a str,
    code: &'a str,
    /// Other tools' names for the rule (BuildKit's check name).
    aliases: &'static [&'static str],
    severity: &'static str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    stage: Option<String>,
    stage_role: Option<&'static str>,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

#[derive(Serialize)]
struct JsonError<'a> {
    file: Option<&'a str>,
    line: Option<usize>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    styles: usize,
    total: usize,
}

/// Where a span is, in the four numbers every JSON object here carries.
struct Position {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

fn position(file: &FileReport, span: Span) -> Position {
    let range = file.range(span);
    Position {
        line: range.start.line,
        column: range.start.column,
        end_line: range.end.line,
        end_column: range.end.column,
    }
}

fn diagnostic<'a>(file: &'a FileReport, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let at = position(file, diagnostic.span);
    JsonDiagnostic {
        file: &file.path,
        rule: diagnostic.rule,
        code: diagnostic.code,
        aliases: crate::rules::find(diagnostic.rule).map_or(&[], |m| m.aliases),
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        line: at.line,
        column: at.column,
        end_line: at.end_line,
        end_column: at.end_column,
        stage: diagnostic.stage.as_ref().map(|stage| stage.display_name()),
        stage_role: diagnostic.stage.as_ref().map(|stage| stage.role.as_str()),
        help: diagnostic.help.as_deref(),
        labels: diagnostic
            .labels
            .iter()
            .map(|label| {
                let at = position(file, label.span);
                JsonLabel {
                    message: &label.message,
                    line: at.line,
                    column: at.column,
                    end_line: at.end_line,
                    end_column: at.end_column,
                }
            })
            .collect(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            message: &fix.message,
            applicability: match fix.applicability {
                crate::diagnostic::Applicability::Safe => "safe",
                crate::diagnostic::Applicability::Unsafe => "unsafe",
            },
            edits: fix
                .edits
                .iter()
                .map(|edit| {
                    let at = position(file, edit.span);
                    JsonEdit {
                        line: at.line,
                        column: at.column,
                        end_line: at.end_line,
                        end_column: at.end_column,
                        replacement: &edit.replacement,
                    }
                })
                .collect(),
        }),
    }
}

/// The JSON document, pretty-printed, with a final newline.
pub fn render(report: &Report) -> String {
    let summary = report.summary();
    let output = Output {
        version: VERSION,
        diagnostics: report
            .files
            .iter()
            .flat_map(|file| {
                file.sorted_diagnostics()
                    .into_iter()
                    .map(move |d| diagnostic(file, d))
            })
            .collect(),
        errors: report
            .tool_errors
            .iter()
            .map(|error| JsonError {
                file: error.path.as_deref(),
                line: error.line,
                message: &error.message,
            })
            .collect(),
        images: report
            .files
            .iter()
            .filter_map(|file| {
                let role = file.image_role.as_ref()?;
                Some(JsonImage {
                    file: &file.path,
                    role: role.role.as_str(),
                    reasons: &role.reasons,
                    configured: role.configured,
                })
            })
            .collect(),
        summary: JsonSummary {
            files: summary.files,
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            styles: summary.styles,
            total: summary.total(),
        },
    };
    // Serialising plain structs of strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes [`render()`]'s output.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}
