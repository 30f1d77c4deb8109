//! `yum install` of a package without a version.

use crate::diagnostic::Diagnostic;
use crate::model::shell::PackageManager;
use crate::rules::version_pins::PinRule;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct YumVersionNotPinned;

impl Rule for YumVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        meta("yum-version-not-pinned")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        PinRule {
            meta: self.meta(),
            managers: &[PackageManager::Yum],
            pin_example: "NAME-<version>",
        }
        .check(cx, out);
    }
}
