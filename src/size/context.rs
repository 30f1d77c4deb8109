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

use std::cmp::Ordering;
use std::fmt;
use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::dockerignore::{AncestorMatches, DockerIgnore, IgnoreError, LoadIgnoreError};
use super::gopath;

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

/// The size of what one `COPY`/`ADD` source selects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourceMeasure {
    /// Bytes of regular files and symlinks.
    pub bytes: u64,
    /// Non-directory entries (files, symlinks, special files).
    pub files: u64,
    /// Directories created beneath the destination.
    pub dirs: u64,
    /// False when the source selects nothing that exists in the (filtered)
    /// context: the caller reports a missing source. BuildKit fails the build
    /// for a missing literal path but accepts a wildcard that matches nothing,
    /// which is why [`SourceMeasure::wildcard`] is reported too.
    pub matched: bool,
    /// The source contained `*`, `?` or `[`.
    pub wildcard: bool,
}

impl SourceMeasure {
    fn add(&mut self, totals: Totals) {
        self.bytes += totals.bytes;
        self.files += totals.files;
        self.dirs += totals.dirs;
    }
}

/// Options of a `COPY`/`ADD` instruction that change what a source selects.
///
/// * `--exclude=PATTERN` (repeatable) uses the `.dockerignore` matcher. For a
///   directory source the patterns are matched against paths relative to that
///   directory, as BuildKit does (`--exclude=*.txt dir` drops `dir/a.txt` but
///   not `dir/sub/a.txt`; use `**/*.txt` for that). A file that is itself a
///   source, named or matched by a wildcard, is tested by its base name, which
///   gives the documented result for `COPY --exclude=*.txt hom* /mydir/`.
/// * `--parents` keeps the source's parent directories in the destination. The
///   bytes copied are the same files; only the layout differs. Two details
///   follow BuildKit's implementation: the source becomes a pattern relative
///   to the context root (or to the pivot before `/./`, as in `a/./b/c`), so
///   `**` spans directories and `--exclude` patterns are matched relative to
///   that same root.
#[derive(Clone, Debug, Default)]
pub struct CopyFilter {
    exclude_patterns: Vec<String>,
    excludes: Option<DockerIgnore>,
    parents: bool,
}

impl CopyFilter {
    pub fn new() -> CopyFilter {
        CopyFilter::default()
    }

    /// Add `--exclude` patterns, in order. An error names the pattern's
    /// 1-based position among all patterns added so far.
    pub fn exclude<I, S>(mut self, patterns: I) -> Result<CopyFilter, IgnoreError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.exclude_patterns
            .extend(patterns.into_iter().map(|p| p.as_ref().to_owned()));
        let compiled = DockerIgnore::from_patterns(&self.exclude_patterns)?;
        self.excludes = (!compiled.is_empty()).then_some(compiled);
        Ok(self)
    }

    /// Set `--parents`.
    pub fn parents(mut self, parents: bool) -> CopyFilter {
        self.parents = parents;
        self
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

#[derive(Clone, Copy, Debug, Default)]
struct Totals {
    bytes: u64,
    files: u64,
    dirs: u64,
}

impl ContextIndex {
    /// Index `context`, applying the ignore file BuildKit would pick for
    /// `dockerfile` (see [`DockerIgnore::load_for`]).
    pub fn build_for(dockerfile: &Path, context: &Path) -> Result<ContextIndex, ContextError> {
        let ignore = DockerIgnore::load_for(dockerfile, context).map_err(ContextError::Ignore)?;
        ContextIndex::build(context, ignore.as_ref())
    }

    /// Index `context`, leaving out what `ignore` excludes.
    pub fn build(context: &Path, ignore: Option<&DockerIgnore>) -> Result<ContextIndex, ContextError> {
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

        let walk = Walk {
            ignore: ignore.filter(|i| !i.is_empty()),
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

        let mut entries = into_inner(walk.entries);
        let excluded_dirs = into_inner(walk.excluded_dirs);
        let mut warnings = into_inner(walk.warnings);
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

    /// The whole context as Docker would send it.
    pub fn total(&self) -> SourceMeasure {
        self.measure(".")
    }

    /// Measure one `COPY`/`ADD` source as written: relative to the context
    /// (a leading `/` or `./` is allowed, `..` cannot leave the context), `.`
    /// for everything, a directory (everything beneath it), a file, or a Go
    /// `filepath.Match` wildcard (`*`, `?`, `[...]`, `\` escapes), which is
    /// matched per path segment as BuildKit resolves it.
    pub fn measure(&self, source: &str) -> SourceMeasure {
        self.measure_with(source, &CopyFilter::default())
    }

    /// [`ContextIndex::measure`] with `--exclude` and `--parents`.
    pub fn measure_with(&self, source: &str, filter: &CopyFilter) -> SourceMeasure {
        if filter.parents {
            return self.measure_with_parents(source, filter.excludes.as_ref());
        }
        let path = context_relative(source);
        let segments: Vec<&str> = if path.is_empty() {
            Vec::new()
        } else {
            path.split('/').collect()
        };
        let first_wildcard = segments.iter().position(|s| gopath::contains_wildcards(s));
        let excludes = filter.excludes.as_ref();
        let Some(split) = first_wildcard else {
            let mut measure = SourceMeasure::default();
            if let Some(totals) = self.measure_root(&path, excludes) {
                measure.matched = true;
                measure.add(totals);
            }
            return measure;
        };

        let mut measure = SourceMeasure {
            wildcard: true,
            ..SourceMeasure::default()
        };
        let base = segments[..split].join("/");
        let pattern = segments[split..].join("/");
        if !base.is_empty() && !self.is_dir(&base) {
            return measure;
        }
        // Without a bracket class, a match has exactly as many `/` as the
        // pattern, so a directory at that depth that does not match cannot
        // contain a match either.
        let depth_bound = (!pattern.contains('[')).then(|| pattern.matches('/').count());
        let range = if base.is_empty() {
            0..self.entries.len()
        } else {
            subtree_range(&self.entries, &base)
        };
        let mut index = range.start;
        while index < range.end {
            let entry = &self.entries[index];
            let relative = strip_dir_prefix(&entry.path, &base);
            let is_dir = entry.kind == EntryKind::Dir;
            // BuildKit ignores pattern errors here: a bad pattern matches nothing.
            if gopath::match_path(&pattern, relative).unwrap_or(false) {
                measure.matched = true;
                if let Some(totals) = self.measure_root(&entry.path, excludes) {
                    measure.add(totals);
                }
                if is_dir {
                    // BuildKit copies a matched directory whole and does not
                    // look for further matches inside it.
                    index = subtree_range(&self.entries, &entry.path).end;
                    continue;
                }
            } else if is_dir && depth_bound.is_some_and(|d| relative.matches('/').count() >= d) {
                index = subtree_range(&self.entries, &entry.path).end;
                continue;
            }
            index += 1;
        }
        measure
    }

    /// A single resolved source path (no wildcards): a file, or a directory
    /// whose contents are copied. `None` when it is not in the context.
    fn measure_root(&self, path: &str, excludes: Option<&DockerIgnore>) -> Option<Totals> {
        if path.is_empty() {
            return Some(self.sum_subtree(0..self.entries.len(), "", excludes, None));
        }
        if let Ok(found) = self.find(path) {
            let entry = &self.entries[found];
            if entry.kind != EntryKind::Dir {
                let name = path.rsplit('/').next().unwrap_or(path);
                if excludes.is_some_and(|e| e.is_excluded(name, false)) {
                    return Some(Totals::default());
                }
                return Some(Totals {
                    bytes: entry.size,
                    files: 1,
                    dirs: 0,
                });
            }
        }
        let range = subtree_range(&self.entries, path);
        if range.is_empty() && self.find(path).is_err() {
            return None;
        }
        Some(self.sum_subtree(range, path, excludes, None))
    }

    /// `--parents`: the source is an include pattern relative to the pivot.
    fn measure_with_parents(&self, source: &str, excludes: Option<&DockerIgnore>) -> SourceMeasure {
        let (pivot, pattern) = match source.split_once("/./") {
            Some((pivot, pattern)) => (context_relative(pivot), context_relative(pattern)),
            None => (String::new(), context_relative(source)),
        };
        let mut measure = SourceMeasure {
            wildcard: pattern.split('/').any(gopath::contains_wildcards),
            ..SourceMeasure::default()
        };
        if !pivot.is_empty() && !self.is_dir(&pivot) {
            return measure;
        }
        let pivot_range = if pivot.is_empty() {
            0..self.entries.len()
        } else {
            subtree_range(&self.entries, &pivot)
        };
        if pattern.is_empty() {
            // `--parents .` (or `dir/./`): everything under the pivot.
            measure.matched = !pivot_range.is_empty() || !pivot.is_empty();
            measure.add(self.sum_subtree(pivot_range, &pivot, excludes, None));
            return measure;
        }
        // BuildKit fails the build on an invalid pattern; here it selects nothing.
        let Ok(include) = DockerIgnore::from_patterns([pattern.as_str()]) else {
            return measure;
        };
        let totals = self.sum_subtree(pivot_range, &pivot, excludes, Some(&include));
        measure.matched = totals.files > 0 || totals.dirs > 0;
        measure.add(totals);
        measure
    }

    /// Sum the entries in `range` (a subtree, in index order), with paths
    /// taken relative to `base` for the optional include and exclude matchers.
    fn sum_subtree(
        &self,
        range: Range<usize>,
        base: &str,
        excludes: Option<&DockerIgnore>,
        include: Option<&DockerIgnore>,
    ) -> Totals {
        if excludes.is_none() && include.is_none() {
            return Totals {
                bytes: self.prefix_bytes[range.end] - self.prefix_bytes[range.start],
                files: self.prefix_files[range.end] - self.prefix_files[range.start],
                dirs: self.prefix_dirs[range.end] - self.prefix_dirs[range.start],
            };
        }
        struct Open<'a> {
            dir: &'a str,
            excluded: AncestorMatches,
            included: AncestorMatches,
        }
        let unknown = AncestorMatches::default();
        let mut open: Vec<Open<'_>> = Vec::new();
        let mut totals = Totals::default();
        let mut index = range.start;
        while index < range.end {
            let entry = &self.entries[index];
            while open.last().is_some_and(|o| !is_strictly_below(&entry.path, o.dir)) {
                open.pop();
            }
            let (parent_excluded, parent_included) = match open.last() {
                Some(o) => (&o.excluded, &o.included),
                None => (&unknown, &unknown),
            };
            let relative = strip_dir_prefix(&entry.path, base);
            if entry.kind == EntryKind::Dir {
                let (excluded, exclude_state) = match excludes {
                    Some(m) => m.check_dir(relative, parent_excluded),
                    None => (false, AncestorMatches::default()),
                };
                let (included, include_state) = match include {
                    Some(m) => m.check_dir(relative, parent_included),
                    None => (true, AncestorMatches::default()),
                };
                if excluded && include.is_none() && excludes.is_some_and(|m| m.can_skip_excluded_dir(relative)) {
                    index = subtree_range(&self.entries, &entry.path).end;
                    continue;
                }
                if included && !excluded {
                    totals.dirs += 1;
                }
                open.push(Open {
                    dir: &entry.path,
                    excluded: exclude_state,
                    included: include_state,
                });
            } else {
                let excluded = excludes.is_some_and(|m| m.check(relative, parent_excluded));
                let included = include.is_none_or(|m| m.check(relative, parent_included));
                if included && !excluded {
                    totals.bytes += entry.size;
                    totals.files += 1;
                }
            }
            index += 1;
        }
        totals
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
                    warnings.push(warning(&task.rel, format!("cannot list directory entry: {e}")));
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
                warnings.push(warning(&rel, "name is not valid UTF-8; matched in lossy form".to_owned()));
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
            found.push(ContextEntry { path: rel, kind, size });
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
        path: if rel.is_empty() { ".".to_owned() } else { rel.to_owned() },
        message,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking walker thread cannot leave the vectors half-written in a
    // way that matters here; keep going with what is there.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A source path as BuildKit resolves it: joined to `/` and cleaned (so `..`
/// stops at the context root), then made relative. `""` is the root.
fn context_relative(source: &str) -> String {
    let cleaned = gopath::clean(&format!("/{source}"));
    cleaned.trim_start_matches('/').to_owned()
}

/// Order paths segment by segment: `/` sorts before every other byte, so a
/// directory is immediately followed by everything beneath it (`a`, `a/b`,
/// `a/b/c`, `a-b`), and every subtree is one contiguous range.
fn compare_paths(a: &str, b: &str) -> Ordering {
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
fn subtree_range(entries: &[ContextEntry], dir: &str) -> Range<usize> {
    let start = entries.partition_point(|e| compare_paths(&e.path, dir) != Ordering::Greater);
    let len = entries[start..].partition_point(|e| is_strictly_below(&e.path, dir));
    start..start + len
}

fn is_strictly_below(path: &str, dir: &str) -> bool {
    path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

/// `path` relative to directory `dir` (`""` for the root).
fn strip_dir_prefix<'p>(path: &'p str, dir: &str) -> &'p str {
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
