//! The shipped image uses both wget and curl: one download tool is enough. Only the
//! target and the stages it is built `FROM` count; a builder's tools do not ship.

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};

pub struct WgetAndCurl;

/// The first use of a tool in the shipped chain: its span and instruction.
type FirstUse = Option<(Span, usize)>;

impl Rule for WgetAndCurl {
    fn meta(&self) -> &'static RuleMeta {
        meta("wget-and-curl")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // A CI or development image ships its tools on purpose: style there.
        let severity = cx
            .shipped_severity(Shipped::BuildTools, Severity::Info)
            .unwrap_or(Severity::Style);
        let mut chain = cx.graph.base_chain(target.index);
        chain.reverse();
        let (mut curl, mut wget): (FirstUse, FirstUse) = (None, None);
        // `apk add --virtual .build-deps curl` names a group an `apk del` removes.
        let mut groups: Vec<&str> = Vec::new();
        for &index in &chain {
            for (at, run) in cx.stage_runs(&cx.graph.stages[index]) {
                for command in &run.facts.commands {
                    let slot = match command.program() {
                        "curl" => &mut curl,
                        "wget" => &mut wget,
                        _ => continue,
                    };
                    slot.get_or_insert((command.name_span, at));
                }
                for install in &run.facts.installs {
                    if let Some(group) = &install.virtual_package {
                        if install.packages.iter().any(|p| is_tool(&p.name)) {
                            groups.push(group);
                        }
                    }
                }
                // An uninstall of either tool (or its group): it may not ship after all.
                let removed = run.facts.uninstalls.iter().any(|u| {
                    u.packages
                        .iter()
                        .any(|p| is_tool(&p.name) || groups.contains(&p.name.as_str()))
                });
                if removed {
                    return;
                }
            }
        }
        let (Some(curl), Some(wget)) = (curl, wget) else {
            return;
        };
        let ((second, at, name), (first, other)) = if curl.1 >= wget.1 {
            ((curl.0, curl.1, "curl"), (wget.0, "wget"))
        } else {
            ((wget.0, wget.1, "wget"), (curl.0, "curl"))
        };
        let diagnostic = self
            .meta()
            .diagnostic_with(
                severity,
                second,
                format!("the image uses `{name}` here and `{other}` before: it ships two download tools"),
            )
            .with_label(first, format!("`{other}` is used here"))
            .with_help(
                "use one of them for every download (`curl -fsSLO` or `wget -q`), and install only that one",
            );
        out.push(cx.in_stage_of(at, diagnostic));
    }
}

fn is_tool(package: &str) -> bool {
    package == "curl" || package == "wget"
}
