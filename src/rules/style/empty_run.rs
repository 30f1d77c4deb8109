//! `RUN` with no command: BuildKit accepts it and runs an empty shell command.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct EmptyRun;

fn is_empty_run(instruction: &Instruction) -> bool {
    instruction.is(Keyword::Run)
        && instruction.args.words.is_empty()
        && instruction.heredocs.is_empty()
}

impl Rule for EmptyRun {
    fn meta(&self) -> &'static RuleMeta {
        meta("empty-run")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, instruction) in cx.file.instructions.iter().enumerate() {
            // `ONBUILD RUN` with no command runs the same empty command in the child build.
            let run = match instruction.trigger.as_deref() {
                Some(trigger) if instruction.is(Keyword::Onbuild) => trigger,
                _ => instruction,
            };
            if !is_empty_run(run) {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    run.keyword_span,
                    "RUN has no command: BuildKit runs an empty shell command (`/bin/sh -c \"\"`), a step that does nothing",
                )
                .with_help("write the command after RUN, or remove the line (a command on the next line needs a `\\` at the end of this one)");
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
