//! `.dockerignore` with BuildKit's exact semantics.
//!
//! Reading follows `moby/patternmatcher/ignorefile`: a UTF-8 BOM is dropped
//! from the first line; a line whose *first character* is `#` is a comment
//! (`  # x` is the pattern `# x`); every other line is trimmed, blank lines are
//! skipped; a leading `!` marks an exception and is trimmed off; the rest is
//! cleaned with Go's `filepath.Clean` (`a/../b` → `b`, `dir/` → `dir`) and one
//! leading `/` is removed, so `/dir` means `dir` at the context root.
//!
//! Matching follows `moby/patternmatcher` as driven by BuildKit's context walk
//! (`tonistiigi/fsutil`): patterns use Go's `filepath.Match` syntax (validated
//! by Go's rules), plus `**` for any number of directories. A pattern that
//! matches a directory also matches everything beneath it. Patterns apply in
//! order and the last one that matches decides, so `*.md` then `!README.md`
//! keeps `README.md`, while the reverse order excludes it. An exception can
//! re-include a file inside an excluded directory (`docs` then
//! `!docs/keep.md`).
//!
//! Directory walks can skip an excluded directory when no exception could
//! re-include anything inside it; [`DockerIgnore::can_skip_excluded_dir`] is
//! BuildKit's own rule for that, so skipping never changes the result.

mod go_regex;
mod pattern;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::gopath;
use pattern::{CompileError, PathMatcher};

/// A parsed `.dockerignore` (or a list of `COPY --exclude` patterns).
#[derive(Clone, Debug, Default)]
pub struct DockerIgnore {
    patterns: Vec<IgnorePattern>,
    skip_rule: SkipRule,
    origin: Option<PathBuf>,
}

#[derive(Clone, Debug)]
struct IgnorePattern {
    /// The cleaned pattern without its `!`.
    text: String,
    exception: bool,
    matcher: PathMatcher,
}

/// When an excluded directory may be skipped without reading it (BuildKit's
/// `onlyPrefixExcludeExceptions` rule).
#[derive(Clone, Debug, Default)]
enum SkipRule {
    /// No exceptions: every excluded directory can be skipped.
    #[default]
    Always,
    /// Only literal exceptions: skip unless one of them lies inside the
    /// directory. Each entry is the exception without a trailing `/**` or
    /// `/*`, followed by `/`.
    UnlessExceptionBelow(Vec<String>),
    /// Some exception has wildcards: anything might be re-included.
    Never,
}

/// Which patterns matched a directory or one of its ancestors. Hand a
/// directory's value to the checks of its children; the default value means
/// "unknown", and ancestors are then tested directly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AncestorMatches {
    hits: Vec<bool>,
}

/// A pattern Docker would reject (or that this implementation cannot model).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreError {
    /// 1-based line in the ignore file (or position in a pattern list).
    pub line: usize,
    /// The pattern as Docker sees it after reading (trimmed and cleaned).
    pub pattern: String,
    pub kind: IgnoreErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IgnoreErrorKind {
    /// A `!` with nothing after it (Docker: `illegal exclusion pattern: "!"`).
    LoneExclamation,
    /// Malformed per Go's `filepath.Match` (Docker: `syntax error in pattern`).
    Syntax,
    /// Docker's regexp translation of the pattern does not compile, so Docker
    /// fails the build when it first matches a path.
    Regex(String),
    /// Valid for Docker (it passes the construct to Go's regexp) but not
    /// modelled here, e.g. `\pL`.
    Unsupported(String),
}

impl fmt::Display for IgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            IgnoreErrorKind::LoneExclamation => write!(f, "illegal exclusion pattern \"!\""),
            IgnoreErrorKind::Syntax => write!(f, "syntax error in pattern `{}`", self.pattern),
            IgnoreErrorKind::Regex(reason) => {
                write!(f, "invalid pattern `{}`: {reason}", self.pattern)
            }
            IgnoreErrorKind::Unsupported(what) => write!(
                f,
                "pattern `{}` uses {what}, which dockstage does not support",
                self.pattern
            ),
        }
    }
}

impl std::error::Error for IgnoreError {}

/// Failure to read or parse an ignore file found on disk.
#[derive(Debug)]
pub enum LoadIgnoreError {
    Io { path: PathBuf, source: io::Error },
    Parse { path: PathBuf, source: IgnoreError },
}

impl fmt::Display for LoadIgnoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadIgnoreError::Io { path, source } => {
                write!(f, "cannot read {}: {source}", path.display())
            }
            LoadIgnoreError::Parse { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for LoadIgnoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadIgnoreError::Io { source, .. } => Some(source),
            LoadIgnoreError::Parse { source, .. } => Some(source),
        }
    }
}

impl DockerIgnore {
    /// Parse the text of a `.dockerignore` file.
    pub fn parse(text: &str) -> Result<DockerIgnore, IgnoreError> {
        DockerIgnore::compile(read_lines(text))
    }

    /// Compile patterns given directly, as `COPY --exclude=PATTERN` does. Unlike
    /// the file reader, this does not strip a leading `/` (BuildKit passes
    /// `--exclude` values to the matcher as they are), so `/x` never matches.
    pub fn from_patterns<I, S>(patterns: I) -> Result<DockerIgnore, IgnoreError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        DockerIgnore::compile(
            patterns
                .into_iter()
                .enumerate()
                .map(|(index, p)| (index + 1, p.as_ref().to_owned())),
        )
    }

    /// The ignore file BuildKit would use for this Dockerfile and context:
    /// `<Dockerfile name>.dockerignore` next to the Dockerfile wins over
    /// `<context>/.dockerignore` (even when empty). `Ok(None)` when neither
    /// exists.
    pub fn load_for(
        dockerfile: &Path,
        context: &Path,
    ) -> Result<Option<DockerIgnore>, LoadIgnoreError> {
        let mut candidates = Vec::with_capacity(2);
        if let Some(name) = dockerfile.file_name() {
            let mut specific = name.to_os_string();
            specific.push(".dockerignore");
            candidates.push(dockerfile.with_file_name(specific));
        }
        candidates.push(context.join(".dockerignore"));
        for path in candidates {
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                // BuildKit treats a missing (or unreadable-as-file) ignore file
                // as absent and moves on to the next candidate.
                Err(e) if e.kind() == io::ErrorKind::NotFound || path.is_dir() => continue,
                Err(source) => return Err(LoadIgnoreError::Io { path, source }),
            };
            let text = String::from_utf8_lossy(&bytes);
            return match DockerIgnore::parse(&text) {
                Ok(mut ignore) => {
                    ignore.origin = Some(path);
                    Ok(Some(ignore))
                }
                Err(source) => Err(LoadIgnoreError::Parse { path, source }),
            };
        }
        Ok(None)
    }

    /// The file this was loaded from, when it came from [`DockerIgnore::load_for`].
    pub fn origin(&self) -> Option<&Path> {
        self.origin.as_deref()
    }

    /// Number of effective patterns (comments and blank lines excluded).
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The effective patterns in order, as `(cleaned pattern, is_exception)`.
    pub fn patterns(&self) -> impl Iterator<Item = (&str, bool)> {
        self.patterns.iter().map(|p| (p.text.as_str(), p.exception))
    }

    /// Whether `rel_path` (relative to the context; `./`, a leading `/` and a
    /// trailing `/` are accepted) is left out of the build context.
    ///
    /// `is_dir` does not change the answer: after cleaning, Docker's patterns
    /// cannot tell files from directories. It is accepted so callers need not
    /// know that. The context root itself is never excluded.
    pub fn is_excluded(&self, rel_path: &str, is_dir: bool) -> bool {
        let _ = is_dir;
        let cleaned = gopath::clean(rel_path);
        let path = cleaned.strip_prefix('/').unwrap_or(&cleaned);
        if path.is_empty() || path == "." {
            return false;
        }
        // Evaluate ancestors first, exactly as a walk from the root would.
        let mut parent = AncestorMatches::default();
        for (index, _) in path.match_indices('/') {
            let (_, matches) = self.check_dir(&path[..index], &parent);
            parent = matches;
        }
        self.check(path, &parent)
    }

    /// Whether a walked path is excluded, given its parent directory's
    /// [`AncestorMatches`]. `rel_path` must be clean and relative.
    pub fn check(&self, rel_path: &str, parent: &AncestorMatches) -> bool {
        self.evaluate(rel_path, parent, None)
    }

    /// Like [`DockerIgnore::check`] for a directory, also returning what its
    /// children need.
    pub fn check_dir(&self, rel_dir: &str, parent: &AncestorMatches) -> (bool, AncestorMatches) {
        let mut hits = Vec::with_capacity(self.patterns.len());
        let excluded = self.evaluate(rel_dir, parent, Some(&mut hits));
        (excluded, AncestorMatches { hits })
    }

    /// For a directory already found excluded: can a walk skip its contents?
    /// True unless some exception might re-include something inside it.
    /// This is BuildKit's rule; where it skips, BuildKit sends nothing from the
    /// directory either.
    pub fn can_skip_excluded_dir(&self, rel_dir: &str) -> bool {
        match &self.skip_rule {
            SkipRule::Always => true,
            SkipRule::Never => false,
            SkipRule::UnlessExceptionBelow(prefixes) => {
                let dir = rel_dir.strip_suffix('/').unwrap_or(rel_dir);
                !prefixes.iter().any(|prefix| {
                    prefix.len() > dir.len()
                        && prefix.starts_with(dir)
                        && prefix.as_bytes()[dir.len()] == b'/'
                })
            }
        }
    }

    /// Patternmatcher's `MatchesUsingParentResults`: the last matching pattern
    /// wins; a pattern matches a path when it matches the path or (known from
    /// the parent, or tested directly when unknown) one of its ancestors.
    ///
    /// A pattern that cannot change the outcome at its position is not
    /// evaluated and then counts as "not matched" for the children too. That
    /// is Docker's behaviour and it is observable, so it is kept.
    fn evaluate(&self, path: &str, parent: &AncestorMatches, mut out: Option<&mut Vec<bool>>) -> bool {
        let known = !parent.hits.is_empty() && parent.hits.len() == self.patterns.len();
        if let Some(out) = out.as_deref_mut() {
            out.clear();
            out.resize(self.patterns.len(), false);
        }
        let mut excluded = false;
        for (index, pattern) in self.patterns.iter().enumerate() {
            let mut hit = known && parent.hits[index];
            if !hit {
                if pattern.exception != excluded {
                    continue;
                }
                hit = pattern.matcher.is_match(path);
                if !hit && !known {
                    hit = path
                        .match_indices('/')
                        .any(|(end, _)| pattern.matcher.is_match(&path[..end]));
                }
            }
            if let Some(out) = out.as_deref_mut() {
                out[index] = hit;
            }
            if hit {
                excluded = !pattern.exception;
            }
        }
        excluded
    }

    /// Patternmatcher's `New`: trim, clean, split off `!`, validate, compile.
    fn compile(lines: impl IntoIterator<Item = (usize, String)>) -> Result<DockerIgnore, IgnoreError> {
        let mut patterns = Vec::new();
        for (line, raw) in lines {
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let cleaned = gopath::clean(trimmed);
            let (exception, text) = match cleaned.strip_prefix('!') {
                Some("") => {
                    return Err(IgnoreError {
                        line,
                        pattern: cleaned,
                        kind: IgnoreErrorKind::LoneExclamation,
                    });
                }
                Some(rest) => (true, rest.to_owned()),
                None => (false, cleaned),
            };
            let error = |kind| IgnoreError {
                line,
                pattern: text.clone(),
                kind,
            };
            if gopath::match_path(&text, ".").is_err() {
                return Err(error(IgnoreErrorKind::Syntax));
            }
            let matcher = pattern::compile(&text).map_err(|e| {
                error(match e {
                    CompileError::Invalid(reason) => IgnoreErrorKind::Regex(reason),
                    CompileError::Unsupported(what) => IgnoreErrorKind::Unsupported(what),
                })
            })?;
            patterns.push(IgnorePattern {
                text,
                exception,
                matcher,
            });
        }
        let skip_rule = skip_rule(&patterns);
        Ok(DockerIgnore {
            patterns,
            skip_rule,
            origin: None,
        })
    }
}

/// `ignorefile.ReadAll`: the patterns of an ignore file with their line numbers.
fn read_lines(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut patterns = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        // Comments are recognised before trimming: only `#` in column one.
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let exception = pattern.starts_with('!');
        if exception {
            pattern = pattern[1..].trim();
        }
        let mut normalized = String::new();
        if !pattern.is_empty() {
            normalized = gopath::clean(pattern);
            if normalized.len() > 1 && normalized.starts_with('/') {
                normalized.remove(0);
            }
        }
        if exception {
            normalized.insert(0, '!');
        }
        patterns.push((index + 1, normalized));
    }
    patterns
}

fn skip_rule(patterns: &[IgnorePattern]) -> SkipRule {
    let mut prefixes = Vec::new();
    for pattern in patterns.iter().filter(|p| p.exception) {
        let text = pattern.text.as_str();
        let base = text.strip_suffix("/**").unwrap_or(text);
        let base = base.strip_suffix("/*").unwrap_or(base);
        if base.contains(['*', '[', ']', '?', '^', '\\']) {
            return SkipRule::Never;
        }
        prefixes.push(format!("{base}/"));
    }
    if prefixes.is_empty() {
        SkipRule::Always
    } else {
        SkipRule::UnlessExceptionBelow(prefixes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(text: &str) -> DockerIgnore {
        DockerIgnore::parse(text).unwrap_or_else(|e| panic!("parse {text:?}: {e}"))
    }

    #[test]
    fn reader_normalises_like_ignorefile() {
        let text = "\u{feff}test1\n/test2\n/a/file/here\n\nlastfile\n# comment\n! /inverted/abs/path\n  # not a comment\nsub/dir/\nx/../y\r\n";
        let got: Vec<_> = ignore(text).patterns().map(|(p, e)| (p.to_owned(), e)).collect();
        let want = [
            ("test1", false),
            ("test2", false),
            ("a/file/here", false),
            ("lastfile", false),
            ("inverted/abs/path", true),
            ("# not a comment", false),
            ("sub/dir", false),
            ("y", false),
        ];
        let want: Vec<_> = want.iter().map(|(p, e)| (p.to_string(), *e)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn lone_exclamation_is_an_error_with_its_line() {
        for text in ["a\n\n!\n", "a\n\n! \n", "a\n\n!/\n"] {
            let error = DockerIgnore::parse(text).unwrap_err();
            assert_eq!(error.line, 3, "{text:?}");
            assert_eq!(error.kind, IgnoreErrorKind::LoneExclamation);
        }
    }

    #[test]
    fn malformed_patterns_are_rejected() {
        let error = DockerIgnore::parse("ok\n[z-\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(error.kind, IgnoreErrorKind::Syntax);
        assert!(DockerIgnore::parse("a\\").is_err());
        assert!(DockerIgnore::parse("[]a]").is_err());
        // Valid for Go's Match, rejected by Go's regexp (reversed range).
        let error = DockerIgnore::parse("[a-*]").unwrap_err();
        assert!(matches!(error.kind, IgnoreErrorKind::Regex(_)), "{error:?}");
    }

    #[test]
    fn last_match_wins() {
        let keep_readme = ignore("*.md\n!README.md\n");
        assert!(keep_readme.is_excluded("CHANGES.md", false));
        assert!(!keep_readme.is_excluded("README.md", false));
        let drop_all = ignore("!README.md\n*.md\n");
        assert!(drop_all.is_excluded("README.md", false));
    }

    #[test]
    fn directory_match_covers_descendants_and_exceptions_reinclude() {
        let rules = ignore("docs\n!docs/keep.md\n");
        assert!(rules.is_excluded("docs", true));
        assert!(rules.is_excluded("docs/a/b.txt", false));
        assert!(!rules.is_excluded("docs/keep.md", false));
        assert!(!rules.can_skip_excluded_dir("docs"));
        assert!(rules.can_skip_excluded_dir("other"));
        assert!(rules.can_skip_excluded_dir("docsite"));
    }

    #[test]
    fn wildcard_exceptions_disable_skipping() {
        let rules = ignore("vendor\n!**/*.go\n");
        assert!(!rules.can_skip_excluded_dir("vendor"));
        assert!(!rules.is_excluded("vendor/x/y.go", false));
        assert!(rules.is_excluded("vendor/x/y.c", false));
        assert!(ignore("vendor\n").can_skip_excluded_dir("vendor"));
        assert!(ignore("a\n!a/**\n").patterns().count() == 2);
        assert!(!ignore("a\n!a/**\n").can_skip_excluded_dir("a"));
    }

    #[test]
    fn skipped_patterns_do_not_propagate_like_docker() {
        // `a/x` is excluded first; `!a` was skipped while evaluating `a`
        // (nothing to undo there), so it is unknown to `a/x` and cannot
        // re-include it. A one-shot matcher would say the opposite.
        let rules = ignore("a/x\n!a\n");
        assert!(rules.is_excluded("a/x", false));
    }

    #[test]
    fn root_is_never_excluded() {
        let rules = ignore("*\n");
        assert!(!rules.is_excluded(".", true));
        assert!(!rules.is_excluded("/", true));
        assert!(rules.is_excluded("./a", false));
        assert!(rules.is_excluded("/a/", true));
    }

    #[test]
    fn from_patterns_keeps_leading_slash() {
        let excludes = DockerIgnore::from_patterns(["/a.txt"]).unwrap();
        assert!(!excludes.is_excluded("a.txt", false));
        let excludes = DockerIgnore::from_patterns(["*.txt"]).unwrap();
        assert!(excludes.is_excluded("a.txt", false));
    }
}
