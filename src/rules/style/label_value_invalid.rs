//! A LABEL value that does not have the type `label-schema` gives it, or is empty.

use crate::diagnostic::Diagnostic;
use crate::rules::label_types::{unquoted, LabelType};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct LabelValueInvalid;

impl Rule for LabelValueInvalid {
    fn meta(&self) -> &'static RuleMeta {
        meta("label-value-invalid")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let schema = &cx.settings.label_schema;
        if schema.is_empty() {
            return;
        }
        for (at, label) in cx.file.instructions.iter().enumerate() {
            if !label.is(Keyword::Label) {
                continue;
            }
            for pair in &label.args.pairs {
                let key = unquoted(&pair.key.text);
                let Some((_, kind)) = schema.iter().find(|(name, _)| name == key) else {
                    continue;
                };
                let value = pair.value.as_ref().map_or("", |v| unquoted(&v.text));
                // A variable's value is known only to the build.
                if value.contains('$') {
                    continue;
                }
                let span = pair.value.as_ref().map_or(pair.key.span, |v| v.span);
                let message = if value.is_empty() {
                    format!("label `{key}` is empty")
                } else if kind.accepts(value) {
                    continue;
                } else {
                    format!("label `{key}` is `{value}`, which is not {}", kind.describe())
                };
                let diagnostic = self
                    .meta()
                    .diagnostic(span, message)
                    .with_help(format!(
                        "`label-schema` says `{key}` is {}{}",
                        kind.describe(),
                        example(*kind)
                    ));
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}

fn example(kind: LabelType) -> &'static str {
    match kind {
        LabelType::Text => "",
        LabelType::Url => ", e.g. `https://github.com/example/app`",
        LabelType::Hash => ", e.g. the output of `git rev-parse HEAD`",
        LabelType::Rfc3339 => ", e.g. `2024-05-01T12:00:00Z`",
        LabelType::Semver => ", e.g. `1.4.2`",
        LabelType::Spdx => ", e.g. `Apache-2.0` or `MIT OR Apache-2.0`",
        LabelType::Email => ", e.g. `team@example.com`",
    }
}
