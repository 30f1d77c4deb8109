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
                // `sudo -u builduser makepkg`: dropping to another user for one command
                // is what USER cannot do per command (makepkg refuses to run as root).
                let Some(sudo) = run
                    .facts
                    .commands
                    .iter()
                    .find(|c| c.program() == "sudo" && !switches_user(&c.args))
                else {
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

/// `-u NAME`, `-uNAME`, `--user NAME`, `--user=NAME` naming someone other than root.
fn switches_user(args: &[crate::model::shell::ShellWord]) -> bool {
    let mut words = args.iter().map(|w| w.text.as_str());
    while let Some(word) = words.next() {
        let user = match word {
            "-u" | "--user" => words.next(),
            _ if word.starts_with("--user=") => Some(&word["--user=".len()..]),
            _ if word.starts_with("-u") && word.len() > 2 => Some(&word[2..]),
            _ if word.starts_with('-') => continue,
            _ => return false,
        };
        return user.is_some_and(|user| user != "root" && user != "0" && user != "#0");
    }
    false
}
