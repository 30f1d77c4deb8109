//! The rules and their registry. A rule is one file under `src/rules/<category>/`
//! and one page `rules/<name>.md`; `build.rs` reads the pages and wires the files in,
//! so adding a rule touches no shared file.

mod context;
pub mod label_types;
mod meta;
mod names;
pub mod options;
pub mod settings;
mod shipped_tools;
mod version_pins;

pub use context::{Context, Shipped, SMALL_LAYER_BYTES};
pub use meta::{Category, RuleMeta};
pub use names::{find, is_known, selects, suggest};
pub use options::{OptionKind, OptionValue, RuleOption, RuleOptions};
pub use settings::Settings;

use crate::diagnostic::{Diagnostic, Severity, Span};

/// A check over the model. Rules never parse text and never print.
pub trait Rule {
    fn meta(&self) -> &'static RuleMeta;

    /// The options the rule accepts under `[rules.NAME]` in `.dockstage.toml`; the
    /// values are read back with [`Context::options`].
    fn options(&self) -> &'static [RuleOption] {
        &[]
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

include!(concat!(env!("OUT_DIR"), "/rules_gen.rs"));

/// The metadata of a registered rule by exact name; panics on a typo, which tests catch.
pub fn meta(name: &str) -> &'static RuleMeta {
    RULE_METAS
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("rule {name} has no page"))
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn diagnostic(&'static self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.name, self.code, self.severity, span, message)
    }

    pub fn diagnostic_with(
        &'static self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(self.name, self.code, severity, span, message)
    }
}

/// The registered rule with this exact name.
pub fn rule(name: &str) -> Option<&'static (dyn Rule + Sync)> {
    RULES.iter().copied().find(|r| r.meta().name == name)
}

/// Runs the rules `runs` accepts: a rule not selected costs nothing.
pub fn run_selected(cx: &Context<'_>, runs: impl Fn(&RuleMeta) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in RULES.iter().filter(|r| runs(r.meta())) {
        rule.check(cx, &mut out);
    }
    for diagnostic in &mut out {
        if diagnostic
            .fix
            .as_ref()
            .is_some_and(|f| !cx.fix_is_certain(f))
        {
            diagnostic.fix = None;
        }
    }
    out
}
