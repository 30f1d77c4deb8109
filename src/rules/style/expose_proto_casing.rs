//! `EXPOSE 80/TCP`: the protocol written in upper or mixed case.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct ExposeProtoCasing;

impl Rule for ExposeProtoCasing {
    fn meta(&self) -> &'static RuleMeta {
        meta("expose-proto-casing")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, word) in cx.literal_expose_ports() {
            let Some(slash) = word.text.find('/') else {
                continue;
            };
            let proto = &word.text[slash + 1..];
            let lower = proto.to_ascii_lowercase();
            if proto == lower || !matches!(lower.as_str(), "tcp" | "udp" | "sctp") {
                continue;
            }
            let span = cx.span_in_word(word, slash + 1, word.text.len());
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    span,
                    format!("the protocol of `{}` is not lowercase", word.text),
                )
                .with_help(format!(
                    "write `{}/{lower}`: protocols are lowercase in the image configuration",
                    &word.text[..slash]
                ));
            if cx.text(span) == proto {
                diagnostic = diagnostic.with_fix(Fix {
                    message: format!("write `{lower}`"),
                    edits: vec![Edit {
                        span,
                        replacement: lower.clone(),
                    }],
                    applicability: Applicability::Safe,
                });
            }
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
