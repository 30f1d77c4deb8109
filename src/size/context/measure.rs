//! Queries on the index: what one `COPY`/`ADD` source selects, with `--exclude`
//! and `--parents`, answered from prefix sums where no matcher applies.

use std::ops::Range;

use super::path_order::{context_relative, is_strictly_below, strip_dir_prefix, subtree_range};
use super::{ContextIndex, EntryKind};
use crate::size::dockerignore::{AncestorMatches, DockerIgnore, IgnoreError};
use crate::size::gopath;

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

#[derive(Clone, Copy, Debug, Default)]
struct Totals {
    bytes: u64,
    files: u64,
    dirs: u64,
}

impl ContextIndex {
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
            while open
                .last()
                .is_some_and(|o| !is_strictly_below(&entry.path, o.dir))
            {
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
                if excluded
                    && include.is_none()
                    && excludes.is_some_and(|m| m.can_skip_excluded_dir(relative))
                {
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
}
