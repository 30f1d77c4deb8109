//! `data/official-images.txt`: official Docker Hub images that are often named
//! bare (`COPY --from=busybox`, `FROM node`).

use std::sync::LazyLock;

const TEXT: &str = include_str!("../../data/official-images.txt");

static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    TEXT.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Every listed name, sorted.
pub fn all() -> &'static [&'static str] {
    &NAMES
}

/// Whether `name` is a listed official image.
pub fn contains(name: &str) -> bool {
    NAMES.binary_search_by(|n| (*n).cmp(name)).is_ok()
}

/// Like [`contains`], also accepting configured extra names.
pub fn contains_with(extra: &[String], name: &str) -> bool {
    extra.iter().any(|e| e == name) || contains(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_is_sorted() {
        assert!(all().len() > 50);
        assert!(all().windows(2).all(|w| w[0] < w[1]), "sorted, unique");
        assert!(contains("node"));
        assert!(contains("alpine"));
        assert!(!contains("builder"));
        assert!(contains_with(&["myimage".to_string()], "myimage"));
    }
}
