//! A stage that refers to a stage defined after it.

use crate::diagnostic::Diagnostic;
use crate::model::{EdgeKind, EdgeTarget};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct ForwardStageReference;

impl Rule for ForwardStageReference {
    fn meta(&self) -> &'static RuleMeta {
        meta("forward-stage-reference")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for edge in &cx.graph.edges {
            let EdgeTarget::Stage(to) = edge.to else {
                continue;
            };
            if to <= edge.from_stage {
                continue;
            }
            let Some(later) = cx.graph.stages.get(to) else {
                continue;
            };
            let target = later.describe();
            let from = &cx.file.instructions[later.from_instruction];
            let line = cx.file.line_of(from.span.start);
            let (message, help) = match edge.kind {
                EdgeKind::From => (
                    format!(
                        "`FROM {}` names {target}, which is defined later (line {line}), so BuildKit would pull an image of that name instead",
                        edge.text
                    ),
                    format!("a stage can only start from an earlier stage: move this stage below {target}"),
                ),
                EdgeKind::CopyFrom | EdgeKind::AddFrom | EdgeKind::MountFrom => {
                    let written = match edge.kind {
                        EdgeKind::MountFrom => format!("from={}", edge.text),
                        _ => format!("--from={}", edge.text),
                    };
                    (
                        format!("`{written}` refers to {target}, which is defined later (line {line})"),
                        format!(
                            "define {target} before the stages that use it: the classic builder rejects forward references, and readers expect stages in build order"
                        ),
                    )
                }
            };
            let definition = later.name_span.unwrap_or(later.base_span);
            let diagnostic = self
                .meta()
                .diagnostic(edge.span, message)
                .with_help(help)
                .with_label(definition, format!("{target} is defined here"));
            out.push(cx.in_stage_of(edge.instruction, diagnostic));
        }
    }
}
