//! `gem install` of a package without a version.

use crate::diagnostic::Diagnostic;
use crate::model::shell::PackageManager;
use crate::rules::version_pins::PinRule;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct GemVersionNotPinned;

impl Rule for GemVersionNotPinned {
    fn meta(&self) -> &'static RuleMeta {
        meta("gem-version-not-pinned")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        PinRule {
            meta: self.meta(),
            managers: &[PackageManager::Gem],
            pin_example: "NAME:<version>",
        }
        .check(cx, out);
    }
}
