//! The value types of a label schema (`label-schema` in `.dockstage.toml`, as in
//! hadolint's `.hadolint.yaml`), and what a value of each type looks like.

use crate::rules::Context;
use crate::syntax::{KeyValue, Keyword};
use regex::Regex;
use std::sync::LazyLock;

/// The LABEL pairs of the shipped image (the target and the stages it is built `FROM`,
/// in this file), with their instruction's index, bases first.
pub fn shipped_labels<'a>(cx: &Context<'a>) -> Vec<(usize, &'a KeyValue)> {
    let Some(target) = cx.graph.final_stage() else {
        return Vec::new();
    };
    let mut chain = cx.graph.base_chain(target.index);
    chain.reverse();
    chain
        .into_iter()
        .flat_map(|s| cx.stage_instructions(&cx.graph.stages[s]))
        .filter(|(_, i)| i.is(Keyword::Label))
        .flat_map(|(at, i)| i.args.pairs.iter().map(move |p| (at, p)))
        .collect()
}

/// A label key or value as the build sees it: without its quotes.
pub fn unquoted(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
        .unwrap_or(text)
}

/// The type a label's value must have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelType {
    /// Any non-empty text.
    Text,
    /// An absolute URI: `https://example.com/app`.
    Url,
    /// A git commit hash: hexadecimal, 7 to 40 digits (64 for SHA-256 repositories).
    Hash,
    /// A timestamp such as `2024-05-01T12:00:00Z`.
    Rfc3339,
    /// A semantic version such as `1.2.3-rc.1`.
    Semver,
    /// An SPDX license expression such as `Apache-2.0 OR MIT` (its shape; the license
    /// list itself is not embedded).
    Spdx,
    /// An e-mail address.
    Email,
}

static RFC3339: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
        .expect("valid regex")
});
static SEMVER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$",
    )
    .expect("valid regex")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$").expect("valid regex"));
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$").expect("valid regex"));
static SPDX_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(LicenseRef-|DocumentRef-[A-Za-z0-9.-]+:LicenseRef-)?[A-Za-z0-9][A-Za-z0-9.-]*\+?$",
    )
    .expect("valid regex")
});

impl LabelType {
    /// The type named in a configuration, as hadolint names them.
    pub fn parse(text: &str) -> Result<LabelType, String> {
        Ok(match text {
            "text" => LabelType::Text,
            "url" => LabelType::Url,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "semver" => LabelType::Semver,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => {
                return Err(
                    "a label type is one of text, url, hash, rfc3339, semver, spdx, email"
                        .to_string(),
                )
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Semver => "semver",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }

    /// What a value of this type is, for messages: "a URL".
    pub fn describe(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "an absolute URL",
            LabelType::Hash => "a git commit hash",
            LabelType::Rfc3339 => "an RFC 3339 timestamp",
            LabelType::Semver => "a semantic version",
            LabelType::Spdx => "an SPDX license expression",
            LabelType::Email => "an e-mail address",
        }
    }

    /// Whether a non-empty value has this type.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            LabelType::Text => true,
            LabelType::Url => URL.is_match(value),
            LabelType::Hash => {
                value.bytes().all(|b| b.is_ascii_hexdigit())
                    && ((7..=40).contains(&value.len()) || value.len() == 64)
            }
            LabelType::Rfc3339 => RFC3339.is_match(value),
            LabelType::Semver => SEMVER.is_match(value),
            LabelType::Spdx => is_spdx_expression(value),
            LabelType::Email => EMAIL.is_match(value),
        }
    }
}

/// `MIT`, `Apache-2.0 OR MIT`, `(GPL-2.0-only WITH Classpath-exception-2.0) AND BSD-3-Clause`.
fn is_spdx_expression(value: &str) -> bool {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    let mut depth = 0i32;
    let mut want_operand = true;
    for token in spaced.split_whitespace() {
        match token {
            "(" if want_operand => depth += 1,
            ")" if !want_operand && depth > 0 => depth -= 1,
            "AND" | "OR" | "WITH" if !want_operand => want_operand = true,
            id if want_operand && SPDX_ID.is_match(id) && !matches!(id, "AND" | "OR" | "WITH") => {
                want_operand = false;
            }
            _ => return false,
        }
    }
    depth == 0 && !want_operand
}

#[cfg(test)]
mod tests {
    use super::LabelType::*;

    #[test]
    fn values_are_checked_by_type() {
        assert!(Url.accepts("https://github.com/example/app"));
        assert!(!Url.accepts("github.com/example/app"));
        assert!(Hash.accepts("9fceb02d0ae598e95dc970b74767f19372d61af8"));
        assert!(!Hash.accepts("main"));
        assert!(Rfc3339.accepts("2024-05-01T12:00:00Z"));
        assert!(!Rfc3339.accepts("2024-05-01"));
        assert!(Semver.accepts("1.2.3-rc.1+build.5"));
        assert!(!Semver.accepts("v1.2"));
        assert!(Spdx.accepts("(GPL-2.0-only WITH Classpath-exception-2.0) AND MIT"));
        assert!(!Spdx.accepts("MIT OR"));
        assert!(Email.accepts("team@example.com"));
        assert!(!Email.accepts("team at example"));
    }
}
