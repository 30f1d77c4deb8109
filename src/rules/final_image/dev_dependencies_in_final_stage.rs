//! Development dependencies installed in the final image: `npm ci` without
//! `--omit=dev`, `pip install -r requirements-dev.txt`, `bundle install` without
//! excluding the development group, in the final stage or a stage it is built on.
//! Not in a development or test image (`Dockerfile.dev`, `.devcontainer/`, a target
//! stage named `dev`), which is meant to have them.

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::size::context::read_source_texts;
use crate::filesystem::copy_operands;
use crate::filesystem::paths::{absolute, is_ancestor_or_self, segments};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager};
use crate::model::{EdgeKind, EdgeTarget, Stage};
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};
use crate::syntax::{Instruction, Keyword};

pub struct DevDependenciesInFinalStage;

impl Rule for DevDependenciesInFinalStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("dev-dependencies-in-final-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // A development, test or toolchain image is meant to have them.
        let Some(severity) = cx.shipped_severity(Shipped::DevDependencies, self.meta().severity)
        else {
            return;
        };
        let chain = cx.graph.base_chain(target.index);
        self.check_copies(cx, target, severity, out);
        let found = dev_installs(cx, &chain, false);
        // `npm ci || (npm cache clean --force && npm ci)`: one install, tried twice.
        let mut reported: Vec<(usize, String, Option<usize>)> = Vec::new();
        for Found {
            stage,
            what,
            span,
            unverified,
            ..
        } in found
        {
            let run = cx.graph.stages[stage]
                .body
                .clone()
                .find(|&at| cx.file.instructions[at].span.contains(span.start));
            let key = (stage, what.clone(), run);
            if run.is_some() && reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let message = format!(
                "{what} installs development dependencies into the final image{}",
                if unverified { UNVERIFIED } else { "" }
            );
            let help = "install production dependencies only (`npm ci --omit=dev`, `ENV NODE_ENV=production`, `bundle config set without 'development test'`), or install everything in a builder stage and copy only what runs";
            let diagnostic = if stage == target.index {
                self.meta().diagnostic(span, message)
            } else {
                self.meta()
                    .diagnostic(target.base_span, message)
                    .with_label(
                        span,
                        format!(
                            "installed here, in {}, which the final stage is built on",
                            cx.graph.stages[stage].describe()
                        ),
                    )
            };
            out.push(
                diagnostic
                    .with_help(help)
                    .with_stage(target.reference())
                    .with_severity(if unverified {
                        severity.min(Severity::Info)
                    } else {
                        severity
                    }),
            );
        }
    }
}

impl DevDependenciesInFinalStage {
    /// `COPY --from=<stage>` in the final stage (or a stage it is built on) of a
    /// directory where that stage installed development dependencies, or of `/`.
    fn check_copies(
        &self,
        cx: &Context<'_>,
        target: &Stage,
        severity: Severity,
        out: &mut Vec<Diagnostic>,
    ) {
        // Per stage: whether it or a stage it is built on may install development
        // dependencies (any environment): only those chains are walked, once per edge.
        let may_install = cx.graph.chain_any(|index| {
            cx.stage_instructions(&cx.graph.stages[index]).any(|(at, i)| {
                i.is(Keyword::Run)
                    && cx.run_facts(at).facts.installs.iter().any(|install| {
                        dev_install(install, &Env::default()).is_some()
                    })
            })
        });
        for edge in cx.graph.edges.iter().filter(|e| {
            cx.graph.in_target_chain(e.from_stage)
                && matches!(e.kind, EdgeKind::CopyFrom | EdgeKind::AddFrom)
        }) {
            let EdgeTarget::Stage(from) = edge.to else { continue };
            if cx.graph.in_target_chain(from) || !may_install.get(from).copied().unwrap_or(false) {
                continue;
            }
            let installs = dev_installs(cx, &cx.graph.base_chain(from), true);
            let (sources, _) = copy_operands(&cx.file.instructions[edge.instruction]);
            let copied: Vec<&Found> = installs
                .iter()
                .filter(|found| {
                    sources.iter().any(|source| {
                        found
                            .dirs
                            .iter()
                            .any(|dir| is_ancestor_or_self(&segments(source), &segments(dir)))
                    })
                })
                .collect();
            let Some(first) = copied.first() else { continue };
            let unverified = copied.iter().all(|found| found.unverified);
            let into = if edge.from_stage == target.index {
                "the final image".to_string()
            } else {
                format!(
                    "{}, which the final stage is built on",
                    cx.graph.stages[edge.from_stage].describe()
                )
            };
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    cx.file.instructions[edge.instruction].span,
                    format!(
                        "this COPY ships the development dependencies {} installed in {} into {into}{}",
                        first.what,
                        cx.graph.stages[from].describe(),
                        if unverified { UNVERIFIED } else { "" }
                    ),
                )
                .with_help("install production dependencies only in the stage copied from (`npm ci --omit=dev`, `npm prune --omit=dev` after the build, `bundle config set without 'development test'`), or copy only the build output")
                .with_stage(target.reference())
                .with_severity(if unverified {
                    severity.min(Severity::Info)
                } else {
                    severity
                });
            for found in copied {
                diagnostic = diagnostic.with_label(
                    found.span,
                    format!("{} installs development dependencies into {} here", found.what, found.dirs.join(", ")),
                );
            }
            out.push(diagnostic);
        }
    }
}

/// The installs of development dependencies a stage chain (nearest first) keeps,
/// oldest first, with the environment ENV and ARG defaults give later RUNs. For a
/// copy (`copied`), only the stage's last filesystem counts: a production-only
/// reinstall replaces what an earlier one put there (its layer still ships otherwise).
fn dev_installs(cx: &Context<'_>, chain: &[usize], copied: bool) -> Vec<Found> {
    let mut env = Env::default();
    let mut workdir = "/".to_string();
    let mut found: Vec<Found> = Vec::new();
    for &index in chain.iter().rev() {
        let stage = &cx.graph.stages[index];
        for (at, instruction) in cx.stage_instructions(stage) {
            match instruction.keyword {
                Keyword::Env | Keyword::Arg => env.record(instruction),
                Keyword::Workdir => {
                    let dir = instruction.args.words.first().map_or("", |w| w.text.as_str());
                    workdir = if dir.contains('$') { "/".into() } else { absolute(&workdir, dir) };
                }
                Keyword::Run => {
                    let facts = &cx.run_facts(at).facts;
                    // `bundle config set without development` persists for later RUNs.
                    if facts.commands.iter().any(|c| {
                        bundle_config_without_development(c.program(), c.arg_texts().collect())
                    }) {
                        env.bundle_without_development = true;
                    }
                    for install in &facts.installs {
                        if let Some(what) = dev_install(install, &env) {
                            let groups = match install.manager {
                                PackageManager::Bundle => gemfile_dev_groups(cx, chain),
                                _ => Some(true),
                            };
                            // A Gemfile read and without development or test groups.
                            if groups == Some(false) {
                                continue;
                            }
                            let program = &facts.commands[install.command_index].name;
                            found.push(Found {
                                stage: index,
                                what,
                                span: install.span,
                                node: is_node(install.manager),
                                dirs: install_dirs(install, program, &env, &workdir),
                                unverified: groups.is_none(),
                            });
                        }
                    }
                    // `npm prune --omit=dev` drops the development packages installed before.
                    for prune in facts.uninstalls.iter().filter(|u| {
                        is_node(u.manager)
                            && u.verb == "prune"
                            && (u.production_only() || env.node_production())
                    }) {
                        found.retain(|f| !(f.node && f.span.start < prune.span.start));
                    }
                    for again in facts.installs.iter().filter(|i| {
                        copied
                            && is_node(i.manager)
                            && i.action == PackageAction::FromManifest
                            && (i.production_only() || env.node_production())
                    }) {
                        found.retain(|f| !(f.node && f.span.start < again.span.start));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Where an install puts the dependencies: `node_modules` of the working directory
/// (or `--prefix`), pip's target, prefix, user site or virtual environment, the bundle path.
fn install_dirs(install: &PackageInstall, program: &str, env: &Env, workdir: &str) -> Vec<String> {
    let at = |dir: &str| absolute(workdir, dir);
    match install.manager {
        PackageManager::Npm | PackageManager::Yarn | PackageManager::Pnpm => {
            let prefix = install.flag_value("--prefix", None).or(install.flag_value("--cwd", None));
            vec![absolute(&prefix.map_or(workdir.to_string(), at), "node_modules")]
        }
        PackageManager::Pip => {
            if let Some(dir) = install.flag_value("--target", Some('t')).or(install.flag_value("--prefix", None)) {
                vec![at(dir)]
            } else if install.has_flag("--user", None) {
                vec!["/root/.local".into()]
            } else if let Some(venv) = program.strip_suffix("/bin/pip").or(program.strip_suffix("/bin/pip3")) {
                vec![at(venv)]
            } else if let Some(venv) = env.get("VIRTUAL_ENV") {
                vec![at(venv)]
            } else {
                vec!["/usr/local/lib/python*/site-packages".into(), "/usr/lib/python3*/dist-packages".into()]
            }
        }
        _ => {
            let path = install.flag_value("--path", None).or(env.get("BUNDLE_PATH"));
            vec![path.map_or("/usr/local/bundle".to_string(), at)]
        }
    }
}

/// An install of development dependencies.
struct Found {
    stage: usize,
    what: String,
    span: Span,
    node: bool,
    /// Where it puts them.
    dirs: Vec<String>,
    /// `bundle install` with a Gemfile that could not be read: its groups are unknown.
    unverified: bool,
}

fn is_node(manager: PackageManager) -> bool {
    matches!(
        manager,
        PackageManager::Npm | PackageManager::Yarn | PackageManager::Pnpm
    )
}

/// What ENV and ARG (with a default) set for the RUNs after them.
#[derive(Default)]
struct Env {
    vars: Vec<(String, String)>,
    bundle_without_development: bool,
}

impl Env {
    fn record(&mut self, instruction: &Instruction) {
        for pair in &instruction.args.pairs {
            let Some(value) = &pair.value else { continue };
            let value = value
                .text
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            if pair.key.text == "BUNDLE_WITHOUT" && names_development(&value) {
                self.bundle_without_development = true;
            }
            self.vars.push((pair.key.text.to_string(), value));
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn node_production(&self) -> bool {
        self.get("NODE_ENV") == Some("production")
            || self
                .get("NPM_CONFIG_PRODUCTION")
                .or(self.get("npm_config_production"))
                .is_some_and(truthy)
            || self
                .get("NPM_CONFIG_OMIT")
                .or(self.get("npm_config_omit"))
                .is_some_and(|v| v.split(',').any(|p| p.trim() == "dev"))
            || self.get("YARN_PRODUCTION").is_some_and(truthy)
    }
}

fn truthy(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

fn names_development(value: &str) -> bool {
    value
        .split([' ', ':', ','])
        .any(|group| group.trim() == "development")
}

/// `bundle config [set] [--local|--global] without development:test`.
fn bundle_config_without_development(program: &str, args: Vec<&str>) -> bool {
    if !matches!(program, "bundle" | "bundler") || args.first() != Some(&"config") {
        return false;
    }
    let rest: Vec<&str> = args[1..]
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-') && *a != "set")
        .collect();
    matches!(rest.first(), Some(&"without")) && rest[1..].iter().any(|v| names_development(v))
}

/// How the install is described when it pulls in development dependencies.
fn dev_install(install: &PackageInstall, env: &Env) -> Option<String> {
    match install.manager {
        PackageManager::Npm | PackageManager::Yarn | PackageManager::Pnpm => {
            if install.action != PackageAction::FromManifest
                || install.is_global()
                || install.production_only()
                || env.node_production()
            {
                return None;
            }
            Some(if install.verb.is_empty() {
                format!("`{}`", install.manager)
            } else {
                format!("`{} {}`", install.manager, install.verb)
            })
        }
        PackageManager::Pip => install
            .requirement_files
            .iter()
            .find(|file| is_dev_requirements(file))
            .map(|file| format!("`pip install -r {file}`"))
            .or_else(|| {
                install
                    .packages
                    .iter()
                    .find(|p| has_dev_extra(&p.spec))
                    .map(|p| format!("`pip install {}`", p.spec))
            }),
        PackageManager::Bundle => {
            if install.action != PackageAction::FromManifest
                || install.production_only()
                || env.bundle_without_development
            {
                return None;
            }
            Some("`bundle install`".to_string())
        }
        _ => None,
    }
}

const UNVERIFIED: &str = ", if its Gemfile has development or test groups (it could not be read)";

/// Whether the Gemfile a stage of the chain copies in declares development or test
/// groups: read from the build context (the Dockerfile's folder or one above it);
/// `None` when it cannot be read.
fn gemfile_dev_groups(cx: &Context<'_>, chain: &[usize]) -> Option<bool> {
    let dockerfile = std::path::Path::new(cx.path.filter(|p| *p != "-")?);
    let sources: Vec<String> = chain
        .iter()
        .flat_map(|&index| cx.stage_instructions(&cx.graph.stages[index]))
        .filter(|(_, i)| matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none())
        .flat_map(|(_, i)| copy_operands(i).0)
        .filter(|source| source.trim_end_matches('/').ends_with("Gemfile"))
        .collect();
    let text = dockerfile.ancestors().skip(1).take(4).find_map(|root| {
        let root = if root.as_os_str().is_empty() { std::path::Path::new(".") } else { root };
        sources
            .iter()
            .find_map(|source| read_source_texts(root, source))
            .and_then(|files| files.into_iter().next())
    })?;
    Some(text.1.lines().any(|line| {
        let line = line.trim();
        !line.starts_with('#')
            && (line.starts_with("group") || line.contains("group:") || line.contains(":group"))
            && (line.contains("development") || line.contains("test"))
    }))
}

/// `requirements-dev.txt`, `dev-requirements.txt`, `requirements/test.txt`...
fn is_dev_requirements(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    let dir = file.rsplit_once('/').map_or("", |(dir, _)| dir);
    let stem = name.split('.').next().unwrap_or(name);
    let is_dev = |word: &str| {
        matches!(
            word.to_ascii_lowercase().as_str(),
            "dev" | "devel" | "develop" | "development" | "test" | "tests" | "testing"
        )
    };
    stem.split(['-', '_']).any(is_dev)
        || (stem == "requirements" && dir.rsplit('/').next().is_some_and(is_dev))
}

/// `.[dev]`, `mypkg[test,docs]`.
fn has_dev_extra(spec: &str) -> bool {
    let Some((_, extras)) = spec.split_once('[') else {
        return false;
    };
    let extras = extras.split(']').next().unwrap_or("");
    extras
        .split(',')
        .any(|e| matches!(e.trim(), "dev" | "devel" | "test" | "tests" | "testing"))
}
