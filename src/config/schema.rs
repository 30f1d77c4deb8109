//! The file format: serde types mirroring `.dockstage.toml` exactly (unknown keys are
//! errors), with the spans of everything that is validated after parsing.

use crate::rules::settings::{
    ImagePackageManager, ImageVariant, Libc, OsFamily, ToolKind, ToolManager, ToolMatch,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub(super) type RuleList = Vec<Spanned<String>>;
pub(super) type SeverityTable = BTreeMap<Spanned<String>, Spanned<String>>;
pub(super) type OptionTables =
    BTreeMap<Spanned<String>, Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawConfig {
    pub select: Option<RuleList>,
    #[serde(default)]
    pub ignore: RuleList,
    #[serde(default)]
    pub severity: SeverityTable,
    pub fail_level: Option<Spanned<String>>,
    pub warn_unused_ignores: Option<bool>,
    #[serde(default)]
    pub targets: Vec<Spanned<String>>,
    pub role: Option<Spanned<String>>,
    #[serde(default)]
    pub rules: OptionTables,
    #[serde(default)]
    pub overrides: Vec<RawOverride>,
    #[serde(default)]
    pub build_tools: Vec<RawBuildTool>,
    #[serde(default)]
    pub trusted_registries: Vec<Spanned<String>>,
    #[serde(default)]
    pub label_schema: BTreeMap<Spanned<String>, Spanned<String>>,
    pub strict_labels: Option<bool>,
    #[serde(default)]
    pub secret_files: Vec<Spanned<String>>,
    #[serde(default)]
    pub secret_variables: Vec<Spanned<String>>,
    #[serde(default)]
    pub images: Vec<RawImage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawOverride {
    pub files: Spanned<Vec<Spanned<String>>>,
    pub select: Option<RuleList>,
    #[serde(default)]
    pub ignore: RuleList,
    #[serde(default)]
    pub severity: SeverityTable,
    #[serde(default)]
    pub targets: Vec<Spanned<String>>,
    pub role: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawBuildTool {
    pub name: Spanned<String>,
    #[serde(rename = "match")]
    pub matches: ToolMatch,
    pub kind: ToolKind,
    #[serde(default)]
    pub managers: Vec<ToolManager>,
    pub typical_bytes: Option<Spanned<ByteSize>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct RawImage {
    pub image: Spanned<String>,
    pub tag: Option<Spanned<String>>,
    pub uncompressed_bytes: Spanned<ByteSize>,
    pub compressed_bytes: Option<Spanned<ByteSize>>,
    pub os_family: Option<OsFamily>,
    pub libc: Option<Libc>,
    pub variant: Option<ImageVariant>,
    pub package_manager: Option<ImagePackageManager>,
    pub has_shell: Option<bool>,
    pub default_user: Option<Spanned<String>>,
    pub is_sdk: Option<bool>,
}

/// A size as written: bytes, or a string with a unit, checked after parsing.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum ByteSize {
    Bytes(u64),
    Text(String),
}
