//! A stage that copies or mounts from itself.

use crate::diagnostic::Diagnostic;
use crate::model::{EdgeKind, EdgeTarget};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct SelfStageReference;

impl Rule for SelfStageReference {
    fn meta(&self) -> &'static RuleMeta {
        meta("self-stage-reference")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for edge in &cx.graph.edges {
            if edge.kind == EdgeKind::From || edge.to != EdgeTarget::Stage(edge.from_stage) {
                continue;
            }
            let Some(stage) = cx.graph.stages.get(edge.from_stage) else {
                continue;
            };
            let target = stage.describe();
            let reference = match edge.kind {
                EdgeKind::MountFrom => format!("from={}", edge.text),
                _ => format!("--from={}", edge.text),
            };
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    edge.span,
                    format!(
                        "`{reference}` refers to {target}, the stage this instruction is in: a circular dependency BuildKit rejects"
                    ),
                )
                .with_help(
                    "files of the current stage are already in place: use a path inside it, or name the earlier stage you meant",
                );
            let definition = stage.name_span.unwrap_or(stage.base_span);
            diagnostic = diagnostic.with_label(definition, format!("{target} starts here"));
            out.push(cx.in_stage_of(edge.instruction, diagnostic));
        }
    }
}
