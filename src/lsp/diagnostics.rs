//! Our diagnostics as LSP diagnostics: code with a link to the rule page, source
//! `dockstage`, severity, related information from the secondary labels, and the
//! `Unnecessary` tag for dead code so editors fade it.

use super::encoding::Text;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;
use lsp_types as lsp;
use lsp_types::Uri;
use std::str::FromStr;

pub const SOURCE: &str = "dockstage";

/// Rules whose finding marks text that does nothing.
const UNNECESSARY: &[&str] = &["unused-stage", "unused-suppression"];

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Style => lsp::DiagnosticSeverity::HINT,
    }
}

/// The rule page's address, for `codeDescription.href`.
pub fn rule_href(rule: &str) -> Option<Uri> {
    let meta = rules::find(rule)?;
    Uri::from_str(&meta.help_uri()).ok()
}

pub fn to_lsp(d: &Diagnostic, uri: &Uri, text: &Text<'_>) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|label| lsp::DiagnosticRelatedInformation {
            location: lsp::Location {
                uri: uri.clone(),
                range: text.range(label.span),
            },
            message: label.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: text.range(d.span),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_href(d.rule).map(|href| lsp::CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: UNNECESSARY
            .contains(&d.rule)
            .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "rule": d.rule })),
    }
}
