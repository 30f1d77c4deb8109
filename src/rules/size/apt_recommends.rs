//! `apt-get install` without `--no-install-recommends`.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, ShellFacts};
use crate::model::Stage;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::size::debian::DebianPackages;
use crate::size::range::human;
use crate::syntax::{Form, Instruction, Keyword};

pub struct AptRecommends;

impl Rule for AptRecommends {
    fn meta(&self) -> &'static RuleMeta {
        meta("apt-recommends")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.graph.bases_any(|index| {
            cx.stage_instructions(&cx.graph.stages[index])
                .any(|(_, instruction)| turns_recommends_off(cx, instruction))
        });
        for stage in &cx.graph.stages {
            let Some(severity) = cx.layer_severity(stage) else {
                continue;
            };
            // An apt configuration in a base stage applies here too.
            let mut configured = in_bases[stage.index];
            for (at, instruction) in cx.stage_instructions(stage) {
                // A RUN that writes the setting and then installs counts as configured.
                configured = configured || turns_recommends_off(cx, instruction);
                if configured {
                    break;
                }
                if instruction.is(Keyword::Run) {
                    let run = cx.run_facts(at);
                    for install in &run.facts.installs {
                        if let Some(d) = self.check_install(
                            cx,
                            stage,
                            severity,
                            instruction,
                            &run.facts,
                            install,
                        ) {
                            out.push(d);
                        }
                    }
                }
            }
        }
    }
}


/// A RUN that writes an apt configuration file turning recommendations off, or a
/// COPY/ADD into `/etc/apt/apt.conf.d/`. (`-o APT::Install-Recommends=false` on one
/// command applies to that command only.)
fn turns_recommends_off(cx: &Context<'_>, instruction: &Instruction) -> bool {
    match instruction.keyword {
        Keyword::Run => {
            let text = cx.text(instruction.span).to_ascii_lowercase();
            text.contains("apt.conf")
                && text.match_indices("install-recommends").any(|(at, _)| {
                    let rest = &text[at..];
                    let setting: String = rest.chars().take(40).collect();
                    setting.contains("false") || setting.contains("\"0\"") || setting.contains("=0")
                })
        }
        Keyword::Copy | Keyword::Add => instruction
            .args
            .words
            .last()
            .is_some_and(|dest| dest.text.contains("/etc/apt/apt.conf")),
        _ => false,
    }
}

impl AptRecommends {
    fn check_install(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        facts: &ShellFacts,
        install: &PackageInstall,
    ) -> Option<Diagnostic> {
        if install.manager != PackageManager::Apt
            || install.action != PackageAction::Install
            || !matches!(install.verb.as_str(), "install" | "reinstall")
            || install.packages.is_empty()
            || install.no_install_recommends()
        {
            return None;
        }
        let command = facts.commands.get(install.command_index)?;
        let program = command.program();
        if program == "aptitude" && install.has_flag("--without-recommends", Some('R')) {
            return None;
        }
        let verb = command
            .args
            .iter()
            .find(|w| !w.is_option() && w.text == install.verb);
        let span = match verb {
            Some(verb) if verb.span.start >= command.name_span.start => {
                command.name_span.cover(verb.span)
            }
            _ => install.span,
        };
        let shown = if cx.text(span).contains(['\n', '"', '\'']) {
            format!("{program} {}", install.verb)
        } else {
            cx.text(span).to_string()
        };
        let mut diagnostic = self
            .meta()
            .diagnostic_with(
                severity,
                span,
                format!(
                    "`{shown}` without `--no-install-recommends` also installs recommended packages{}{}",
                    where_in(stage, severity),
                    recommends_saving(install)
                        .map(|bytes| format!(" (about {} more)", human(bytes)))
                        .unwrap_or_default()
                ),
            )
            .with_help(
                "add `--no-install-recommends` and name any recommended package the image really needs",
            )
            .with_stage(stage.reference());
        if let Some(verb) = verb {
            let editable = instruction.args.form == Form::Shell
                && cx.text(verb.span) == install.verb
                && program != "aptitude";
            if editable {
                diagnostic = diagnostic.with_fix(Fix {
                    message: format!("insert `--no-install-recommends` after `{}`", install.verb),
                    edits: vec![Edit {
                        span: Span::empty(verb.span.end),
                        replacement: " --no-install-recommends".to_string(),
                    }],
                    applicability: Applicability::Unsafe,
                });
            }
        }
        Some(diagnostic)
    }
}

/// What the recommended packages add, from the size estimator's Debian table
/// (only for package lists written out, not `$VARIABLES`).
fn recommends_saving(install: &PackageInstall) -> Option<u64> {
    if install.packages.iter().any(|p| !p.is_static) {
        return None;
    }
    let names: Vec<String> = install.packages.iter().map(|p| p.name.clone()).collect();
    DebianPackages::embedded().recommends_bytes(&names)
}

fn where_in(stage: &Stage, severity: Severity) -> String {
    if severity == Severity::Warning {
        String::new()
    } else {
        format!(" in {}, a builder stage", stage.describe())
    }
}
