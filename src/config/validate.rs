//! Validating a parsed file: every problem becomes a [`ConfigError`] with its span in
//! the TOML text. Here: the checker itself, toml's own errors, and the rule selection
//! (rule names, severities, fail level, targets).

use super::error::ConfigError;
use super::schema::{RuleList, SeverityTable};
use super::suggest::{suggest, suggest_rule, unknown_field_help};
use crate::diagnostic::{FailLevel, Severity, SYNTAX_ERROR};
use crate::model::ImageRole;
use crate::rules;
use miette::NamedSource;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// Collects every problem of one file.
pub(super) struct Checker {
    path: PathBuf,
    text: Arc<str>,
    source: Arc<NamedSource<String>>,
    errors: Vec<ConfigError>,
}

impl Checker {
    pub(super) fn new(path: &Path, text: &str) -> Checker {
        Checker {
            path: path.to_path_buf(),
            text: Arc::from(text),
            source: Arc::new(NamedSource::new(
                path.display().to_string(),
                text.to_string(),
            )),
            errors: Vec::new(),
        }
    }

    pub(super) fn error(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfigError {
        ConfigError::at(&self.path, &self.text, &self.source, span, message, label)
    }

    pub(super) fn push(&mut self, error: ConfigError) {
        self.errors.push(error);
    }

    /// Every problem found, as one error (the first, with the rest related); `None` when
    /// the file is valid.
    pub(super) fn into_error(self) -> Option<ConfigError> {
        ConfigError::collect(self.errors)
    }

    /// Every problem found, each on its own (for warnings).
    pub(super) fn into_errors(self) -> Vec<ConfigError> {
        self.errors
    }

    pub(super) fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
        let message = err.message().trim().to_string();
        let span = err.span().unwrap_or(0..0);
        let help = unknown_field_help(&message);
        let (headline, label) = if let Some(rest) = message.strip_prefix("unknown field") {
            (format!("unknown key{rest}"), "unknown key".to_string())
        } else {
            (format!("invalid configuration: {message}"), message.clone())
        };
        let headline = match headline.split_once(", expected") {
            Some((head, _)) if help.is_some() => head.to_string(),
            _ => headline,
        };
        self.error(span, headline, label).with_help_opt(help)
    }

    /// Canonical rule names (or `all`), reporting unknown ones.
    pub(super) fn rules(&mut self, list: &RuleList, allow_all: bool) -> Vec<String> {
        list.iter()
            .filter_map(|r| self.rule(r, allow_all))
            .collect()
    }

    pub(super) fn rule(&mut self, written: &Spanned<String>, allow_all: bool) -> Option<String> {
        let name = written.get_ref();
        if allow_all && name.eq_ignore_ascii_case("all") {
            return Some("all".to_string());
        }
        if let Some(meta) = rules::find(name) {
            return Some(meta.name.to_string());
        }
        if rules::is_known(name) {
            // A family prefix such as `DS0`.
            return Some(name.to_string());
        }
        if name.eq_ignore_ascii_case(SYNTAX_ERROR.0) || name.eq_ignore_ascii_case(SYNTAX_ERROR.1) {
            return Some(SYNTAX_ERROR.0.to_string());
        }
        let help = match suggest_rule(name) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "`dockstage rule` lists every rule".to_string(),
        };
        let error = self
            .error(
                written.span(),
                format!("unknown rule `{name}`"),
                "no rule has this name, code or alias",
            )
            .with_help(help);
        self.push(error);
        None
    }

    pub(super) fn severities(&mut self, table: &SeverityTable) -> HashMap<String, Severity> {
        let mut out = HashMap::new();
        for (rule, severity) in table {
            let name = self.rule(rule, false);
            let level = self.severity(severity);
            if let (Some(name), Some(level)) = (name, level) {
                out.insert(name, level);
            }
        }
        out
    }

    fn severity(&mut self, written: &Spanned<String>) -> Option<Severity> {
        let value = written.get_ref();
        let severity = Severity::parse(value);
        if severity.is_none() {
            let mut error = self
                .error(
                    written.span(),
                    format!("`{value}` is not a severity"),
                    "not a severity",
                )
                .with_help("use one of `error`, `warning`, `info`, `style`");
            if let Some(s) = suggest(value, ["error", "warning", "info", "style"]) {
                error = error.with_help(format!(
                    "did you mean `{s}`? (one of `error`, `warning`, `info`, `style`)"
                ));
            }
            self.push(error);
        }
        severity
    }

    pub(super) fn fail_level(&mut self, written: &Spanned<String>) -> Option<FailLevel> {
        let level = FailLevel::parse(written.get_ref());
        if level.is_none() {
            let error = self
                .error(
                    written.span(),
                    format!("`{}` is not a fail level", written.get_ref()),
                    "not a fail level",
                )
                .with_help("use one of `error`, `warning`, `info`, `style`, `none`");
            self.push(error);
        }
        level
    }

    /// `role = "toolchain"`: one of the image roles.
    pub(super) fn role(&mut self, written: Option<&Spanned<String>>) -> Option<ImageRole> {
        let written = written?;
        let value = written.get_ref();
        let role = ImageRole::parse(value);
        if role.is_none() {
            let names: Vec<&str> = ImageRole::ALL.iter().map(|r| r.as_str()).collect();
            let list = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let help = match suggest(value, names.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? (one of {list})"),
                None => format!("use one of {list}"),
            };
            let error = self
                .error(
                    written.span(),
                    format!("`{value}` is not an image role"),
                    "not an image role",
                )
                .with_help(help);
            self.push(error);
        }
        role
    }

    pub(super) fn targets(&mut self, list: &[Spanned<String>]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for target in list {
            let name = target.get_ref().trim();
            if name.is_empty() || name.chars().any(char::is_whitespace) {
                let error = self.error(
                    target.span(),
                    "a target is a stage name",
                    "not a stage name",
                );
                self.push(error);
            } else if !out.iter().any(|t| t.eq_ignore_ascii_case(name)) {
                out.push(name.to_string());
            }
        }
        out
    }
}
