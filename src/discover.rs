//! Finding Dockerfiles: explicit files are always linted; directories are walked
//! honouring `.gitignore` (the `ignore` crate), keeping Dockerfile-like names.

use std::path::{Path, PathBuf};

/// `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `*.Dockerfile`, `*.dockerfile`,
/// `Containerfile` (and the same forms), in any letter case; not templates
/// (`Dockerfile.j2`), which are not Dockerfiles until rendered.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let named = ["dockerfile", "containerfile"].iter().any(|base| {
        lower == *base
            || lower
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with(['.', '-']))
            || lower
                .strip_suffix(base)
                .is_some_and(|rest| rest.ends_with('.'))
    });
    named && !is_not_dockerfile(&lower)
}

/// Extensions of files named like Dockerfiles that are not: templates (they render
/// into one), notes and editor leftovers.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "mustache", "hbs", "gotmpl", "md",
    "txt", "orig", "rej", "bak", "swp",
];

fn is_not_dockerfile(lower: &str) -> bool {
    lower.ends_with('~')
        || lower
            .rsplit_once('.')
            .is_some_and(|(_, ext)| NOT_DOCKERFILE_EXTENSIONS.contains(&ext))
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
            let absolute = if path.is_absolute() {
                path.to_path_buf()
            } else {
                cwd.join(path)
            };
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
        for name in [
            "Dockerfile",
            "dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
            "Containerfile.dev",
            "Dockerfile-alpine",
            "Dockerfile-dev",
            "containerfile-arm64",
        ] {
            assert!(is_dockerfile_name(name), "{name}");
        }
        for name in [
            "docker-compose.yml",
            "README.md",
            "Dockerfile.j2",
            "Dockerfile.tmpl",
            "Dockerfile-alpine.tpl",
            "api.Dockerfile.jinja",
            "Dockerfile-notes.md.txt",
            "Dockerfile~",
            "Dockerfiles",
            "mydockerfile",
        ] {
            assert!(!is_dockerfile_name(name), "{name}");
        }
    }
}
