//! `data/base-images.tsv`: facts and sizes of base images (linux/amd64).
//!
//! [`lookup`] resolves a tag as users write it: the exact row first, then a row
//! of the same release with another patch (`python:3.12.1-slim` → `3.12-slim`),
//! else the nearest row of the same variant family (`node:22.11.0-bookworm` →
//! `node:22`, good for facts such as libc, not for a size), and says how it
//! matched so callers can widen their ranges.

use std::sync::LazyLock;

use super::{table_repository, tsv};
use crate::model::image_ref::ImageRef;

const TABLE: &str = "base-images.tsv";
const TEXT: &str = include_str!("../../data/base-images.tsv");

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseImage {
    /// Normalised repository (`node`, `gcr.io/distroless/static-debian12`).
    pub image: String,
    pub tag: String,
    pub uncompressed_bytes: Option<u64>,
    pub compressed_bytes: Option<u64>,
    /// `debian`, `ubuntu`, `alpine`, `distroless`, `scratch`, `other`.
    pub os_family: String,
    /// `glibc`, `musl`, `none`.
    pub libc: String,
    /// `full`, `slim`, `alpine`, `distroless`, `runtime`, `sdk`, `other`.
    pub variant: String,
    /// `apt`, `apk`, `dnf`, `microdnf`, `none`.
    pub package_manager: String,
    pub has_shell: bool,
    /// `root`, or `name/uid`.
    pub default_user: String,
    pub is_sdk: bool,
    pub source: String,
}

impl BaseImage {
    /// Whether the image runs as root when no `USER` is given.
    pub fn runs_as_root(&self) -> bool {
        is_root_user(&self.default_user)
    }

    /// `full` or an SDK: an image that ships more than a runtime.
    pub fn is_full_or_sdk(&self) -> bool {
        self.is_sdk || self.variant == "full" || self.variant == "sdk"
    }

    /// `image:tag`.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.image, self.tag)
    }
}

/// How a reference found its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchKind {
    /// The row has the reference's own tag (`latest` when none is written).
    Exact,
    /// No row for the tag, but one of the same release: the same major.minor
    /// version (another patch or a floating tag covering it) and the same OS
    /// release where the tag names one.
    OtherPatch { tag: String },
    /// No row of the release; this is the nearest row of the same variant
    /// family (another minor version or OS release: its facts, not its size).
    Nearest { tag: String },
}

/// A row and how it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match<'a> {
    pub row: &'a BaseImage,
    pub kind: MatchKind,
}

impl Match<'_> {
    pub fn is_exact(&self) -> bool {
        self.kind == MatchKind::Exact
    }

    /// The row is of the written release (exact, or another patch of it).
    pub fn is_same_release(&self) -> bool {
        !matches!(self.kind, MatchKind::Nearest { .. })
    }
}

static ROWS: LazyLock<Vec<BaseImage>> = LazyLock::new(|| {
    tsv::records(TABLE, TEXT)
        .into_iter()
        .map(|f| BaseImage {
            image: f[0].to_string(),
            tag: f[1].to_string(),
            uncompressed_bytes: tsv::number(TABLE, f[2]),
            compressed_bytes: tsv::number(TABLE, f[3]),
            os_family: f[4].to_string(),
            libc: f[5].to_string(),
            variant: f[6].to_string(),
            package_manager: f[7].to_string(),
            has_shell: tsv::yes(f[8]),
            default_user: f[9].to_string(),
            is_sdk: tsv::yes(f[10]),
            source: f[11].to_string(),
        })
        .collect()
});

/// Every embedded row.
pub fn all() -> &'static [BaseImage] {
    &ROWS
}

/// The row for `image` (see [`lookup_with`]).
pub fn lookup(image: &ImageRef) -> Option<Match<'static>> {
    lookup_in(&[], all(), image)
}

/// The row for `image`, consulting `extra` rows (from configuration) before the
/// embedded ones. Digest-pinned references have no tag to look up and match nothing.
pub fn lookup_with<'a>(extra: &'a [BaseImage], image: &ImageRef) -> Option<Match<'a>> {
    lookup_in(extra, all(), image)
}

/// Looks up a repository (as the tables write it) and tag directly.
pub fn lookup_tag<'a>(extra: &'a [BaseImage], repository: &str, tag: &str) -> Option<Match<'a>> {
    find(extra.iter().chain(all().iter()), repository, tag)
}

fn lookup_in<'a>(
    extra: &'a [BaseImage],
    rows: &'a [BaseImage],
    image: &ImageRef,
) -> Option<Match<'a>> {
    if image.digest.is_some() {
        return None;
    }
    let repository = table_repository(image);
    find(
        extra.iter().chain(rows.iter()),
        &repository,
        image.tag_or_latest(),
    )
}

fn find<'a>(
    rows: impl Iterator<Item = &'a BaseImage> + Clone,
    repository: &str,
    tag: &str,
) -> Option<Match<'a>> {
    let same_image = rows.filter(|r| r.image == repository);
    if let Some(row) = same_image.clone().find(|r| r.tag == tag) {
        return Some(Match {
            row,
            kind: MatchKind::Exact,
        });
    }
    let wanted = TagShape::parse(tag);
    // (same release, score): a row of the written release beats any other.
    let mut best: Option<((bool, Score), &BaseImage)> = None;
    for row in same_image {
        let shape = TagShape::parse(&row.tag);
        if let Some(score) = wanted.distance(&shape) {
            let key = (!wanted.same_release(&shape), score);
            if best.as_ref().is_none_or(|(b, _)| key < *b) {
                best = Some((key, row));
            }
        }
    }
    best.map(|((other_release, _), row)| Match {
        row,
        kind: if other_release {
            MatchKind::Nearest {
                tag: row.tag.clone(),
            }
        } else {
            MatchKind::OtherPatch {
                tag: row.tag.clone(),
            }
        },
    })
}

/// The smallest and largest size among the rows of `repository` in the variant
/// family of `tag` (every version and OS release): the honest span for a tag
/// the table has no release of.
pub fn family_span(extra: &[BaseImage], repository: &str, tag: &str) -> Option<(u64, u64)> {
    let wanted = TagShape::parse(tag);
    extra
        .iter()
        .chain(all().iter())
        .filter(|r| r.image == repository && wanted.distance(&TagShape::parse(&r.tag)).is_some())
        .filter_map(|r| r.uncompressed_bytes)
        .fold(None, |span, bytes| match span {
            None => Some((bytes, bytes)),
            Some((low, high)) => Some((low.min(bytes), high.max(bytes))),
        })
}

/// Debian and Ubuntu release names, which do not change the variant family
/// (`node:22-bookworm` is the same flavour as `node:22`).
const CODENAMES: &[&str] = &[
    "bookworm", "bullseye", "buster", "stretch", "trixie", "forky", "sid", "focal", "jammy",
    "noble", "oracular", "plucky", "questing", "resolute",
];

/// Architecture words in a tag (`8.0-bookworm-slim-arm64v8`): the same
/// variant built for another CPU.
const ARCHITECTURES: &[&str] = &[
    "amd64", "arm64v8", "arm64", "arm32v7", "arm32v6", "arm32v5", "i386", "ppc64le", "s390x",
    "riscv64", "x86_64", "aarch64",
];

/// Default users the table has no row for, by repository (a trailing `/`
/// covers a folder of them) and a word of the tag: .NET chiseled and
/// distroless images (with `-extra`, `-composite` or an architecture) run as
/// `app`; every grafana/k6 image runs as `k6`; Nano Server under a .NET or PowerShell tag runs as `ContainerUser` (Server
/// Core as `ContainerAdministrator`, an administrator). Nano Server repositories
/// themselves: [`nano_server_repository`].
const DEFAULT_USERS_BY_TAG_WORD: &[(&str, &str, &str)] = &[
    // k6's Dockerfile ends both `release` and `with-browser` with `USER k6` (uid 12345).
    ("grafana/k6", "", "k6/12345"),
    ("mcr.microsoft.com/dotnet/", "chiseled", "app/1654"),
    ("mcr.microsoft.com/dotnet/", "distroless", "app/1654"),
    ("mcr.microsoft.com/dotnet/", "nanoserver", "ContainerUser"),
    (
        "mcr.microsoft.com/powershell",
        "nanoserver",
        "ContainerUser",
    ),
];

/// The user an image runs as when no `USER` is given: its row's, or for
/// families the table has no row for, the family's convention.
pub fn default_user(image: &ImageRef) -> Option<&'static str> {
    // A digest pins a build of the tag: the tag still says which user it has.
    let mut by_tag = image.clone();
    by_tag.digest = None;
    if let Some(found) = lookup(&by_tag) {
        return Some(found.row.default_user.as_str());
    }
    let repository = table_repository(image).to_ascii_lowercase();
    let tag = image.tag_or_latest().to_ascii_lowercase();
    let nano_server = nano_server_repository(&repository);
    // Insider builds all come after 1709: whatever the tag, `ContainerUser`.
    if nano_server == Some(NanoServer::Insider) {
        return Some("ContainerUser");
    }
    let by_tag_word = DEFAULT_USERS_BY_TAG_WORD
        .iter()
        .find(|(repo, word, _)| {
            let repo_matches = match repo.strip_suffix('/') {
                Some(folder) => repository.starts_with(folder) && repository.len() > folder.len(),
                None => repository == *repo,
            };
            repo_matches && (word.is_empty() || tag.split(['-', '.']).any(|w| w == *word))
        })
        .map(|(_, _, user)| *user);
    nano_server
        .map(|_| "ContainerUser")
        .or(by_tag_word)
        .map(|user| {
            // Nano Server runs as ContainerUser from version 1709; the 2016 release
            // (and an untagged reference, once that release) ran as administrator.
            let server_2016 = tag == "latest"
                || tag.starts_with("10.0.14393")
                || tag
                    .split(['-', '.'])
                    .any(|w| matches!(w, "sac2016" | "ltsc2016" | "2016"));
            if user == "ContainerUser" && server_2016 {
                "ContainerAdministrator"
            } else {
                user
            }
        })
}

/// Official images whose `docker-entrypoint.sh` starts as root and then runs the
/// server as an unprivileged user (gosu, su-exec or setpriv), by repository.
const ENTRYPOINT_STEPS_DOWN: &[(&str, &str)] = &[
    ("postgres", "postgres"),
    ("postgis/postgis", "postgres"),
    ("mysql", "mysql"),
    ("mariadb", "mysql"),
    ("redis", "redis"),
    ("mongo", "mongodb"),
    ("rabbitmq", "rabbitmq"),
    ("cassandra", "cassandra"),
    ("couchdb", "couchdb"),
    ("zookeeper", "zookeeper"),
];

/// The user the image's own entrypoint switches to before it runs the server.
pub fn entrypoint_steps_down_to(image: &ImageRef) -> Option<&'static str> {
    let repository = table_repository(image).to_ascii_lowercase();
    let repository = repository.strip_prefix("docker.io/").unwrap_or(&repository);
    ENTRYPOINT_STEPS_DOWN
        .iter()
        .find(|(repo, _)| *repo == repository)
        .map(|(_, user)| *user)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NanoServer {
    Release,
    Insider,
}

/// Microsoft's Nano Server repositories, wherever published:
/// `mcr.microsoft.com/windows/nanoserver`, `.../nanoserver-insider`,
/// `.../nanoserver/insider`, `microsoft/nanoserver` on Docker Hub.
fn nano_server_repository(repository: &str) -> Option<NanoServer> {
    let path = repository
        .strip_prefix("mcr.microsoft.com/")
        .or_else(|| repository.strip_prefix("microsoft/"))?;
    let parts: Vec<&str> = path.split('/').collect();
    let nano = parts
        .iter()
        .any(|p| *p == "nanoserver" || p.starts_with("nanoserver-"));
    let insider = parts.iter().any(|p| p.split('-').any(|w| w == "insider"));
    match (nano, insider) {
        (false, _) => None,
        (true, false) => Some(NanoServer::Release),
        (true, true) => Some(NanoServer::Insider),
    }
}

/// Debian packages an image holds beyond `debian:bookworm-slim`, for the
/// families that matter to recommended packages: the buildpack-deps based full
/// images hold its `curl` and `scm` sets, python slim holds `ca-certificates`,
/// .NET images their runtime dependencies, php its download tools.
pub fn debian_packages_beyond_slim(image: &ImageRef) -> &'static [&'static str] {
    const BUILDPACK_DEPS: &[&str] = &[
        "ca-certificates",
        "curl",
        "wget",
        "gnupg",
        "netbase",
        "git",
        "openssh-client",
        "procps",
    ];
    let repository = table_repository(image);
    let tag = image.tag_or_latest().to_ascii_lowercase();
    let words: Vec<&str> = tag.split(['-', '.']).collect();
    let has = |word: &str| words.iter().any(|w| w.starts_with(word));
    if has("alpine") || has("windows") || has("nanoserver") {
        return &[];
    }
    let name = repository.rsplit('/').next().unwrap_or(&repository);
    match name {
        "python" if has("slim") => &["ca-certificates", "netbase", "tzdata"],
        "python" | "node" | "golang" | "ruby" | "rust" | "buildpack-deps" if !has("slim") => {
            BUILDPACK_DEPS
        }
        "php" => &["ca-certificates", "curl"],
        "runtime-deps" | "runtime" | "aspnet" | "sdk"
            if repository.starts_with("mcr.microsoft.com/dotnet/") && !has("chiseled") =>
        {
            &["ca-certificates", "libssl3", "tzdata"]
        }
        _ => &[],
    }
}

/// Whether a default user (`root`, `name/uid`) is root or an administrator.
pub fn is_root_user(user: &str) -> bool {
    let user = user.split('/').next().unwrap_or_default();
    user.is_empty() || user == "root" || user == "0" || user == "ContainerAdministrator"
}

/// A tag split into a version (or channel name) and its suffix words.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TagShape {
    /// `22.11.0` → [22, 11, 0]; `21.0.5_11` → [21, 0, 5, 11]. Empty when the tag
    /// does not start with a number.
    version: Vec<u64>,
    /// A pre-release marker in the version (`3.15.0b4`, `3.15-rc`).
    prerelease: bool,
    /// A leading word that is not a version (`jod`, `lts`, `bookworm`, `latest`).
    channel: Option<String>,
    /// The suffix words as written (`bookworm-slim` → [bookworm, slim]).
    suffix: Vec<String>,
    /// The suffix without release names and Alpine versions: the variant family
    /// (`alpine3.20` → `alpine`, `bookworm-slim` → `slim`, `jdk-noble` → `jdk`).
    family: Vec<String>,
}

/// Lower is nearer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    /// The suffix differs (only in release names / Alpine versions).
    suffix_differs: bool,
    /// Version components not shared, counted from the left.
    unshared: usize,
    /// Distance in the first component that differs.
    gap: u64,
    /// A newer candidate loses to an older one at the same gap.
    newer: bool,
    /// Prefer the floating tag (fewer components).
    length: usize,
}

impl TagShape {
    fn parse(tag: &str) -> TagShape {
        let lower = tag.to_ascii_lowercase();
        let mut words = lower.split('-').peekable();
        let mut version = Vec::new();
        let mut prerelease = false;
        let mut channel = None;
        let head = words.peek().copied().unwrap_or_default();
        if head.starts_with(|c: char| c.is_ascii_digit()) {
            words.next();
            for part in head.split(['.', '_']) {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                if digits.len() != part.len() {
                    prerelease = true;
                }
                match digits.parse() {
                    Ok(n) => version.push(n),
                    Err(_) => break,
                }
                if prerelease {
                    break;
                }
            }
            if words.peek().is_some_and(|w| *w == "rc" || *w == "ea") {
                prerelease = true;
                words.next();
            }
        } else if head == "latest" {
            words.next();
        } else if !(CODENAMES.contains(&head) || head == "slim" || head.starts_with("alpine")) {
            // A channel name (`jod`, `lts`, `stable`, `mainline`); release names and
            // variant words stay in the suffix (`python:slim-trixie`).
            channel = Some(head.to_string());
            words.next();
        }
        let suffix: Vec<String> = words.map(str::to_string).collect();
        let mut family = Vec::new();
        let mut after_alpine = false;
        for word in &suffix {
            let is_version = word.starts_with(|c: char| c.is_ascii_digit());
            if CODENAMES.contains(&word.as_str())
                || ARCHITECTURES.contains(&word.as_str())
                || (after_alpine && is_version)
            {
                after_alpine = false;
                continue;
            }
            after_alpine = false;
            if let Some(rest) = word.strip_prefix("alpine") {
                if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
                    family.push("alpine".to_string());
                    after_alpine = true;
                    continue;
                }
            }
            family.push(word.clone());
        }
        TagShape {
            version,
            prerelease,
            channel,
            suffix,
            family,
        }
    }

    /// How far `candidate` is from `self`, or `None` when it is another family.
    fn distance(&self, candidate: &TagShape) -> Option<Score> {
        if self.family != candidate.family
            || self.channel != candidate.channel
            || self.prerelease != candidate.prerelease
            || self.version.is_empty() != candidate.version.is_empty()
        {
            return None;
        }
        let shared = self
            .version
            .iter()
            .zip(&candidate.version)
            .take_while(|(a, b)| a == b)
            .count();
        let (gap, newer) = match (self.version.get(shared), candidate.version.get(shared)) {
            (Some(a), Some(b)) => (a.abs_diff(*b), b > a),
            // One runs out: a floating tag that covers the other.
            _ => (0, false),
        };
        Some(Score {
            suffix_differs: self.suffix != candidate.suffix,
            unshared: self.version.len() - shared,
            gap,
            newer,
            length: candidate.version.len(),
        })
    }

    /// Whether `candidate` is of this tag's release: the same major.minor (a
    /// floating tag with only a major covers only a major), and every OS release
    /// the tag names (`bookworm`, `alpine3.20`) named by the candidate too.
    fn same_release(&self, candidate: &TagShape) -> bool {
        let line = self.version.len().min(2);
        let version_matches =
            candidate.version.len() >= line && candidate.version[..line] == self.version[..line];
        let releases = candidate.os_releases();
        version_matches && self.os_releases().iter().all(|r| releases.contains(r))
    }

    /// The OS release words of the suffix: Debian/Ubuntu names and versioned
    /// Alpine (`alpine3.20`, `alpine-3.20` → `alpine3.20`).
    fn os_releases(&self) -> Vec<String> {
        let mut releases = Vec::new();
        let mut after_alpine = false;
        for word in &self.suffix {
            if CODENAMES.contains(&word.as_str()) {
                releases.push(word.clone());
            } else if after_alpine && word.starts_with(|c: char| c.is_ascii_digit()) {
                releases.push(format!("alpine{word}"));
            } else if word.len() > "alpine".len()
                && word.starts_with("alpine")
                && word["alpine".len()..].starts_with(|c: char| c.is_ascii_digit())
            {
                releases.push(word.clone());
            }
            after_alpine = word == "alpine";
        }
        releases
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref::parse;

    fn get(text: &str) -> Option<Match<'static>> {
        lookup(&parse(text).unwrap())
    }

    fn nearest(text: &str) -> String {
        match get(text) {
            Some(Match {
                kind: MatchKind::Nearest { tag } | MatchKind::OtherPatch { tag },
                ..
            }) => tag,
            other => panic!("{text}: expected a nearest match, got {other:?}"),
        }
    }

    #[test]
    fn every_row_parses() {
        assert!(all().len() > 400);
        for row in all() {
            assert!(!row.image.is_empty() && !row.tag.is_empty(), "{row:?}");
            assert!(
                [
                    "debian",
                    "ubuntu",
                    "alpine",
                    "distroless",
                    "scratch",
                    "other"
                ]
                .contains(&row.os_family.as_str()),
                "{row:?}"
            );
            assert!(
                ["glibc", "musl", "none"].contains(&row.libc.as_str()),
                "{row:?}"
            );
            assert!(
                [
                    "full",
                    "slim",
                    "alpine",
                    "distroless",
                    "runtime",
                    "sdk",
                    "other"
                ]
                .contains(&row.variant.as_str()),
                "{row:?}"
            );
            assert!(
                ["apt", "apk", "dnf", "microdnf", "none"].contains(&row.package_manager.as_str()),
                "{row:?}"
            );
            assert!(!row.default_user.is_empty(), "{row:?}");
            assert!(row.uncompressed_bytes.is_some(), "{row:?}");
        }
    }

    #[test]
    fn exact_tags() {
        let m = get("node:22").unwrap();
        assert!(m.is_exact());
        assert_eq!(m.row.variant, "full");
        assert_eq!(m.row.uncompressed_bytes, Some(1_130_000_000));

        let m = get("python:3.12-slim").unwrap();
        assert!(m.is_exact());
        assert_eq!(m.row.variant, "slim");
        assert_eq!(m.row.libc, "glibc");

        let m = get("eclipse-temurin:21-jdk").unwrap();
        assert!(m.is_exact());
        assert!(m.row.is_sdk);
        assert!(m.row.is_full_or_sdk());

        let m = get("gcr.io/distroless/static-debian12:nonroot").unwrap();
        assert!(m.is_exact());
        assert!(!m.row.runs_as_root());
        assert!(!m.row.has_shell);
        assert_eq!(m.row.variant, "distroless");

        let m = get("scratch").unwrap();
        assert!(m.is_exact());
        assert_eq!(m.row.uncompressed_bytes, Some(0));
        assert_eq!(m.row.libc, "none");

        let m = get("docker.io/library/python:3.12-slim").unwrap();
        assert!(m.is_exact());
    }

    #[test]
    fn nearest_tags_stay_in_the_variant_family() {
        // A full Debian tag with a release name → the full `node` line.
        assert_eq!(nearest("node:22.11.0-bookworm"), "22");
        assert_eq!(get("node:22.11.0-bookworm").unwrap().row.variant, "full");
        assert_eq!(nearest("node:22.11.0"), "22");
        assert_eq!(nearest("node:22-bookworm"), "22");
        // Slim stays slim, alpine stays alpine whatever the Alpine version.
        assert_eq!(get("node:22.1-slim").unwrap().row.variant, "slim");
        assert_eq!(nearest("node:22.1.0-alpine3.20"), "22-alpine");
        assert_eq!(get("node:22-bookworm-slim").unwrap().row.variant, "slim");
        assert_eq!(get("node:20-alpine").unwrap().row.variant, "alpine");
        assert_eq!(nearest("python:3.12.1-slim"), "3.12-slim");
        assert_eq!(nearest("python:3.12.1-slim-bookworm"), "3.12-slim-bookworm");
        assert_eq!(nearest("python:bookworm"), "latest");
        assert_eq!(nearest("node:alpine3.20"), "alpine");
        assert_eq!(nearest("eclipse-temurin:21.0.5_11-jdk"), "21.0.11_10-jdk");
        assert_eq!(nearest("eclipse-temurin:21.0.5_11-jre"), "21.0.11_10-jre");
        assert_eq!(
            get("eclipse-temurin:17-jre-alpine-3.22")
                .unwrap()
                .row
                .variant,
            "alpine"
        );
        assert_eq!(nearest("alpine:3.20"), "3.21.8");
        assert_eq!(get("node:bookworm"), None);
        // An architecture suffix is the same variant for another CPU.
        assert_eq!(
            nearest("mcr.microsoft.com/dotnet/aspnet:9.0.3-noble-chiseled-arm64v8"),
            "9.0-noble-chiseled"
        );
    }

    fn kind(text: &str) -> MatchKind {
        get(text).unwrap().kind
    }

    #[test]
    fn another_patch_of_the_release_is_the_same_release() {
        // Another patch of the same major.minor, or a floating tag covering it.
        assert_eq!(
            kind("python:3.12.1-slim"),
            MatchKind::OtherPatch {
                tag: "3.12-slim".into()
            }
        );
        assert!(get("golang:1.27.3-bookworm").unwrap().is_same_release());
        assert!(get("node:26.7.5-alpine3.23").unwrap().is_same_release());
        assert!(get("alpine:3.24.9").unwrap().is_same_release());
    }

    #[test]
    fn another_minor_or_os_release_is_not_the_same_release() {
        // The cases: another minor, another Alpine, another Debian release.
        for other in [
            "golang:1.23",
            "alpine:3.17",
            "alpine:3.20",
            "nginx:1.27",
            "buildpack-deps:buster",
            "node:22.11.0",
            "node:26.7.0-alpine3.19",
            "python:3.12-slim-bullseye",
        ] {
            let found = get(other).unwrap_or_else(|| panic!("{other}: no row"));
            assert!(
                matches!(found.kind, MatchKind::Nearest { .. }),
                "{other}: {:?}",
                found.kind
            );
        }
    }

    #[test]
    fn family_span_covers_every_release_of_the_variant() {
        let (low, high) = family_span(&[], "alpine", "3.17").unwrap();
        assert!(low <= 7_800_000 && high >= 8_420_000, "{low} {high}");
        // The span stays in the family: no full golang row in the alpine span.
        let (_, high) = family_span(&[], "golang", "1.23-alpine").unwrap();
        assert!(high < 300_000_000, "{high}");
        assert_eq!(family_span(&[], "example.com/app", "1"), None);
    }

    #[test]
    fn default_users_of_families_without_rows() {
        let user = |text: &str| default_user(&parse(text).unwrap());
        for non_root in [
            "mcr.microsoft.com/dotnet/runtime-deps:10.0.2-noble-chiseled-extra-arm32v7",
            "mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled-composite-amd64",
            "mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-distroless-extra-amd64",
            "mcr.microsoft.com/windows/nanoserver:ltsc2022",
            "mcr.microsoft.com/dotnet/runtime:9.0-nanoserver-ltsc2022",
            // Insider builds, untagged or not, all come after 1709.
            "mcr.microsoft.com/windows/nanoserver-insider",
            "mcr.microsoft.com/nanoserver-insider:10.0.17744.1001",
            "mcr.microsoft.com/windows/nanoserver/insider:10.0.18334.1",
            "microsoft/nanoserver:1709",
        ] {
            let found = user(non_root);
            assert!(
                found.is_some_and(|u| !is_root_user(u)),
                "{non_root}: {found:?}"
            );
        }
        for root in [
            "mcr.microsoft.com/dotnet/runtime-deps:9.0-bookworm-slim-arm64v8",
            "mcr.microsoft.com/dotnet/runtime-deps:10.0-azurelinux3.0-amd64",
        ] {
            assert!(user(root).is_none_or(is_root_user), "{root}");
        }
        assert_eq!(user("mcr.microsoft.com/windows/servercore:ltsc2022"), None);
        assert_eq!(user("mcr.microsoft.com/windows/servercore-insider"), None);
        assert_eq!(user("example/nanoserverapiscan:10.0.17763.1"), None);
        for admin in [
            "mcr.microsoft.com/windows/nanoserver:sac2016",
            "mcr.microsoft.com/windows/nanoserver:10.0.14393.1770",
            "mcr.microsoft.com/windows/nanoserver",
            "microsoft/nanoserver",
        ] {
            assert_eq!(user(admin), Some("ContainerAdministrator"), "{admin}");
        }
    }

    #[test]
    fn no_match() {
        assert_eq!(
            get("node@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa"),
            None
        );
        assert_eq!(get("example.com/team/app:1"), None);
        assert_eq!(get("node:22-windowsservercore"), None);
    }

    #[test]
    fn extra_rows_win() {
        let mut row = get("node:22").unwrap().row.clone();
        row.image = "registry.example.com/base/node".to_string();
        row.default_user = "app/1000".to_string();
        let extra = [row];
        let image = parse("registry.example.com/base/node:22").unwrap();
        let m = lookup_with(&extra, &image).unwrap();
        assert!(m.is_exact());
        assert!(!m.row.runs_as_root());
        assert!(lookup_tag(&extra, "node", "22-slim").unwrap().is_exact());
    }
}
