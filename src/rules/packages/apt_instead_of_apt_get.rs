//! `apt` in a script, where `apt-get` (or `apt-cache`) is the stable command.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, StageRole};
use crate::model::shell::SimpleCommand;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Form, Keyword};

pub struct AptInsteadOfAptGet;

/// Subcommands apt-get has with the same meaning: renaming the program is the whole change.
const SAME_IN_APT_GET: &[&str] = &[
    "install",
    "remove",
    "purge",
    "update",
    "autoremove",
    "dist-upgrade",
    "clean",
    "autoclean",
    "build-dep",
    "source",
    "download",
    "satisfy",
    "changelog",
];

/// Subcommands that are `apt-cache`'s.
const IN_APT_CACHE: &[&str] = &["search", "show", "showsrc", "policy", "depends", "rdepends"];

impl Rule for AptInsteadOfAptGet {
    fn meta(&self) -> &'static RuleMeta {
        meta("apt-instead-of-apt-get")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            if stage.role == StageRole::Unused {
                continue;
            }
            for (at, instruction) in cx.stage_instructions(stage) {
                if !instruction.is(Keyword::Run) {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for command in facts.commands.iter().filter(|c| c.program() == "apt") {
                    let verb = verb(command);
                    let instead = match verb {
                        Some(v) if IN_APT_CACHE.contains(&v) => "apt-cache",
                        Some("list") => "dpkg-query",
                        _ => "apt-get",
                    };
                    let shown = verb.map_or("apt".to_string(), |v| format!("apt {v}"));
                    let mut diagnostic = self
                        .meta()
                        .diagnostic(
                            command.name_span,
                            format!(
                                "`{shown}` runs apt, whose command line is made for people and may change between releases; scripts use `{instead}`"
                            ),
                        )
                        .with_help(match verb {
                            Some("upgrade") => "use `apt-get upgrade --with-new-pkgs`, which is what `apt upgrade` does".to_string(),
                            Some("full-upgrade") => "use `apt-get dist-upgrade`".to_string(),
                            Some("list") => "use `dpkg-query -l`, or `apt-cache policy` for what is available".to_string(),
                            _ => format!("use `{instead}`"),
                        })
                        .with_stage(stage.reference());
                    let renamable = instruction.args.form == Form::Shell
                        && cx.text(command.name_span) == "apt"
                        && verb.is_some_and(|v| SAME_IN_APT_GET.contains(&v));
                    if renamable {
                        diagnostic = diagnostic.with_fix(Fix {
                            message: "replace `apt` with `apt-get`".to_string(),
                            edits: vec![Edit {
                                span: command.name_span,
                                replacement: "apt-get".to_string(),
                            }],
                            applicability: Applicability::Safe,
                        });
                    }
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// The first word that is not an option: `install` in `apt -y install curl`.
fn verb(command: &SimpleCommand) -> Option<&str> {
    command
        .args
        .iter()
        .find(|word| !word.is_option())
        .map(|word| word.text.as_str())
}
