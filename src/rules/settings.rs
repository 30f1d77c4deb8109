//! What `.dockstage.toml` adds to the embedded knowledge, as typed, validated values
//! for the rules (through [`Context::settings`](crate::rules::Context)) and the size
//! estimator. Every list here *extends* the embedded tables in `data/`; nothing
//! replaces them.

use crate::model::image_ref::ImageRef;
use crate::rules::label_types::LabelType;
use crate::rules::RuleOptions;
use regex::Regex;
use serde::Deserialize;

/// Everything a configuration hands to rules and the size estimator.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `[rules.NAME]` tables, checked against each rule's declared options.
    pub rule_options: RuleOptions,
    /// `[[build-tools]]`: more build-only tools, like rows of `data/build-tools.tsv`.
    pub build_tools: Vec<BuildTool>,
    /// `trusted-registries`: registries (or registry path prefixes) whose images are
    /// trusted, e.g. an internal mirror.
    pub trusted_registries: Vec<TrustedRegistry>,
    /// `label-schema`: labels the image must carry, with the type of their value.
    pub label_schema: Vec<(String, LabelType)>,
    /// `strict-labels`: labels outside `label-schema` are reported.
    pub strict_labels: bool,
    /// `secret-files`: more file patterns that look like secrets, with the semantics of
    /// `data/secret-files.tsv`.
    pub secret_files: Vec<SecretFilePattern>,
    /// `secret-variables`: more ARG/ENV name patterns (regex, case-insensitive), with
    /// the semantics of `data/secret-variables.tsv`.
    pub secret_variables: Vec<SecretVariablePattern>,
    /// `[[images]]`: more base images for the size estimator and image-fact rules, like
    /// rows of `data/base-images.tsv`. Checked before the embedded table, so they also
    /// correct it.
    pub images: Vec<ImageFacts>,
    /// The same extensions as rows of the embedded tables, for the `*_with` lookups of
    /// [`crate::knowledge`] (e.g. `build_tools::command_with(&cx.settings.rows.build_tools, name)`).
    pub rows: KnowledgeRows,
}

/// Configured extensions in the types of [`crate::knowledge`]; built once per
/// configuration by [`Settings::with_rows`].
#[derive(Clone, Debug, Default)]
pub struct KnowledgeRows {
    pub build_tools: Vec<crate::knowledge::build_tools::BuildTool>,
    pub base_images: Vec<crate::knowledge::base_images::BaseImage>,
    pub secret_files: Vec<crate::knowledge::secret_files::SecretFile>,
    pub secret_variables: Vec<crate::knowledge::secret_variables::SecretVariable>,
}

impl Settings {
    /// No configuration.
    pub const fn new() -> Self {
        Settings {
            rule_options: RuleOptions::new(),
            build_tools: Vec::new(),
            trusted_registries: Vec::new(),
            label_schema: Vec::new(),
            strict_labels: false,
            secret_files: Vec::new(),
            secret_variables: Vec::new(),
            images: Vec::new(),
            rows: KnowledgeRows {
                build_tools: Vec::new(),
                base_images: Vec::new(),
                secret_files: Vec::new(),
                secret_variables: Vec::new(),
            },
        }
    }

    /// Fills [`Settings::rows`] from the typed lists.
    pub fn with_rows(mut self) -> Self {
        use crate::knowledge::{base_images, build_tools, secret_files, secret_variables};
        let enum_name = |debug: String| {
            // `BuildSystem` → `build-system`, as the tables write it.
            let mut out = String::new();
            for (i, c) in debug.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        };
        let opt = |debug: Option<String>| debug.map(enum_name).unwrap_or_default();
        self.rows.build_tools = self
            .build_tools
            .iter()
            .map(|t| build_tools::BuildTool {
                name: t.name.clone(),
                match_on: match t.matches {
                    ToolMatch::Package => build_tools::MatchOn::Package,
                    ToolMatch::Command => build_tools::MatchOn::Command,
                    ToolMatch::Image => build_tools::MatchOn::Image,
                },
                kind: enum_name(format!("{:?}", t.kind)),
                managers: if t.managers.is_empty() {
                    vec!["any".to_string()]
                } else {
                    t.managers
                        .iter()
                        .map(|m| enum_name(format!("{m:?}")))
                        .collect()
                },
                typical_bytes: t.typical_bytes,
                note: "configuration".to_string(),
            })
            .collect();
        self.rows.base_images = self
            .images
            .iter()
            .map(|i| base_images::BaseImage {
                image: i.image.clone(),
                tag: i.tag.clone(),
                uncompressed_bytes: Some(i.uncompressed_bytes),
                compressed_bytes: i.compressed_bytes,
                os_family: opt(i.os_family.map(|v| format!("{v:?}"))),
                libc: opt(i.libc.map(|v| format!("{v:?}"))),
                variant: opt(i.variant.map(|v| format!("{v:?}"))),
                package_manager: opt(i.package_manager.map(|v| format!("{v:?}"))),
                has_shell: i.has_shell.unwrap_or(true),
                default_user: i.default_user.clone().unwrap_or_default(),
                is_sdk: i.is_sdk.unwrap_or(false),
                source: "configuration".to_string(),
            })
            .collect();
        self.rows.secret_files = self
            .secret_files
            .iter()
            .map(|p| secret_files::SecretFile {
                pattern: p.pattern.clone(),
                kind: "credentials".to_string(),
                note: "configuration".to_string(),
            })
            .collect();
        self.rows.secret_variables = self
            .secret_variables
            .iter()
            .filter_map(|p| {
                secret_variables::SecretVariable::new(p.pattern.as_str(), "configuration", "").ok()
            })
            .collect();
        self
    }

    /// The configured facts for `image:tag` (repository normalised as in
    /// `data/README.md`: `node`, `ghcr.io/org/app`), if any. A later entry wins.
    pub fn image(&self, image: &str, tag: &str) -> Option<&ImageFacts> {
        self.images
            .iter()
            .rev()
            .find(|i| i.image == image && i.tag == tag)
    }

    /// Whether an image comes from a trusted registry.
    pub fn is_trusted(&self, image: &ImageRef) -> bool {
        self.trusted_registries.iter().any(|r| r.matches(image))
    }
}

/// How a build tool is recognised (`match` column of `data/build-tools.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolMatch {
    /// A package name in a package-manager install.
    Package,
    /// The first word of a shell command in `RUN`.
    Command,
    /// The repository of a `FROM` image.
    Image,
}

/// What kind of build tool (`kind` column of `data/build-tools.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolKind {
    Compiler,
    BuildSystem,
    Headers,
    Vcs,
    Sdk,
    PackageManagerDev,
}

/// A package manager a build-tool package name belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolManager {
    Apt,
    Apk,
    Dnf,
    Yum,
    Zypper,
    Pip,
    Npm,
    /// Any manager (the default; also what commands and images use).
    Any,
}

/// One configured build-only tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildTool {
    /// Exact package, command or image repository name.
    pub name: String,
    pub matches: ToolMatch,
    pub kind: ToolKind,
    /// Empty means any manager.
    pub managers: Vec<ToolManager>,
    /// Approximate installed size in bytes, if known.
    pub typical_bytes: Option<u64>,
}

impl BuildTool {
    /// Whether this tool is a package of `manager` (or of any manager).
    pub fn for_manager(&self, manager: ToolManager) -> bool {
        self.managers.is_empty()
            || self
                .managers
                .iter()
                .any(|m| *m == manager || *m == ToolManager::Any)
    }
}

/// A trusted registry, or a path prefix within one: `registry.example.com`,
/// `ghcr.io/my-org`, `my-org` (Docker Hub namespace), `docker.io` (all of Docker Hub).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedRegistry {
    /// As written in the configuration.
    pub written: String,
    /// Normalised to a fully qualified repository prefix: `docker.io/my-org`.
    pub prefix: String,
}

impl TrustedRegistry {
    /// An error message when `text` cannot be a registry or repository prefix.
    pub fn parse(text: &str) -> Result<TrustedRegistry, String> {
        let trimmed = text.trim_end_matches('/');
        if trimmed.is_empty() {
            return Err("a registry cannot be empty".to_string());
        }
        if trimmed.contains("://") {
            return Err(
                "write the registry host without a scheme, e.g. `registry.example.com`".to_string(),
            );
        }
        if trimmed.contains('@') || trimmed.chars().any(char::is_whitespace) {
            return Err(
                "a registry is a host with an optional path, without tag or digest".to_string(),
            );
        }
        let first = trimmed.split('/').next().unwrap_or("");
        let host_name = first.split(':').next().unwrap_or("");
        // As in image references: the first component is a host when it has a dot or
        // is localhost, or has a port and a path follows (`registry:5000/team`);
        // `node:22` is an image with a tag.
        let is_host = host_name == "localhost"
            || host_name.contains('.')
            || (first.contains(':') && trimmed.contains('/'));
        if !is_host && trimmed.contains(':') {
            return Err(
                "a registry is a host with an optional path, without tag or digest".to_string(),
            );
        }
        let prefix = match first {
            "index.docker.io" | "registry-1.docker.io" => {
                format!("docker.io{}", &trimmed[first.len()..])
            }
            _ if is_host => trimmed.to_string(),
            _ => format!("docker.io/{trimmed}"),
        };
        Ok(TrustedRegistry {
            written: text.to_string(),
            prefix: prefix.to_ascii_lowercase(),
        })
    }

    pub fn matches(&self, image: &ImageRef) -> bool {
        if image.is_scratch {
            return false;
        }
        let repository = image.repository().to_ascii_lowercase();
        repository == self.prefix
            || repository
                .strip_prefix(&self.prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// A file glob that looks like a secret: no `/` matches the base name (`*.pem`); with
/// a `/` it matches a path suffix on a component boundary (`.aws/credentials`); a
/// trailing `/` names a directory anywhere in the path (`.vault/`).
#[derive(Clone, Debug)]
pub struct SecretFilePattern {
    pub pattern: String,
    /// The compiled glob (without the trailing `/` of a directory pattern).
    pub glob: globset::GlobMatcher,
}

impl SecretFilePattern {
    pub fn parse(pattern: &str) -> Result<SecretFilePattern, String> {
        let body = pattern.trim_end_matches('/');
        if body.is_empty() {
            return Err("a secret file pattern cannot be empty".to_string());
        }
        let glob = globset::GlobBuilder::new(body)
            .literal_separator(true)
            .build()
            .map_err(|e| e.kind().to_string())?;
        Ok(SecretFilePattern {
            pattern: pattern.to_string(),
            glob: glob.compile_matcher(),
        })
    }

    /// A directory pattern (`.vault/`).
    pub fn is_directory(&self) -> bool {
        self.pattern.ends_with('/')
    }

    /// Whether `path` (with `/` separators, absolute or relative) matches.
    pub fn matches(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        if self.is_directory() {
            // Any directory of the path (or the path itself) matches.
            return (0..components.len()).any(|end| {
                (0..=end).any(|start| self.glob.is_match(components[start..=end].join("/")))
            });
        }
        if !self.pattern.contains('/') {
            return components
                .last()
                .is_some_and(|name| self.glob.is_match(name));
        }
        (0..components.len()).any(|start| self.glob.is_match(components[start..].join("/")))
    }
}

/// An ARG/ENV name pattern: a regex matched case-insensitively, with optional
/// exclusions.
#[derive(Clone, Debug)]
pub struct SecretVariablePattern {
    pub pattern: Regex,
}

impl SecretVariablePattern {
    pub fn parse(pattern: &str) -> Result<SecretVariablePattern, String> {
        regex::RegexBuilder::new(pattern)
            .case_insensitive(true)
            .build()
            .map(|pattern| SecretVariablePattern { pattern })
            .map_err(|e| e.to_string())
    }

    pub fn matches(&self, name: &str) -> bool {
        self.pattern.is_match(name)
    }
}

/// `os_family` of `data/base-images.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OsFamily {
    Debian,
    Ubuntu,
    Alpine,
    Distroless,
    Scratch,
    Other,
}

/// `libc` of `data/base-images.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Libc {
    Glibc,
    Musl,
    None,
}

/// `variant` of `data/base-images.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImageVariant {
    Full,
    Slim,
    Alpine,
    Distroless,
    Runtime,
    Sdk,
    Other,
}

/// `package_manager` of `data/base-images.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ImagePackageManager {
    Apt,
    Apk,
    Dnf,
    Microdnf,
    None,
}

/// One configured base image: a row of `data/base-images.tsv`. Unset facts are
/// unknown (`None`), as an empty field is in the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageFacts {
    /// Repository, normalised: `python`, `registry.example.com/base/python`
    /// (`docker.io/library/` and `library/` removed).
    pub image: String,
    /// Tag as written in a Dockerfile; `latest` when the configuration gives none.
    pub tag: String,
    pub uncompressed_bytes: u64,
    pub compressed_bytes: Option<u64>,
    pub os_family: Option<OsFamily>,
    pub libc: Option<Libc>,
    pub variant: Option<ImageVariant>,
    pub package_manager: Option<ImagePackageManager>,
    pub has_shell: Option<bool>,
    /// `root`, or `name/uid`.
    pub default_user: Option<String>,
    pub is_sdk: Option<bool>,
}

/// `docker.io/library/node` and `library/node` → `node`; `docker.io/org/app` →
/// `org/app`; other registries unchanged.
pub fn normalise_repository(image: &str) -> String {
    let without_hub = image
        .strip_prefix("docker.io/")
        .or_else(|| image.strip_prefix("index.docker.io/"))
        .unwrap_or(image);
    without_hub
        .strip_prefix("library/")
        .filter(|rest| !rest.contains('/'))
        .unwrap_or(without_hub)
        .to_string()
}

/// A byte count written as an integer (`150000000`) or with a unit (`"150 MB"`,
/// `"1.2GB"`, `"800 KiB"`); decimal units are powers of 1000, binary ones of 1024.
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{text}` is not a size; write e.g. `150 MB` or a number of bytes"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" | "k" => 1e3,
        "mb" | "m" => 1e6,
        "gb" | "g" => 1e9,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        other => {
            return Err(format!(
                "unknown size unit `{other}`; use B, kB, MB, GB, KiB, MiB or GiB"
            ))
        }
    };
    let bytes = number * factor;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(bytes.round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref;

    #[test]
    fn trusted_registries_match_on_path_boundaries() {
        let internal = TrustedRegistry::parse("registry.example.com/base").unwrap();
        let yes = image_ref::parse("registry.example.com/base/python:3.12").unwrap();
        let no = image_ref::parse("registry.example.com/basement/python").unwrap();
        assert!(internal.matches(&yes));
        assert!(!internal.matches(&no));
        let hub = TrustedRegistry::parse("my-org").unwrap();
        assert_eq!(hub.prefix, "docker.io/my-org");
        assert!(hub.matches(&image_ref::parse("my-org/app:1").unwrap()));
        assert!(!hub.matches(&image_ref::parse("node").unwrap()));
        assert!(TrustedRegistry::parse("https://x.io").is_err());
        assert!(TrustedRegistry::parse("node:22").is_err());
        assert!(TrustedRegistry::parse("localhost:5000").is_ok());
        assert!(TrustedRegistry::parse("mirror:5000/team").is_ok());
    }

    #[test]
    fn secret_file_patterns_follow_the_table_semantics() {
        let base = SecretFilePattern::parse("*.p12").unwrap();
        assert!(base.matches("/app/certs/client.p12"));
        assert!(!base.matches("/app/p12"));
        let suffix = SecretFilePattern::parse(".vault/token").unwrap();
        assert!(suffix.matches("/root/.vault/token"));
        assert!(!suffix.matches("/root/x.vault/token"));
        let dir = SecretFilePattern::parse(".gnupg/").unwrap();
        assert!(dir.matches("/root/.gnupg/pubring.kbx"));
        assert!(dir.matches(".gnupg"));
    }

    #[test]
    fn sizes_take_units() {
        assert_eq!(parse_byte_size("150 MB"), Ok(150_000_000));
        assert_eq!(parse_byte_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_byte_size("2 KiB"), Ok(2048));
        assert_eq!(parse_byte_size("12"), Ok(12));
        assert!(parse_byte_size("12 parsecs").is_err());
        assert!(parse_byte_size("MB").is_err());
    }

    #[test]
    fn repositories_are_normalised() {
        assert_eq!(normalise_repository("docker.io/library/node"), "node");
        assert_eq!(normalise_repository("library/node"), "node");
        assert_eq!(normalise_repository("docker.io/org/app"), "org/app");
        assert_eq!(normalise_repository("ghcr.io/org/app"), "ghcr.io/org/app");
    }
}
