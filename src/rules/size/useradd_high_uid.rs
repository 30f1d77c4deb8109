//! `useradd -u <large uid>` without `-l`: lastlog and faillog grow to a sparse file sized
//! by the UID, which image layers store in full.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UseraddHighUid;

/// From this UID on, the sparse lastlog entry (292 bytes per UID) is hundreds of MB.
const HIGH_UID: u64 = 100_000;

impl Rule for UseraddHighUid {
    fn meta(&self) -> &'static RuleMeta {
        meta("useradd-high-uid")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            for (at, run) in cx.stage_runs(stage) {
                for command in run.facts.commands.iter().filter(|c| c.program() == "useradd") {
                    if command.has_option("--no-log-init", Some('l')) {
                        continue;
                    }
                    let Some(uid) = uid_word(command) else {
                        continue;
                    };
                    let Ok(value) = uid.1.parse::<u64>() else {
                        continue;
                    };
                    if value < HIGH_UID {
                        continue;
                    }
                    let diagnostic = self
                        .meta()
                        .diagnostic(
                            uid.0,
                            format!(
                                "`useradd` with UID {value} and no `-l` writes a lastlog entry at offset {}, a file that takes that much room in the layer",
                                human(value * 292)
                            ),
                        )
                        .with_help("add `--no-log-init` (`-l`): a container needs no login records");
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
        }
    }
}

/// The span and text of the UID given with `-u`, `-u1234`, `--uid 1234` or `--uid=1234`.
fn uid_word(command: &crate::model::shell::SimpleCommand) -> Option<(crate::diagnostic::Span, &str)> {
    let mut words = command.args.iter();
    while let Some(word) = words.next() {
        let text = word.text.as_str();
        if text == "--" {
            return None;
        }
        if text == "-u" || text == "--uid" {
            return words.next().map(|w| (w.span, w.text.as_str()));
        }
        if let Some(value) = text.strip_prefix("--uid=") {
            return Some((word.span, value));
        }
        if let Some(value) = text.strip_prefix("-u").filter(|v| v.starts_with(|c: char| c.is_ascii_digit())) {
            return Some((word.span, value));
        }
    }
    None
}

fn human(bytes: u64) -> String {
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else {
        format!("{} MB", bytes / 1_000_000)
    }
}
