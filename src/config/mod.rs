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
mod extensions;
mod hadolint;
mod overrides;
mod paths;
mod recover;
mod schema;
mod suggest;
mod validate;

pub use discover::{find_config, find_hadolint_config, ConfigCache, CONFIG_FILE_NAME};
pub use error::ConfigError;
pub use hadolint::{HadolintConfig, HADOLINT_FILE_NAMES};
pub use overrides::Override;
pub use suggest::suggest_rule;

use crate::diagnostic::FailLevel;
use crate::filter::Selection;
use crate::lint::LintOptions;
use crate::model::ImageRole;
use crate::rules::label_types::LabelType;
use crate::rules::settings::TrustedRegistry;
use crate::rules::Settings;
use paths::{normalise, relative_to};
use schema::RawConfig;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use validate::Checker;

/// Whether `path` is a hadolint configuration (`.hadolint.yaml`, `--config x.yml`).
fn is_yaml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

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
    /// `role`: what the images are for, instead of inferring it; overrides may set
    /// it per path.
    pub role: Option<ImageRole>,
    /// `[[overrides]]`, in file order.
    pub overrides: Vec<Override>,
    /// Rule options and knowledge extensions, shared by every file linted with this
    /// configuration.
    pub settings: Arc<Settings>,
    /// Problems that do not stop the run (unknown keys of a `.hadolint.yaml`).
    pub warnings: Vec<ConfigError>,
    /// `disable-ignore-pragma` of a `.hadolint.yaml`: `# hadolint` ignore comments
    /// are not honoured.
    pub disable_hadolint_pragmas: bool,
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let path = normalise(path);
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, &e))?;
        if is_yaml(&path) {
            return Config::parse_hadolint(&text, &path);
        }
        Config::parse(&text, &path)
    }

    /// A `.hadolint.yaml` read as the equivalent configuration: its unknown keys are
    /// [`Config::warnings`].
    pub fn parse_hadolint(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let path = normalise(path);
        let (config, warnings) = hadolint::parse(text, &path);
        Ok(Config {
            warnings,
            ..Config::from_hadolint(&config?, &path)
        })
    }

    /// Reads a hadolint configuration file as hadolint sees it, with its warnings.
    pub fn read_hadolint(path: &Path) -> Result<(HadolintConfig, Vec<ConfigError>), ConfigError> {
        let path = normalise(path);
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::io(&path, &e))?;
        let (config, warnings) = hadolint::parse(&text, &path);
        Ok((config?, warnings))
    }

    /// What dockstage does for a hadolint configuration. Codes dockstage has no rule
    /// for (`SC2086`, DL codes not yet ported) select nothing and are left out.
    pub fn from_hadolint(hadolint: &HadolintConfig, path: &Path) -> Config {
        let mut selection = Selection::default();
        for code in &hadolint.ignored {
            if let Some(meta) = crate::rules::find(code) {
                selection.ignore.push(meta.name.to_string());
            }
        }
        for (code, severity) in &hadolint.overrides {
            if let Some(meta) = crate::rules::find(code) {
                selection.severity.insert(meta.name.to_string(), *severity);
            }
        }
        let settings = Settings {
            trusted_registries: hadolint
                .trusted_registries
                .iter()
                .filter_map(|r| TrustedRegistry::parse(r).ok())
                .collect(),
            label_schema: hadolint
                .label_schema
                .iter()
                .filter_map(|(label, kind)| Some((label.clone(), LabelType::parse(kind).ok()?)))
                .collect(),
            strict_labels: hadolint.strict_labels,
            ..Settings::default()
        };
        Config {
            path: Some(path.to_path_buf()),
            selection,
            fail_level: Some(hadolint.fail_level()),
            settings: Arc::new(settings),
            disable_hadolint_pragmas: hadolint.disable_ignore_pragma,
            ..Config::default()
        }
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
            Ok(raw) => Config::checked(&mut checker, raw, &path),
            Err(err) => {
                let error = checker.toml_error(&err);
                checker.push(error.clone());
                return Err(checker.into_error().unwrap_or(error));
            }
        };
        match checker.into_error() {
            Some(err) => Err(err),
            None => Ok(config),
        }
    }

    /// The configuration of `raw`, every problem reported to `checker` in file order.
    fn checked(checker: &mut Checker, raw: RawConfig, path: &Path) -> Config {
        let mut selection = Selection::default();
        if let Some(select) = &raw.select {
            selection.select = checker.rules(select, true);
        }
        selection.ignore = checker.rules(&raw.ignore, true);
        selection.severity = checker.severities(&raw.severity);
        let fail_level = raw.fail_level.as_ref().and_then(|f| checker.fail_level(f));
        let targets = checker.targets(&raw.targets);
        let role = checker.role(raw.role.as_ref());
        let root = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let overrides = raw
            .overrides
            .iter()
            .filter_map(|o| checker.override_(o, &root))
            .collect();
        let settings = checker.settings(&raw);
        Config {
            path: Some(path.to_path_buf()),
            selection,
            fail_level,
            warn_unused_ignores: raw.warn_unused_ignores,
            targets,
            role,
            overrides,
            settings: Arc::new(settings),
            warnings: Vec::new(),
            disable_hadolint_pragmas: false,
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
            .filter(move |o| relative.as_ref().is_some_and(|r| o.matches(r)))
    }

    /// What linting `file` uses: this configuration with the matching overrides
    /// applied. `--target` and the CLI's `--select`/`--ignore` are the caller's to add
    /// (see [`Selection::refine`]).
    pub fn lint_options_for(&self, file: &Path) -> LintOptions {
        let mut selection = self.selection.clone();
        let mut targets = self.targets.clone();
        let mut image_role = self.role;
        for o in self.overrides_for(file) {
            image_role = o.role.or(image_role);
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
            image_role,
            disable_hadolint_pragmas: self.disable_hadolint_pragmas,
            build_context: None,
        }
    }
}
