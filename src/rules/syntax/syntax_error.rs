//! Parse errors of the file, as findings.

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct SyntaxError;

impl Rule for SyntaxError {
    fn meta(&self) -> &'static RuleMeta {
        meta("syntax-error")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for error in &cx.file.errors {
            let mut diagnostic = self.meta().diagnostic(error.span, error.message.clone());
            diagnostic.help = error.help.clone();
            // A template is meant to be rendered first: nothing in it is a defect yet.
            if cx.file.template == Some(error.span) {
                diagnostic = diagnostic.with_severity(Severity::Info);
            }
            out.push(diagnostic);
        }
    }
}
