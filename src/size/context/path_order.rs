//! Context paths in segment order, so every directory's subtree is one
//! contiguous range of the sorted entries.

use std::cmp::Ordering;
use std::ops::Range;

use super::ContextEntry;
use crate::size::gopath;

/// A source path as BuildKit resolves it: joined to `/` and cleaned (so `..`
/// stops at the context root), then made relative. `""` is the root.
pub(super) fn context_relative(source: &str) -> String {
    let cleaned = gopath::clean(&format!("/{source}"));
    cleaned.trim_start_matches('/').to_owned()
}

/// Order paths segment by segment: `/` sorts before every other byte, so a
/// directory is immediately followed by everything beneath it (`a`, `a/b`,
/// `a/b/c`, `a-b`), and every subtree is one contiguous range.
pub(super) fn compare_paths(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    match (a.get(common), b.get(common)) {
        (Some(&x), Some(&y)) => separator_first(x).cmp(&separator_first(y)),
        (x, y) => x.is_some().cmp(&y.is_some()),
    }
}

fn separator_first(byte: u8) -> u8 {
    if byte == b'/' {
        0
    } else {
        byte
    }
}

/// Indices of the entries strictly beneath directory `dir` (non-empty path).
pub(super) fn subtree_range(entries: &[ContextEntry], dir: &str) -> Range<usize> {
    let start = entries.partition_point(|e| compare_paths(&e.path, dir) != Ordering::Greater);
    let len = entries[start..].partition_point(|e| is_strictly_below(&e.path, dir));
    start..start + len
}

pub(super) fn is_strictly_below(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// `path` relative to directory `dir` (`""` for the root).
pub(super) fn strip_dir_prefix<'p>(path: &'p str, dir: &str) -> &'p str {
    if dir.is_empty() {
        path
    } else if is_strictly_below(path, dir) {
        &path[dir.len() + 1..]
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::context::EntryKind;

    #[test]
    fn paths_sort_depth_first() {
        let mut paths = vec!["a-b", "a/b/c", "a", "a/b-d", "a/b", "a.txt", "b"];
        paths.sort_by(|a, b| compare_paths(a, b));
        assert_eq!(paths, ["a", "a/b", "a/b/c", "a/b-d", "a-b", "a.txt", "b"]);
    }

    #[test]
    fn subtree_ranges_are_contiguous() {
        let entries: Vec<ContextEntry> = ["a", "a/b", "a/b/c", "a/b-d", "a-b", "b"]
            .into_iter()
            .map(|p| ContextEntry {
                path: p.to_owned(),
                kind: EntryKind::File,
                size: 1,
            })
            .collect();
        assert_eq!(subtree_range(&entries, "a"), 1..4);
        assert_eq!(subtree_range(&entries, "a/b"), 2..3);
        assert_eq!(subtree_range(&entries, "b"), 6..6);
        assert_eq!(subtree_range(&entries, "zzz"), 6..6);
    }

    #[test]
    fn sources_are_made_context_relative() {
        assert_eq!(context_relative("."), "");
        assert_eq!(context_relative("/"), "");
        assert_eq!(context_relative("./a/b/"), "a/b");
        assert_eq!(context_relative("/a//b"), "a/b");
        assert_eq!(context_relative("../../a"), "a");
    }
}
