//! `zypper dist-upgrade` outside Tumbleweed.

use crate::diagnostic::{Diagnostic, StageRole};
use crate::model::shell::{PackageAction, PackageManager};
use crate::model::Base;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct ZypperDistUpgrade;

impl Rule for ZypperDistUpgrade {
    fn meta(&self) -> &'static RuleMeta {
        meta("zypper-dist-upgrade")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            if stage.role == StageRole::Unused || rolling_release(cx.graph.root_base(stage.index)) {
                continue;
            }
            for (at, instruction) in cx.stage_instructions(stage) {
                if !instruction.is(Keyword::Run) {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for install in facts.installs.iter().filter(|i| {
                    i.manager == PackageManager::Zypper
                        && i.action == PackageAction::Upgrade
                        && matches!(i.verb.as_str(), "dist-upgrade" | "dup")
                }) {
                    out.push(
                        self.meta()
                            .diagnostic(
                                facts.invocation_span(install),
                                format!(
                                    "`zypper {}` may move the image to another distribution release or vendor, not only apply updates",
                                    install.verb
                                ),
                            )
                            .with_help("use `zypper update` (or `zypper patch`) to apply updates within the release")
                            .with_stage(stage.reference()),
                    );
                }
            }
        }
    }
}

/// openSUSE Tumbleweed is updated with `zypper dup`: that is its only supported way.
fn rolling_release(base: &Base) -> bool {
    match base {
        Base::Image(image) => image.namespace_and_name.contains("tumbleweed"),
        _ => false,
    }
}
