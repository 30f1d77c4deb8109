//! The size of a `FROM` image: its catalog row, with a range that says how sure it is.

use crate::model::image_ref::ImageRef;
use crate::size::catalog::{BaseImage, ImageCatalog};
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
            let size = if row.exact {
                Bytes::spread(row.uncompressed_bytes, 0.03, 0.03)
            } else {
                Bytes::spread(row.uncompressed_bytes, 0.15, 0.15)
            };
            let label = if row.exact || row.reference == written {
                written
            } else {
                format!(
                    "{written} (tag not in the table; sized as the nearest, {})",
                    row.reference
                )
            };
            (size, Source::Table, Some(row), label)
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
