//! `--format github`: GitHub Actions workflow commands, shown as annotations on the
//! pull request diff.
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE (CODE)::MESSAGE`,
//! with `::warning` for warnings and `::notice` for info and style. Escaping follows
//! the runner's rules (the same as `@actions/core`): in the message `%`, `\r` and
//! `\n` become `%25`, `%0D` and `%0A`; in property values `:` and `,` also become
//! `%3A` and `%2C`. GitHub accepts columns only when the annotation starts and ends
//! on the same line, so a multi-line finding carries lines only.

use super::Report;
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escapes a command's message (its data).
pub fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // The log is a terminal too: no escape sequence from the input reaches it.
    for ch in super::escape::escape(text).chars() {
        match ch {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            _ => escaped.push(ch),
        }
    }
    escaped
}

/// Escapes a command's property value.
pub fn escape_property(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in super::escape::escape(text).chars() {
        match ch {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' => escaped.push_str("%3A"),
            ',' => escaped.push_str("%2C"),
            _ => escaped.push(ch),
        }
    }
    escaped
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "notice",
    }
}

/// Writes one workflow command per diagnostic, then one `::error` per tool error.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for file in report.files {
        for diagnostic in file.sorted_diagnostics() {
            let range = file.range(diagnostic.span);
            let mut properties = format!(
                "file={},line={}",
                escape_property(&file.path),
                range.start.line
            );
            if range.last_line() == range.start.line {
                // A span ending just after the line break ends at the end of the line.
                let end_column = if range.end.line == range.start.line {
                    range.end.column
                } else {
                    file.line_text(file.clamp(diagnostic.span).start)
                        .chars()
                        .count()
                        + 1
                };
                properties.push_str(&format!(
                    ",col={},endLine={},endColumn={}",
                    range.start.column, range.start.line, end_column
                ));
            } else {
                properties.push_str(&format!(",endLine={}", range.last_line()));
            }
            properties.push_str(&format!(
                ",title={}",
                escape_property(&format!("{} ({})", diagnostic.rule, diagnostic.code))
            ));
            let mut message = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{} {}::{}",
                command(diagnostic.severity),
                properties,
                escape_data(&message)
            )?;
        }
    }
    for error in report.tool_errors {
        let mut properties = String::new();
        if let Some(path) = &error.path {
            properties.push_str(&format!("file={},", escape_property(path)));
            if let Some(line) = error.line {
                properties.push_str(&format!("line={line},"));
            }
        }
        properties.push_str("title=dockstage");
        writeln!(
            out,
            "::error {}::{}",
            properties,
            escape_data(&error.message)
        )?;
    }
    Ok(())
}

/// [`write()`] into a `String`.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(&mut out, report);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_runner() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("50% a:b,c\r\nd"), "50%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so an existing escape is not decoded by the runner.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
