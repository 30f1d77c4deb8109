//! `data/image-alternatives.tsv`: smaller images to suggest for a large or SDK
//! image (`node:22` → `node:22-slim`, `eclipse-temurin:21-jdk` → `:21-jre`).

use std::sync::LazyLock;

use regex::Regex;

use super::tsv;

const TABLE: &str = "image-alternatives.tsv";
const TEXT: &str = include_str!("../../data/image-alternatives.tsv");

/// How an alternative differs from the image it replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AlternativeKind {
    /// Same distribution and libc, fewer packages.
    Slim,
    /// A runtime image of the same ecosystem (JRE, .NET runtime).
    Runtime,
    /// A distroless image: no shell, no package manager.
    Distroless,
    /// An Alpine image: musl instead of glibc.
    Alpine,
}

impl AlternativeKind {
    pub fn parse(text: &str) -> Option<AlternativeKind> {
        Some(match text {
            "slim" => AlternativeKind::Slim,
            "runtime" => AlternativeKind::Runtime,
            "distroless" => AlternativeKind::Distroless,
            "alpine" => AlternativeKind::Alpine,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AlternativeKind::Slim => "slim",
            AlternativeKind::Runtime => "runtime",
            AlternativeKind::Distroless => "distroless",
            AlternativeKind::Alpine => "alpine",
        }
    }

    /// Lower is suggested first: same libc and least risk first, then
    /// distroless, then Alpine (musl).
    pub fn preference(self) -> u8 {
        match self {
            AlternativeKind::Slim | AlternativeKind::Runtime => 0,
            AlternativeKind::Distroless => 1,
            AlternativeKind::Alpine => 2,
        }
    }
}

/// One row: for tags of `image` matching `tag_pattern`, suggest `alternative`.
#[derive(Clone, Debug)]
pub struct AlternativeRule {
    pub image: String,
    /// Anchored regex over the tag.
    pub tag_pattern: Regex,
    /// Replacement text with `$1`, `$2`... from the pattern's groups.
    pub alternative: String,
    pub kind: AlternativeKind,
    pub note: String,
}

impl AlternativeRule {
    /// A rule from configuration; `None` with a message when the regex or kind is bad.
    pub fn new(
        image: &str,
        tag_pattern: &str,
        alternative: &str,
        kind: &str,
        note: &str,
    ) -> Result<AlternativeRule, String> {
        let tag_pattern =
            Regex::new(tag_pattern).map_err(|e| format!("bad tag pattern {tag_pattern:?}: {e}"))?;
        let kind = AlternativeKind::parse(kind).ok_or_else(|| {
            format!("unknown alternative kind {kind:?} (slim, runtime, distroless, alpine)")
        })?;
        Ok(AlternativeRule {
            image: image.to_string(),
            tag_pattern,
            alternative: alternative.to_string(),
            kind,
            note: note.to_string(),
        })
    }
}

/// A suggestion for one tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    /// The suggested reference, groups substituted (`node:22-slim`).
    pub reference: String,
    pub kind: AlternativeKind,
    pub note: String,
}

static ROWS: LazyLock<Vec<AlternativeRule>> = LazyLock::new(|| {
    tsv::records(TABLE, TEXT)
        .into_iter()
        .map(|f| {
            AlternativeRule::new(f[0], f[1], f[2], f[3], f[4])
                .unwrap_or_else(|e| panic!("data/{TABLE}: {e}"))
        })
        .collect()
});

/// Every embedded row.
pub fn all() -> &'static [AlternativeRule] {
    &ROWS
}

/// The alternatives for `repository` (as the tables write it: `node`,
/// `mcr.microsoft.com/dotnet/sdk`) at `tag`, best first (see
/// [`AlternativeKind::preference`]), without duplicates.
pub fn lookup(repository: &str, tag: &str) -> Vec<Alternative> {
    lookup_with(&[], repository, tag)
}

/// Like [`lookup`], with configured rows first.
pub fn lookup_with(extra: &[AlternativeRule], repository: &str, tag: &str) -> Vec<Alternative> {
    let mut out: Vec<Alternative> = Vec::new();
    for rule in extra.iter().chain(all().iter()) {
        if rule.image != repository || !rule.tag_pattern.is_match(tag) {
            continue;
        }
        let reference = rule
            .tag_pattern
            .replace(tag, rule.alternative.as_str())
            .into_owned();
        if out.iter().any(|a| a.reference == reference) {
            continue;
        }
        out.push(Alternative {
            reference,
            kind: rule.kind,
            note: rule.note.clone(),
        });
    }
    out.sort_by_key(|a| a.kind.preference());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(repository: &str, tag: &str) -> Vec<String> {
        lookup(repository, tag)
            .into_iter()
            .map(|a| a.reference)
            .collect()
    }

    #[test]
    fn every_row_parses() {
        assert!(all().len() > 80);
        for rule in all() {
            let pattern = rule.tag_pattern.as_str();
            assert!(
                pattern.starts_with('^') && pattern.ends_with('$'),
                "{}: {pattern} is anchored",
                rule.image
            );
            // Every `$N` names a group the pattern has.
            for n in 1..=9 {
                if rule.alternative.contains(&format!("${n}")) {
                    assert!(
                        rule.tag_pattern.captures_len() > n,
                        "{} {pattern}: ${n} without a group",
                        rule.image
                    );
                }
            }
        }
    }

    #[test]
    fn suggestions() {
        let node = refs("node", "22");
        assert_eq!(
            node.first().map(String::as_str),
            Some("node:22-slim"),
            "{node:?}"
        );
        assert!(node.contains(&"node:22-alpine".to_string()), "{node:?}");
        let python = refs("python", "3.12");
        assert_eq!(python.first().map(String::as_str), Some("python:3.12-slim"));
        let temurin = refs("eclipse-temurin", "21-jdk");
        assert_eq!(
            temurin.first().map(String::as_str),
            Some("eclipse-temurin:21-jre"),
            "{temurin:?}"
        );
        assert!(!refs("golang", "1.23").is_empty());
        assert!(refs("node", "22-slim")
            .iter()
            .all(|r| r != "node:22-slim-slim"));
        assert!(refs("gcr.io/distroless/static-debian12", "nonroot").is_empty());
        assert!(refs("ubuntu", "24.04").is_empty());
    }

    #[test]
    fn extra_rows() {
        let extra =
            [AlternativeRule::new("acme/jdk", r"^(\d+)$", "acme/jre:$1", "runtime", "").unwrap()];
        assert_eq!(
            lookup_with(&extra, "acme/jdk", "21")[0].reference,
            "acme/jre:21"
        );
        assert!(AlternativeRule::new("a", "(", "b", "slim", "").is_err());
        assert!(AlternativeRule::new("a", "^x$", "b", "tiny", "").is_err());
    }
}
