//! The size of one literal `COPY`/`ADD` source, measured on disk without indexing
//! the whole build context: for rule messages, which need a figure for a few paths
//! and must stay cheap when an editor re-lints on every keystroke.

use std::fs;
use std::path::Path;

use super::dockerignore::DockerIgnore;
use super::gopath;

/// Beyond this many entries the source is too big to measure for a message.
const MAX_ENTRIES: usize = 200_000;

/// Bytes of the files `source` names in the context `context` (the Dockerfile's
/// directory unless the caller knows better), leaving out what the ignore file
/// BuildKit would use for `dockerfile` excludes. Symlinks count as links and are
/// never followed. `None` when the source has a wildcard or a variable, leaves the
/// context, does not exist, or is too big to walk here.
pub fn measure_source(dockerfile: &Path, context: &Path, source: &str) -> Option<u64> {
    if source.contains(['*', '?', '[', '$']) || source.contains("://") {
        return None;
    }
    let cleaned = gopath::clean(&format!("/{source}"));
    let rel = cleaned.trim_start_matches('/');
    let ignore = DockerIgnore::load_for(dockerfile, context)
        .ok()
        .flatten()
        .filter(|i| !i.is_empty());
    let excluded = |rel: &str| ignore.as_ref().is_some_and(|i| i.is_excluded(rel, false));
    let root = if rel.is_empty() {
        context.to_path_buf()
    } else {
        if excluded(rel) {
            return None;
        }
        context.join(rel)
    };
    let metadata = fs::symlink_metadata(&root).ok()?;
    if !metadata.is_dir() {
        return Some(metadata.len());
    }
    let mut bytes = 0u64;
    let mut seen = 0usize;
    let mut pending = vec![(root, rel.to_string())];
    while let Some((dir, dir_rel)) = pending.pop() {
        let Ok(listing) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in listing.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                return None;
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let entry_rel = if dir_rel.is_empty() {
                name.into_owned()
            } else {
                format!("{dir_rel}/{name}")
            };
            if excluded(&entry_rel) {
                continue;
            }
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if metadata.is_dir() {
                pending.push((entry.path(), entry_rel));
            } else {
                bytes = bytes.saturating_add(metadata.len());
            }
        }
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_files_and_directories_minus_ignored_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("data/sub")).unwrap();
        fs::write(root.join("data/a.bin"), vec![0u8; 1000]).unwrap();
        fs::write(root.join("data/sub/b.bin"), vec![0u8; 500]).unwrap();
        fs::write(root.join("data/sub/skip.log"), vec![0u8; 7000]).unwrap();
        fs::write(root.join("Dockerfile"), "FROM scratch\n").unwrap();
        fs::write(root.join(".dockerignore"), "**/*.log\n").unwrap();
        let dockerfile = root.join("Dockerfile");
        assert_eq!(measure_source(&dockerfile, root, "data"), Some(1500));
        assert_eq!(
            measure_source(&dockerfile, root, "./data/a.bin"),
            Some(1000)
        );
        assert_eq!(measure_source(&dockerfile, root, "data/sub/skip.log"), None);
        assert_eq!(measure_source(&dockerfile, root, "data/*.bin"), None);
        assert_eq!(measure_source(&dockerfile, root, "missing"), None);
        // `..` cannot leave the context: it is cleaned to the context root.
        assert_eq!(
            measure_source(&dockerfile, root, "../../data"),
            measure_source(&dockerfile, root, "data")
        );
    }
}
