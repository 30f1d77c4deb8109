//! What the estimator needs to know about base images, behind a small trait so the
//! knowledge tables (and user-defined images from `.dockstage.toml`) plug in.

use crate::model::image_ref::ImageRef;

/// A base image's size and the facts that change how layers on top of it are sized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseImage {
    /// The table entry used, as `image:tag` (may differ from what was written when
    /// the nearest tag was taken).
    pub reference: String,
    pub uncompressed_bytes: u64,
    pub compressed_bytes: Option<u64>,
    /// `debian`, `ubuntu`, `alpine`, `other`.
    pub os_family: String,
    /// `full`, `slim`, `alpine`, `distroless`, `runtime`, `sdk`, `other`.
    pub variant: String,
    /// `apt`, `apk`, `dnf`, `microdnf`, `none`...
    pub package_manager: String,
    pub is_sdk: bool,
    /// How the written tag found this row.
    pub tag_match: TagMatch,
    /// Where the row comes from (table source column, or `config`).
    pub origin: String,
}

/// How a written tag found its catalog row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagMatch {
    /// The row has the written tag.
    Exact,
    /// A row of the same release (another patch, or a floating tag covering it).
    OtherPatch,
    /// The table has no row of the written release: the row is the nearest of the
    /// same variant family, and `low..=high` spans every row of that family.
    NotInTable { low: u64, high: u64 },
    /// The reference is a mirror of an official image (`<registry>/library/node`,
    /// `mirror.gcr.io/...`, `.../dockerhub/...`): the official row of that release.
    Mirror,
}

/// Path words that say a repository mirrors Docker Hub's official images.
const MIRROR_WORDS: &[&str] = &[
    "library",
    "dockerhub",
    "docker-hub",
    "docker.io",
    "hub",
    "mirror",
    "proxy",
];

/// The official image a mirror reference stands for (`node` of
/// `registry.example.com/dockerhub/library/node:22`), when its path says so.
fn mirrored_official(image: &ImageRef) -> Option<ImageRef> {
    let repository = crate::knowledge::table_repository(image);
    let parts: Vec<&str> = repository.split('/').collect();
    let (name, path) = parts.split_last()?;
    let is_mirror = path
        .iter()
        .any(|p| MIRROR_WORDS.contains(p) || p.starts_with("mirror."));
    if !is_mirror || path.is_empty() {
        return None;
    }
    let mut official = image.clone();
    official.registry = None;
    official.namespace_and_name = format!("library/{name}");
    Some(official)
}

/// A smaller image to suggest instead of a base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alternative {
    pub reference: String,
    pub uncompressed_bytes: u64,
    /// `slim`, `runtime`, `distroless`, `alpine`.
    pub kind: String,
    pub note: String,
}

/// Base-image knowledge.
pub trait ImageCatalog {
    /// The table row for an image reference (nearest known tag of the same variant
    /// family), or `None` when the image is not known.
    fn lookup(&self, image: &ImageRef) -> Option<BaseImage>;

    /// Smaller images of the same ecosystem, with their sizes when known.
    fn alternatives(&self, _image: &ImageRef) -> Vec<Alternative> {
        Vec::new()
    }

    /// Approximate bytes a build tool (compiler, headers, SDK) adds, when `name`
    /// is one for this package manager (`apt`, `apk`, `pip`...).
    fn build_tool_bytes(&self, _manager: &str, _name: &str) -> Option<u64> {
        None
    }
}

/// Knows no image: every base is `unknown`.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCatalog;

impl ImageCatalog for NoCatalog {
    fn lookup(&self, _image: &ImageRef) -> Option<BaseImage> {
        None
    }
}

/// A fixed list of images, matched by `familiar()` reference then by repository
/// (first row of the same repository). For tests and user-defined images.
#[derive(Clone, Debug, Default)]
pub struct ListCatalog {
    pub images: Vec<BaseImage>,
}

impl ImageCatalog for ListCatalog {
    fn lookup(&self, image: &ImageRef) -> Option<BaseImage> {
        let written = format!("{}:{}", familiar_name(image), image.tag_or_latest());
        if let Some(found) = self.images.iter().find(|row| row.reference == written) {
            return Some(BaseImage {
                tag_match: TagMatch::Exact,
                ..found.clone()
            });
        }
        let repo = familiar_name(image);
        self.images
            .iter()
            .find(|row| row.reference.rsplit_once(':').map(|(r, _)| r) == Some(repo.as_str()))
            .map(|row| BaseImage {
                tag_match: TagMatch::NotInTable {
                    low: row.uncompressed_bytes,
                    high: row.uncompressed_bytes,
                },
                ..row.clone()
            })
    }
}

/// Tries several catalogs in order: user-defined rows first, then the embedded table.
pub struct LayeredCatalog<'a> {
    pub catalogs: Vec<&'a dyn ImageCatalog>,
}

impl ImageCatalog for LayeredCatalog<'_> {
    fn lookup(&self, image: &ImageRef) -> Option<BaseImage> {
        self.catalogs.iter().find_map(|c| c.lookup(image))
    }

    fn alternatives(&self, image: &ImageRef) -> Vec<Alternative> {
        self.catalogs
            .iter()
            .map(|c| c.alternatives(image))
            .find(|a| !a.is_empty())
            .unwrap_or_default()
    }

    fn build_tool_bytes(&self, manager: &str, name: &str) -> Option<u64> {
        self.catalogs
            .iter()
            .find_map(|c| c.build_tool_bytes(manager, name))
    }
}

/// `node`, `bitnami/redis`, `ghcr.io/org/app`: the reference without tag or digest.
pub fn familiar_name(image: &ImageRef) -> String {
    let mut plain = image.clone();
    plain.tag = None;
    plain.digest = None;
    plain.familiar()
}

/// The embedded knowledge tables (`data/base-images.tsv`, `image-alternatives.tsv`,
/// `build-tools.tsv`), with extra rows from configuration consulted first.
///
/// This is the extension point for `.dockstage.toml`: pass the user's image rows
/// as `extra_images` (they win over the embedded ones).
#[derive(Clone, Copy, Debug, Default)]
pub struct KnowledgeCatalog<'a> {
    pub extra_images: &'a [crate::knowledge::base_images::BaseImage],
    pub extra_alternatives: &'a [crate::knowledge::image_alternatives::AlternativeRule],
    pub extra_build_tools: &'a [crate::knowledge::build_tools::BuildTool],
}

impl ImageCatalog for KnowledgeCatalog<'_> {
    fn lookup(&self, image: &ImageRef) -> Option<BaseImage> {
        use crate::knowledge::base_images;
        // A digest pins content the table cannot know; the tag (when written) still
        // gives a figure, and the caller marks it `unknown`.
        let mut by_tag = image.clone();
        by_tag.digest = None;
        if image.digest.is_some() && image.tag.is_none() {
            return None;
        }
        let (found, mirror) = match base_images::lookup_with(self.extra_images, &by_tag) {
            Some(found) => (found, false),
            None => {
                let official = mirrored_official(&by_tag)?;
                let found = base_images::lookup_with(self.extra_images, &official)?;
                // A mirror is sized as the official image only for a release the table has.
                if !found.is_same_release() {
                    return None;
                }
                (found, true)
            }
        };
        let row = found.row;
        let tag_match = match &found.kind {
            _ if mirror => TagMatch::Mirror,
            base_images::MatchKind::Exact => TagMatch::Exact,
            base_images::MatchKind::OtherPatch { .. } => TagMatch::OtherPatch,
            base_images::MatchKind::Nearest { .. } => {
                let bytes = row.uncompressed_bytes?;
                let (low, high) =
                    base_images::family_span(self.extra_images, &row.image, by_tag.tag_or_latest())
                        .unwrap_or((bytes, bytes));
                TagMatch::NotInTable { low, high }
            }
        };
        Some(BaseImage {
            reference: row.reference(),
            uncompressed_bytes: row.uncompressed_bytes?,
            compressed_bytes: row.compressed_bytes,
            os_family: row.os_family.clone(),
            variant: row.variant.clone(),
            package_manager: row.package_manager.clone(),
            is_sdk: row.is_sdk,
            tag_match,
            origin: row.source.clone(),
        })
    }

    fn alternatives(&self, image: &ImageRef) -> Vec<Alternative> {
        use crate::knowledge::{image_alternatives, table_repository};
        let repository = table_repository(image);
        image_alternatives::lookup_with(self.extra_alternatives, &repository, image.tag_or_latest())
            .into_iter()
            .filter_map(|alt| {
                let parsed = crate::model::image_ref::parse(&alt.reference).ok()?;
                let size = if parsed.is_scratch {
                    0
                } else {
                    self.lookup(&parsed)?.uncompressed_bytes
                };
                Some(Alternative {
                    reference: alt.reference,
                    uncompressed_bytes: size,
                    kind: alt.kind.as_str().to_string(),
                    note: alt.note,
                })
            })
            .collect()
    }

    fn build_tool_bytes(&self, manager: &str, name: &str) -> Option<u64> {
        crate::knowledge::build_tools::package_with(self.extra_build_tools, manager, name)?
            .typical_bytes
    }
}
