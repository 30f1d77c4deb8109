//! `--format checkstyle`: Checkstyle XML, read by Jenkins' warnings plugin, reviewdog
//! and many CI dashboards.
//!
//! Every checked file gets a `<file>` element, findings or not. Severities map
//! error → `error`, warning → `warning`, info and style → `info`; `source` is
//! `dockstage.RULE`. Tool errors are `error`s with source `dockstage.tool-error`.

use super::Report;
use crate::diagnostic::Severity;
use std::io::{self, Write};

/// Escapes text for an XML 1.0 attribute value.
///
/// `& < > " '` become entities; tab, line feed and carriage return become character
/// references so attribute-value normalisation keeps them; characters XML 1.0 does
/// not allow at all (other C0 controls, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape_attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{fffd}'),
            // Valid XML, but a terminal showing the file would obey them: a reference.
            '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                escaped.push_str(&format!("&#{};", ch as u32));
            }
            _ => escaped.push(ch),
        }
    }
    escaped
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

/// Writes the XML document.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<checkstyle version="4.3">"#)?;
    for file in report.files {
        let diagnostics = file.sorted_diagnostics();
        if diagnostics.is_empty() {
            writeln!(out, r#"  <file name="{}"/>"#, escape_attribute(&file.path))?;
            continue;
        }
        writeln!(out, r#"  <file name="{}">"#, escape_attribute(&file.path))?;
        for diagnostic in diagnostics {
            let start = file.range(diagnostic.span).start;
            writeln!(
                out,
                r#"    <error line="{}" column="{}" severity="{}" message="{}" source="dockstage.{}"/>"#,
                start.line,
                start.column,
                severity(diagnostic.severity),
                escape_attribute(&diagnostic.message),
                escape_attribute(diagnostic.rule),
            )?;
        }
        writeln!(out, "  </file>")?;
    }
    for error in report.tool_errors {
        let name = error.path.as_deref().unwrap_or("");
        let line = error
            .line
            .map(|line| format!(r#" line="{line}""#))
            .unwrap_or_default();
        writeln!(out, r#"  <file name="{}">"#, escape_attribute(name))?;
        writeln!(
            out,
            r#"    <error{line} severity="error" message="{}" source="dockstage.tool-error"/>"#,
            escape_attribute(&error.message)
        )?;
        writeln!(out, "  </file>")?;
    }
    writeln!(out, "</checkstyle>")
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
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            escape_attribute("a<b> & \"c\" 'd'\n\t\u{1}\u{ffff}é"),
            "a&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;&#10;&#9;\u{fffd}\u{fffd}é"
        );
    }
}
