//! `COPY --from`: what an earlier stage placed at a path, or a slice of another image.

use super::paths::{absolute, is_ancestor_or_self, segments};
use super::state::Placed;
use super::{unknown_part, Runner};
use crate::knowledge::{table_repository, toolchain_paths};
use crate::model::image_ref::{self, ImageRef};
use crate::size::catalog::BaseImage;
use crate::size::range::{human, scale, Bytes, Part, Source, KB, MB};

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
        let found = reference.as_ref().map(|r| {
            let (size, _, row, label) = super::base::base_image(self.input.catalog, r, &[]);
            (size, row, label)
        });
        let row = found.as_ref().and_then(|(_, row, _)| row.as_ref());
        if let Some(part) = reference
            .as_ref()
            .and_then(|r| sdk_part(r, source, row, found.as_ref().map(|f| f.0)))
        {
            return part;
        }
        let label = found
            .as_ref()
            .map_or_else(|| image.to_string(), |(_, _, label)| label.clone());
        let whole = found
            .as_ref()
            .filter(|(_, row, _)| row.is_some())
            .map(|(size, _, _)| *size);
        match path_kind(source) {
            // `/`: the whole source filesystem.
            PathKind::Root => match whole {
                Some(size) => Part::new(
                    size,
                    Source::Table,
                    format!("/ from image {label}: the whole image"),
                ),
                None => Part::new(
                    super::base::unknown_image(),
                    Source::Unknown,
                    format!("/ from image {label}: the whole image, not in the image table"),
                ),
            },
            PathKind::TextFile => Part::new(
                Bytes::range(0, 8 * KB, MB),
                Source::Heuristic,
                format!("{source} from image {image}: one configuration or script file"),
            ),
            PathKind::Executable => Part::new(
                Bytes::range(100 * KB, 10 * MB, 150 * MB),
                Source::Heuristic,
                format!("{source} from image {image}: one executable"),
            ),
            PathKind::Directory => match whole {
                Some(size) => {
                    let bytes = scale(size.bytes, 0.05).clamp(MB, 50 * MB).min(size.bytes);
                    Part::new(
                        Bytes::range(0, bytes, size.high),
                        Source::Heuristic,
                        format!(
                            "{source} from image {label}: part of its {}",
                            human(size.bytes)
                        ),
                    )
                }
                None => Part::new(
                    unknown_part(),
                    Source::Unknown,
                    format!("{source} from image {label}, not in the image table"),
                ),
            },
        }
    }
}

/// What a path copied from an image most likely is, from its shape alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PathKind {
    Root,
    /// A name with a configuration, script or certificate extension.
    TextFile,
    /// A name without extension in a `bin` or `sbin` directory.
    Executable,
    Directory,
}

const TEXT_EXTENSIONS: &[&str] = &[
    "conf",
    "cnf",
    "cfg",
    "config",
    "ini",
    "json",
    "yaml",
    "yml",
    "toml",
    "xml",
    "properties",
    "sh",
    "txt",
    "pem",
    "crt",
    "key",
    "env",
    "list",
    "repo",
    "template",
    "tmpl",
    "py",
    "js",
    "lua",
];

fn path_kind(source: &str) -> PathKind {
    let parts = segments(source);
    let Some(name) = parts.last() else {
        return PathKind::Root;
    };
    if source.ends_with('/') || name.contains('*') {
        return PathKind::Directory;
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if extension
        .as_deref()
        .is_some_and(|e| TEXT_EXTENSIONS.contains(&e))
    {
        return PathKind::TextFile;
    }
    let in_bin = parts.len() >= 2 && matches!(parts[parts.len() - 2], "bin" | "sbin");
    if in_bin && extension.is_none() {
        return PathKind::Executable;
    }
    PathKind::Directory
}

/// The SDK of an SDK image, when `source` is `/` or holds it (`/usr/local/go` from `golang`).
fn sdk_part(
    image: &ImageRef,
    source: &str,
    row: Option<&BaseImage>,
    whole: Option<Bytes>,
) -> Option<Part> {
    let sdk = toolchain_paths::image(&table_repository(image), image.tag_or_latest())?;
    let query = segments(source);
    if query.is_empty() {
        return Some(Part::new(
            whole?,
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
