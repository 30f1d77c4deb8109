//! A RUN pipes a command that can fail into another, without `pipefail`: the pipe's
//! status is its last command's, so the first one's failure does not fail the build.

use crate::diagnostic::Diagnostic;
use crate::model::shell::{ShellFacts, SimpleCommand};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct PipeWithoutPipefail;

/// Commands that do not fail: piping them needs no `pipefail`.
const NEVER_FAIL: [&str; 5] = ["echo", "printf", "yes", "true", ":"];

impl Rule for PipeWithoutPipefail {
    fn meta(&self) -> &'static RuleMeta {
        meta("pipe-without-pipefail")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // SHELL carries over from the stages a stage is built `FROM`: per stage, whether
        // the SHELL in force at its end sets pipefail (`None`: no SHELL in its chain).
        let at_end: Vec<Option<bool>> = cx.graph.fold_chains(|base, stage| {
            last_shell(cx, stage)
                .map(sets_pipefail)
                .or(base.copied().flatten())
        });
        for stage in &cx.graph.stages {
            let mut shell_pipefail = cx
                .graph
                .base_of(stage.index)
                .and_then(|base| at_end[base])
                .unwrap_or(false);
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.is(Keyword::Shell) {
                    shell_pipefail = sets_pipefail(instruction);
                }
                if shell_pipefail || !instruction.is(Keyword::Run) {
                    continue;
                }
                let run = cx.run_facts(at);
                if run.not_shell.is_some() {
                    continue;
                }
                let Some((producer, consumer)) = unguarded_pipe(&run.facts) else {
                    continue;
                };
                let (name, last) = (producer.program(), consumer.program());
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        producer.span,
                        format!(
                            "if `{name}` fails, this RUN does not: the pipe's status is that of its last command, `{last}`"
                        ),
                    )
                    .with_label(consumer.name_span, format!("the status is `{last}`'s"))
                    .with_help(
                        "start the RUN with `set -o pipefail &&`, or set `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` (BusyBox ash has pipefail too)",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}

/// The last SHELL instruction of a stage.
fn last_shell<'a>(cx: &Context<'a>, stage: usize) -> Option<&'a Instruction> {
    cx.stage_instructions(&cx.graph.stages[stage])
        .filter(|(_, i)| i.is(Keyword::Shell))
        .map(|(_, i)| i)
        .last()
}

/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]`, or a shell that is not POSIX
/// (PowerShell, cmd), where the question does not arise.
fn sets_pipefail(shell: &Instruction) -> bool {
    let words: Vec<&str> = shell.args.words.iter().map(|w| w.text.as_str()).collect();
    let program = words.first().map_or("", |p| {
        p.rsplit(['/', '\\']).next().unwrap_or(p)
    });
    let not_posix = ["powershell", "pwsh", "cmd"]
        .iter()
        .any(|s| program.to_ascii_lowercase().starts_with(s));
    not_posix || words.iter().any(|w| w.contains("pipefail"))
}

/// The first pipe whose non-last command can fail, with no `set -o pipefail` before it.
fn unguarded_pipe(facts: &ShellFacts) -> Option<(&SimpleCommand, &SimpleCommand)> {
    for producer in &facts.commands {
        let Some(pos) = producer.pipeline else {
            continue;
        };
        if pos.position + 1 == pos.len
            || producer.in_condition
            || NEVER_FAIL.contains(&producer.program())
            || facts.in_other_shell(producer)
        {
            continue;
        }
        let scope = producer.origin.enclosing();
        let guarded = facts.commands.iter().any(|set| {
            set.name == "set"
                && set.span.start < producer.span.start
                && set.origin.enclosing() == scope
                && set.arg_texts().any(|a| a == "pipefail")
        });
        if guarded {
            continue;
        }
        let consumer = facts.commands.iter().find(|c| {
            c.origin.enclosing() == scope
                && c.pipeline
                    .is_some_and(|p| p.index == pos.index && p.position + 1 == p.len)
        })?;
        return Some((producer, consumer));
    }
    None
}
