//! Sizing of language and Alpine/Fedora package installs from heuristics and the
//! build context (requirements files, lock files, a local `node_modules`).

use std::path::Path;

use super::context::ContextIndex;
use super::heuristics::Heuristics;
use super::range::{human, scale, Bytes, Part, Source, MB};
use super::script::{Manager, PackageRequest};

/// What a package no table knows may weigh when the file added a vendor's
/// repository (a database's own packages run to hundreds of MB): an estimate
/// with a range that says how little is known.
pub fn vendor_package() -> Bytes {
    Bytes::range(5 * MB, 80 * MB, 600 * MB)
}

/// `apk add` / `dnf install`: a per-package table with a per-package fallback;
/// `vendor_repo` is the line that added another repository, if any.
pub fn heuristic_packages(
    table: &Heuristics,
    manager: Manager,
    names: &[String],
    vendor_repo: Option<usize>,
) -> Part {
    let kind = manager.as_str();
    let mut size = Bytes::ZERO;
    let mut unknown = Vec::new();
    let mut vendor = Vec::new();
    for name in names {
        let key = name.split(['=', '<', '>', '~']).next().unwrap_or(name);
        if let Some(row) = table.exact(kind, key) {
            size += row.bytes();
        } else if vendor_repo.is_some() {
            size += vendor_package();
            vendor.push(key.to_string());
        } else if let Some(row) = table.get(kind, key) {
            size += row.bytes();
            unknown.push(key.to_string());
        }
    }
    if names.is_empty() {
        return Part::new(
            Bytes::ZERO,
            Source::Heuristic,
            format!("{kind}: nothing new"),
        );
    }
    let mut note = format!("{kind}: {}", names.join(" "));
    if !unknown.is_empty() {
        note.push_str(&format!(
            " ({} sized as a typical package)",
            unknown.join(" ")
        ));
    }
    if let (false, Some(line)) = (vendor.is_empty(), vendor_repo) {
        note.push_str(&format!(
            " ({} in no table, maybe from the repository line {line} adds: an estimate, 5-600 MB each)",
            vendor.join(" ")
        ));
    }
    Part::new(size, Source::Heuristic, note)
}

/// A PyPI requirement reduced to its project name, lowercase.
fn pip_name(spec: &str) -> Option<String> {
    let spec = spec.trim();
    if spec.is_empty() || spec.starts_with('#') || spec.starts_with('-') {
        return None;
    }
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        .unwrap_or(spec.len());
    let name = spec[..end].to_ascii_lowercase().replace('_', "-");
    (!name.is_empty()).then_some(name)
}

/// `pip install`: named packages and `-r` files read from the context.
pub fn pip_part(
    table: &Heuristics,
    context: Option<&ContextIndex>,
    workdir: &str,
    request: &PackageRequest,
) -> Part {
    let mut names: Vec<String> = request
        .packages
        .iter()
        .filter_map(|p| pip_name(p))
        .collect();
    let mut missing = Vec::new();
    for file in &request.requirement_files {
        match find_context_text(context, workdir, file) {
            Some(text) => names.extend(text.lines().filter_map(pip_name)),
            None => missing.push(file.clone()),
        }
    }
    let mut size = Bytes::ZERO;
    for name in &names {
        if let Some(row) = table.get("pip", name) {
            size += row.bytes();
        }
    }
    let mut source = Source::Heuristic;
    let mut note = format!("pip: {} packages", names.len());
    if !missing.is_empty() {
        size += Bytes::range(2 * MB, 60 * MB, 800 * MB);
        source = Source::Unknown;
        note.push_str(&format!(
            "; {} not found in the context",
            missing.join(", ")
        ));
    }
    if names.is_empty() && missing.is_empty() {
        // `pip install .` or an editable project: its dependencies are not known.
        size += Bytes::range(MB, 30 * MB, 500 * MB);
        source = Source::Unknown;
        note = "pip: project dependencies not listed".into();
    }
    Part::new(size, source, note)
}

/// `npm ci` / `npm install` / `yarn` / `pnpm install`.
pub fn node_part(
    table: &Heuristics,
    context: Option<&ContextIndex>,
    workdir: &str,
    request: &PackageRequest,
) -> Part {
    let row = table
        .get("npm", "*")
        .map_or(Bytes::range(20_000, 250_000, 2 * MB), |r| r.bytes());
    if !request.from_lockfile {
        let count = request.packages.len() as u64;
        // A named package drags its dependencies in: ~15 entries each.
        let size = Bytes::range(
            row.low * count * 5,
            row.bytes * count * 15,
            row.high * count * 40,
        );
        return Part::new(
            size,
            Source::Heuristic,
            format!(
                "{}: {}",
                request.manager.map_or("npm", Manager::as_str),
                request.packages.join(" ")
            ),
        );
    }
    // Measured node_modules next to the lock file, scaled to production deps.
    let lock = find_context_text(context, workdir, "package-lock.json");
    let counts = lock.as_deref().map(count_lock_packages);
    if let Some(measured) = context.and_then(|c| measure_dir(&c.root().join("node_modules"))) {
        let fraction = match (request.production, counts) {
            (true, Some((all, dev))) if all > 0 => (all - dev) as f64 / all as f64,
            _ => 1.0,
        };
        let bytes = scale(measured, fraction);
        return Part::new(
            Bytes::spread(bytes, 0.1, 0.15),
            Source::Measured,
            format!("node_modules measured locally ({})", human(measured)),
        );
    }
    if let Some((all, dev)) = counts {
        let count = if request.production { all - dev } else { all };
        let size = Bytes::range(row.low * count, row.bytes * count, row.high * count);
        return Part::new(
            size,
            Source::Heuristic,
            format!("package-lock.json: {count} packages"),
        );
    }
    Part::new(
        Bytes::range(5 * MB, 150 * MB, 1200 * MB),
        Source::Unknown,
        "no package-lock.json in the context",
    )
}

/// `(packages, dev packages)` of a package-lock.json (v2/v3 `packages`, v1 `dependencies`).
pub fn count_lock_packages(text: &str) -> (u64, u64) {
    let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
        return (0, 0);
    };
    let entries = json
        .get("packages")
        .and_then(|p| p.as_object())
        .or_else(|| json.get("dependencies").and_then(|p| p.as_object()));
    let Some(entries) = entries else {
        return (0, 0);
    };
    let mut all = 0;
    let mut dev = 0;
    for (key, value) in entries {
        if key.is_empty() {
            continue;
        }
        all += 1;
        if value.get("dev").and_then(serde_json::Value::as_bool) == Some(true) {
            dev += 1;
        }
    }
    (all, dev)
}

/// The text of a context file named by a RUN (relative to WORKDIR, which usually
/// mirrors the context root), found by its path, then by its name anywhere shallow.
fn find_context_text(context: Option<&ContextIndex>, workdir: &str, file: &str) -> Option<String> {
    let context = context?;
    if let Some(text) = context.read_text(file) {
        return Some(text);
    }
    let name = file.rsplit('/').next().unwrap_or(file);
    let _ = workdir;
    context
        .entries()
        .iter()
        .filter(|e| e.path == name || e.path.ends_with(&format!("/{name}")))
        .min_by_key(|e| e.path.matches('/').count())
        .and_then(|e| context.read_text(&e.path))
}

/// Bytes of regular files beneath `dir`, symlinks not followed.
fn measure_dir(dir: &Path) -> Option<u64> {
    let meta = std::fs::symlink_metadata(dir).ok()?;
    if !meta.is_dir() {
        return None;
    }
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(entry.path());
            } else {
                total += meta.len();
            }
        }
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_names() {
        assert_eq!(
            pip_name("Flask[async]==3.0 ; python_version>'3'"),
            Some("flask".into())
        );
        assert_eq!(pip_name("# comment"), None);
        assert_eq!(pip_name("-r other.txt"), None);
    }

    #[test]
    fn lock_counts() {
        let text = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{},"node_modules/b":{"dev":true}}}"#;
        assert_eq!(count_lock_packages(text), (2, 1));
    }
}
