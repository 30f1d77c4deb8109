//! `dnf install` of a package without a version.

use crate::diagnostic::Diagnostic;
use crate::model::shell::PackageManager;
use crate::rules::version_pins::PinRule;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct DnfVersionNotPinned;

impl Rule for DnfVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        meta("dnf-version-not-pinned")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        PinRule {
            meta: self.meta(),
            managers: &[PackageManager::Dnf, PackageManager::Microdnf],
            pin_example: "NAME-<version>",
        }
        .check(cx, out);
    }
}
