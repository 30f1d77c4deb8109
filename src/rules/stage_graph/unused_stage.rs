//! A stage the target does not depend on: never built, so dead weight or a mistake.

use crate::diagnostic::{Diagnostic, StageRole};
use crate::model::EdgeTarget;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UnusedStage;

impl Rule for UnusedStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("unused-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        for stage in cx
            .graph
            .stages
            .iter()
            .filter(|s| s.role == StageRole::Unused)
        {
            let span = stage.name_span.unwrap_or(stage.base_span);
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    span,
                    format!(
                        "{} is never built: the target, {}, does not depend on it",
                        stage.describe(),
                        target.describe()
                    ),
                )
                .with_help(match &stage.name {
                    Some(name) => format!(
                        "remove it, use it from a stage the target needs, or build it explicitly with `--target {name}`"
                    ),
                    None => "remove it, or name it and use it from a stage the target needs".to_string(),
                })
                .with_stage(stage.reference());
            for edge in &cx.graph.edges {
                if edge.to == EdgeTarget::Stage(stage.index) && edge.from_stage != stage.index {
                    let user = &cx.graph.stages[edge.from_stage];
                    diagnostic = diagnostic.with_label(
                        edge.span,
                        format!("used here by {}, which is itself never built", user.describe()),
                    );
                }
            }
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}
