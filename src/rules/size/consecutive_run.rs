//! Short RUN instructions in a row with the same flags: each makes a layer of its own.

use crate::diagnostic::Diagnostic;
use crate::model::shell::CommandOrigin;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct ConsecutiveRun;

/// RUNs with more commands than this were split on purpose (hadolint 2.15.1 treats
/// a RUN of two commands as long too).
const SHORT: usize = 1;

impl Rule for ConsecutiveRun {
    fn meta(&self) -> &'static RuleMeta {
        meta("consecutive-run")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let mut previous: Option<&Instruction> = None;
            for (at, instruction) in cx.stage_instructions(stage) {
                if !instruction.is(Keyword::Run) {
                    previous = None;
                    continue;
                }
                // A script we do not read (PowerShell) is not known to be short.
                let short = cx.run_facts(at).not_shell.is_none() && self.commands(cx, at) <= SHORT;
                if let Some(earlier) = previous {
                    if short && same_flags(cx, earlier, instruction) {
                        let diagnostic = self
                            .meta()
                            .diagnostic(
                                instruction.keyword_span,
                                "this RUN follows another short RUN with the same flags: each adds a layer",
                            )
                            .with_label(earlier.keyword_span, "the RUN before")
                            .with_help("join them with `&&` into one RUN, unless the split keeps a slow step cached");
                        out.push(cx.in_stage_of(at, diagnostic));
                    }
                }
                previous = short.then_some(instruction);
            }
        }
    }
}

impl ConsecutiveRun {
    /// The commands a RUN runs itself and in its `$(...)` substitutions, as hadolint
    /// counts them (not those of `sh -c` strings or run through `sudo`).
    fn commands(&self, cx: &Context<'_>, at: usize) -> usize {
        cx.run_facts(at)
            .facts
            .commands
            .iter()
            .filter(|c| {
                matches!(
                    c.origin,
                    CommandOrigin::Direct | CommandOrigin::Substitution { .. }
                )
            })
            .count()
    }
}

fn same_flags(cx: &Context<'_>, a: &Instruction, b: &Instruction) -> bool {
    let flags = |i: &Instruction| -> Vec<&str> { i.flags.iter().map(|f| cx.text(f.span)).collect() };
    flags(a) == flags(b)
}
