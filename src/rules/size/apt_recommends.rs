//! `apt-get install` without `--no-install-recommends`.

use std::rc::Rc;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span, StageRole};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, ShellFacts};
use crate::knowledge::base_images;
use crate::model::{Base, ImageRole, Stage};
use crate::rules::context::SMALL_LAYER_BYTES;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::size::debian::{DebianPackages, RecommendsExtra};
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
        let installed = installed_along_chains(cx);
        for stage in &cx.graph.stages {
            let Some(severity) = cx.layer_severity(stage) else {
                continue;
            };
            // An apt configuration in a base stage applies here too.
            let mut configured = in_bases[stage.index];
            let mut held = held_before(cx, stage, &installed);
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
                            &held,
                        ) {
                            // Only a complete figure says the extra is small; a
                            // partial one, a lower bound, can say it is large.
                            let bytes = recommends_saving(install, &held)
                                .filter(|e| e.all_known || e.bytes >= SMALL_LAYER_BYTES)
                                .map(|e| e.bytes);
                            let mut measured = cx.severity_for_bytes(severity, bytes);
                            // A CI toolchain image installs a broad environment on purpose.
                            if cx.image_role().role == ImageRole::Toolchain {
                                measured = measured.min(Severity::Info);
                            }
                            out.push(d.with_severity(measured));
                        }
                        held.extend(apt_packages(install));
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
    #[allow(clippy::too_many_arguments)]
    fn check_install(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        facts: &ShellFacts,
        install: &PackageInstall,
        held: &[String],
    ) -> Option<Diagnostic> {
        if install.manager != PackageManager::Apt
            || install.action != PackageAction::Install
            || !matches!(install.verb.as_str(), "install" | "reinstall")
            || install.packages.is_empty()
            || install.no_install_recommends()
        {
            return None;
        }
        let command = facts.command_of(install)?;
        let program = command.program();
        if program == "aptitude" && install.has_flag("--without-recommends", Some('R')) {
            return None;
        }
        let extra = recommends_saving(install, held);
        // The table knows every package and none recommends anything new.
        if extra.is_some_and(|e| e.all_known && e.bytes == 0) {
            return None;
        }
        let verb = facts.verb_word(install);
        let span = facts.invocation_span(install);
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
                    where_in(stage, cx.filesystems().ships_whole(stage.index)),
                    extra
                        .filter(|e| e.bytes > 0)
                        .map(|e| format!(" (about {} more)", human(e.bytes)))
                        .unwrap_or_else(|| " (their size is not measured)".to_string())
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
/// (only for package lists written out, not `$VARIABLES`), on top of what the
/// image already holds.
fn recommends_saving(install: &PackageInstall, held: &[String]) -> Option<RecommendsExtra> {
    if install.packages.iter().any(|p| !p.is_static) {
        return None;
    }
    let names: Vec<String> = install.packages.iter().map(|p| p.name.clone()).collect();
    DebianPackages::embedded().recommends_bytes(&names, held)
}

/// Debian packages the stage holds when it starts: its base image's beyond
/// `debian:bookworm-slim`, and what apt installed in the stages it is built on.
fn held_before(cx: &Context<'_>, stage: &Stage, installed: &[Rc<Vec<String>>]) -> Vec<String> {
    let mut held: Vec<String> = match cx.graph.root_base(stage.index) {
        Base::Image(image) => base_images::debian_packages_beyond_slim(image)
            .iter()
            .map(|p| p.to_string())
            .collect(),
        _ => Vec::new(),
    };
    if let Some(base) = cx.graph.base_of(stage.index) {
        held.extend(installed[base].iter().cloned());
    }
    held
}

/// Per stage: the apt packages its RUNs and those of its bases install, bases first.
/// A stage never built is skipped: only stages never built are built on it.
fn installed_along_chains(cx: &Context<'_>) -> Vec<Rc<Vec<String>>> {
    cx.graph.fold_chains(|base: Option<&Rc<Vec<String>>>, index| {
        let stage = &cx.graph.stages[index];
        let own: Vec<String> = if stage.role == StageRole::Unused {
            Vec::new()
        } else {
            cx.stage_instructions(stage)
                .filter(|(_, i)| i.is(Keyword::Run))
                .flat_map(|(at, _)| cx.run_facts(at).facts.installs.iter().flat_map(apt_packages))
                .collect()
        };
        match base {
            Some(base) if own.is_empty() => Rc::clone(base),
            Some(base) => Rc::new(base.iter().cloned().chain(own).collect()),
            None => Rc::new(own),
        }
    })
}

/// The packages an `apt-get install` names.
fn apt_packages(install: &PackageInstall) -> Vec<String> {
    if install.manager != PackageManager::Apt || install.action != PackageAction::Install {
        return Vec::new();
    }
    install.packages.iter().map(|p| p.name.clone()).collect()
}

/// Where the layer is, when it is not in the image: "in stage 0, a builder stage".
fn where_in(stage: &Stage, ships: bool) -> String {
    if ships {
        String::new()
    } else {
        format!(" in {}, a builder stage", stage.describe())
    }
}
