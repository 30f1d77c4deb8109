//! Compilers, build systems, headers, VCS clients and SDK toolchains installed in the
//! final stage, or in a stage it is built on (`FROM build AS final`). Not in a
//! development or test image (`Dockerfile.dev`, `.devcontainer/`, a target stage named
//! `dev`), which is meant to have them.

use crate::diagnostic::{Diagnostic, Span};
use crate::knowledge::build_tools;
use crate::model::shell::{PackageAction, PackageInstall, ShellFacts};
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};
use crate::syntax::Keyword;

pub struct BuildToolInFinalStage;

/// How many tools the message names before "and N more".
const NAMED_IN_MESSAGE: usize = 4;

/// One build tool and where it came in.
struct Tool {
    name: String,
    kind: String,
    span: Span,
    stage: usize,
}

impl Rule for BuildToolInFinalStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("build-tool-in-final-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // A toolchain or development image is where they belong; a base image may
        // provide them to the images built on it.
        let Some(severity) = cx.shipped_severity(Shipped::BuildTools, self.meta().severity) else {
            return;
        };
        let chain = cx.graph.base_chain(target.index);
        // Oldest stage first, so tools are listed in build order.
        let mut tools: Vec<Tool> = Vec::new();
        for &index in chain.iter().rev() {
            let stage = &cx.graph.stages[index];
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.keyword != Keyword::Run {
                    continue;
                }
                collect(&cx.run_facts(at).facts, index, &mut tools);
            }
        }
        if tools.is_empty() {
            return;
        }
        let own = tools.iter().position(|t| t.stage == target.index);
        let mut names: Vec<String> = tools
            .iter()
            .take(NAMED_IN_MESSAGE)
            .map(|t| format!("`{}`", t.name))
            .collect();
        if tools.len() > NAMED_IN_MESSAGE {
            names.push(format!("{} more", tools.len() - NAMED_IN_MESSAGE));
        }
        let list = join(&names);
        let (primary, message) = match own {
            Some(first) => (
                tools[first].span,
                format!("build tools are installed in the final image: {list}",),
            ),
            None => (
                target.base_span,
                format!(
                    "the final image inherits build tools from {}: {list}",
                    cx.graph.stages[tools[0].stage].describe()
                ),
            ),
        };
        let mut diagnostic = self
            .meta()
            .diagnostic_with(severity, primary, message)
            .with_help(
                "install build tools in a builder stage and COPY only the result into the final stage, or remove them in the RUN that installs them (`apt-get purge -y --auto-remove ...`, `apk add --virtual .build-deps ... && apk del .build-deps`)",
            )
            .with_stage(target.reference());
        for (i, tool) in tools.iter().enumerate() {
            if Some(i) == own {
                continue;
            }
            let place = if tool.stage == target.index {
                "here".to_string()
            } else {
                format!(
                    "here, in {}, which the final stage is built on",
                    cx.graph.stages[tool.stage].describe()
                )
            };
            diagnostic = diagnostic.with_label(
                tool.span,
                format!("`{}` ({}) installed {place}", tool.name, tool.kind),
            );
        }
        out.push(diagnostic);
    }
}

/// The build tools one RUN installs and does not remove again.
fn collect(facts: &ShellFacts, stage: usize, tools: &mut Vec<Tool>) {
    for install in &facts.installs {
        if install.action != PackageAction::Install {
            continue;
        }
        for package in &install.packages {
            if !package.is_static {
                continue;
            }
            let manager = install.manager.as_str();
            let kind = match build_tools::package(manager, &package.name) {
                Some(tool) => tool.kind.clone(),
                None if build_tools::is_headers_package(manager, &package.name) => {
                    "headers".to_string()
                }
                None => continue,
            };
            if removed_later(facts, install, &package.name) {
                continue;
            }
            if tools.iter().any(|t| t.name == package.name) {
                continue;
            }
            tools.push(Tool {
                name: package.name.clone(),
                kind,
                span: package.span,
                stage,
            });
        }
    }
    // Toolchain installers fetched and run: rustup.
    for download in &facts.downloads {
        let Some(url) = &download.url else { continue };
        if download.piped_to_shell && url.contains("sh.rustup.rs") {
            if tools.iter().any(|t| t.name == "rustup") {
                continue;
            }
            tools.push(Tool {
                name: "rustup".to_string(),
                kind: "sdk".to_string(),
                span: download.span,
                stage,
            });
        }
    }
}

/// Whether a later command of the same RUN removes the package: it is named in an
/// uninstall of the same manager, its `apk add --virtual` group is deleted, or apt
/// packages are all marked automatic (`apt-mark auto '.*'`) before an autoremove.
fn removed_later(facts: &ShellFacts, install: &PackageInstall, name: &str) -> bool {
    facts.uninstalls.iter().any(|removal| {
        if removal.manager != install.manager || removal.span.start < install.span.end {
            return false;
        }
        let named = removal
            .packages
            .iter()
            .any(|p| p.name == name || install.virtual_package.as_deref() == Some(p.name.as_str()));
        if named {
            return true;
        }
        let autoremove = removal.verb == "autoremove"
            || removal.verb == "autopurge"
            || removal.has_flag("--auto-remove", None)
            || removal.has_flag("--autoremove", None);
        autoremove
            && facts.commands.iter().any(|c| {
                c.program() == "apt-mark"
                    && c.span.start > install.span.end
                    && c.span.start < removal.span.start
                    && c.arg_texts().next() == Some("auto")
            })
    })
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
