//! The size of a `FROM` image: its catalog row, with a range that says how sure it is.

use crate::model::image_ref::ImageRef;
use crate::size::catalog::{BaseImage, ImageCatalog, TagMatch};
use crate::size::range::{scale, Bytes, Source, MB};

/// The size, source, catalog row and label of a base image.
pub(super) fn base_image(
    catalog: &dyn ImageCatalog,
    image: &ImageRef,
    unresolved: &[String],
) -> (Bytes, Source, Option<BaseImage>, String) {
    let written = image.familiar();
    if !unresolved.is_empty() {
        return (
            unknown_image(),
            Source::Unknown,
            None,
            format!("{written} (ARG {} has no default)", unresolved.join(", ")),
        );
    }
    match catalog.lookup(image) {
        Some(row) if image.digest.is_some() => {
            let size = Bytes::range(
                scale(row.uncompressed_bytes, 0.5),
                row.uncompressed_bytes,
                scale(row.uncompressed_bytes, 2.0),
            );
            let label = format!("{written} (digest-pinned; size of {})", row.reference);
            (size, Source::Unknown, Some(row), label)
        }
        Some(row) => {
            let bytes = row.uncompressed_bytes;
            let (size, label) = match row.tag_match {
                TagMatch::Exact => (Bytes::spread(bytes, 0.03, 0.03), written),
                // Patch releases of one line differ by a few per cent.
                TagMatch::OtherPatch => (
                    Bytes::spread(bytes, 0.08, 0.08),
                    format!("{written} (sized as {}, the same release)", row.reference),
                ),
                // A mirror may lag or lead the official tag by a build or two.
                TagMatch::Mirror => (
                    Bytes::spread(bytes, 0.1, 0.1),
                    format!(
                        "{written} (sized as the official {}: the path names a mirror)",
                        row.reference
                    ),
                ),
                // Another minor or OS release: the family's span, widened, says how
                // little the table knows of this one.
                TagMatch::NotInTable { low, high } => (
                    Bytes::range(scale(low.min(bytes), 0.8), bytes, scale(high.max(bytes), 1.25)),
                    format!(
                        "{written} (release not in the table; figure of {}, range spans its family)",
                        row.reference
                    ),
                ),
            };
            let source = if matches!(row.tag_match, TagMatch::NotInTable { .. }) {
                Source::Heuristic
            } else {
                Source::Table
            };
            (size, source, Some(row), label)
        }
        None => (
            unknown_image(),
            Source::Unknown,
            None,
            format!("{written} (not in the image table)"),
        ),
    }
}

pub(super) fn unknown_image() -> Bytes {
    Bytes::range(5 * MB, 150 * MB, 1500 * MB)
}
