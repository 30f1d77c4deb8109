//! `cd` in a RUN: the directory change ends with the RUN, WORKDIR says it for good.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct CdInRun;

impl Rule for CdInRun {
    fn meta(&self) -> &'static RuleMeta {
        meta("cd-in-run")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            for (at, run) in cx.stage_runs(stage) {
                // One finding per RUN: the first `cd`; `cd -` and `cd` alone go back.
                let Some(cd) = run.facts.commands.iter().find(|c| {
                    c.name == "cd" && c.args.first().is_some_and(|a| a.text != "-")
                }) else {
                    continue;
                };
                let dir = &cd.args[0].text;
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        cd.span,
                        format!("`cd {dir}` changes the directory for this RUN only"),
                    )
                    .with_help(format!(
                        "if the next instructions work in `{dir}` too, set `WORKDIR {dir}` before this RUN; a `cd` into a directory this RUN creates and deletes is fine"
                    ));
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
