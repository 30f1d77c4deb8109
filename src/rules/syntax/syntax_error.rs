//! Parse errors of the file, and `# check=` options BuildKit rejects, as findings.

use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::check_directive;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        meta("syntax-error")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for error in &cx.file.errors {
            let mut diagnostic = self.meta().diagnostic(error.span, error.message.clone());
            diagnostic.help = error.help.clone();
            // A template is meant to be rendered first: nothing in it is a defect yet.
            if cx.file.template == Some(error.span) {
                diagnostic = diagnostic.with_severity(Severity::Info);
            }
            out.push(diagnostic);
        }
        for rejected in check_directive::rejected_check_options(cx.file) {
            let (severity, effect) = if rejected.fails_build {
                (Severity::Error, "BuildKit fails the build on it")
            } else {
                (Severity::Warning, "BuildKit ignores the comment, so it skips nothing")
            };
            let diagnostic = self
                .meta()
                .diagnostic_with(
                    severity,
                    rejected.span,
                    format!("{}; {effect}", rejected.reason),
                )
                .with_help("write `# check=skip=Name1,Name2`, `skip=all` or `error=true`, parts separated by `;`");
            out.push(diagnostic);
        }
        cx.lower_in_fixtures(&mut out[start..]);
    }
}
