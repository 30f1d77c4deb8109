//! Compilers, build systems, headers, VCS clients and SDK toolchains installed in the
//! final stage, or in a stage it is built on (`FROM build AS final`). Scaled to the
//! image role: not in a toolchain or development image, which is meant to have them;
//! info in a base image, which may provide them to the images built on it.

use crate::diagnostic::Diagnostic;
use crate::rules::shipped_tools::shipped_build_tools;
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};

pub struct BuildToolInFinalStage;

/// How many tools the message names before "and N more".
const NAMED_IN_MESSAGE: usize = 4;

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
        let tools = shipped_build_tools(cx);
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

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
