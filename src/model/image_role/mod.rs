//! What the whole image is for: an application, a base others build on, a toolchain
//! (a CI build environment, an SDK image) or a development image that is never
//! deployed. Inferred from what the file shows, with the reasons kept for the user.

mod facts;

use super::{language_runtimes, Base, StageGraph};
use crate::syntax::{Dockerfile, Keyword};
use facts::{chain_instructions, ChainFacts};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageRole {
    /// Ships an application: a compiler or root user there is a leak.
    Application,
    /// Built upon by other images (`FROM this`): they choose the user and the app.
    Base,
    /// Ships its toolchain on purpose: a CI build environment, an SDK image.
    Toolchain,
    /// Never deployed: dev containers, `Dockerfile.dev`, test images.
    Development,
}

impl ImageRole {
    pub const ALL: [ImageRole; 4] = [
        ImageRole::Application,
        ImageRole::Base,
        ImageRole::Toolchain,
        ImageRole::Development,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ImageRole::Application => "application",
            ImageRole::Base => "base",
            ImageRole::Toolchain => "toolchain",
            ImageRole::Development => "development",
        }
    }

    pub fn parse(text: &str) -> Option<ImageRole> {
        ImageRole::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// The role and why, each reason a short phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleInference {
    pub role: ImageRole,
    pub reasons: Vec<String>,
    /// Set by `.dockstage.toml` rather than inferred.
    pub configured: bool,
}

impl RoleInference {
    pub fn configured(role: ImageRole) -> RoleInference {
        RoleInference {
            role,
            reasons: vec!["set by `role` in .dockstage.toml".to_string()],
            configured: true,
        }
    }

    /// `toolchain (no command of its own; ships 6 build tools)`.
    pub fn describe(&self) -> String {
        format!("{} ({})", self.role.as_str(), self.reasons.join("; "))
    }
}

/// What the caller knows beyond the file: the knowledge tables live above the model.
pub struct RoleEvidence<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
    pub path: Option<&'a str>,
    /// Build tools the final image ships (installed in the final stage or a stage it
    /// is built on), by package name.
    pub shipped_tools: Vec<String>,
    /// Of them, compilers and SDKs.
    pub shipped_toolchains: usize,
    /// The final image starts from an SDK image (`golang`, `dotnet/sdk`).
    pub sdk_base: bool,
}

/// Words of paths and stage names that say what the image is for.
const TEST_DIRECTORIES: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "test_data",
    "test-data",
    "testing",
    "integration",
    "e2e",
];
/// Directories of other projects' files copied in (Go and Composer `vendor/`).
const VENDORED_DIRECTORIES: &[&str] = &["vendor", "node_modules"];
const TOOLCHAIN_WORDS: &[&str] = &[
    "sdk",
    "codebuild",
    "buildenv",
    "toolchain",
    "toolchains",
    "ci",
];
/// Words that also name applications (`datadog-agent`): they need a corroborating fact.
const WEAK_TOOLCHAIN_WORDS: &[&str] = &["agent", "agents", "runner", "runners"];
const BASE_WORDS: &[&str] = &["base", "runtime-deps"];
/// A minimum of build tools, one of them a compiler or SDK, for "many toolchains".
pub(super) const MANY_TOOLS: usize = 3;
/// Language toolchains a CI build environment sets up side by side.
const MANY_LANGUAGES: usize = 3;

/// Infers the role of the image the file builds.
pub fn infer(evidence: &RoleEvidence<'_>) -> RoleInference {
    let development = development_reasons(evidence);
    if !development.is_empty() {
        return inferred(ImageRole::Development, development);
    }
    let facts = ChainFacts::of(evidence);
    let (mut toolchain, weak) = named(evidence, TOOLCHAIN_WORDS, WEAK_TOOLCHAIN_WORDS);
    // `agent/` of an application that copies its sources in is that application.
    let corroborated = facts.command_is_shell_or_none() || !evidence.shipped_tools.is_empty();
    if toolchain.is_empty() && corroborated {
        toolchain = weak
            .into_iter()
            .filter(|(_, from_path)| !from_path || !facts.application_copied)
            .map(|(reason, _)| reason)
            .collect();
    }
    if !toolchain.is_empty() {
        toolchain.extend(facts.tools_reason(evidence));
        return inferred(ImageRole::Toolchain, toolchain);
    }
    let idle = !facts.application_copied && facts.command_is_idle();
    let many_tools = evidence.shipped_toolchains > 0 && evidence.shipped_tools.len() >= MANY_TOOLS;
    let sdk_with_tools = evidence.sdk_base && !evidence.shipped_tools.is_empty();
    if idle && (many_tools || sdk_with_tools) {
        let mut reasons = vec![
            facts.command_reason(),
            "no application is copied in".to_string(),
        ];
        if evidence.sdk_base {
            reasons.push("it starts from an SDK image".to_string());
        }
        reasons.extend(facts.tools_reason(evidence));
        return inferred(ImageRole::Toolchain, reasons);
    }
    // A CI build environment: several languages, no application, a shell or entrypoint script.
    let languages =
        language_runtimes::installed(&evidence.file.source, chain_instructions(evidence));
    if !facts.application_copied
        && languages.len() >= MANY_LANGUAGES
        && (facts.command_is_idle() || facts.command_is_entrypoint_script())
    {
        let reasons = vec![
            facts.command_reason(),
            "no application is copied in".to_string(),
            format!(
                "it sets up {} languages ({})",
                languages.len(),
                languages.join(", ")
            ),
        ];
        return inferred(ImageRole::Toolchain, reasons);
    }
    // A name says `base` only of an image that copies no application in.
    let (mut base, _) = named(evidence, BASE_WORDS, &[]);
    if facts.application_copied {
        base.clear();
    }
    if let Some(root) = facts
        .empty_host_root
        .as_ref()
        .filter(|_| !facts.application_copied)
    {
        base.push(format!(
            "it sets `{}={}`, where {} finds the application, and copies nothing there",
            root.variable, root.directory, root.host
        ));
    }
    if facts.onbuild {
        base.push("it has ONBUILD triggers for the images built on it".to_string());
    }
    // An official-style runtime image: `ENV DOTNET_VERSION=...`, no command, no application.
    let runtime = facts
        .runtime_version_env
        .as_ref()
        .filter(|_| facts.command.is_none());
    if base.is_empty() && idle && (facts.command.is_some() || runtime.is_some()) {
        base = vec![
            facts.command_reason(),
            "no application is copied in".to_string(),
        ];
        base.extend(runtime.map(|env| format!("it sets up a language runtime (`{env}`)")));
    }
    if !base.is_empty() {
        return inferred(ImageRole::Base, base);
    }
    inferred(ImageRole::Application, Vec::new())
}

fn inferred(role: ImageRole, reasons: Vec<String>) -> RoleInference {
    RoleInference {
        role,
        reasons,
        configured: false,
    }
}

/// The file name, its directories, the target stage's name, its base, its labels.
fn development_reasons(evidence: &RoleEvidence<'_>) -> Vec<String> {
    let mut reasons = development_path_reasons(evidence.path);
    if is_image_list(evidence.graph) {
        reasons.push("every stage is a bare `FROM`: a list of images, not a build".to_string());
    }
    if let Some(name) = target_name(evidence).filter(|n| names_development(n)) {
        reasons.push(format!(
            "the target stage `{name}` is named for development or tests"
        ));
    }
    if let Some(image) = root_image(evidence).filter(|i| i.contains("devcontainers")) {
        reasons.push(format!("it starts from the dev container image `{image}`"));
    }
    let labelled = chain_instructions(evidence).any(|i| {
        i.keyword == Keyword::Label
            && i.args
                .pairs
                .iter()
                .any(|p| p.key.text.trim_matches('"') == "devcontainer.metadata")
    });
    if labelled {
        reasons.push("it has the `devcontainer.metadata` label".to_string());
    }
    reasons
}

/// Every stage a bare `FROM`: a list of images kept for update bots (Renovate,
/// Dependabot), not an image anyone builds.
pub fn is_image_list(graph: &StageGraph) -> bool {
    graph.stages.len() >= 2 && graph.stages.iter().all(|stage| stage.body.is_empty())
}

/// Whether the file is in a test directory (`tests/`, `testdata/`) or a vendored
/// one (`vendor/`): a test fixture or another project's file.
pub fn fixture_or_vendored(path: Option<&str>) -> bool {
    path.is_some_and(|path| {
        let mut dirs = path.rsplit(['/', '\\']).skip(1);
        dirs.any(|dir| {
            let dir = dir.to_ascii_lowercase();
            TEST_DIRECTORIES.contains(&dir.as_str()) || VENDORED_DIRECTORIES.contains(&dir.as_str())
        })
    })
}

/// What the path says of the whole file: a development variant name, a test directory.
pub fn development_path_reasons(path: Option<&str>) -> Vec<String> {
    let mut reasons = Vec::new();
    let Some(path) = path else {
        return reasons;
    };
    let mut parts = path.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or_default();
    if development_variant(name) {
        reasons.push(format!(
            "the file name `{name}` names a development or test build"
        ));
    }
    for dir in parts {
        let lower = dir.to_ascii_lowercase();
        if lower == ".devcontainer" {
            reasons.push("it is in `.devcontainer/`".to_string());
        } else if TEST_DIRECTORIES.contains(&lower.as_str()) {
            reasons.push(format!("it is in `{dir}/`, a test directory"));
        } else if VENDORED_DIRECTORIES.contains(&lower.as_str()) {
            reasons.push(format!(
                "it is in `{dir}/`: another project's file, vendored in, not built here"
            ));
        }
    }
    reasons
}

/// Reasons from words of the path and the target stage's name: (strong, weak).
fn named(
    evidence: &RoleEvidence<'_>,
    strong: &[&str],
    weak: &[&str],
) -> (Vec<String>, Vec<(String, bool)>) {
    let (mut strong_reasons, mut weak_reasons) = (Vec::new(), Vec::new());
    // Weak reasons say whether a path gave them (`false`: the target stage's name).
    let mut note = |word: &str, reason: String, from_path: bool| {
        if strong.contains(&word) {
            strong_reasons.push(reason);
        } else if weak.contains(&word) {
            weak_reasons.push((reason, from_path));
        }
    };
    if let Some(path) = evidence.path {
        let mut parts = path.rsplit(['/', '\\']);
        let name = parts.next().unwrap_or_default();
        if let Some(word) =
            variant_words(name).find(|w| strong.contains(&w.as_str()) || weak.contains(&w.as_str()))
        {
            note(&word, format!("the file name `{name}` says `{word}`"), true);
        }
        // A directory counts by its whole name (`sdk/`, `.ci/`, `build-env/`), not a
        // word of it: `non-slim-final-base/` is no base image.
        for dir in parts {
            let word = dir
                .trim_start_matches('.')
                .to_ascii_lowercase()
                .replace('_', "-");
            let word = if word == "build-env" {
                "buildenv".to_string()
            } else {
                word
            };
            if strong.contains(&word.as_str()) || weak.contains(&word.as_str()) {
                note(&word, format!("it is in `{dir}/`"), true);
            }
        }
    }
    // `FROM node AS runner` is the usual name of an application's last stage.
    if let Some(name) = target_name(evidence) {
        let counts = |w: &String| {
            strong.contains(&w.as_str()) || (weak.contains(&w.as_str()) && !w.starts_with("runner"))
        };
        if let Some(word) = words(name).find(counts) {
            note(&word, format!("the target stage is named `{name}`"), false);
        }
    }
    (strong_reasons, weak_reasons)
}

/// A name's words, lower case; `build-env` and `runtime-deps` also count as one word.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let lower = name.to_ascii_lowercase();
    let joined = lower.replace(['_', '.'], "-");
    let pairs: Vec<String> = joined
        .split('-')
        .collect::<Vec<_>>()
        .windows(2)
        .map(|pair| match pair {
            ["build", "env"] => "buildenv".to_string(),
            [a, b] => format!("{a}-{b}"),
            _ => String::new(),
        })
        .collect();
    let single: Vec<String> = joined.split('-').map(str::to_string).collect();
    single.into_iter().chain(pairs)
}

/// What a file name's variant says, as for development variants: the first word of
/// `Dockerfile.sdk.arm64`, or the whole stem of `ci.Dockerfile` (so that
/// `npm-ci-in-final.Dockerfile` says nothing).
fn variant_words(name: &str) -> impl Iterator<Item = String> {
    let lower = name.to_ascii_lowercase();
    let variant = ["dockerfile.", "containerfile."]
        .iter()
        .find_map(|base| lower.strip_prefix(base))
        .map(|variant| {
            let first = variant.split(['.', '_']).next().unwrap_or_default();
            // `build-env` is one word; `sdk-arm64` is `sdk`.
            if first == "build-env" || first == "runtime-deps" {
                first.replace("build-env", "buildenv")
            } else {
                first.split('-').next().unwrap_or_default().to_string()
            }
        })
        .or_else(|| {
            [".dockerfile", ".containerfile"]
                .iter()
                .find_map(|suffix| lower.strip_suffix(suffix))
                .map(|stem| stem.replace("build-env", "buildenv"))
        })
        .unwrap_or_default();
    std::iter::once(variant)
}

fn target_name<'a>(evidence: &RoleEvidence<'a>) -> Option<&'a str> {
    evidence.graph.final_stage().and_then(|s| s.name.as_deref())
}

/// The image the final image starts from, as written after expansion.
fn root_image(evidence: &RoleEvidence<'_>) -> Option<String> {
    let graph = evidence.graph;
    let target = graph.final_stage()?;
    let chain = graph.base_chain(target.index);
    let root = &graph.stages[*chain.last()?];
    match &root.base {
        Base::Image(image) => Some(image.familiar()),
        _ => None,
    }
}

/// Whether a file name is a development variant of a Dockerfile: `Dockerfile.dev`,
/// `Containerfile.debug.arm64`, `dev.Dockerfile`, `test.dockerfile`. Only the variant
/// part counts, and in `<stem>.Dockerfile` only a stem that is one such word, so that
/// `dev-deps.Dockerfile` or `test-leak.Dockerfile` are linted as shipping images.
fn development_variant(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    for base in ["dockerfile.", "containerfile."] {
        if let Some(variant) = lower.strip_prefix(base) {
            let first = variant.split(['.', '-', '_']).next().unwrap_or_default();
            return is_development_word(first);
        }
    }
    [".dockerfile", ".containerfile"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))
        .is_some_and(is_development_word)
}

/// Whether a stage name has a word that names a development or test build:
/// `dev`, `app-dev`, `development`, `test`.
fn names_development(name: &str) -> bool {
    name.split(['.', '-', '_'])
        .any(|word| is_development_word(&word.to_ascii_lowercase()))
}

fn is_development_word(word: &str) -> bool {
    matches!(
        word,
        "dev"
            | "devel"
            | "develop"
            | "development"
            | "devcontainer"
            | "test"
            | "tests"
            | "testing"
            | "debug"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_variant_part_of_a_file_name_marks_a_development_image() {
        for name in [
            "Dockerfile.dev",
            "Dockerfile.Development",
            "dockerfile.debug.arm64",
            "Containerfile.test",
            "dev.Dockerfile",
            "TEST.dockerfile",
        ] {
            assert!(development_variant(name), "{name}");
        }
        for name in [
            "Dockerfile",
            "Dockerfile.prod",
            "dev-deps.Dockerfile",
            "test_leak.Dockerfile",
            "build-tool-in-final-stage.Dockerfile",
            "Dockerfile.production",
            "devtools",
        ] {
            assert!(!development_variant(name), "{name}");
        }
    }
}
