//! The image has no HEALTHCHECK (hadolint's DL3057, off unless asked for).

use crate::diagnostic::Diagnostic;
use crate::model::graph::Base;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct MissingHealthcheck;

impl Rule for MissingHealthcheck {
    fn meta(&self) -> &'static RuleMeta {
        meta("missing-healthcheck")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // The target and the stages of this file it is built `FROM`: a HEALTHCHECK
        // (`NONE` too: a decision) in any of them is inherited.
        let chain = cx.graph.base_chain(target.index);
        let has_healthcheck = chain.iter().any(|&index| {
            cx.stage_instructions(&cx.graph.stages[index])
                .any(|(_, i)| i.is(Keyword::Healthcheck))
        });
        if has_healthcheck {
            return;
        }
        let root = &cx.graph.stages[*chain.last().unwrap_or(&target.index)];
        let mut message = "the image has no HEALTHCHECK".to_string();
        if let Base::Image(_) = root.base {
            message.push_str(&format!(
                ", unless its base image `{}` defines one",
                root.base_text
            ));
        }
        let diagnostic = self
            .meta()
            .diagnostic(target.base_span, message)
            .with_help("add `HEALTHCHECK CMD <command>` so that Docker can tell a running container that stopped working, or `HEALTHCHECK NONE` to say there is none on purpose")
            .with_stage(target.reference());
        out.push(diagnostic);
    }
}
