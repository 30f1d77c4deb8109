//! A FROM image built from global ARGs whose defaults give an empty or invalid name:
//! a build without `--build-arg` fails (BuildKit's `InvalidDefaultArgInFrom`).

use crate::diagnostic::Diagnostic;
use crate::model::{vars, Base};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct InvalidDefaultArgInFrom;

impl Rule for InvalidDefaultArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        meta("invalid-default-arg-in-from")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // A default BuildKit cannot expand (a template's `${option:name}`) makes it give
        // up on this check: the build fails on that ARG first.
        let broken_default = cx.graph.global_args.iter().any(|d| {
            d.default
                .as_deref()
                .is_some_and(|v| vars::expansion_error(v, cx.file.escape).is_some())
        });
        if broken_default {
            return;
        }
        for stage in &cx.graph.stages {
            // The graph expanded the image with the global ARGs' defaults.
            let Base::Invalid { reason, .. } = &stage.base else {
                continue;
            };
            // A word BuildKit cannot expand at all fails for another reason.
            if !stage.base_text.contains('$')
                || vars::expansion_error(&stage.base_text, cx.file.escape).is_some()
            {
                continue;
            }
            let expanded = &stage.base_expanded;
            let result = if expanded.is_empty() {
                "an empty image name".to_string()
            } else {
                format!("`{expanded}`, which is not an image name ({reason})")
            };
            let mut diagnostic = self.meta().diagnostic(
                stage.base_span,
                format!(
                    "with the ARGs' default values, `{}` becomes {result}: a build without `--build-arg` fails",
                    stage.base_text
                ),
            );
            let unset = stage
                .base_unresolved
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            diagnostic = if unset.is_empty() {
                diagnostic.with_help("give the global ARGs defaults that make a valid image name")
            } else {
                diagnostic.with_help(format!(
                    "give {unset} a default before the first FROM (`ARG NAME=value`)"
                ))
            };
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}
