//! `sudo` in a RUN: the build runs as the stage's USER already.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct SudoInRun;

impl Rule for SudoInRun {
    fn meta(&self) -> &'static RuleMeta {
        meta("sudo-in-run")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            for (at, run) in cx.stage_runs(stage) {
                let Some(sudo) = run.facts.commands.iter().find(|c| c.program() == "sudo") else {
                    continue;
                };
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        sudo.name_span,
                        "`sudo` in a RUN: the command runs as the stage's USER, which a `USER root` line can set",
                    )
                    .with_help(
                        "switch with `USER root` before the RUN and back after it; sudo in an image needs a password-less sudoers entry, a setuid binary that stays in the image",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
