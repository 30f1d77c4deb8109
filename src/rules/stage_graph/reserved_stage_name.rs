//! A stage named `scratch` or `context`, names BuildKit reserves.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct ReservedStageName;

const RESERVED: [&str; 2] = ["scratch", "context"];

impl Rule for ReservedStageName {
    fn meta(&self) -> &'static RuleMeta {
        meta("reserved-stage-name")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
                continue;
            };
            let Some(reserved) = RESERVED.iter().find(|r| r.eq_ignore_ascii_case(name)) else {
                continue;
            };
            let diagnostic = self
                .meta()
                .diagnostic(span, format!("`{name}` is a reserved name, not a stage name"))
                .with_help(format!(
                    "rename the stage: BuildKit reserves `{reserved}` (`scratch` is the empty image, `context` the build context), so references to the name are ambiguous"
                ));
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}
