//! `COPY . .` before installing dependencies from a manifest: every source change
//! reinstalls them.

use crate::diagnostic::{Diagnostic, Span, StageRole};
use crate::model::graph::mount_options;
use crate::model::path_glob::glob_match;
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, RunFacts};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct CacheBustingCopyOrder;

impl Rule for CacheBustingCopyOrder {
    fn meta(&self) -> &'static RuleMeta {
        meta("cache-busting-copy-order")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            if stage.role == StageRole::Unused {
                continue;
            }
            let mut whole_copy: Option<Span> = None;
            // Paths copied by COPY/ADD of named files before the whole context.
            let mut copied: Vec<String> = Vec::new();
            let mut reported: Vec<String> = Vec::new();
            for (at, instruction) in cx.stage_instructions(stage) {
                match instruction.keyword {
                    Keyword::Copy | Keyword::Add => {
                        if instruction.flag("from").is_some() || !instruction.heredocs.is_empty() {
                            continue;
                        }
                        let words = &instruction.args.words;
                        let Some((_, sources)) = words.split_last() else {
                            continue;
                        };
                        if sources.iter().any(|s| is_whole_context(&s.text)) {
                            whole_copy.get_or_insert(instruction.span);
                        } else if whole_copy.is_none() {
                            copied.extend(sources.iter().map(|s| normalize(&s.text)));
                        }
                    }
                    Keyword::Run => {
                        let Some(copy_span) = whole_copy else {
                            // cargo-chef builds the dependencies from a recipe before the
                            // sources arrive: the later build reuses that layer.
                            if prebuilds_cargo_dependencies(cx.run_facts(at)) {
                                copied.push("Cargo.toml".to_string());
                            }
                            continue;
                        };
                        if has_cache_mount(instruction) {
                            continue;
                        }
                        let run = cx.run_facts(at);
                        for (manifest, span, command) in manifest_installs(run) {
                            if reported.contains(&manifest) || was_copied(&copied, &manifest) {
                                continue;
                            }
                            reported.push(manifest.clone());
                            let name = basename(&manifest);
                            out.push(
                                self.meta()
                                    .diagnostic(
                                        span,
                                        format!(
                                            "`{command}` installs from `{name}` after the whole build context is copied, so any change to any file reinstalls the dependencies"
                                        ),
                                    )
                                    .with_label(
                                        copy_span,
                                        "copies the whole build context: any change invalidates the cache from here on",
                                    )
                                    .with_help(format!(
                                        "copy `{name}` (and its lock file) first, install, then copy the rest of the sources"
                                    ))
                                    .with_stage(stage.reference()),
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

fn is_whole_context(source: &str) -> bool {
    matches!(source, "." | "./" | "*" | "./*" | "./.")
}

fn normalize(path: &str) -> String {
    path.trim_start_matches("./")
        .trim_end_matches('/')
        .to_string()
}

fn basename(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// An earlier COPY brought the manifest in: by name (`package*.json`), or a
/// directory holding it (`COPY requirements/ requirements/`).
fn was_copied(copied: &[String], manifest: &str) -> bool {
    let manifest = normalize(manifest);
    let name = basename(&manifest);
    copied.iter().any(|source| {
        glob_match(basename(source), name)
            || (!source.is_empty()
                && manifest
                    .split('/')
                    .rev()
                    .skip(1)
                    .any(|dir| dir == basename(source)))
    })
}

fn has_cache_mount(instruction: &Instruction) -> bool {
    instruction.flags_named("mount").any(|flag| {
        flag.value.as_deref().is_some_and(|value| {
            mount_options(value)
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case("type") && v.eq_ignore_ascii_case("cache"))
        })
    })
}

/// The manifests a RUN installs dependencies from: (manifest path, span, command).
fn manifest_installs(run: &RunFacts) -> Vec<(String, Span, String)> {
    let mut out = Vec::new();
    if run.not_shell.is_some() {
        return out;
    }
    for install in &run.facts.installs {
        let command = command_text(run, install);
        for manifest in manifests_of(install) {
            out.push((manifest, install.span, command.clone()));
        }
    }
    for command in &run.facts.commands {
        if matches!(command.program(), "mvn" | "mvnw") && !command.args.is_empty() {
            out.push((
                "pom.xml".to_string(),
                command.span,
                command.program().to_string(),
            ));
        }
    }
    out
}

/// `cargo chef cook`: the dependencies of a recipe built in their own layer.
fn prebuilds_cargo_dependencies(run: &RunFacts) -> bool {
    run.facts.commands.iter().any(|command| {
        let args: Vec<&str> = command.args.iter().map(|a| a.text.as_str()).collect();
        matches!(command.program(), "cargo" | "cargo-chef") && args.windows(2).any(|w| w == ["chef", "cook"])
            || command.program() == "cargo-chef" && args.first() == Some(&"cook")
    })
}

fn command_text(run: &RunFacts, install: &PackageInstall) -> String {
    let program = match install.manager {
        PackageManager::Pip => "pip",
        _ => run
            .facts
            .commands
            .get(install.command_index)
            .map_or(install.manager.as_str(), |c| c.program()),
    };
    if install.verb.is_empty() {
        program.to_string()
    } else {
        format!("{program} {}", install.verb)
    }
}

fn manifests_of(install: &PackageInstall) -> Vec<String> {
    use PackageAction::{Build, FromManifest};
    use PackageManager as M;
    let one = |name: &str| vec![name.to_string()];
    match (install.manager, install.action) {
        (M::Pip, _) => install
            .requirement_files
            .iter()
            .filter(|f| !f.contains('$'))
            .cloned()
            .collect(),
        (M::Npm | M::Yarn | M::Pnpm, FromManifest) if !install.is_global() => one("package.json"),
        (M::Poetry, FromManifest) => one("pyproject.toml"),
        (M::Uv, FromManifest) if install.verb == "sync" => one("pyproject.toml"),
        (M::Go, FromManifest) => one("go.mod"),
        (M::Cargo, FromManifest | Build) => one("Cargo.toml"),
        (M::Bundle, FromManifest) => one("Gemfile"),
        (M::Composer, FromManifest) => one("composer.json"),
        _ => Vec::new(),
    }
}
