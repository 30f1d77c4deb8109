//! A label `label-schema` requires is missing from the shipped image.

use crate::diagnostic::Diagnostic;
use crate::rules::label_types::{shipped_labels, unquoted};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct RequiredLabelMissing;

impl Rule for RequiredLabelMissing {
    fn meta(&self) -> &'static RuleMeta {
        meta("required-label-missing")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let schema = &cx.settings.label_schema;
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        if schema.is_empty() {
            return;
        }
        let present = shipped_labels(cx);
        for (label, kind) in schema {
            if present.iter().any(|(_, p)| unquoted(&p.key.text) == label) {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    target.base_span,
                    format!("the image has no label `{label}`, which `label-schema` requires"),
                )
                .with_help(format!(
                    "add `LABEL {label}=<{}>` to the final stage",
                    kind.describe()
                ))
                .with_stage(target.reference());
            out.push(diagnostic);
        }
    }
}
