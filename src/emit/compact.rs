//! `--format compact`: one finding a line, `file:line:col: severity [rule] message`.
//!
//! The shape editors' problem matchers and `grep` expect. Tool errors are written
//! as `file[:line]: error [tool-error] message` (or without the location when they
//! concern no file). Line breaks inside messages become spaces.

use super::escape::escape_inline;
use super::{single_line, tool_error_location, Report};
use std::io::{self, Write};

/// Writes one line per diagnostic, then one per tool error.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    for file in report.files {
        for diagnostic in file.sorted_diagnostics() {
            let start = file.range(diagnostic.span).start;
            writeln!(
                out,
                "{}:{}:{}: {} [{}] {}",
                escape_inline(&file.path),
                start.line,
                start.column,
                diagnostic.severity,
                diagnostic.rule,
                single_line(&diagnostic.message)
            )?;
        }
    }
    for error in report.tool_errors {
        let location = tool_error_location(error);
        writeln!(
            out,
            "{location}error [tool-error] {}",
            single_line(&error.message)
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
