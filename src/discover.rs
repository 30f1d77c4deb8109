//! Finding Dockerfiles: explicit files are always linted; directories are walked
//! honouring `.gitignore` (the `ignore` crate), keeping Dockerfile-like names.

use std::path::{Path, PathBuf};

/// `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`(`.*`).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || lower.ends_with(".dockerfile")
        || lower.ends_with(".containerfile")
}

/// The files to lint under `paths`, sorted, without duplicates; missing paths are errors.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            walk(path, &mut files, &mut errors);
        } else {
            errors.push((path.clone(), "no such file or directory".to_string()));
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn walk(root: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                if is_file && is_dockerfile_name(&entry.file_name().to_string_lossy()) {
                    files.push(entry.into_path());
                }
            }
            Err(err) => errors.push((root.to_path_buf(), err.to_string())),
        }
    }
}

/// A path as reports show it: relative to the working directory when inside it,
/// with `/` separators.
pub fn display_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let absolute = if path.is_absolute() { path.to_path_buf() } else { cwd.join(path) };
            absolute.strip_prefix(&cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf());
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::is_dockerfile_name;

    #[test]
    fn recognises_dockerfile_names() {
        for name in ["Dockerfile", "dockerfile", "Dockerfile.dev", "api.Dockerfile", "x.dockerfile", "Containerfile"] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in ["Dockerfile-notes.md.txt", "docker-compose.yml", "README.md"] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
