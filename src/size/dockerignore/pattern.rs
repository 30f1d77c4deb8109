//! One cleaned ignore pattern, compiled the way `moby/patternmatcher` does.
//!
//! Docker classifies every pattern as an exact path, a prefix (`dir/**`), a
//! suffix (`**/name`, `**.ext`) or a regular expression, and the fast paths
//! are not mere optimisations: `**foo` is a suffix test, so it matches
//! `barfoo` although the equivalent regexp would not. Both are reproduced.

use regex::Regex;

use super::go_regex::{self, TranslateError};

/// How a compiled pattern tests a `/`-separated relative path.
#[derive(Clone, Debug)]
pub(crate) enum PathMatcher {
    /// The path equals the pattern.
    Exact(String),
    /// `literal**`: the path starts with the literal part.
    Prefix(String),
    /// `**literal`: the path ends with the literal part, or equals it without
    /// its leading `/`.
    Suffix(String),
    /// Everything else, through Docker's pattern-to-regexp translation.
    Regex(Regex),
}

impl PathMatcher {
    pub(crate) fn is_match(&self, path: &str) -> bool {
        match self {
            PathMatcher::Exact(literal) => path == literal,
            PathMatcher::Prefix(prefix) => path.starts_with(prefix.as_str()),
            PathMatcher::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix
                        .strip_prefix('/')
                        .is_some_and(|bare| path == bare)
            }
            PathMatcher::Regex(regex) => regex.is_match(path),
        }
    }
}

/// Why Docker's translation of a (syntactically valid) pattern failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CompileError {
    /// Go's regexp rejects the translation; Docker fails the build.
    Invalid(String),
    /// Go accepts it, this implementation does not model it.
    Unsupported(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

/// Compile a cleaned pattern (without its `!`) into a matcher.
pub(crate) fn compile(cleaned: &str) -> Result<PathMatcher, CompileError> {
    let (kind, go_regex) = classify(cleaned);
    Ok(match kind {
        Kind::Exact => PathMatcher::Exact(cleaned.to_owned()),
        // A prefix pattern ends with `**` and a suffix pattern starts with it;
        // both are ASCII, so the byte slicing is on character boundaries.
        Kind::Prefix => PathMatcher::Prefix(cleaned[..cleaned.len() - 2].to_owned()),
        Kind::Suffix => PathMatcher::Suffix(cleaned[2..].to_owned()),
        Kind::Regex => {
            let rust = go_regex::translate(&go_regex).map_err(|error| match error {
                TranslateError::Invalid(message) => CompileError::Invalid(message),
                TranslateError::Unsupported(what) => CompileError::Unsupported(what),
            })?;
            let regex = Regex::new(&rust).map_err(|e| CompileError::Invalid(e.to_string()))?;
            PathMatcher::Regex(regex)
        }
    })
}

/// Walk the pattern as Docker's compiler does, producing its kind and the Go
/// regexp text (meaningful only for `Kind::Regex`).
fn classify(pattern: &str) -> (Kind, String) {
    let chars: Vec<char> = pattern.chars().collect();
    let mut go = String::from("^");
    let mut kind = Kind::Exact;
    let mut pos = 0;
    let mut step = 0;
    while pos < chars.len() {
        let ch = chars[pos];
        pos += 1;
        match ch {
            '*' if chars.get(pos) == Some(&'*') => {
                pos += 1;
                // `**/` is treated as `**`.
                if chars.get(pos) == Some(&'/') {
                    pos += 1;
                }
                if pos == chars.len() {
                    // Trailing `**` accepts everything below.
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        go.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    // Any number of directories, including none.
                    go.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                if step == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                go.push_str("[^/]*");
                kind = Kind::Regex;
            }
            '?' => {
                go.push_str("[^/]");
                kind = Kind::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                go.push('\\');
                go.push(ch);
            }
            '\\' => match chars.get(pos) {
                Some(&next) => {
                    pos += 1;
                    go.push('\\');
                    go.push(next);
                    kind = Kind::Regex;
                }
                None => go.push('\\'),
            },
            '[' | ']' => {
                go.push(ch);
                kind = Kind::Regex;
            }
            _ => go.push(ch),
        }
        step += 1;
    }
    go.push('$');
    (kind, go)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(pattern: &str) -> PathMatcher {
        compile(pattern).unwrap_or_else(|e| panic!("compile {pattern:?}: {e:?}"))
    }

    #[test]
    fn kinds_follow_docker() {
        assert!(matches!(matcher("docs/readme.md"), PathMatcher::Exact(_)));
        assert!(matches!(matcher("docs/**"), PathMatcher::Prefix(p) if p == "docs/"));
        assert!(matches!(matcher("**/foo"), PathMatcher::Suffix(s) if s == "/foo"));
        assert!(matches!(matcher("**"), PathMatcher::Suffix(s) if s.is_empty()));
        assert!(matches!(matcher("**/*.go"), PathMatcher::Regex(_)));
        assert!(matches!(matcher("a*/**"), PathMatcher::Regex(_)));
    }

    #[test]
    fn fast_paths_keep_their_quirks() {
        // `**foo` is a plain suffix test in Docker.
        assert!(matcher("**foo").is_match("barfoo"));
        assert!(matcher("**.go").is_match("deep/dir/main.go"));
        // `**/foo` also matches `foo` at the top.
        assert!(matcher("**/foo").is_match("foo"));
        assert!(matcher("**/foo").is_match("a/b/foo"));
        assert!(!matcher("**/foo").is_match("a/xfoo"));
        // `docs**` matches `docs` itself and siblings starting with `docs`.
        assert!(matcher("docs**").is_match("docs"));
        assert!(matcher("docs**").is_match("docsite/x"));
        // `docs/**` matches only below `docs`.
        assert!(!matcher("docs/**").is_match("docs"));
        assert!(matcher("docs/**").is_match("docs/a/b"));
    }

    #[test]
    fn wildcards_stay_within_a_segment() {
        let m = matcher("*.md");
        assert!(m.is_match("README.md"));
        assert!(!m.is_match("docs/README.md"));
        let m = matcher("a?c");
        assert!(m.is_match("abc"));
        assert!(!m.is_match("a/c"));
        let m = matcher("**/*.go");
        assert!(m.is_match("main.go"));
        assert!(m.is_match("cmd/tool/main.go"));
        let m = matcher("a/**/b");
        assert!(m.is_match("a/b"));
        assert!(m.is_match("a/x/y/b"));
    }

    #[test]
    fn regex_specials_are_literal() {
        let m = matcher("a+b(c)|{d}$*");
        assert!(m.is_match("a+b(c)|{d}$"));
        assert!(m.is_match("a+b(c)|{d}$tail"));
    }

    #[test]
    fn classes_and_escapes() {
        let m = matcher("file[a-c].txt");
        assert!(m.is_match("fileb.txt"));
        assert!(!m.is_match("filed.txt"));
        let m = matcher("file[^a-c].txt");
        assert!(m.is_match("filed.txt"));
        assert!(!m.is_match("filea.txt"));
        // Go has no `!` negation: `[!a]` is the class of `!` and `a`.
        let m = matcher("x[!a]");
        assert!(m.is_match("x!"));
        assert!(m.is_match("xa"));
        assert!(!m.is_match("xb"));
        let m = matcher("star\\*");
        assert!(m.is_match("star*"));
        assert!(!m.is_match("starry"));
    }

    #[test]
    fn docker_translation_quirks_are_kept() {
        // Inside brackets Docker still rewrites `*` to `[^/]*`, so `[*]` is the
        // class `[[^/]` repeated, followed by a literal `]`: it does not match `*`.
        let m = matcher("[*]");
        assert!(!m.is_match("*"));
        assert!(m.is_match("]"));
        // An unescaped `^` mid-pattern is a regexp anchor: it can never match.
        let m = matcher("a^b*");
        assert!(!m.is_match("a^b"));
    }
}
