//! `COPY` and `ADD`: sources measured in the build context, remote sources, and
//! where each lands in the image.

use super::paths::{absolute, join};
use super::state::{Placed, StageState};
use super::{unknown_part, Runner};
use crate::model::graph::EdgeTarget;
use crate::size::context::{CopyFilter, EntryKind};
use crate::size::gopath;
use crate::size::heuristics::Heuristics;
use crate::size::range::{human, scale, Bytes, Part, Source, MB};
use crate::syntax::{Instruction, Keyword};

impl Runner<'_, '_> {
    pub(super) fn copy(&mut self, stage: usize, at: usize, state: &mut StageState) {
        let file = self.input.file;
        let instruction = &file.instructions[at];
        let line = self.line(at);
        let is_add = instruction.keyword == Keyword::Add;
        let words: Vec<String> = instruction
            .args
            .words
            .iter()
            .map(|w| self.expand(&w.text, state))
            .collect();
        let heredoc_bytes: u64 = instruction
            .heredocs
            .iter()
            .map(|h| h.content(&file.source).len() as u64)
            .sum();
        let sources: Vec<String> = if words.len() > 1 {
            words[..words.len() - 1]
                .iter()
                .filter(|w| !w.starts_with("<<"))
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        let dest_raw = words.last().cloned().unwrap_or_else(|| ".".into());
        let dest = absolute(&state.workdir, &dest_raw);
        let dest_is_dir = dest_raw.ends_with('/') || sources.len() > 1 || dest_raw == ".";
        let mut parts = Vec::new();
        if heredoc_bytes > 0 || !instruction.heredocs.is_empty() {
            parts.push(Part::new(
                Bytes::exact(heredoc_bytes),
                Source::Measured,
                "here-document",
            ));
        }
        let from = instruction
            .flag("from")
            .and_then(|f| f.value.clone())
            .map(|v| self.expand(&v, state));
        if let Some(from) = from {
            let (target, _) = self.input.graph.resolve_reference(&from);
            let label = match &target {
                EdgeTarget::Stage(s) => self.input.graph.stages[*s].display_name(),
                _ => from.clone(),
            };
            for source in &sources {
                let part = match &target {
                    EdgeTarget::Stage(s) if *s < self.states.len() => {
                        self.copy_from_stage(*s, source)
                    }
                    EdgeTarget::Stage(_) => Part::new(
                        unknown_part(),
                        Source::Unknown,
                        format!("{source} from a stage not built yet"),
                    ),
                    EdgeTarget::Image(image) => self.copy_from_image(image, source),
                    EdgeTarget::Unknown(name) => Part::new(
                        unknown_part(),
                        Source::Unknown,
                        format!("--from={name} names no stage or image"),
                    ),
                };
                self.place(state, &dest, source, dest_is_dir, &part, line);
                parts.push(part);
            }
            if parts.is_empty() {
                parts.push(Part::new(unknown_part(), Source::Unknown, "no source"));
            }
            self.push_layer(stage, at, state, parts, Some(label));
            return;
        }
        let filter = self.copy_filter(instruction, state);
        let plain = instruction.flag("exclude").is_none() && instruction.flag("parents").is_none();
        for source in &sources {
            let part = if is_remote(source) {
                self.remote_source(source, is_add)
            } else {
                self.context_source(at, source, &filter, is_add)
            };
            let children = if plain && part.source == Source::Measured {
                self.context_children(source)
            } else {
                Vec::new()
            };
            if children.is_empty() {
                self.place(state, &dest, source, dest_is_dir, &part, line);
            } else {
                // A directory: one entry per child, so later COPY --from and rm see them apart.
                for (name, bytes) in children {
                    state.placed.push(Placed {
                        path: join(&dest, &name),
                        size: Bytes::exact(bytes),
                        source: Source::Measured,
                        line,
                        any_file_beneath: false,
                    });
                }
            }
            parts.push(part);
        }
        if parts.is_empty() {
            parts.push(Part::new(Bytes::ZERO, Source::Measured, "nothing to copy"));
        }
        self.push_layer(stage, at, state, parts, None);
    }

    fn copy_filter(&self, instruction: &Instruction, state: &StageState) -> CopyFilter {
        let excludes: Vec<String> = instruction
            .flags_named("exclude")
            .filter_map(|f| f.value.as_ref())
            .map(|v| self.expand(v, state))
            .collect();
        let parents = instruction
            .flag("parents")
            .is_some_and(|f| f.value.as_deref().is_none_or(|v| v != "false"));
        CopyFilter::new()
            .exclude(excludes.iter().map(String::as_str))
            .unwrap_or_default()
            .parents(parents)
    }

    fn context_source(
        &mut self,
        at: usize,
        source: &str,
        filter: &CopyFilter,
        is_add: bool,
    ) -> Part {
        let Some(context) = self.input.context else {
            return Part::new(
                unknown_part(),
                Source::Unknown,
                format!("{source}: no build context"),
            );
        };
        let measure = context.measure_with(source, filter);
        if !measure.matched {
            if measure.wildcard {
                return Part::new(
                    Bytes::ZERO,
                    Source::Measured,
                    format!("{source} matches nothing"),
                );
            }
            self.warn(at, format!("COPY source `{source}` is not in the build context (or is excluded by .dockerignore)"));
            return Part::new(
                unknown_part(),
                Source::Unknown,
                format!("{source} not found in the context"),
            );
        }
        let note = if source == "." || source == "./" {
            format!("whole context: {} files", measure.files)
        } else {
            format!("{source}: {} files", measure.files)
        };
        if is_add && is_local_archive(source) {
            // ADD extracts local archives: the extracted tree is bigger than the archive.
            let size = Bytes::range(
                scale(measure.bytes, 1.5),
                scale(measure.bytes, 3.0),
                scale(measure.bytes, 6.0),
            );
            return Part::new(
                size,
                Source::Heuristic,
                format!(
                    "{source}: archive extracted (×3 of {})",
                    human(measure.bytes)
                ),
            );
        }
        Part::new(Bytes::exact(measure.bytes), Source::Measured, note)
    }

    /// The immediate children of a context directory and their sizes (at most 1000).
    fn context_children(&self, source: &str) -> Vec<(String, u64)> {
        let Some(context) = self.input.context else {
            return Vec::new();
        };
        let dir = source
            .trim_start_matches("./")
            .trim_start_matches('/')
            .trim_end_matches('/');
        let dir = if dir == "." { "" } else { dir };
        if gopath::contains_wildcards(dir) {
            return Vec::new();
        }
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let is_dir = dir.is_empty()
            || context
                .entries()
                .iter()
                .any(|e| e.path == dir && e.kind == EntryKind::Dir);
        if !is_dir {
            return Vec::new();
        }
        let children: Vec<&str> = context
            .entries()
            .iter()
            .filter_map(|e| e.path.strip_prefix(prefix.as_str()))
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .take(1001)
            .collect();
        if children.len() > 1000 {
            return Vec::new();
        }
        children
            .into_iter()
            .map(|name| {
                (
                    name.to_string(),
                    context.measure(&format!("{prefix}{name}")).bytes,
                )
            })
            .collect()
    }

    fn remote_source(&self, source: &str, is_add: bool) -> Part {
        if let Some(row) = Heuristics::embedded().downloads_in(source).first() {
            return Part::new(
                row.bytes(),
                Source::Heuristic,
                format!("{source}: {}", row.note),
            );
        }
        let what = if is_add {
            "ADD of a URL or git repository"
        } else {
            "remote source"
        };
        Part::new(
            Bytes::range(0, 10 * MB, 500 * MB),
            Source::Unknown,
            format!("{what}: size unknown"),
        )
    }

    fn place(
        &self,
        state: &mut StageState,
        dest: &str,
        source: &str,
        dest_is_dir: bool,
        part: &Part,
        line: usize,
    ) {
        let trimmed = source.trim_end_matches('/');
        let base_name = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let looks_like_dir = source.ends_with('/') || source == "." || !base_name.contains('.');
        let path = if dest_is_dir && !looks_like_dir && !gopath::contains_wildcards(base_name) {
            join(dest, base_name)
        } else {
            dest.to_string()
        };
        state.placed.push(Placed {
            path,
            size: part.size,
            source: part.source,
            line,
            any_file_beneath: false,
        });
    }
}

fn is_remote(source: &str) -> bool {
    source.contains("://") || source.starts_with("git@")
}

fn is_local_archive(source: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|ext| source.ends_with(ext))
}
