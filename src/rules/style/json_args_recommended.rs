//! Shell-form CMD or ENTRYPOINT: the process runs under `/bin/sh -c`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Form, Instruction, Keyword};

pub struct JsonArgsRecommended;

impl Rule for JsonArgsRecommended {
    fn meta(&self) -> &'static RuleMeta {
        meta("json-args-recommended")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.in_base_stages(Keyword::Shell);
        for stage in &cx.graph.stages {
            // A SHELL in a base stage, or earlier in this one, is a deliberate choice.
            let mut shell_set = in_bases[stage.index];
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.is(Keyword::Shell) {
                    shell_set = true;
                }
                let is_command =
                    instruction.is(Keyword::Cmd) || instruction.is(Keyword::Entrypoint);
                if !is_command || instruction.args.form != Form::Shell || shell_set {
                    continue;
                }
                let name = instruction.keyword.as_upper_str();
                let mut diagnostic = self
                    .meta()
                    .diagnostic(
                        instruction.args.span,
                        format!("{name} in shell form runs the process under `/bin/sh -c`"),
                    )
                    .with_help(format!(
                        "write {name} as a JSON array (`{name} [\"program\", \"arg\"]`): the shell becomes PID 1 and does not pass SIGTERM on, so `docker stop` waits and then kills"
                    ));
                if let Some(fix) = json_form(cx, instruction) {
                    diagnostic = diagnostic.with_fix(fix);
                }
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}

/// The JSON form when the words are plain (letters, digits and `-_./:=@,+%`): then
/// the shell would only have split them on spaces. Unsafe: without the shell, the
/// program is PID 1 and an ENTRYPOINT's arguments come from CMD.
fn json_form(cx: &Context<'_>, instruction: &Instruction) -> Option<Fix> {
    let text = cx.text(instruction.args.span).trim_end();
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() || !text.chars().all(|c| c == ' ' || plain(c)) {
        return None;
    }
    let array = words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Some(Fix {
        message: "write it as a JSON array".to_string(),
        edits: vec![Edit {
            span: instruction.args.span,
            replacement: format!("[{array}]"),
        }],
        applicability: Applicability::Unsafe,
    })
}
