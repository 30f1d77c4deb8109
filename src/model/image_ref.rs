//! Image references (`registry/namespace/name:tag@digest`) with Docker Hub's
//! defaults, following the grammar of `distribution/reference` that BuildKit
//! uses to resolve `FROM` (its `ParseNormalizedNamed`).

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;

/// Docker Hub's canonical registry name.
pub const DOCKER_HUB: &str = "docker.io";
/// The legacy name of Docker Hub, normalized to [`DOCKER_HUB`].
const LEGACY_DOCKER_HUB: &str = "index.docker.io";
/// Official images live in this Docker Hub namespace.
const OFFICIAL_NAMESPACE: &str = "library/";
/// The empty base image. BuildKit compares the whole expanded `FROM` value with
/// this exactly (case-sensitive, no tag, no registry).
const SCRATCH: &str = "scratch";
/// The longest repository path distribution accepts.
const MAX_PATH_LEN: usize = 255;

/// A parsed image reference such as `node:22-slim` or `ghcr.io/org/app:1@sha256:...`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// The registry host (with port), or `None` for Docker Hub (`docker.io`,
    /// `index.docker.io` or no registry at all).
    pub registry: Option<String>,
    /// The repository path within the registry; single-component Docker Hub
    /// names get `library/` (`node` → `library/node`).
    pub namespace_and_name: String,
    /// The last path component (`node`, `app`).
    pub name: String,
    pub tag: Option<String>,
    /// `algorithm:hex`, e.g. `sha256:…`.
    pub digest: Option<String>,
    /// `FROM scratch`: no image at all.
    pub is_scratch: bool,
}

impl ImageRef {
    /// The fully qualified repository: `docker.io/library/node`, `ghcr.io/org/app`.
    pub fn repository(&self) -> String {
        if self.is_scratch {
            return SCRATCH.to_string();
        }
        let registry = self.registry.as_deref().unwrap_or(DOCKER_HUB);
        format!("{registry}/{}", self.namespace_and_name)
    }

    /// The reference as people write it: `node:22-slim`, `bitnami/redis`,
    /// `ghcr.io/org/app:1`, keeping the tag and digest.
    pub fn familiar(&self) -> String {
        let mut out = match &self.registry {
            None => {
                let path = self.familiar_hub_path();
                // `docker.io/a.b/app` must keep its registry, or `a.b` would be read as one.
                match path.split_once('/') {
                    Some((first, _)) if first == "localhost" || first.contains('.') => {
                        format!("{DOCKER_HUB}/{path}")
                    }
                    _ => path.to_string(),
                }
            }
            Some(registry) => format!("{registry}/{}", self.namespace_and_name),
        };
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
    }

    /// A Docker Hub official image (`library/…`), such as `node` or `alpine`.
    pub fn is_official(&self) -> bool {
        !self.is_scratch
            && self.registry.is_none()
            && self
                .namespace_and_name
                .strip_prefix(OFFICIAL_NAMESPACE)
                .is_some_and(|rest| !rest.contains('/'))
    }

    /// The tag, or `latest` when none is written (what a pull would use).
    /// With a digest the digest decides what is pulled, whatever the tag says.
    pub fn tag_or_latest(&self) -> &str {
        self.tag.as_deref().unwrap_or("latest")
    }

    fn familiar_hub_path(&self) -> &str {
        match self.namespace_and_name.strip_prefix(OFFICIAL_NAMESPACE) {
            Some(rest) if !rest.contains('/') => rest,
            _ => &self.namespace_and_name,
        }
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.familiar())
    }
}

/// Why a text is not a valid image reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageRefError {
    Empty,
    /// Repository paths must be lowercase (tags may not be).
    Uppercase {
        repository: String,
    },
    InvalidTag {
        tag: String,
    },
    InvalidDigest {
        digest: String,
        reason: String,
    },
    InvalidRegistry {
        registry: String,
    },
    /// A path component such as `-app` or `my..app`, or an empty one.
    InvalidPathComponent {
        component: String,
    },
    NameTooLong {
        length: usize,
    },
    /// A bare 64-character hex string: an image ID, not a name.
    ImageId,
}

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageRefError::Empty => f.write_str("the image reference is empty"),
            ImageRefError::Uppercase { repository } => write!(
                f,
                "repository name \"{repository}\" must be lowercase"
            ),
            ImageRefError::InvalidTag { tag } => write!(
                f,
                "invalid tag \"{tag}\": a tag is 1 to 128 letters, digits, '_', '.' or '-' and cannot start with '.' or '-'"
            ),
            ImageRefError::InvalidDigest { digest, reason } => {
                write!(f, "invalid digest \"{digest}\": {reason}")
            }
            ImageRefError::InvalidRegistry { registry } => write!(
                f,
                "invalid registry \"{registry}\": expected a host name or [IPv6] address with an optional :port"
            ),
            ImageRefError::InvalidPathComponent { component } if component.is_empty() => {
                f.write_str("invalid image name: empty path component")
            }
            ImageRefError::InvalidPathComponent { component } => write!(
                f,
                "invalid image name component \"{component}\": use lowercase letters and digits, separated by '.', '_', '__' or dashes"
            ),
            ImageRefError::NameTooLong { length } => write!(
                f,
                "repository name is {length} characters long; at most {MAX_PATH_LEN} are allowed"
            ),
            ImageRefError::ImageId => f.write_str(
                "a 64-character hexadecimal image ID cannot be used as a repository name",
            ),
        }
    }
}

impl std::error::Error for ImageRefError {}

// The grammar of distribution/reference.
static PATH_COMPONENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$").expect("valid regex"));
static REGISTRY: LazyLock<Regex> = LazyLock::new(|| {
    let label = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    Regex::new(&format!(
        r"^(?:{label}(?:\.{label})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$"
    ))
    .expect("valid regex")
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("valid regex"));
static DIGEST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
        .expect("valid regex")
});
static IMAGE_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-f0-9]{64}$").expect("valid regex"));

/// Parses an image reference as BuildKit does for `FROM` (after variable
/// expansion): `scratch` is special; a first path component is a registry
/// when it contains `.` or `:`, is `localhost`, or has uppercase letters.
pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
    if text == SCRATCH {
        return Ok(ImageRef {
            registry: None,
            namespace_and_name: SCRATCH.to_string(),
            name: SCRATCH.to_string(),
            tag: None,
            digest: None,
            is_scratch: true,
        });
    }
    if text.is_empty() {
        return Err(ImageRefError::Empty);
    }
    if IMAGE_ID.is_match(text) {
        return Err(ImageRefError::ImageId);
    }

    // Neither names nor tags contain `@`, so the first one starts the digest.
    let (named, digest) = match text.split_once('@') {
        Some((named, digest)) => (named, Some(validate_digest(digest)?)),
        None => (text, None),
    };
    // A `:` after the last `/` starts the tag; an earlier one is a port.
    let last_slash = named.rfind('/').map_or(0, |i| i + 1);
    let (name_part, tag) = match named[last_slash..].rfind(':') {
        Some(i) => {
            let split = last_slash + i;
            (&named[..split], Some(&named[split + 1..]))
        }
        None => (named, None),
    };
    if name_part.is_empty() {
        return Err(ImageRefError::Empty);
    }

    let (registry, path) = split_registry(name_part);
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(ImageRefError::Uppercase {
            repository: path.to_string(),
        });
    }
    if let Some(registry) = registry {
        if !REGISTRY.is_match(registry) {
            return Err(ImageRefError::InvalidRegistry {
                registry: registry.to_string(),
            });
        }
    }
    if let Some(bad) = path.split('/').find(|c| !PATH_COMPONENT.is_match(c)) {
        return Err(ImageRefError::InvalidPathComponent {
            component: bad.to_string(),
        });
    }
    if let Some(tag) = tag {
        if !TAG.is_match(tag) {
            return Err(ImageRefError::InvalidTag {
                tag: tag.to_string(),
            });
        }
    }

    let registry = registry.filter(|r| *r != DOCKER_HUB && *r != LEGACY_DOCKER_HUB);
    let namespace_and_name = if registry.is_none() && !path.contains('/') {
        format!("{OFFICIAL_NAMESPACE}{path}")
    } else {
        path.to_string()
    };
    if namespace_and_name.len() > MAX_PATH_LEN {
        return Err(ImageRefError::NameTooLong {
            length: namespace_and_name.len(),
        });
    }
    let name = namespace_and_name
        .rsplit('/')
        .next()
        .unwrap_or(&namespace_and_name)
        .to_string();
    Ok(ImageRef {
        registry: registry.map(str::to_string),
        namespace_and_name,
        name,
        tag: tag.map(str::to_string),
        digest,
        is_scratch: false,
    })
}

/// Splits off the registry the way Docker does: only a first component with a
/// `.` or `:`, `localhost`, or uppercase letters (never valid in a path) is a
/// host. A single component is always a Docker Hub name, even `localhost`.
fn split_registry(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first == "localhost"
                || first.contains(['.', ':'])
                || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

/// Checks a digest as the OCI digest library does: the general `algo:hex`
/// shape, then the length and lowercase hex of the known algorithms.
fn validate_digest(digest: &str) -> Result<String, ImageRefError> {
    let invalid = |reason: &str| ImageRefError::InvalidDigest {
        digest: digest.to_string(),
        reason: reason.to_string(),
    };
    if !DIGEST.is_match(digest) {
        return Err(invalid(
            "expected algorithm:hex, such as sha256: and at least 32 hex digits",
        ));
    }
    let (algorithm, hex) = digest.split_once(':').unwrap_or((digest, ""));
    let expected_len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err(invalid("unsupported digest algorithm")),
    };
    if hex.len() != expected_len {
        return Err(invalid(&format!(
            "{algorithm} needs {expected_len} hex digits, found {}",
            hex.len()
        )));
    }
    if hex.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(invalid("hex digits must be lowercase"));
    }
    Ok(digest.to_string())
}

/// Whether a `--from` value (or a `FROM` base) that names no stage looks like
/// an image reference rather than a misspelt stage name.
pub fn looks_like_image(text: &str) -> bool {
    text.contains(['/', ':', '@', '.'])
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const SHA: &str = "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";

    fn ok(text: &str) -> ImageRef {
        parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    #[test]
    fn official_image_with_tag() {
        let image = ok("node:22-slim");
        assert_eq!(image.registry, None);
        assert_eq!(image.namespace_and_name, "library/node");
        assert_eq!(image.name, "node");
        assert_eq!(image.tag.as_deref(), Some("22-slim"));
        assert_eq!(image.digest, None);
        assert!(!image.is_scratch);
        assert!(image.is_official());
        assert_eq!(image.repository(), "docker.io/library/node");
        assert_eq!(image.familiar(), "node:22-slim");
        assert_eq!(image.to_string(), "node:22-slim");
        assert_eq!(image.tag_or_latest(), "22-slim");
    }

    #[test]
    fn untagged_image_defaults_to_latest() {
        let image = ok("alpine");
        assert_eq!(image.tag, None);
        assert_eq!(image.tag_or_latest(), "latest");
        assert_eq!(image.familiar(), "alpine");
    }

    #[test]
    fn docker_hub_spellings_are_normalized() {
        for text in [
            "ubuntu:24.04",
            "library/ubuntu:24.04",
            "docker.io/ubuntu:24.04",
            "docker.io/library/ubuntu:24.04",
            "index.docker.io/library/ubuntu:24.04",
            "index.docker.io/ubuntu:24.04",
        ] {
            let image = ok(text);
            assert_eq!(image.registry, None, "{text}");
            assert_eq!(image.repository(), "docker.io/library/ubuntu", "{text}");
            assert_eq!(image.familiar(), "ubuntu:24.04", "{text}");
            assert!(image.is_official(), "{text}");
        }
    }

    #[test]
    fn hub_user_images_are_not_official() {
        let image = ok("bitnami/redis:7.2");
        assert_eq!(image.registry, None);
        assert_eq!(image.namespace_and_name, "bitnami/redis");
        assert_eq!(image.name, "redis");
        assert!(!image.is_official());
        assert_eq!(image.repository(), "docker.io/bitnami/redis");
        assert_eq!(image.familiar(), "bitnami/redis:7.2");
        // A nested path under library/ is not an official image.
        let nested = ok("library/distros/ubuntu");
        assert!(!nested.is_official());
        assert_eq!(nested.familiar(), "library/distros/ubuntu");
    }

    #[test]
    fn other_registries() {
        let image = ok("ghcr.io/org/app:1");
        assert_eq!(image.registry.as_deref(), Some("ghcr.io"));
        assert_eq!(image.namespace_and_name, "org/app");
        assert_eq!(image.name, "app");
        assert!(!image.is_official());
        assert_eq!(image.repository(), "ghcr.io/org/app");
        assert_eq!(image.familiar(), "ghcr.io/org/app:1");

        // A single component on another registry gets no `library/`.
        let mirror = ok("mirror.gcr.io/node:20");
        assert_eq!(mirror.namespace_and_name, "node");
        assert_eq!(mirror.familiar(), "mirror.gcr.io/node:20");

        let local = ok("localhost/app");
        assert_eq!(local.registry.as_deref(), Some("localhost"));

        let port = ok("localhost:5000/team/app:dev");
        assert_eq!(port.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(port.namespace_and_name, "team/app");
        assert_eq!(port.tag.as_deref(), Some("dev"));

        let untagged_port = ok("registry.example.com:443/app");
        assert_eq!(
            untagged_port.registry.as_deref(),
            Some("registry.example.com:443")
        );
        assert_eq!(untagged_port.tag, None);

        let ipv6 = ok("[::1]:5000/app:1");
        assert_eq!(ipv6.registry.as_deref(), Some("[::1]:5000"));

        let ecr = ok("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:1.0");
        assert_eq!(
            ecr.registry.as_deref(),
            Some("123456789012.dkr.ecr.us-east-1.amazonaws.com")
        );
    }

    #[test]
    fn familiar_form_keeps_hub_prefix_when_needed() {
        let dotted = ok("docker.io/a.b/app");
        assert_eq!(dotted.registry, None);
        assert_eq!(dotted.familiar(), "docker.io/a.b/app");
        assert_eq!(parse(&dotted.familiar()), Ok(dotted));
        let local = ok("index.docker.io/localhost/app");
        assert_eq!(local.familiar(), "docker.io/localhost/app");
    }

    #[test]
    fn first_component_without_dot_or_colon_is_a_namespace() {
        let image = ok("myregistry/app");
        assert_eq!(image.registry, None);
        assert_eq!(image.namespace_and_name, "myregistry/app");
        // Docker treats a bare `localhost` as a Hub name, not a registry.
        assert_eq!(ok("localhost").repository(), "docker.io/library/localhost");
        // Without a slash, `host:5000` is a name and a tag.
        let tagged = ok("example.com:5000");
        assert_eq!(tagged.repository(), "docker.io/library/example.com");
        assert_eq!(tagged.tag.as_deref(), Some("5000"));
    }

    #[test]
    fn digests() {
        let pinned = ok(&format!("busybox@{SHA}"));
        assert_eq!(pinned.digest.as_deref(), Some(SHA));
        assert_eq!(pinned.tag, None);
        assert_eq!(pinned.familiar(), format!("busybox@{SHA}"));

        let both = ok(&format!("docker.io/library/busybox:1.36@{SHA}"));
        assert_eq!(both.tag.as_deref(), Some("1.36"));
        assert_eq!(both.digest.as_deref(), Some(SHA));
        assert_eq!(both.familiar(), format!("busybox:1.36@{SHA}"));

        let sha512 = format!("sha512:{}", "ab".repeat(64));
        assert!(parse(&format!("app@{sha512}")).is_ok());
    }

    #[test]
    fn bad_digests_are_explained() {
        let short = parse("app@sha256:abc").unwrap_err();
        assert!(matches!(short, ImageRefError::InvalidDigest { .. }));
        assert!(short.to_string().contains("sha256:abc"), "{short}");

        let length = parse(&format!("app@sha256:{}", "a".repeat(40))).unwrap_err();
        assert!(length.to_string().contains("64 hex digits"), "{length}");

        let upper = parse(&format!("app@sha256:{}", "A".repeat(64))).unwrap_err();
        assert!(upper.to_string().contains("lowercase"), "{upper}");

        let algorithm = parse(&format!("app@md5:{}", "a".repeat(32))).unwrap_err();
        assert!(algorithm.to_string().contains("unsupported"), "{algorithm}");

        assert!(matches!(
            parse("app@"),
            Err(ImageRefError::InvalidDigest { .. })
        ));
        assert!(matches!(
            parse(&format!("app@{SHA}@{SHA}")),
            Err(ImageRefError::InvalidDigest { .. })
        ));
    }

    #[test]
    fn scratch_is_exact() {
        let scratch = ok("scratch");
        assert!(scratch.is_scratch);
        assert!(!scratch.is_official());
        assert_eq!(scratch.familiar(), "scratch");
        assert_eq!(scratch.repository(), "scratch");
        // BuildKit only special-cases the exact word; anything else is a normal pull.
        assert!(!ok("scratch:latest").is_scratch);
        assert!(!ok("docker.io/library/scratch").is_scratch);
        assert!(matches!(
            parse("Scratch"),
            Err(ImageRefError::Uppercase { .. })
        ));
    }

    #[test]
    fn uppercase_repository_is_rejected_but_uppercase_tag_is_fine() {
        let err = parse("Node:20").unwrap_err();
        assert_eq!(
            err,
            ImageRefError::Uppercase {
                repository: "Node".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "repository name \"Node\" must be lowercase"
        );
        assert!(matches!(
            parse("ghcr.io/Org/app"),
            Err(ImageRefError::Uppercase { .. })
        ));
        assert_eq!(ok("app:V1.0-RC").tag.as_deref(), Some("V1.0-RC"));
        // Uppercase in the first component makes it a registry host.
        assert_eq!(ok("MyHost/app").registry.as_deref(), Some("MyHost"));
    }

    #[test]
    fn bad_tags_are_explained() {
        for tag in [
            ".hidden",
            "-dash",
            "a/b",
            "",
            "x".repeat(129).as_str(),
            "v1+2",
        ] {
            let text = format!("app:{tag}");
            match parse(&text) {
                // `app:a/b` makes `b` the tag and `app:a` the registry host.
                Err(ImageRefError::InvalidTag { .. } | ImageRefError::InvalidRegistry { .. }) => {}
                other => panic!("{text:?} gave {other:?}"),
            }
        }
        let err = parse("node:.1").unwrap_err();
        assert!(err.to_string().contains("\".1\""), "{err}");
        assert!(parse(&format!("app:{}", "x".repeat(128))).is_ok());
    }

    #[test]
    fn bad_names_are_explained() {
        assert_eq!(parse(""), Err(ImageRefError::Empty));
        assert_eq!(parse(":tag"), Err(ImageRefError::Empty));
        for text in [
            "-app", "app-", "my..app", "a/ /b", "a//b", "app/", "my app", "ápp",
        ] {
            assert!(
                matches!(parse(text), Err(ImageRefError::InvalidPathComponent { .. })),
                "{text:?} gave {:?}",
                parse(text)
            );
        }
        assert!(ok("my__app").is_official());
        assert!(ok("my---app").is_official());
        assert!(ok("a.b_c-d").is_official());
        assert!(matches!(
            parse("bad_host.com/app"),
            Err(ImageRefError::InvalidRegistry { .. })
        ));
        assert_eq!(parse(&"z".repeat(64)).map(|i| i.name), Ok("z".repeat(64)));
        assert_eq!(parse(&"a".repeat(64)), Err(ImageRefError::ImageId));
        assert_eq!(parse(&"a1".repeat(32)), Err(ImageRefError::ImageId));
        let long = format!("org/{}", "a".repeat(260));
        assert!(matches!(
            parse(&long),
            Err(ImageRefError::NameTooLong { .. })
        ));
    }

    #[test]
    fn from_values_that_look_like_images() {
        assert!(looks_like_image("node:20"));
        assert!(looks_like_image("org/app"));
        assert!(looks_like_image("app@sha256:x"));
        assert!(looks_like_image("example.com"));
        assert!(!looks_like_image("builder"));
        assert!(!looks_like_image("build-stage_2"));
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC*") {
            let _ = parse(&text);
            let _ = looks_like_image(&text);
        }

        #[test]
        fn printed_references_parse_back(text in "[a-zA-Z0-9:/@._\\-\\[\\]]{0,30}") {
            if let Ok(image) = parse(&text) {
                // What we print parses back to the same reference.
                prop_assert_eq!(parse(&image.familiar()), Ok(image.clone()));
                let repository = image.repository();
                prop_assert_eq!(parse(&repository).map(|i| i.repository()), Ok(repository));
            }
        }
    }
}
