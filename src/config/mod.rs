//! Configuration: `.dockstage.toml`, discovered upward from each Dockerfile (or given
//! with `--config`), validated strictly: unknown keys and bad values are errors with a
//! span in the TOML file. The full schema is documented in `docs/configuration.md`.
//!
//! ```no_run
//! use dockstage::config::ConfigCache;
//! use std::path::Path;
//!
//! let cache = ConfigCache::new(None); // or Some(path) for `--config`
//! let file = Path::new("services/api/Dockerfile");
//! match cache.for_file(file) {
//!     Ok(config) => {
//!         let options = config.lint_options_for(file);
//!         // ... dockstage::lint::lint(path, &bytes, &options)
//!     }
//!     Err(err) => eprintln!("{}", err.render(false, 100)),
//! }
//! ```

mod discover;
mod error;
mod recover;
mod schema;
pub mod settings;

pub use discover::{find_config, ConfigCache, CONFIG_FILE_NAME};
pub use error::ConfigError;
pub use settings::{
    BuildTool, ImageFacts, ImagePackageManager, ImageVariant, KnowledgeRows, Libc, OsFamily,
    SecretFilePattern, SecretVariablePattern, Settings, ToolKind, ToolManager, ToolMatch,
    TrustedRegistry,
};

use crate::cli::FailLevel;
use crate::diagnostic::{Severity, SYNTAX_ERROR};
use crate::filter::Selection;
use crate::lint::LintOptions;
use crate::rules::{self, OptionKind, OptionValue, RuleOptions};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::NamedSource;
use schema::{ByteSize, RawConfig, RuleList, SeverityTable};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

/// A loaded, validated configuration. [`Config::default`] is "no configuration file".
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it was read from; `None` for the defaults.
    pub path: Option<PathBuf>,
    /// Rule selection and severities for every file (before overrides). Rule names are
    /// canonical (codes are turned into names); `all` may appear in `select`/`ignore`.
    pub selection: Selection,
    /// `fail-level`; the CLI flag wins over it.
    pub fail_level: Option<FailLevel>,
    /// `warn-unused-ignores`; the CLI flag can only turn it on.
    pub warn_unused_ignores: Option<bool>,
    /// `targets`: stages also built on their own (`docker build --target NAME`), so
    /// neither they nor what they use are unused.
    pub targets: Vec<String>,
    /// `[[overrides]]`, in file order.
    pub overrides: Vec<Override>,
    /// Rule options and knowledge extensions, shared by every file linted with this
    /// configuration.
    pub settings: Arc<Settings>,
}

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
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = normalise(path);
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, &e))?;
        Config::parse(&text, &path)
    }

    /// Validates configuration `text` as if read from `path` (override globs are
    /// relative to its directory). For editors with unsaved buffers.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let path = normalise(path);
        let mut checker = Checker::new(&path, text);
        let (raw, unknown_keys) = recover::parse_past_unknown_keys(text);
        for err in &unknown_keys {
            let error = checker.toml_error(err);
            checker.push(error);
        }
        let config = match raw {
            Ok(raw) => checker.config(raw, &path),
            Err(err) => {
                let error = checker.toml_error(&err);
                checker.push(error.clone());
                return Err(ConfigError::collect(checker.errors).unwrap_or(error));
            }
        };
        match ConfigError::collect(checker.errors) {
            Some(err) => Err(err),
            None => Ok(config),
        }
    }

    /// The directory override globs are relative to.
    pub fn root(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    /// The overrides that apply to `file`.
    pub fn overrides_for(&self, file: &Path) -> impl Iterator<Item = &Override> {
        let relative = self.root().map(|root| relative_to(root, &normalise(file)));
        self.overrides
            .iter()
            .filter(move |o| relative.as_ref().is_some_and(|r| o.globs.is_match(r)))
    }

    /// What linting `file` uses: this configuration with the matching overrides
    /// applied. `--target` and the CLI's `--select`/`--ignore` are the caller's to add
    /// (see [`Selection::refine`]).
    pub fn lint_options_for(&self, file: &Path) -> LintOptions {
        let mut selection = self.selection.clone();
        let mut targets = self.targets.clone();
        for o in self.overrides_for(file) {
            selection.refine(o.select.as_deref(), &o.ignore, &o.severity);
            for target in &o.targets {
                if !targets.contains(target) {
                    targets.push(target.clone());
                }
            }
        }
        LintOptions {
            target: None,
            selection,
            warn_unused_ignores: self.warn_unused_ignores.unwrap_or(false),
            extra_targets: targets,
            settings: self.settings.clone(),
        }
    }
}

/// Collects every problem of one file.
struct Checker {
    path: PathBuf,
    text: Arc<str>,
    source: Arc<NamedSource<String>>,
    errors: Vec<ConfigError>,
}

impl Checker {
    fn new(path: &Path, text: &str) -> Checker {
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

    fn error(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> ConfigError {
        ConfigError::at(&self.path, &self.text, &self.source, span, message, label)
    }

    fn push(&mut self, error: ConfigError) {
        self.errors.push(error);
    }

    fn toml_error(&self, err: &toml::de::Error) -> ConfigError {
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

    fn config(&mut self, raw: RawConfig, path: &Path) -> Config {
        let mut selection = Selection::default();
        if let Some(select) = &raw.select {
            selection.select = self.rules(select, true);
        }
        selection.ignore = self.rules(&raw.ignore, true);
        selection.severity = self.severities(&raw.severity);
        let fail_level = raw.fail_level.as_ref().and_then(|f| self.fail_level(f));
        let targets = self.targets(&raw.targets);
        let root = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let overrides = raw
            .overrides
            .iter()
            .filter_map(|o| self.override_(o, &root))
            .collect();
        let settings = Settings {
            rule_options: self.rule_options(&raw),
            build_tools: raw
                .build_tools
                .iter()
                .filter_map(|t| self.build_tool(t))
                .collect(),
            trusted_registries: raw
                .trusted_registries
                .iter()
                .filter_map(|r| self.parsed(r, TrustedRegistry::parse, "not a registry"))
                .collect(),
            secret_files: raw
                .secret_files
                .iter()
                .filter_map(|p| self.parsed(p, SecretFilePattern::parse, "invalid glob"))
                .collect(),
            secret_variables: raw
                .secret_variables
                .iter()
                .filter_map(|p| self.parsed(p, SecretVariablePattern::parse, "invalid regex"))
                .collect(),
            images: raw.images.iter().filter_map(|i| self.image(i)).collect(),
            rows: settings::KnowledgeRows::default(),
        }
        .with_rows();
        Config {
            path: Some(path.to_path_buf()),
            selection,
            fail_level,
            warn_unused_ignores: raw.warn_unused_ignores,
            targets,
            overrides,
            settings: Arc::new(settings),
        }
    }

    /// Canonical rule names (or `all`), reporting unknown ones.
    fn rules(&mut self, list: &RuleList, allow_all: bool) -> Vec<String> {
        list.iter()
            .filter_map(|r| self.rule(r, allow_all))
            .collect()
    }

    fn rule(&mut self, written: &Spanned<String>, allow_all: bool) -> Option<String> {
        let name = written.get_ref();
        if allow_all && name.eq_ignore_ascii_case("all") {
            return Some("all".to_string());
        }
        if let Some(meta) = rules::find(name) {
            return Some(meta.name.to_string());
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
                "no rule has this name or code",
            )
            .with_help(help);
        self.push(error);
        None
    }

    fn severities(&mut self, table: &SeverityTable) -> HashMap<String, Severity> {
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

    fn fail_level(&mut self, written: &Spanned<String>) -> Option<FailLevel> {
        let level = match written.get_ref().to_ascii_lowercase().as_str() {
            "error" => FailLevel::Error,
            "warning" | "warn" => FailLevel::Warning,
            "info" => FailLevel::Info,
            "style" => FailLevel::Style,
            "none" => FailLevel::None,
            _ => {
                let error = self
                    .error(
                        written.span(),
                        format!("`{}` is not a fail level", written.get_ref()),
                        "not a fail level",
                    )
                    .with_help("use one of `error`, `warning`, `info`, `style`, `none`");
                self.push(error);
                return None;
            }
        };
        Some(level)
    }

    fn targets(&mut self, list: &[Spanned<String>]) -> Vec<String> {
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

    fn override_(&mut self, raw: &schema::RawOverride, root: &Path) -> Option<Override> {
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
        })
    }

    fn rule_options(&mut self, raw: &RawConfig) -> RuleOptions {
        let mut out = RuleOptions::default();
        for (rule_name, table) in &raw.rules {
            let Some(name) = self.rule(rule_name, false) else {
                continue;
            };
            let declared = rules::rule(&name).map_or(&[][..], |r| r.options());
            for (key, value) in table.get_ref() {
                let Some(option) = declared.iter().find(|o| o.name == key.get_ref()) else {
                    let help = if declared.is_empty() {
                        format!("`{name}` has no options")
                    } else {
                        let known: Vec<String> =
                            declared.iter().map(|o| format!("`{}`", o.name)).collect();
                        match suggest(key.get_ref(), declared.iter().map(|o| o.name)) {
                            Some(s) => {
                                format!("did you mean `{s}`? `{name}` takes {}", known.join(", "))
                            }
                            None => format!("`{name}` takes {}", known.join(", ")),
                        }
                    };
                    let error = self
                        .error(
                            key.span(),
                            format!("unknown option `{}` for rule `{name}`", key.get_ref()),
                            "unknown option",
                        )
                        .with_help(help);
                    self.push(error);
                    continue;
                };
                let typed = match (option.kind, value.get_ref()) {
                    (OptionKind::Bool, toml::Value::Boolean(b)) => Some(OptionValue::Bool(*b)),
                    (OptionKind::Integer, toml::Value::Integer(n)) => {
                        Some(OptionValue::Integer(*n))
                    }
                    (OptionKind::String, toml::Value::String(s)) => {
                        Some(OptionValue::String(s.clone()))
                    }
                    (OptionKind::Strings, toml::Value::Array(items)) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .map(OptionValue::Strings),
                    _ => None,
                };
                match typed {
                    Some(typed) => {
                        let rule = rules::find(&name).map_or("", |m| m.name);
                        out.insert(rule, option.name, typed);
                    }
                    None => {
                        let error = self
                            .error(
                                value.span(),
                                format!(
                                    "`{name}.{}` must be {}",
                                    option.name,
                                    option.kind.as_str()
                                ),
                                format!("expected {}", option.kind.as_str()),
                            )
                            .with_help(option.doc);
                        self.push(error);
                    }
                }
            }
        }
        out
    }

    fn build_tool(&mut self, raw: &schema::RawBuildTool) -> Option<BuildTool> {
        let name = raw.name.get_ref().trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            let error = self.error(
                raw.name.span(),
                "a build tool name is one word",
                "not a name",
            );
            self.push(error);
            return None;
        }
        let typical_bytes = match &raw.typical_bytes {
            Some(size) => Some(self.bytes(size)?),
            None => None,
        };
        Some(BuildTool {
            name: name.to_string(),
            matches: raw.matches,
            kind: raw.kind,
            managers: raw.managers.clone(),
            typical_bytes,
        })
    }

    fn image(&mut self, raw: &schema::RawImage) -> Option<ImageFacts> {
        let written = raw.image.get_ref();
        let reference = crate::model::image_ref::parse(written);
        let image = match reference {
            Ok(r) if r.tag.is_none() && r.digest.is_none() && !r.is_scratch => {
                settings::normalise_repository(&r.repository())
            }
            Ok(_) => {
                let error = self
                    .error(
                        raw.image.span(),
                        "`image` is a repository without tag or digest",
                        "tag or digest here",
                    )
                    .with_help("put the tag in `tag = \"...\"`");
                self.push(error);
                return None;
            }
            Err(err) => {
                let error = self.error(
                    raw.image.span(),
                    format!("`{written}` is not an image repository"),
                    err.to_string(),
                );
                self.push(error);
                return None;
            }
        };
        let tag = match &raw.tag {
            Some(tag)
                if tag.get_ref().is_empty() || tag.get_ref().contains([':', '@', '/', ' ']) =>
            {
                let error = self.error(
                    tag.span(),
                    format!("`{}` is not a tag", tag.get_ref()),
                    "not a tag",
                );
                self.push(error);
                return None;
            }
            Some(tag) => tag.get_ref().clone(),
            None => "latest".to_string(),
        };
        let uncompressed_bytes = self.bytes(&raw.uncompressed_bytes)?;
        let compressed_bytes = match &raw.compressed_bytes {
            Some(size) => Some(self.bytes(size)?),
            None => None,
        };
        Some(ImageFacts {
            image,
            tag,
            uncompressed_bytes,
            compressed_bytes,
            os_family: raw.os_family,
            libc: raw.libc,
            variant: raw.variant,
            package_manager: raw.package_manager,
            has_shell: raw.has_shell,
            default_user: raw.default_user.as_ref().map(|u| u.get_ref().clone()),
            is_sdk: raw.is_sdk,
        })
    }

    fn bytes(&mut self, size: &Spanned<ByteSize>) -> Option<u64> {
        match size.get_ref() {
            ByteSize::Bytes(n) => Some(*n),
            ByteSize::Text(text) => match settings::parse_byte_size(text) {
                Ok(n) => Some(n),
                Err(message) => {
                    let error = self.error(size.span(), message, "not a size");
                    self.push(error);
                    None
                }
            },
        }
    }

    fn parsed<T>(
        &mut self,
        written: &Spanned<String>,
        parse: impl Fn(&str) -> Result<T, String>,
        label: &str,
    ) -> Option<T> {
        match parse(written.get_ref()) {
            Ok(value) => Some(value),
            Err(message) => {
                let error = self.error(
                    written.span(),
                    format!("`{}`: {message}", written.get_ref()),
                    label,
                );
                self.push(error);
                None
            }
        }
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

/// "did you mean" for toml's `unknown field `x`, expected one of `a`, `b``.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    if expected.is_empty() {
        return Some("this key is not part of the schema (docs/configuration.md)".to_string());
    }
    let list = expected
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match suggest(field, expected.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? expected one of {list}"),
        None => format!("expected one of {list}"),
    })
}

/// The closest rule name or code to `written`, if close enough.
pub fn suggest_rule(written: &str) -> Option<&'static str> {
    let candidates = rules::RULE_METAS
        .iter()
        .flat_map(|m| [m.name, m.code])
        .chain([SYNTAX_ERROR.0]);
    let best = suggest(written, candidates)?;
    // A code suggests the rule's name.
    rules::find(best).map(|m| m.name).or(Some(best))
}

fn suggest<'a>(written: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written = written.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&written, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Absolute, with `.` and `..` resolved lexically (no symlinks are followed).
pub(crate) fn normalise(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `file` relative to `root` with `/` separators, or the whole path when outside it.
fn relative_to(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap_or(file);
    relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
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

    #[test]
    fn rule_suggestions_prefer_names() {
        assert_eq!(suggest_rule("unused-stag"), Some("unused-stage"));
        assert_eq!(suggest_rule("zzzzzz"), None);
    }

    #[test]
    fn unknown_field_help_suggests() {
        let help = unknown_field_help("unknown field `selct`, expected one of `select`, `ignore`")
            .unwrap();
        assert!(help.starts_with("did you mean `select`?"), "{help}");
    }
}
