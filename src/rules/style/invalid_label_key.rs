//! A LABEL key outside Docker's recommended format: lower-case reverse-DNS words.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct InvalidLabelKey;

/// Namespaces Docker keeps for its own labels.
const RESERVED: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];

impl Rule for InvalidLabelKey {
    fn meta(&self) -> &'static RuleMeta {
        meta("invalid-label-key")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, label) in cx.file.instructions.iter().enumerate() {
            if !label.is(Keyword::Label) {
                continue;
            }
            for pair in &label.args.pairs {
                let key = pair.key.text.trim_matches(['"', '\'']);
                if key.contains('$') {
                    continue;
                }
                let Some(problem) = problem(key) else {
                    continue;
                };
                let diagnostic = self
                    .meta()
                    .diagnostic(pair.key.span, format!("label key `{key}` {problem}"))
                    .with_help(
                        "write label keys as lower-case reverse-DNS names (`org.opencontainers.image.source`, `com.example.team`): letters, digits, `.` and `-`",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}

/// What breaks Docker's label key format, if anything.
fn problem(key: &str) -> Option<&'static str> {
    if RESERVED.iter().any(|r| key.starts_with(r)) {
        return Some("is in a namespace Docker reserves for itself");
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("does not start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("does not end with a lower-case letter or digit");
    }
    if !key
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
    {
        return Some("has characters other than lower-case letters, digits, `.`, `-` and `_`");
    }
    if key.contains("..") || key.contains("--") {
        return Some("has two separators in a row");
    }
    None
}
