//! The build tools the final image ships: installed in the final stage or a stage it
//! is built on, and not removed in the same RUN. Read by `build-tool-in-final-stage`
//! and by the image role (a toolchain image installs many on purpose).

use crate::diagnostic::Span;
use crate::filesystem::removed_later;
use crate::knowledge::build_tools;
use crate::model::shell::{PackageAction, ShellFacts};
use crate::rules::Context;
use crate::syntax::Keyword;

/// One build tool and where it came in.
pub(crate) struct Tool {
    pub name: String,
    pub kind: String,
    pub span: Span,
    pub stage: usize,
}

/// The build tools of the final image, oldest stage first (build order).
pub(crate) fn shipped_build_tools(cx: &Context<'_>) -> Vec<Tool> {
    let mut tools: Vec<Tool> = Vec::new();
    let Some(target) = cx.graph.final_stage() else {
        return tools;
    };
    for &index in cx.graph.base_chain(target.index).iter().rev() {
        let stage = &cx.graph.stages[index];
        for (at, instruction) in cx.stage_instructions(stage) {
            if instruction.keyword == Keyword::Run {
                collect(&cx.run_facts(at).facts, index, &mut tools);
            }
        }
    }
    tools
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
