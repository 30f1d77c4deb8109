//! hadolint's `.hadolint.yaml`, read when no `.dockstage.toml` applies, so a project
//! moves over without an edit. The keys are hadolint 2.15's (`Hadolint/Config/`):
//! `ignored`, `override`, `failure-threshold`, `trustedRegistries`, `label-schema`,
//! `strict-labels`, `no-fail`, `disable-ignore-pragma`; `format`, `no-color` and
//! `verbose` are accepted and change nothing here. Other keys are warnings, not
//! errors: real files carry keys of other versions, and hadolint ignores them too.

use super::validate::Checker;
use super::ConfigError;
use crate::diagnostic::{FailLevel, Severity};
use crate::rules::settings::TrustedRegistry;
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use std::ops::Range;
use std::path::Path;

/// The names hadolint looks for in the working directory.
pub const HADOLINT_FILE_NAMES: [&str; 2] = [".hadolint.yaml", ".hadolint.yml"];

/// What a `.hadolint.yaml` says, with codes as written (`DL3008`, `SC2086`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HadolintConfig {
    pub ignored: Vec<String>,
    /// `override`: code → severity, in file order.
    pub overrides: Vec<(String, Severity)>,
    pub failure_threshold: Option<FailLevel>,
    pub trusted_registries: Vec<String>,
    /// `label-schema`: label → type (`text`, `url`, `semver`, ...).
    pub label_schema: Vec<(String, String)>,
    pub strict_labels: bool,
    pub no_fail: bool,
    pub disable_ignore_pragma: bool,
}

impl HadolintConfig {
    /// The fail level hadolint would use: none with `no-fail`, else
    /// `failure-threshold`, else hadolint's default, `info`.
    pub fn fail_level(&self) -> FailLevel {
        if self.no_fail {
            return FailLevel::None;
        }
        self.failure_threshold.unwrap_or(FailLevel::Info)
    }
}

/// The keys hadolint reads but that only change its own output.
const OUTPUT_KEYS: [&str; 3] = ["format", "no-color", "verbose"];

/// Parses `text` (the content of `path`): the configuration, or every error; the
/// warnings (unknown keys) either way.
pub(super) fn parse(
    text: &str,
    path: &Path,
) -> (Result<HadolintConfig, ConfigError>, Vec<ConfigError>) {
    let mut errors = Checker::new(path, text);
    let mut warnings = Checker::new(path, text);
    let mut config = HadolintConfig::default();
    let at = CharIndex::new(text);
    match MarkedYaml::load_from_str(text) {
        Err(err) => {
            let start = at.byte(err.marker().index());
            let error = errors.error(
                start..start,
                format!("invalid YAML: {}", err.info()),
                err.info().to_string(),
            );
            return (Err(error), Vec::new());
        }
        Ok(documents) => {
            if let Some(root) = documents.first() {
                read_root(root, &at, &mut config, &mut errors, &mut warnings);
            }
        }
    }
    let warnings = warnings
        .into_errors()
        .into_iter()
        .map(ConfigError::into_warning)
        .collect();
    match errors.into_error() {
        Some(error) => (Err(error), warnings),
        None => (Ok(config), warnings),
    }
}

fn read_root(
    root: &MarkedYaml,
    at: &CharIndex,
    config: &mut HadolintConfig,
    errors: &mut Checker,
    warnings: &mut Checker,
) {
    let entries = match &root.data {
        YamlData::Mapping(map) => map,
        // An empty file is an empty configuration.
        YamlData::Value(Scalar::Null) => return,
        _ => {
            errors.push(errors.error(
                at.span(root),
                "a hadolint configuration is a mapping of keys",
                "expected keys such as `ignored:`",
            ));
            return;
        }
    };
    for (key, value) in entries {
        let Some(name) = string(key) else {
            warnings.push(warnings.error(at.span(key), "unknown key", "not a key hadolint reads"));
            continue;
        };
        match name {
            "ignored" => config.ignored = strings(value, at, errors),
            "trustedRegistries" => {
                for (registry, span) in spanned_strings(value, at, errors) {
                    match TrustedRegistry::parse(&registry) {
                        Ok(_) => config.trusted_registries.push(registry),
                        Err(message) => errors.push(errors.error(span, message, "not a registry")),
                    }
                }
            }
            "override" => read_override(value, at, config, errors, warnings),
            "failure-threshold" => {
                config.failure_threshold = scalar_text(value).and_then(|t| threshold(&t));
                if config.failure_threshold.is_none() {
                    errors.push(errors.error(
                        at.span(value),
                        "invalid `failure-threshold`",
                        "expected error, warning, info, style, ignore or none",
                    ));
                }
            }
            "label-schema" => config.label_schema = label_schema(value, at, errors),
            "strict-labels" => config.strict_labels = boolean(value, at, errors),
            "no-fail" => config.no_fail = boolean(value, at, errors),
            "disable-ignore-pragma" => config.disable_ignore_pragma = boolean(value, at, errors),
            name if OUTPUT_KEYS.contains(&name) => {}
            other => {
                let help = match other {
                    "trusted-registries" => {
                        Some("hadolint 2 reads `trustedRegistries`; this key is ignored")
                    }
                    _ => None,
                };
                let warning = warnings.error(
                    at.span(key),
                    format!("unknown key `{other}` in the hadolint configuration"),
                    "hadolint ignores this key, and so does dockstage",
                );
                warnings.push(match help {
                    Some(help) => warning.with_help(help),
                    None => warning,
                });
            }
        }
    }
}

fn read_override(
    value: &MarkedYaml,
    at: &CharIndex,
    config: &mut HadolintConfig,
    errors: &mut Checker,
    warnings: &mut Checker,
) {
    let YamlData::Mapping(levels) = &value.data else {
        if !matches!(value.data, YamlData::Value(Scalar::Null)) {
            errors.push(errors.error(
                at.span(value),
                "`override` is a mapping of severities to lists of rules",
                "expected `error:`, `warning:`, `info:` or `style:` lists",
            ));
        }
        return;
    };
    for (level, codes) in levels {
        let severity = string(level).and_then(Severity::parse);
        let Some(severity) = severity else {
            warnings.push(warnings.error(
                at.span(level),
                "unknown severity in `override`",
                "hadolint reads only error, warning, info and style here",
            ));
            continue;
        };
        for code in strings(codes, at, errors) {
            config.overrides.push((code, severity));
        }
    }
}

/// hadolint's `failure-threshold` values.
fn threshold(text: &str) -> Option<FailLevel> {
    match text.to_ascii_lowercase().as_str() {
        "ignore" | "none" => Some(FailLevel::None),
        other => FailLevel::parse(other),
    }
}

fn label_schema(value: &MarkedYaml, at: &CharIndex, errors: &mut Checker) -> Vec<(String, String)> {
    match &value.data {
        YamlData::Mapping(labels) => labels
            .iter()
            .filter_map(|(label, kind)| Some((scalar_text(label)?, scalar_text(kind)?)))
            .collect(),
        YamlData::Value(Scalar::Null) => Vec::new(),
        _ => {
            errors.push(errors.error(
                at.span(value),
                "`label-schema` is a mapping of label names to types",
                "expected `label: type` pairs",
            ));
            Vec::new()
        }
    }
}

fn strings(value: &MarkedYaml, at: &CharIndex, errors: &mut Checker) -> Vec<String> {
    spanned_strings(value, at, errors)
        .into_iter()
        .map(|(text, _)| text)
        .collect()
}

/// A list of scalars (hadolint rejects a lone string where it wants a list).
fn spanned_strings(
    value: &MarkedYaml,
    at: &CharIndex,
    errors: &mut Checker,
) -> Vec<(String, Range<usize>)> {
    match &value.data {
        YamlData::Sequence(items) => items
            .iter()
            .filter_map(|item| match scalar_text(item) {
                Some(text) => Some((text, at.span(item))),
                None => {
                    errors.push(errors.error(at.span(item), "expected a string", "not a string"));
                    None
                }
            })
            .collect(),
        YamlData::Value(Scalar::Null) => Vec::new(),
        _ => {
            errors.push(errors.error(
                at.span(value),
                "expected a list",
                "write the items as a YAML list: `- DL3008`",
            ));
            Vec::new()
        }
    }
}

fn boolean(value: &MarkedYaml, at: &CharIndex, errors: &mut Checker) -> bool {
    match &value.data {
        YamlData::Value(Scalar::Boolean(b)) => *b,
        _ => {
            errors.push(errors.error(at.span(value), "expected true or false", "not a boolean"));
            false
        }
    }
}

fn string<'a>(node: &'a MarkedYaml) -> Option<&'a str> {
    match &node.data {
        YamlData::Value(Scalar::String(text)) => Some(text),
        _ => None,
    }
}

/// A scalar as text (`DL3008`, but also a registry written as a number).
fn scalar_text(node: &MarkedYaml) -> Option<String> {
    match &node.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(n)) => Some(n.to_string()),
        YamlData::Value(Scalar::FloatingPoint(f)) => Some(f.to_string()),
        YamlData::Value(Scalar::Boolean(b)) => Some(b.to_string()),
        _ => None,
    }
}

/// saphyr's markers count characters; spans in errors are bytes.
struct CharIndex {
    /// Byte offset of each character, and the length at the end.
    offsets: Vec<usize>,
}

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        CharIndex { offsets }
    }

    fn byte(&self, char_index: usize) -> usize {
        let last = self.offsets.len() - 1;
        self.offsets[char_index.min(last)]
    }

    fn span(&self, node: &MarkedYaml) -> Range<usize> {
        let start = self.byte(node.span.start.index());
        let end = self.byte(node.span.end.index()).max(start);
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Result<HadolintConfig, ConfigError>, Vec<ConfigError>) {
        parse(text, Path::new("/repo/.hadolint.yaml"))
    }

    #[test]
    fn reads_every_key_hadolint_reads() {
        let (config, warnings) = read(
            "ignored:\n  - DL3008\n  - SC2086\noverride:\n  error: [DL3015]\n  style:\n    - DL3059\n\
             failure-threshold: warning\ntrustedRegistries:\n  - docker.io\n  - my-company.com:5000\n\
             label-schema:\n  author: text\nstrict-labels: true\nno-fail: false\n\
             disable-ignore-pragma: true\nformat: json\n",
        );
        let config = config.unwrap();
        assert!(warnings.is_empty());
        assert_eq!(config.ignored, ["DL3008", "SC2086"]);
        assert_eq!(
            config.overrides,
            [
                ("DL3015".to_string(), Severity::Error),
                ("DL3059".to_string(), Severity::Style)
            ]
        );
        assert_eq!(config.fail_level(), FailLevel::Warning);
        assert_eq!(
            config.trusted_registries,
            ["docker.io", "my-company.com:5000"]
        );
        assert_eq!(config.label_schema, [("author".into(), "text".into())]);
        assert!(config.strict_labels && config.disable_ignore_pragma && !config.no_fail);
    }

    #[test]
    fn defaults_are_hadolints() {
        let config = read("").0.unwrap();
        assert_eq!(config.fail_level(), FailLevel::Info);
        let config = read("no-fail: true\nfailure-threshold: error\n").0.unwrap();
        assert_eq!(config.fail_level(), FailLevel::None);
    }

    #[test]
    fn unknown_keys_are_warnings_with_their_place() {
        let text = "ignored: [DL3008]\ntrusted-registries:\n  - quay.io\n";
        let (config, warnings) = read(text);
        assert_eq!(config.unwrap().ignored, ["DL3008"]);
        assert_eq!(warnings.len(), 1);
        let span = warnings[0].span().unwrap();
        assert_eq!(&text[span], "trusted-registries");
        assert!(warnings[0].help().unwrap().contains("trustedRegistries"));
    }

    #[test]
    fn wrong_shapes_are_errors_with_their_place() {
        let text = "ignored: DL3008\n";
        let err = read(text).0.unwrap_err();
        assert_eq!(&text[err.span().unwrap()], "DL3008");
        let err = read("ignored: [DL3008\n").0.unwrap_err();
        assert!(
            err.message().starts_with("invalid YAML"),
            "{}",
            err.message()
        );
        let err = read("no-fail: maybe\n").0.unwrap_err();
        assert_eq!(err.message(), "expected true or false");
    }

    #[test]
    fn spans_count_bytes_after_multibyte_text() {
        let text = "# é\nbogus: 1\n";
        let warnings = read(text).1;
        assert_eq!(&text[warnings[0].span().unwrap()], "bogus");
    }
}
