//! The build context on disk, measured once and queried per `COPY`/`ADD` source.
//!
//! [`ContextIndex::build`] walks the context directory in parallel (rayon, one
//! task per directory), applies the [`DockerIgnore`] exactly as BuildKit's
//! context transfer does (`.gitignore` files mean nothing to Docker and are not
//! read), and keeps every included entry with its size in one sorted vector
//! plus prefix sums, so a directory source is two binary searches.
//!
//! Sizes: a regular file counts its length; a symbolic link counts the length
//! of the link itself (its target path) and is never followed, so nothing
//! outside the context is ever read; directories count zero bytes.
//! Unreadable directories and entries become [`ContextWarning`]s.
//!
//! This file holds the index and how it is built; `measure.rs` answers the
//! queries and `walk.rs` reads the disk.

mod measure;
mod path_order;
mod walk;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::dockerignore::{DockerIgnore, LoadIgnoreError};
use super::range::MB;
use crate::knowledge::secret_files;
use path_order::{compare_paths, subtree_range};
use walk::{walk, Walked};

pub use measure::{CopyFilter, SourceMeasure};

/// What kind of entry the context holds at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    /// Sized as the link itself, never followed.
    Symlink,
    /// Sockets, FIFOs, devices: sent by Docker as empty entries.
    Other,
}

/// One included entry of the context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// Relative to the context root, `/`-separated, no leading `/`. Names that
    /// are not valid UTF-8 are converted lossily (and reported as a warning).
    pub path: String,
    pub kind: EntryKind,
    /// Bytes: file length, link length for symlinks, 0 otherwise.
    pub size: u64,
}

/// Something that could not be measured; the index is still usable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextWarning {
    /// Relative to the context root (`.` for the root itself).
    pub path: String,
    pub message: String,
}

impl fmt::Display for ContextWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The context could not be indexed at all.
#[derive(Debug)]
pub enum ContextError {
    /// The context root is missing, not a directory, or unreadable.
    Root { path: PathBuf, source: io::Error },
    /// The ignore file exists but cannot be read or parsed.
    Ignore(LoadIgnoreError),
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::Root { path, source } => {
                write!(f, "cannot read build context {}: {source}", path.display())
            }
            ContextError::Ignore(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ContextError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ContextError::Root { source, .. } => Some(source),
            ContextError::Ignore(error) => Some(error),
        }
    }
}

/// Every included entry of a build context, sorted for prefix queries.
#[derive(Clone, Debug)]
pub struct ContextIndex {
    root: PathBuf,
    /// Sorted segment by segment (a directory is directly followed by
    /// everything beneath it), see [`compare_paths`].
    entries: Vec<ContextEntry>,
    /// `prefix_bytes[i]` is the byte total of `entries[..i]`; same for the
    /// other two.
    prefix_bytes: Vec<u64>,
    prefix_files: Vec<u64>,
    prefix_dirs: Vec<u64>,
    warnings: Vec<ContextWarning>,
}

impl ContextIndex {
    /// Index `context`, applying the ignore file BuildKit would pick for
    /// `dockerfile` (see [`DockerIgnore::load_for`]).
    pub fn build_for(dockerfile: &Path, context: &Path) -> Result<ContextIndex, ContextError> {
        let ignore = DockerIgnore::load_for(dockerfile, context).map_err(ContextError::Ignore)?;
        ContextIndex::build(context, ignore.as_ref())
    }

    /// Index `context`, leaving out what `ignore` excludes.
    pub fn build(
        context: &Path,
        ignore: Option<&DockerIgnore>,
    ) -> Result<ContextIndex, ContextError> {
        let root_error = |source| ContextError::Root {
            path: context.to_path_buf(),
            source,
        };
        let metadata = fs::metadata(context).map_err(root_error)?;
        if !metadata.is_dir() {
            return Err(root_error(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a directory",
            )));
        }
        // Fail early (rather than warn) when the root itself is unreadable.
        let root_listing = fs::read_dir(context).map_err(root_error)?;

        let Walked {
            mut entries,
            excluded_dirs,
            mut warnings,
        } = walk(context, ignore.filter(|i| !i.is_empty()), root_listing);
        entries.par_sort_unstable_by(|a, b| compare_paths(&a.path, &b.path));
        if !excluded_dirs.is_empty() {
            // An excluded directory that was walked because an exception might
            // apply inside it is still sent when something inside it is.
            let kept: Vec<ContextEntry> = excluded_dirs
                .into_iter()
                .filter(|dir| !subtree_range(&entries, dir).is_empty())
                .map(|path| ContextEntry {
                    path,
                    kind: EntryKind::Dir,
                    size: 0,
                })
                .collect();
            if !kept.is_empty() {
                entries.extend(kept);
                entries.par_sort_unstable_by(|a, b| compare_paths(&a.path, &b.path));
            }
        }
        warnings.sort_by(|a, b| compare_paths(&a.path, &b.path));

        let mut prefix_bytes = Vec::with_capacity(entries.len() + 1);
        let mut prefix_files = Vec::with_capacity(entries.len() + 1);
        let mut prefix_dirs = Vec::with_capacity(entries.len() + 1);
        let (mut bytes, mut files, mut dirs) = (0u64, 0u64, 0u64);
        for entry in &entries {
            prefix_bytes.push(bytes);
            prefix_files.push(files);
            prefix_dirs.push(dirs);
            bytes = bytes.saturating_add(entry.size);
            if entry.kind == EntryKind::Dir {
                dirs += 1;
            } else {
                files += 1;
            }
        }
        prefix_bytes.push(bytes);
        prefix_files.push(files);
        prefix_dirs.push(dirs);

        Ok(ContextIndex {
            root: context.to_path_buf(),
            entries,
            prefix_bytes,
            prefix_files,
            prefix_dirs,
            warnings,
        })
    }

    /// The context directory this index describes.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// All included entries, each directory directly followed by its contents.
    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }

    /// Problems met while walking (unreadable directories, odd names).
    pub fn warnings(&self) -> &[ContextWarning] {
        &self.warnings
    }

    /// A small text file of the context (requirements, lock files), if present
    /// and inside the context.
    pub(crate) fn read_text(&self, path: &str) -> Option<String> {
        read_bounded(&self.root, path, 50 * MB)
    }

    fn find(&self, path: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|entry| compare_paths(&entry.path, path))
    }

    /// A directory in the context (recorded, or implied by entries beneath it).
    fn is_dir(&self, path: &str) -> bool {
        match self.find(path) {
            Ok(found) => self.entries[found].kind == EntryKind::Dir,
            Err(_) => !subtree_range(&self.entries, path).is_empty(),
        }
    }
}

/// A text file inside the context at `root`, if present, no larger than
/// `limit` bytes, and not reached through `..` (symbolic links are not followed).
fn read_bounded(root: &Path, path: &str, limit: u64) -> Option<String> {
    let relative = path.trim_start_matches("./").trim_start_matches('/');
    let full = root.join(relative);
    if !full.starts_with(root)
        || Path::new(relative)
            .components()
            .any(|c| c == std::path::Component::ParentDir)
    {
        return None;
    }
    let meta = fs::symlink_metadata(&full).ok()?;
    if !meta.is_file() || meta.len() > limit {
        return None;
    }
    fs::read_to_string(full).ok()
}

/// How many files of one `COPY` source are read, and how much of each.
const SOURCE_FILES: usize = 32;
const SOURCE_FILE_BYTES: u64 = 256 * 1024;

/// The texts of the files one `COPY`/`ADD` source names in the context at
/// `root`: the file, the files of a folder (not below it), or those a `*`/`?`
/// glob in the last component matches; at most 32 files of 256 KiB. `None`
/// when the source is not there or one of its files cannot be read.
pub fn read_source_texts(root: &Path, source: &str) -> Option<Vec<(String, String)>> {
    let relative = source.trim_start_matches("./").trim_start_matches('/');
    if relative.contains("..") || relative.contains('$') {
        return None;
    }
    let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
    let paths: Vec<String> = if name.contains(['*', '?']) {
        let listing = fs::read_dir(root.join(folder)).ok()?;
        let mut found: Vec<String> = listing
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|file| secret_files::glob(name, file))
            .map(|file| join(folder, &file))
            .collect();
        found.sort();
        found
    } else if root.join(relative).is_dir() {
        let listing = fs::read_dir(root.join(relative)).ok()?;
        let mut found: Vec<String> = listing
            .flatten()
            .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .map(|file| join(relative, &file))
            .collect();
        found.sort();
        found
    } else {
        vec![relative.to_string()]
    };
    if paths.is_empty() || paths.len() > SOURCE_FILES {
        return None;
    }
    paths
        .into_iter()
        .map(|path| {
            let text = read_bounded(root, &path, SOURCE_FILE_BYTES)?;
            Some((path, text))
        })
        .collect()
}

fn join(folder: &str, file: &str) -> String {
    if folder.is_empty() {
        file.to_string()
    } else {
        format!("{}/{file}", folder.trim_end_matches('/'))
    }
}
