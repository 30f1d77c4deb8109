//! The one rule name space: every rule answers to its kebab-case name, its code and
//! its aliases (other tools' names, such as BuildKit's `StageNameCasing`), in any case.
//! A selector is one of those, `all`, or a family prefix of codes (`DS0`, `DL30`).

use super::{RuleMeta, RULE_METAS};

/// The rule with this name, code or alias.
pub fn find(name: &str) -> Option<&'static RuleMeta> {
    RULE_METAS.iter().find(|m| m.answers_to(name))
}

/// Whether `selector` (`--select`, `ignore`, `# check=skip=` ...) picks rule `meta`.
pub fn selects(selector: &str, meta: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case("all")
        || meta.answers_to(selector)
        || (is_code_prefix(selector) && meta.codes().any(|c| starts_with_ignore_case(c, selector)))
}

/// Whether `selector` picks any rule (or is `all`).
pub fn is_known(selector: &str) -> bool {
    RULE_METAS.iter().any(|m| selects(selector, m))
}

/// The name, code or alias nearest to a misspelt one, as it is spelt, if any is close.
pub fn suggest(unknown: &str) -> Option<&'static str> {
    let unknown = unknown.to_ascii_lowercase();
    RULE_METAS
        .iter()
        .flat_map(|m| {
            [m.name, m.code]
                .into_iter()
                .chain(m.aliases.iter().copied())
        })
        .map(|known| {
            (
                strsim::jaro_winkler(&unknown, &known.to_ascii_lowercase()),
                known,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, known)| known)
}

impl RuleMeta {
    /// Whether `name` is this rule's name, code or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.code.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// The code and the code-shaped aliases (`DL3008`), for family prefixes.
    fn codes(&self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.code).chain(self.aliases.iter().copied().filter(|a| is_code(a)))
    }

    /// The BuildKit check name among the aliases, if the rule mirrors one.
    pub fn buildkit_name(&self) -> Option<&'static str> {
        self.aliases.iter().copied().find(|a| !is_code(a))
    }
}

/// Letters then digits, like `DS001` or `DL3008`.
fn is_code(text: &str) -> bool {
    let digits = text.trim_start_matches(|c: char| c.is_ascii_uppercase());
    digits.len() < text.len() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A code's leading letters and possibly some of its digits: `DS`, `DS0`, `DL30`.
fn is_code_prefix(text: &str) -> bool {
    let digits = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let letters = text.len() - digits.len();
    (2..=3).contains(&letters) && digits.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix) && {
        // The prefix's letters are the whole family: `D` is no family of `DS001`.
        let letters = prefix.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        text[letters..].starts_with(|c: char| c.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_codes_and_aliases_find_the_same_rule() {
        for written in [
            "stage-name-casing",
            "DS007",
            "StageNameCasing",
            "stagenamecasing",
        ] {
            assert_eq!(
                find(written).map(|m| m.name),
                Some("stage-name-casing"),
                "{written}"
            );
        }
        assert!(find("NoSuchCheck").is_none());
    }

    #[test]
    fn family_prefixes_select_by_code() {
        let casing = super::super::meta("stage-name-casing");
        assert!(selects("DS0", casing));
        assert!(selects("ds", casing));
        assert!(selects("DS007", casing));
        assert!(!selects("DS1", casing));
        assert!(!selects("D", casing));
        assert!(!selects("DS0071", casing));
        assert!(is_known("DS"));
        assert!(!is_known("XY9"));
    }

    #[test]
    fn suggestions_include_aliases() {
        assert_eq!(suggest("StageNameCsing"), Some("StageNameCasing"));
        assert_eq!(suggest("unused-stag"), Some("unused-stage"));
        assert_eq!(suggest("zzzzzz"), None);
    }
}
