//! `COPY --from`: what an earlier stage placed at a path, or a slice of another image.

use super::paths::{absolute, is_ancestor_or_self, segments};
use super::state::Placed;
use super::{unknown_part, Runner};
use crate::knowledge::{table_repository, toolchain_paths};
use crate::model::image_ref::{self, ImageRef};
use crate::size::catalog::BaseImage;
use crate::size::range::{human, scale, Bytes, Part, Source, MB};

impl Runner<'_, '_> {
    /// What stage `from` put at `source`.
    pub(super) fn copy_from_stage(&self, from: usize, source: &str) -> Part {
        let state = &self.states[from];
        let path = absolute("/", source);
        let name = self.input.graph.stages[from].display_name();
        let query: Vec<&str> = segments(&path);
        if query.is_empty() {
            // `COPY --from=build / /`: the whole filesystem, base image included.
            return Part::new(
                state.total,
                Source::Heuristic,
                format!("/ from {name}: its whole filesystem, base image and every layer"),
            );
        }
        // Entries at or beneath the path.
        let mut total = Bytes::ZERO;
        let mut sources = Vec::new();
        let mut lines = Vec::new();
        for entry in &state.placed {
            let entry_segments = segments(&entry.path);
            if is_ancestor_or_self(&query, &entry_segments) {
                total += entry.size;
                sources.push(entry.source);
                lines.push(entry.line);
            }
        }
        if sources.is_empty() {
            // A single unnamed output beneath an entry, or part of a directory.
            let mut best: Option<&Placed> = None;
            for entry in &state.placed {
                let entry_segments = segments(&entry.path);
                if is_ancestor_or_self(&entry_segments, &query)
                    && best.is_none_or(|b| {
                        b.path.len() < entry.path.len()
                            || (entry.any_file_beneath && !b.any_file_beneath)
                    })
                {
                    best = Some(entry);
                }
            }
            if let Some(entry) = best {
                if entry.any_file_beneath {
                    return Part::new(
                        entry.size,
                        entry.source,
                        format!("{source} from {name}: what line {} built there", entry.line),
                    );
                }
                let size = Bytes::range(0, scale(entry.size.bytes, 0.1), entry.size.high);
                return Part::new(
                    size,
                    Source::Heuristic,
                    format!(
                        "{source} from {name}: part of what line {} put at {}",
                        entry.line, entry.path
                    ),
                );
            }
            return match &state.root {
                Some(root) => Part::new(
                    Bytes::range(0, 5 * MB, root.uncompressed_bytes.max(5 * MB)),
                    Source::Unknown,
                    format!(
                        "{source} from {name}: from its base image {}",
                        root.reference
                    ),
                ),
                None => Part::new(
                    unknown_part(),
                    Source::Unknown,
                    format!("{source} from {name}: not put there by any instruction we could size"),
                ),
            };
        }
        lines.sort_unstable();
        lines.dedup();
        let source_kind = sources.into_iter().max().unwrap_or(Source::Heuristic);
        let lines = lines
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        Part::new(
            total,
            source_kind,
            format!("{source} from {name} (line {lines})"),
        )
    }

    pub(super) fn copy_from_image(&self, image: &str, source: &str) -> Part {
        let reference = image_ref::parse(image).ok();
        let row = reference
            .as_ref()
            .and_then(|r| self.input.catalog.lookup(r));
        if let Some(part) = reference.and_then(|r| sdk_part(&r, source, row.as_ref())) {
            return part;
        }
        match row {
            Some(row) => {
                let bytes = scale(row.uncompressed_bytes, 0.05)
                    .clamp(MB, 50 * MB)
                    .min(row.uncompressed_bytes);
                Part::new(
                    Bytes::range(0, bytes, row.uncompressed_bytes),
                    Source::Heuristic,
                    format!(
                        "{source} from image {} ({} in all)",
                        row.reference,
                        human(row.uncompressed_bytes)
                    ),
                )
            }
            None => Part::new(
                unknown_part(),
                Source::Unknown,
                format!("{source} from image {image} (not in the image table)"),
            ),
        }
    }
}

/// The SDK of an SDK image, when `source` is `/` or holds it (`/usr/local/go` from `golang`).
fn sdk_part(image: &ImageRef, source: &str, row: Option<&BaseImage>) -> Option<Part> {
    let sdk = toolchain_paths::image(&table_repository(image), image.tag_or_latest())?;
    let query = segments(source);
    if query.is_empty() {
        let bytes = row?.uncompressed_bytes;
        return Some(Part::new(
            Bytes::exact(bytes),
            Source::Table,
            format!(
                "/ from image {}: the whole image, {}",
                row?.reference, sdk.toolchain
            ),
        ));
    }
    let holds = sdk
        .paths
        .iter()
        .any(|p| is_ancestor_or_self(&query, &segments(p)));
    let bytes = sdk.bytes.filter(|_| holds)?;
    Some(Part::new(
        Bytes::range(scale(bytes, 0.7), bytes, scale(bytes, 1.3)),
        Source::Heuristic,
        format!(
            "{source} from image {image}: {} (about {})",
            sdk.toolchain,
            human(bytes)
        ),
    ))
}
