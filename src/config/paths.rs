//! Lexical path handling: absolute paths without `.`/`..`, and paths relative to the
//! configuration's directory, as override globs see them.

use std::path::{Component, Path, PathBuf};

/// Absolute, with `.` and `..` resolved lexically (no symlinks are followed).
pub(super) fn normalise(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `file` relative to `root` with `/` separators, or the whole path when outside it.
pub(super) fn relative_to(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}
