//! Parser directives: the `# name=value` lines at the top of the file.

use super::Parser;
use crate::diagnostic::Span;
use crate::syntax::ast::Directive;
use crate::syntax::tokens::TokenKind;
use crate::syntax::words::{trim_end_blanks, trim_start_space};

impl Parser<'_> {
    /// Directives: `# name=value` lines at the very top, until the first line that is
    /// not one (a blank line, another comment or an instruction ends them).
    pub(super) fn parse_directives(&mut self) {
        while self.next < self.lines.len() {
            let line = self.lines[self.next];
            let content = self.content(line);
            let lead = content.len() - trim_start_space(content).len();
            let Some((name, value_range)) = match_directive(&content[lead..]) else {
                return;
            };
            let lower = name.to_ascii_lowercase();
            if !matches!(lower.as_str(), "syntax" | "escape" | "check") {
                return;
            }
            let span = Span::new(line.start + lead, line.content_end);
            let value_span = Span::new(
                line.start + lead + value_range.0,
                line.start + lead + value_range.1,
            );
            let value = self.source[value_span.start..value_span.end].to_string();
            if self.directives.iter().any(|d| d.name == lower) {
                self.error(
                    span,
                    format!("only one {lower} parser directive can be used"),
                );
            } else {
                if lower == "escape" {
                    match value.as_str() {
                        "\\" => self.escape = '\\',
                        "`" => self.escape = '`',
                        _ => self.error(
                            value_span,
                            format!("invalid escape token '{value}' does not match ` or \\"),
                        ),
                    }
                }
                self.directives.push(Directive {
                    name: lower,
                    value,
                    span,
                    value_span,
                });
            }
            self.mark(TokenKind::Directive, span);
            self.next += 1;
        }
    }
}

/// `# name = value` (BuildKit's `reDirective`); returns the name and the value's range.
fn match_directive(text: &str) -> Option<(&str, (usize, usize))> {
    let rest = text.strip_prefix('#')?;
    let after_hash = 1 + rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let name_len = text[after_hash..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(text.len() - after_hash);
    let name = &text[after_hash..after_hash + name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after_name = &text[after_hash + name_len..];
    let eq_at =
        after_hash + name_len + after_name.len() - after_name.trim_start_matches([' ', '\t']).len();
    if !text[eq_at..].starts_with('=') {
        return None;
    }
    let value_part = &text[eq_at + 1..];
    let value_start =
        eq_at + 1 + value_part.len() - value_part.trim_start_matches([' ', '\t']).len();
    let value_end = trim_end_blanks(text).len();
    if value_end <= value_start {
        return None;
    }
    Some((name, (value_start, value_end)))
}
