//! Two stages with the same name (names compare case-insensitively).

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct DuplicateStageName;

impl Rule for DuplicateStageName {
    fn meta(&self) -> &'static RuleMeta {
        meta("duplicate-stage-name")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let stages = &cx.graph.stages;
        for (position, stage) in stages.iter().enumerate() {
            let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
                continue;
            };
            let Some(first) = cx
                .graph
                .first_named(name)
                .filter(|&first| first < position)
                .map(|first| &stages[first])
            else {
                continue;
            };
            let first_span = first.name_span.unwrap_or(first.base_span);
            let line = cx.file.line_of(first_span.start);
            let same = if first.name.as_deref() == Some(name.as_str()) {
                String::new()
            } else {
                format!(" (as `{}`)", first.display_name())
            };
            let diagnostic = self
                .meta()
                .diagnostic(
                    span,
                    format!(
                        "the stage name `{name}` is already used by stage {}{same} on line {line}",
                        first.index
                    ),
                )
                .with_label(first_span, format!("`{}` is first defined here", first.display_name()))
                .with_help(
                    "rename one of the stages: `--from` and `--target` pick the last stage of a name, FROM the closest one above it, so which one you get depends on where you ask",
                );
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}
