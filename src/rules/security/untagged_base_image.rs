//! A FROM image with neither tag nor digest, or with the tag `latest` and no digest:
//! the build takes whatever `latest` is on the day. Stage names (any case, also
//! through an ARG) are not images.

use crate::diagnostic::{Diagnostic, Severity, StageRole};
use crate::model::image_ref::ImageRef;
use crate::model::{Base, ImageRole, Stage};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UntaggedBaseImage;

impl Rule for UntaggedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        meta("untagged-base-image")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            // An ARG without a value: the build passes the image, tag and all.
            if image.is_scratch || image.digest.is_some() || !stage.base_unresolved.is_empty() {
                continue;
            }
            let release = release_in_name(image);
            let preview = preview_channel(image).or_else(|| preview_directory(cx.path));
            let why_latest = match (&release, preview) {
                (Some(release), _) => format!("; its name keeps it to the release `{release}`"),
                (None, Some(word)) => {
                    format!("; `{word}` images are previews, whose newest build is the point")
                }
                (None, None) if rolling_release(image) => {
                    "; a rolling release has no other release than its newest".to_string()
                }
                (None, None) => String::new(),
            };
            // A `latest` that only an ARG default gives: the build is meant to pass the tag.
            let through_arg = stage.base_text != stage.base_expanded;
            let message = match image.tag.as_deref() {
                None => format!(
                    "`{}` has no tag, so each build takes whatever `latest` is that day{why_latest}",
                    stage.base_expanded
                ),
                // Through an ARG, the tag is the default a build may override.
                Some("latest") if stage.base_text != stage.base_expanded => format!(
                    "with its ARG defaults, `{}` is `{}`: the tag `latest`, whatever it points to on the day of a build that passes no other{why_latest}",
                    stage.base_text, stage.base_expanded
                ),
                Some("latest") => format!(
                    "`{}` names the tag `latest`, so each build takes whatever it points to that day{why_latest}",
                    stage.base_expanded
                ),
                Some(_) => continue,
            };
            let repository = stage
                .base_expanded
                .strip_suffix(":latest")
                .unwrap_or(&stage.base_expanded);
            let diagnostic = self
                .meta()
                .diagnostic_with(
                    severity(
                        cx,
                        stage,
                        release.is_some() || preview.is_some() || rolling_release(image) || through_arg,
                    ),
                    stage.base_span,
                    message,
                )
                .with_help(format!(
                    "name the version: `{repository}:<tag>`, or pin it with `@sha256:...`"
                ))
                .with_stage(stage.reference());
            out.push(diagnostic);
        }
    }
}

/// Who consumes the image decides: an application's image (and the stages it is
/// built from) or a base image others build on, a warning; a stage never built, a
/// CI toolchain or a development image (test fixtures, dev containers), info. So is
/// a repository whose name carries its release (`distroless/static-debian12`,
/// `ubi9/ubi`): `latest` moves only within that release; and a preview channel
/// (`nanoserver-insider`), followed for its newest build.
fn severity(cx: &Context<'_>, stage: &Stage, latest_on_purpose: bool) -> Severity {
    let consumed_elsewhere = matches!(
        cx.image_role().role,
        ImageRole::Development | ImageRole::Toolchain
    );
    if stage.role == StageRole::Unused || consumed_elsewhere || latest_on_purpose {
        Severity::Info
    } else {
        Severity::Warning
    }
}

/// A file kept for a preview channel (`release/unstable/photon/Dockerfile`): its
/// images follow the newest build on purpose.
fn preview_directory(path: Option<&str>) -> Option<&'static str> {
    let path = std::path::Path::new(path?);
    let dirs: Vec<String> = path
        .parent()?
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_ascii_lowercase())
        .collect();
    ["unstable", "nightly", "insider", "preview"]
        .into_iter()
        .find(|channel| dirs.iter().any(|d| d == channel))
}

/// A repository of preview builds: `windows/nanoserver-insider`, `.../nightly`.
fn preview_channel(image: &ImageRef) -> Option<&'static str> {
    let path = image.namespace_and_name.to_ascii_lowercase();
    let words: Vec<&str> = path.split(['/', '-', '_']).collect();
    ["insider", "nightly"]
        .into_iter()
        .find(|preview| words.contains(preview))
}

/// Rolling-release distributions, whose only release is the newest: `archlinux:latest`.
fn rolling_release(image: &ImageRef) -> bool {
    let path = image.namespace_and_name.to_ascii_lowercase();
    ["archlinux", "opensuse/tumbleweed", "gentoo/stage3", "voidlinux/voidlinux"]
        .iter()
        .any(|name| {
            path.strip_suffix(name)
                .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
        })
}

/// Distributions whose release a repository name can carry (`debian12`, `ubuntu-22.04`).
const DISTRIBUTIONS: &[&str] = &[
    "debian", "ubuntu", "ubi", "rhel", "centos", "fedora", "alpine", "rocky", "alma", "amzn",
    "el", "sles", "opensuse", "mariner", "azurelinux", "wolfi",
];

/// The release a repository path names: `static-debian12` says `debian12`, `ubi9` says
/// `ubi9`, `dev-ubuntu-22.04` says `ubuntu-22.04`.
fn release_in_name(image: &ImageRef) -> Option<String> {
    let path = image.namespace_and_name.to_ascii_lowercase();
    for component in path.split('/') {
        let words: Vec<&str> = component.split(['-', '_']).collect();
        for (at, word) in words.iter().enumerate() {
            let (name, number) = word.split_at(word.find(|c: char| c.is_ascii_digit()).unwrap_or(word.len()));
            let versioned = |n: &str| {
                !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.')
            };
            if DISTRIBUTIONS.contains(&name) && versioned(number) {
                return Some(word.to_string());
            }
            if DISTRIBUTIONS.contains(word) && words.get(at + 1).is_some_and(|n| versioned(n)) {
                return Some(format!("{word}-{}", words[at + 1]));
            }
        }
    }
    None
}
