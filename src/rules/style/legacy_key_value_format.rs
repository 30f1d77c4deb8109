//! `ENV key value` and `LABEL key value`: the legacy form without `=`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct LegacyKeyValueFormat;

impl Rule for LegacyKeyValueFormat {
    fn meta(&self) -> &'static RuleMeta {
        meta("legacy-key-value-format")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, instruction) in cx.file.instructions.iter().enumerate() {
            if !(instruction.is(Keyword::Env) || instruction.is(Keyword::Label)) {
                continue;
            }
            let text = cx.text(instruction.args.span);
            let first = text.split_whitespace().next().unwrap_or("");
            // The legacy form: the first word has no `=`, the rest of the line is the value.
            if first.is_empty() || first.contains('=') || text.trim() == first {
                continue;
            }
            let name = instruction.keyword.as_upper_str();
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    instruction.args.span,
                    format!("`{name} {first} ...` uses the legacy form without `=`"),
                )
                .with_help(format!(
                    "write `{name} {first}=value`: in the legacy form the whole rest of the line is one value, so `{name} A 1 B 2` sets A to `1 B 2`"
                ));
            if let Some(fix) = key_value_form(cx, instruction) {
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}

/// `key=value`, or `key="a b"`, when the key is a plain word and the value one line of
/// plain words separated by single spaces, so that quoting it keeps it exactly.
fn key_value_form(cx: &Context<'_>, instruction: &Instruction) -> Option<Fix> {
    let span = instruction.args.span;
    let text = cx.text(span).trim_end();
    let key_end = text.find([' ', '\t'])?;
    let (key, rest) = text.split_at(key_end);
    let value = rest.trim_start();
    // Quotes and escapes change meaning, and whitespace other than a plain space (a
    // tab, a form feed) would split the word BuildKit reads.
    let special =
        |c: char| matches!(c, '"' | '\'' | '\\' | '`') || (c.is_whitespace() && c != ' ');
    // A quote in the key (`LABEL "a b`) would pair with the quotes the fix adds.
    if value.is_empty() || key.contains(special) || value.contains(special) || value.contains("  ") {
        return None;
    }
    let value = if value.contains(' ') {
        format!("\"{value}\"")
    } else {
        value.to_string()
    };
    Some(Fix {
        message: format!("write `{key}={value}`"),
        edits: vec![Edit {
            span: Span::new(span.start, span.start + text.len()),
            replacement: format!("{key}={value}"),
        }],
        applicability: Applicability::Safe,
    })
}
