//! Paths inside the image: made absolute against WORKDIR, split into segments,
//! and compared as ancestors with `filepath.Match` wildcards on either side.

use crate::model::gopath;

/// An absolute, cleaned path: `rel` resolved against `dir`.
pub fn absolute(dir: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    };
    let cleaned = gopath::clean(&joined);
    if cleaned.starts_with('/') {
        cleaned
    } else {
        format!("/{cleaned}")
    }
}

pub fn join(dir: &str, name: &str) -> String {
    absolute(dir, name)
}

pub fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

/// `ancestor` is `path` or one of its parent directories; either side may hold
/// `filepath.Match` wildcards (`rm -rf /tmp/*`, `python*/site-packages`).
pub fn is_ancestor_or_self(ancestor: &[&str], path: &[&str]) -> bool {
    if ancestor.len() > path.len() {
        return false;
    }
    ancestor.iter().zip(path).all(|(a, p)| {
        if a == p {
            true
        } else if gopath::contains_wildcards(a) {
            gopath::match_path(a, p).unwrap_or(false)
        } else if gopath::contains_wildcards(p) {
            gopath::match_path(p, a).unwrap_or(false)
        } else {
            false
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_with_wildcards() {
        assert!(is_ancestor_or_self(
            &segments("/usr/local/lib"),
            &segments("/usr/local/lib/python*/site-packages")
        ));
        assert!(is_ancestor_or_self(
            &segments("/usr/local/lib/python3.12/site-packages"),
            &segments("/usr/local/lib/python*/site-packages")
        ));
        assert!(is_ancestor_or_self(
            &segments("/tmp/*"),
            &segments("/tmp/x/y")
        ));
        assert!(!is_ancestor_or_self(
            &segments("/app/b"),
            &segments("/app/a")
        ));
    }

    #[test]
    fn absolute_paths() {
        assert_eq!(absolute("/app", "./x/../y"), "/app/y");
        assert_eq!(absolute("/app", "/opt/"), "/opt");
        assert_eq!(absolute("/", "."), "/");
    }
}
