//! `[[overrides]]`: settings for the files matching some globs, checked when the file is
//! read and matched against paths relative to the configuration's directory.

use super::schema::RawOverride;
use super::validate::Checker;
use crate::diagnostic::Severity;
use crate::model::ImageRole;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::path::Path;

/// `[[overrides]]`: settings for the files matching some globs.
#[derive(Clone, Debug)]
pub struct Override {
    /// The globs as written.
    pub files: Vec<String>,
    globs: GlobSet,
    /// Replaces the selection for matching files; the rules named are taken out of
    /// inherited `ignore` lists.
    pub select: Option<Vec<String>>,
    /// Added to the inherited `ignore`.
    pub ignore: Vec<String>,
    /// Merged over the inherited severities.
    pub severity: HashMap<String, Severity>,
    /// Added to the inherited `targets`.
    pub targets: Vec<String>,
    /// Replaces the inherited `role`.
    pub role: Option<ImageRole>,
}

impl Override {
    /// Whether the override applies to a file, given relative to the configuration's
    /// directory with `/` separators.
    pub(super) fn matches(&self, relative: &str) -> bool {
        self.globs.is_match(relative)
    }
}

impl Checker {
    pub(super) fn override_(&mut self, raw: &RawOverride, root: &Path) -> Option<Override> {
        let _ = root;
        let mut builder = GlobSetBuilder::new();
        let mut ok = true;
        if raw.files.get_ref().is_empty() {
            let error = self.error(raw.files.span(), "`files` is empty", "matches no file")
                .with_help("list globs relative to the configuration file's directory, e.g. `[\"legacy/**\"]`");
            self.push(error);
            ok = false;
        }
        for pattern in raw.files.get_ref() {
            match override_glob(pattern.get_ref()) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(message) => {
                    let error = self.error(
                        pattern.span(),
                        format!("invalid glob `{}`", pattern.get_ref()),
                        message,
                    );
                    self.push(error);
                    ok = false;
                }
            }
        }
        let select = raw.select.as_ref().map(|s| self.rules(s, true));
        let ignore = self.rules(&raw.ignore, true);
        let severity = self.severities(&raw.severity);
        let targets = self.targets(&raw.targets);
        let role = self.role(raw.role.as_ref());
        let globs = builder.build().ok()?;
        ok.then(|| Override {
            files: raw
                .files
                .get_ref()
                .iter()
                .map(|p| p.get_ref().clone())
                .collect(),
            globs,
            select,
            ignore,
            severity,
            targets,
            role,
        })
    }
}

/// An override glob: relative to the configuration's directory; without a `/` it
/// matches the file name in any directory; `*` stays within one directory, `**`
/// crosses them.
fn override_glob(pattern: &str) -> Result<globset::Glob, String> {
    let trimmed = pattern.trim();
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let anchored = trimmed.trim_start_matches('/');
    if anchored.is_empty() {
        return Err("empty glob".to_string());
    }
    let full = if trimmed.contains('/') {
        anchored.to_string()
    } else {
        format!("**/{anchored}")
    };
    GlobBuilder::new(&full)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_globs_without_a_slash_match_names_anywhere() {
        let glob = override_glob("*.dev.Dockerfile").unwrap().compile_matcher();
        assert!(glob.is_match("a/b/api.dev.Dockerfile"));
        assert!(glob.is_match("api.dev.Dockerfile"));
        let glob = override_glob("legacy/*").unwrap().compile_matcher();
        assert!(glob.is_match("legacy/Dockerfile"));
        assert!(!glob.is_match("legacy/a/Dockerfile"));
        assert!(!glob.is_match("x/legacy/Dockerfile"));
    }
}
