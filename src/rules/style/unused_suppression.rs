//! Reported by the suppression filter (`crate::filter`), which alone knows which
//! suppressions matched; the rule itself finds nothing on the model.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        meta("unused-suppression")
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Vec<Diagnostic>) {}
}
