//! The parallel walk of the context directory (one rayon task per directory),
//! applying the ignore file as BuildKit's context transfer does.

use std::fs;
use std::io;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Mutex;

use super::{ContextEntry, ContextWarning, EntryKind};
use crate::size::dockerignore::{AncestorMatches, DockerIgnore};

/// What one walk found, unsorted.
pub(super) struct Walked {
    pub(super) entries: Vec<ContextEntry>,
    /// Excluded directories that still had to be read; kept only if something
    /// inside them was.
    pub(super) excluded_dirs: Vec<String>,
    pub(super) warnings: Vec<ContextWarning>,
}

/// Walks `context`, whose root listing the caller has already read, leaving out
/// what `ignore` excludes.
pub(super) fn walk(
    context: &Path,
    ignore: Option<&DockerIgnore>,
    root_listing: fs::ReadDir,
) -> Walked {
    let walk = Walk {
        ignore,
        entries: Mutex::new(Vec::new()),
        excluded_dirs: Mutex::new(Vec::new()),
        warnings: Mutex::new(Vec::new()),
    };
    rayon::scope(|scope| {
        let root = DirTask {
            abs: context.to_path_buf(),
            rel: String::new(),
            ancestors: AncestorMatches::default(),
            excluded: false,
        };
        walk.visit_listing(scope, root, root_listing);
    });
    Walked {
        entries: into_inner(walk.entries),
        excluded_dirs: into_inner(walk.excluded_dirs),
        warnings: into_inner(walk.warnings),
    }
}

/// Shared state of one parallel walk.
struct Walk<'a> {
    ignore: Option<&'a DockerIgnore>,
    entries: Mutex<Vec<ContextEntry>>,
    /// Excluded directories that still had to be read (an exception might
    /// re-include something inside); kept later only if something was.
    excluded_dirs: Mutex<Vec<String>>,
    warnings: Mutex<Vec<ContextWarning>>,
}

struct DirTask {
    abs: PathBuf,
    rel: String,
    ancestors: AncestorMatches,
    excluded: bool,
}

impl<'a> Walk<'a> {
    fn visit<'s>(&'s self, scope: &rayon::Scope<'s>, task: DirTask) {
        match fs::read_dir(&task.abs) {
            Ok(listing) => self.visit_listing(scope, task, listing),
            // BuildKit ignores permission errors inside excluded directories.
            Err(e) if task.excluded && e.kind() == io::ErrorKind::PermissionDenied => {}
            Err(e) => self.warn(&task.rel, format!("cannot read directory: {e}")),
        }
    }

    fn visit_listing<'s>(&'s self, scope: &rayon::Scope<'s>, task: DirTask, listing: fs::ReadDir) {
        let mut found = Vec::new();
        let mut excluded_dirs = Vec::new();
        let mut warnings = Vec::new();
        for item in listing {
            let item = match item {
                Ok(item) => item,
                Err(e) => {
                    warnings.push(warning(
                        &task.rel,
                        format!("cannot list directory entry: {e}"),
                    ));
                    continue;
                }
            };
            let file_name = item.file_name();
            let name = file_name.to_string_lossy();
            let rel = if task.rel.is_empty() {
                name.to_string()
            } else {
                format!("{}/{name}", task.rel)
            };
            if file_name.to_str().is_none() {
                warnings.push(warning(
                    &rel,
                    "name is not valid UTF-8; matched in lossy form".to_owned(),
                ));
            }
            let file_type = match item.file_type() {
                Ok(file_type) => file_type,
                Err(e) => {
                    warnings.push(warning(&rel, format!("cannot stat: {e}")));
                    continue;
                }
            };
            if file_type.is_dir() {
                let (excluded, ancestors) = match self.ignore {
                    Some(ignore) => ignore.check_dir(&rel, &task.ancestors),
                    None => (false, AncestorMatches::default()),
                };
                if excluded {
                    if self.ignore.is_some_and(|i| i.can_skip_excluded_dir(&rel)) {
                        continue;
                    }
                    excluded_dirs.push(rel.clone());
                } else {
                    found.push(ContextEntry {
                        path: rel.clone(),
                        kind: EntryKind::Dir,
                        size: 0,
                    });
                }
                let child = DirTask {
                    abs: item.path(),
                    rel,
                    ancestors,
                    excluded,
                };
                scope.spawn(move |scope| self.visit(scope, child));
                continue;
            }
            if self.ignore.is_some_and(|i| i.check(&rel, &task.ancestors)) {
                continue;
            }
            let kind = if file_type.is_file() {
                EntryKind::File
            } else if file_type.is_symlink() {
                EntryKind::Symlink
            } else {
                EntryKind::Other
            };
            let size = match kind {
                // `DirEntry::metadata` does not follow symlinks: a link's size
                // is the length of its target path.
                EntryKind::File | EntryKind::Symlink => match item.metadata() {
                    Ok(metadata) => metadata.len(),
                    Err(e) => {
                        warnings.push(warning(&rel, format!("cannot read size: {e}")));
                        0
                    }
                },
                EntryKind::Dir | EntryKind::Other => 0,
            };
            found.push(ContextEntry {
                path: rel,
                kind,
                size,
            });
        }
        if !found.is_empty() {
            lock(&self.entries).extend(found);
        }
        if !excluded_dirs.is_empty() {
            lock(&self.excluded_dirs).extend(excluded_dirs);
        }
        if !warnings.is_empty() {
            lock(&self.warnings).extend(warnings);
        }
    }

    fn warn(&self, rel: &str, message: String) {
        lock(&self.warnings).push(warning(rel, message));
    }
}

fn warning(rel: &str, message: String) -> ContextWarning {
    ContextWarning {
        path: if rel.is_empty() {
            ".".to_owned()
        } else {
            rel.to_owned()
        },
        message,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking walker thread cannot leave the vectors half-written in a
    // way that matters here; keep going with what is there.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
