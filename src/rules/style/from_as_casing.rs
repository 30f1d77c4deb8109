//! `AS` written in a different case from `FROM` on the same line.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct FromAsCasing;

impl Rule for FromAsCasing {
    fn meta(&self) -> &'static RuleMeta {
        meta("from-as-casing")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, from) in cx.file.instructions.iter().enumerate() {
            if !from.is(Keyword::From) || from.args.words.len() < 3 {
                continue;
            }
            let keyword = cx.text(from.keyword_span);
            let as_word = &from.args.words[1];
            let wanted = if keyword == keyword.to_lowercase() {
                as_word.text.to_lowercase().to_string()
            } else if keyword == keyword.to_uppercase() {
                as_word.text.to_uppercase().to_string()
            } else {
                // A mixed-case keyword is consistent-instruction-casing's finding.
                continue;
            };
            if as_word.text == wanted.as_str() {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    as_word.span,
                    format!("`{}` does not match the casing of `{keyword}`", as_word.text),
                )
                .with_help(format!("write `{keyword} ... {wanted} ...`"))
                .with_fix(Fix {
                    message: format!("write `{wanted}`"),
                    edits: vec![Edit {
                        span: as_word.span,
                        replacement: wanted.clone(),
                    }],
                    applicability: Applicability::Safe,
                });
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
