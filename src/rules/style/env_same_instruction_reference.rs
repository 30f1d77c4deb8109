//! `ENV A=1 B=$A`: BuildKit expands every value of an ENV before setting any, so `$A`
//! is A's value from before the instruction.

use crate::diagnostic::Diagnostic;
use crate::model::vars;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct EnvSameInstructionReference;

impl Rule for EnvSameInstructionReference {
    fn meta(&self) -> &'static RuleMeta {
        meta("env-same-instruction-reference")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, env) in cx.file.instructions.iter().enumerate() {
            if !env.is(Keyword::Env) || env.args.pairs.len() < 2 {
                continue;
            }
            let pairs = &env.args.pairs;
            for (index, pair) in pairs.iter().enumerate() {
                let Some(value) = &pair.value else {
                    continue;
                };
                let found = vars::references(&value.text, cx.file.escape)
                    .into_iter()
                    .find_map(|reference| {
                        let set = pairs.iter().enumerate().find(|(other, p)| {
                            *other != index && p.key.text == reference.name.as_str()
                        })?;
                        Some((reference, set.1))
                    });
                let Some((reference, set)) = found else {
                    continue;
                };
                let span = cx.span_in_word(value, reference.span.start, reference.span.end);
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        span,
                        format!(
                            "`{}` is {}'s value from before this ENV, not the one this ENV sets",
                            &value.text[reference.span.start..reference.span.end],
                            reference.name
                        ),
                    )
                    .with_label(set.key.span, format!("{} is set here", reference.name))
                    .with_help(format!(
                        "set {} in an ENV of its own before this one: BuildKit expands all values of an ENV before setting any",
                        reference.name
                    ));
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
