//! What the version-pin rules share (one rule per package manager, so each keeps
//! hadolint's code and can be selected or ignored alone): the packages a `RUN`
//! installs by name without a version, reported once per command.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::shell::{PackageArg, PackageManager};
use crate::rules::{Context, RuleMeta};
use crate::syntax::Keyword;

/// How one pin rule words its finding.
pub(super) struct PinRule {
    pub meta: &'static RuleMeta,
    pub managers: &'static [PackageManager],
    /// How a pin is written: `curl=<version>`.
    pub pin_example: &'static str,
}

/// Names shown in a message before "and N more".
const SHOWN: usize = 3;

impl PinRule {
    pub(super) fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            // Stages never built and development images are not reported.
            let Some(role_severity) = cx.layer_severity(stage) else {
                continue;
            };
            // In a builder the version shapes an artifact, not the shipped layers.
            let severity = if role_severity == Severity::Warning {
                self.meta.severity
            } else {
                Severity::Style
            };
            for (at, instruction) in cx.stage_instructions(stage) {
                if !instruction.is(Keyword::Run) {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for install in &facts.installs {
                    if !self.managers.contains(&install.manager) {
                        continue;
                    }
                    let unpinned: Vec<&PackageArg> = install.unpinned_packages().collect();
                    if unpinned.is_empty() {
                        continue;
                    }
                    let program = facts.program_of(install);
                    let mut diagnostic = self
                        .meta
                        .diagnostic_with(
                            severity,
                            facts.invocation_span(install),
                            format!(
                                "`{program} {}` installs {} without a version, so each build may get a different one",
                                install.verb,
                                names(&unpinned)
                            ),
                        )
                        .with_help(format!(
                            "pin the version: `{}`",
                            self.pin_example
                                .replace("NAME", &unpinned[0].name)
                        ))
                        .with_stage(stage.reference());
                    for package in &unpinned {
                        diagnostic = diagnostic.with_label(package.span, "no version");
                    }
                    out.push(diagnostic);
                }
            }
        }
    }
}

/// `curl`, `curl and git`, `curl, git, make and 2 more`.
fn names(packages: &[&PackageArg]) -> String {
    let quoted: Vec<String> = packages
        .iter()
        .take(SHOWN)
        .map(|p| format!("`{}`", p.spec))
        .collect();
    match packages.len() {
        1 => quoted[0].clone(),
        n if n <= SHOWN => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
        n => format!("{} and {} more", quoted.join(", "), n - SHOWN),
    }
}
