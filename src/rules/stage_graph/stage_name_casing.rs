//! Stage names should be lowercase.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::model::EdgeTarget;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct StageNameCasing;

impl Rule for StageNameCasing {
    fn meta(&self) -> &'static RuleMeta {
        meta("stage-name-casing")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
                continue;
            };
            let lower = name.to_lowercase();
            if *name == lower {
                continue;
            }
            let mut edits = Vec::new();
            if cx.text(span) == name {
                edits.push(Edit {
                    span,
                    replacement: lower.clone(),
                });
            }
            // Without the definition, renaming only the references would be a half fix.
            let renamable = !edits.is_empty();
            for edge in cx.graph.edges.iter().filter(|_| renamable) {
                if edge.to != EdgeTarget::Stage(stage.index) || edge.by_index {
                    continue;
                }
                let written = cx.text(edge.span);
                if written == edge.text && written.eq_ignore_ascii_case(&lower) && written != lower
                {
                    edits.push(Edit {
                        span: edge.span,
                        replacement: lower.clone(),
                    });
                }
            }
            let references = edits.len().saturating_sub(1);
            let mut diagnostic = self
                .meta()
                .diagnostic(span, format!("the stage name `{name}` is not lowercase"))
                .with_help(format!(
                    "write `{lower}`: stage names are case-insensitive and BuildKit stores them lowercase, so mixed case only invites mismatched spellings"
                ));
            if !edits.is_empty() {
                let message = match references {
                    0 => format!("rename the stage to `{lower}`"),
                    1 => format!("rename the stage and its reference to `{lower}`"),
                    n => format!("rename the stage and its {n} references to `{lower}`"),
                };
                diagnostic = diagnostic.with_fix(Fix {
                    message,
                    edits,
                    applicability: Applicability::Safe,
                });
            }
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}
