//! `--format gitlab`: GitLab Code Quality, the `artifacts:reports:codequality`
//! report shown in merge requests.
//!
//! A JSON array of `{description, check_name, fingerprint, severity, location:
//! {path, lines: {begin, end}}}`, the subset of the Code Climate issue format that
//! GitLab reads. Severities map style → `info`, info → `minor`, warning → `major`,
//! error → `critical` (`blocker` is left to syntax errors, which stop a stage from
//! being understood at all). The fingerprint is described in the `fingerprint`
//! module: stable when unrelated lines move, unique per file and finding. Tool
//! errors are not findings and are not written here (the exit code reports them).

use super::fingerprint::fingerprints;
use super::{is_syntax_error, Report};
use crate::diagnostic::{Diagnostic, Severity};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(diagnostic: &Diagnostic) -> &'static str {
    if is_syntax_error(diagnostic) {
        return "blocker";
    }
    match diagnostic.severity {
        Severity::Style => "info",
        Severity::Info => "minor",
        Severity::Warning => "major",
        Severity::Error => "critical",
    }
}

/// The JSON array, pretty-printed, with a final newline.
pub fn render(report: &Report) -> String {
    let mut issues = Vec::new();
    for file in report.files {
        let sorted = file.sorted_diagnostics();
        let prints = fingerprints(file, &sorted);
        for (diagnostic, print) in sorted.iter().zip(&prints) {
            let range = file.range(diagnostic.span);
            issues.push(Issue {
                description: format!("{} ({})", diagnostic.message, diagnostic.code),
                check_name: diagnostic.rule,
                fingerprint: print.with_path(&file.path),
                severity: severity(diagnostic),
                location: Location {
                    path: &file.path,
                    lines: Lines {
                        begin: range.start.line,
                        end: range.last_line(),
                    },
                },
            });
        }
    }
    // Serialising plain structs of strings and integers cannot fail.
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_owned());
    text.push('\n');
    text
}

/// Writes [`render()`]'s output.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}
