//! With `strict-labels`, a LABEL of the shipped image that `label-schema` does not list.

use crate::diagnostic::Diagnostic;
use crate::rules::label_types::{shipped_labels, unquoted};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct LabelNotInSchema;

impl Rule for LabelNotInSchema {
    fn meta(&self) -> &'static RuleMeta {
        meta("label-not-in-schema")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let schema = &cx.settings.label_schema;
        if !cx.settings.strict_labels {
            return;
        }
        for (at, pair) in shipped_labels(cx) {
            let key = unquoted(&pair.key.text);
            if key.contains('$') || schema.iter().any(|(label, _)| label == key) {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    pair.key.span,
                    format!("label `{key}` is not in `label-schema`, and `strict-labels` is on"),
                )
                .with_help("add the label to `label-schema`, or remove it");
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
