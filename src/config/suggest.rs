//! "Did you mean": the closest rule name, or schema key, to a misspelt one.

use crate::diagnostic::SYNTAX_ERROR;
use crate::rules;

/// "did you mean" for toml's `unknown field `x`, expected one of `a`, `b``.
pub(super) fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        return Some("this key is not part of the schema (docs/configuration.md)".to_string());
    }
    let list = expected
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match suggest(field, expected.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? expected one of {list}"),
        None => format!("expected one of {list}"),
    })
}

/// The closest rule name, code or alias to `written`, if close enough: a code
/// suggests the rule's name, an alias itself (`StageNameCsing` -> `StageNameCasing`).
pub fn suggest_rule(written: &str) -> Option<&'static str> {
    let best = rules::suggest(written).or_else(|| suggest(written, [SYNTAX_ERROR.0]))?;
    match rules::find(best) {
        Some(meta) if meta.code == best => Some(meta.name),
        _ => Some(best),
    }
}

pub(super) fn suggest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let written = written.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&written, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_suggestions_prefer_names() {
        assert_eq!(suggest_rule("unused-stag"), Some("unused-stage"));
        assert_eq!(suggest_rule("zzzzzz"), None);
    }

    #[test]
    fn unknown_field_help_suggests() {
        let help = unknown_field_help("unknown field `selct`, expected one of `select`, `ignore`")
            .unwrap();
        assert!(help.starts_with("did you mean `select`?"), "{help}");
    }
}
