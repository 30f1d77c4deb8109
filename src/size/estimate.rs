//! The estimator: per stage, per instruction, with ranges and sources.
//!
//! Each stage is replayed in order. Every layer-creating instruction (RUN, COPY,
//! ADD) becomes a [`Layer`] made of [`Part`]s. The stage also keeps a list of
//! [`Placed`] entries: which instruction put how much where, so a later
//! `COPY --from=stage /path` costs what that stage put at that path. A file
//! removed by a later layer still costs its bytes (the layer below keeps it);
//! it only disappears from what later `COPY --from` can pick up.

use std::collections::HashSet;
use std::path::Path;

use super::catalog::{familiar_name, BaseImage, ImageCatalog};
use super::context::{ContextIndex, CopyFilter};
use super::debian::DebianPackages;
use super::gopath;
use super::heuristics::Heuristics;
use super::packages;
use super::range::{human, scale, Bytes, Part, Source, MB};
use super::script::{expand_simple, Build, Manager, RunFacts};
use crate::diagnostic::StageRole;
use crate::model::graph::{mount_options, Base, EdgeTarget, StageGraph};
use crate::model::image_ref::{self, ImageRef};
use crate::model::scope::arg_decls;
use crate::model::vars;
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// Ratio of gzip-compressed to uncompressed bytes for layers we estimate.
const LAYER_COMPRESSION: f64 = 0.4;
/// Same for a base image whose compressed size the table does not give.
const BASE_COMPRESSION: f64 = 0.38;

/// Inputs besides the Dockerfile.
pub struct SizeInput<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
    /// The build context, measured; `None` when it could not be read.
    pub context: Option<&'a ContextIndex>,
    pub catalog: &'a dyn ImageCatalog,
}

/// One layer (or the base) of a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    pub stage: usize,
    pub stage_name: String,
    /// 1-based line of the instruction.
    pub line: usize,
    /// The instruction's first line, shortened.
    pub instruction: String,
    pub size: Bytes,
    pub source: Source,
    pub note: String,
    /// Stage (or image) the layer copies from.
    pub copies_from: Option<String>,
    pub parts: Vec<Part>,
}

/// A stage's estimate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageEstimate {
    pub index: usize,
    pub name: Option<String>,
    pub role: StageRole,
    /// True for the stages whose layers make up the final image.
    pub in_final_image: bool,
    pub base: String,
    /// The base image (or stage) size.
    pub base_size: Bytes,
    pub base_source: Source,
    /// Base plus every layer of this stage.
    pub total: Bytes,
    /// The stage's own layers (after FROM).
    pub layers: Vec<Layer>,
    /// Stages and images COPY --from reads.
    pub copies_from: Vec<String>,
}

/// What would make the image smaller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Saving {
    /// `slim-base`, `build-tools`, `caches`, `removed-later`.
    pub kind: &'static str,
    pub bytes: u64,
    pub message: String,
    pub line: Option<usize>,
}

/// The estimate of the final image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Estimate {
    pub target: Option<String>,
    pub total: Bytes,
    pub compressed_bytes: u64,
    /// The least certain source among the parts.
    pub source: Source,
    pub stages: Vec<StageEstimate>,
    /// The final image: its base, then every layer of the stages it is built on.
    pub layers: Vec<Layer>,
    pub savings: Vec<Saving>,
    /// Missing COPY sources, unreadable files and other things the user should know.
    pub warnings: Vec<SizeWarning>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SizeWarning {
    pub line: usize,
    pub message: String,
}

/// What one instruction put at one path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Placed {
    /// Absolute, cleaned; may contain wildcards (`/usr/local/lib/python*/site-packages`).
    path: String,
    size: Bytes,
    source: Source,
    line: usize,
    /// The entry is one file somewhere beneath `path` (a build output whose name we
    /// do not know): any path beneath it selects the whole entry.
    any_file_beneath: bool,
}

/// Replay state of one stage.
#[derive(Clone, Debug, Default)]
struct StageState {
    env: Vec<(String, String)>,
    args: Vec<(String, String)>,
    workdir: String,
    placed: Vec<Placed>,
    /// `manager:name` of packages installed so far in the stage chain.
    installed: HashSet<String>,
    root: Option<BaseImage>,
    /// The root of the chain is an image we cannot size (or scratch).
    layers: Vec<Layer>,
    total: Bytes,
    cache_bytes: Vec<(usize, u64, String)>,
    removed_later: Vec<(usize, u64, String)>,
    build_tools: Vec<(usize, u64, String)>,
    venv: Option<String>,
}

impl StageState {
    fn lookup(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .or_else(|| self.args.iter().rev().find(|(n, _)| n == name))
            .map(|(_, v)| v.clone())
    }

    fn set_env(&mut self, name: &str, value: String) {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_string(), value));
    }
}

pub fn estimate(input: &SizeInput<'_>) -> Estimate {
    let mut run = Runner {
        input,
        states: Vec::new(),
        estimates: Vec::new(),
        warnings: Vec::new(),
    };
    for index in 0..input.graph.stages.len() {
        run.stage(index);
    }
    run.finish()
}

struct Runner<'a, 'b> {
    input: &'a SizeInput<'b>,
    states: Vec<StageState>,
    estimates: Vec<StageEstimate>,
    warnings: Vec<SizeWarning>,
}

impl Runner<'_, '_> {
    fn file(&self) -> &Dockerfile {
        self.input.file
    }

    fn line(&self, at: usize) -> usize {
        let file = self.input.file;
        file.line_of(file.instructions[at].span.start)
    }

    fn stage(&mut self, index: usize) {
        let graph = self.input.graph;
        let stage = &graph.stages[index];
        let (mut state, base_size, base_source, base_label) = match &stage.base {
            Base::Stage(from) if *from < index => {
                let inherited = self.states[*from].clone();
                let mut state = StageState {
                    env: inherited.env,
                    workdir: inherited.workdir,
                    placed: inherited.placed,
                    installed: inherited.installed,
                    root: inherited.root,
                    venv: inherited.venv,
                    total: inherited.total,
                    ..StageState::default()
                };
                state.args.clear();
                let label = graph.stages[*from].display_name();
                (
                    state,
                    inherited.total,
                    Source::Table,
                    format!("stage {label}"),
                )
            }
            Base::Scratch => (
                StageState::default(),
                Bytes::ZERO,
                Source::Table,
                "scratch".into(),
            ),
            Base::Image(image) => {
                let (size, source, root, label) = self.base_image(image, &stage.base_unresolved);
                let state = StageState {
                    root,
                    total: size,
                    ..StageState::default()
                };
                (state, size, source, label)
            }
            Base::Stage(_) | Base::Invalid { .. } => {
                let size = unknown_image();
                let label = format!("{} (not resolved)", stage.base_expanded);
                (
                    StageState {
                        total: size,
                        ..StageState::default()
                    },
                    size,
                    Source::Unknown,
                    label,
                )
            }
        };
        if state.workdir.is_empty() {
            state.workdir = "/".into();
        }
        for at in stage.body.clone() {
            self.instruction(index, at, &mut state);
        }
        let copies_from = graph
            .edges
            .iter()
            .filter(|e| e.from_stage == index && e.kind != crate::model::graph::EdgeKind::From)
            .map(|e| match &e.to {
                EdgeTarget::Stage(s) => graph.stages[*s].display_name(),
                EdgeTarget::Image(i) | EdgeTarget::Unknown(i) => i.clone(),
            })
            .fold(Vec::new(), |mut acc, name| {
                if !acc.contains(&name) {
                    acc.push(name);
                }
                acc
            });
        self.estimates.push(StageEstimate {
            index,
            name: stage.name.clone(),
            role: stage.role,
            in_final_image: false,
            base: base_label,
            base_size,
            base_source,
            total: state.total,
            layers: state.layers.clone(),
            copies_from,
        });
        self.states.push(state);
    }

    fn base_image(
        &self,
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
        match self.input.catalog.lookup(image) {
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

    fn instruction(&mut self, stage: usize, at: usize, state: &mut StageState) {
        let file = self.input.file;
        let instruction = &file.instructions[at];
        match instruction.keyword {
            Keyword::Arg => {
                for decl in arg_decls(instruction, at) {
                    let value = match &decl.default {
                        Some(raw) => Some(self.expand(raw, state)),
                        None => self.global_arg(&decl.name),
                    };
                    if let Some(value) = value {
                        state.args.retain(|(n, _)| n != &decl.name);
                        state.args.push((decl.name.clone(), value));
                    }
                }
            }
            Keyword::Env => {
                for pair in &instruction.args.pairs {
                    let value = pair
                        .value
                        .as_ref()
                        .map(|v| self.expand(&v.text, state))
                        .unwrap_or_default();
                    state.set_env(&pair.key.text, value);
                }
            }
            Keyword::Workdir => {
                if let Some(word) = instruction.args.words.first() {
                    let dir = self.expand(&word.text, state);
                    state.workdir = absolute(&state.workdir, &dir);
                }
            }
            Keyword::Run => self.run(stage, at, state),
            Keyword::Copy | Keyword::Add => self.copy(stage, at, state),
            _ => {}
        }
    }

    fn global_arg(&self, name: &str) -> Option<String> {
        let graph = self.input.graph;
        graph
            .global_args
            .iter()
            .rev()
            .find(|d| d.name == name)
            .and_then(|d| d.default.clone())
            .map(|raw| {
                let lookup = |n: &str| {
                    graph
                        .global_args
                        .iter()
                        .rev()
                        .find(|d| d.name == n)
                        .and_then(|d| d.default.clone())
                };
                vars::expand_word(&raw, self.input.file.escape, &lookup).value
            })
    }

    fn expand(&self, text: &str, state: &StageState) -> String {
        let lookup = |name: &str| state.lookup(name);
        vars::expand_word(text, self.input.file.escape, &lookup).value
    }

    fn push_layer(
        &mut self,
        stage: usize,
        at: usize,
        state: &mut StageState,
        parts: Vec<Part>,
        copies_from: Option<String>,
    ) {
        let size: Bytes = parts.iter().map(|p| p.size).sum();
        let source = parts
            .iter()
            .filter(|p| !p.size.is_zero() || parts.len() == 1)
            .map(|p| p.source)
            .max()
            .unwrap_or(Source::Heuristic);
        let note = parts
            .iter()
            .filter(|p| !p.note.is_empty())
            .map(|p| p.note.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let layer = Layer {
            stage,
            stage_name: self.input.graph.stages[stage].display_name(),
            line: self.line(at),
            instruction: instruction_summary(self.file(), &self.file().instructions[at]),
            size,
            source,
            note,
            copies_from,
            parts,
        };
        state.total += size;
        state.layers.push(layer);
    }

    fn warn(&mut self, at: usize, message: String) {
        let line = self.line(at);
        self.warnings.push(SizeWarning { line, message });
    }

    // --- COPY / ADD -------------------------------------------------------

    fn copy(&mut self, stage: usize, at: usize, state: &mut StageState) {
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
                .any(|e| e.path == dir && e.kind == super::context::EntryKind::Dir);
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

    /// What stage `from` put at `source`.
    fn copy_from_stage(&self, from: usize, source: &str) -> Part {
        let state = &self.states[from];
        let path = absolute("/", source);
        let name = self.input.graph.stages[from].display_name();
        let query: Vec<&str> = segments(&path);
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

    fn copy_from_image(&self, image: &str, source: &str) -> Part {
        let row = image_ref::parse(image)
            .ok()
            .and_then(|r| self.input.catalog.lookup(&r));
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

    // --- RUN --------------------------------------------------------------

    fn run(&mut self, stage: usize, at: usize, state: &mut StageState) {
        let file = self.input.file;
        let instruction = &file.instructions[at];
        let line = self.line(at);
        let mut script = if instruction.args.form == crate::syntax::Form::Exec {
            instruction
                .args
                .words
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            instruction
                .args
                .words
                .first()
                .map(|w| w.text.to_string())
                .unwrap_or_default()
        };
        for heredoc in &instruction.heredocs {
            script.push('\n');
            script.push_str(&heredoc.content(&file.source));
        }
        let lookup = |name: &str| state.lookup(name);
        let script = expand_simple(&script, &lookup);
        let facts = RunFacts::from_script(&script);
        let mounts = cache_mounts(instruction);
        let context = RunContext {
            line,
            mounts: &mounts,
            facts: &facts,
        };
        if let Some(venv) = facts.venvs.last() {
            state.venv = Some(absolute(&state.workdir, venv));
        }
        let mut parts = Vec::new();
        let mut placed = Vec::new();
        self.packages_part(state, &context, &mut parts, &mut placed);
        self.downloads_part(state, &context, &mut parts, &mut placed);
        self.builds_part(state, &context, &mut parts, &mut placed);
        self.caches_part(state, &context, &parts.clone(), &mut parts);
        // `mv` inside the layer relocates what this RUN put there.
        for (from, to) in &facts.moves {
            let from = absolute(&state.workdir, from);
            let to = absolute(&state.workdir, to);
            for entry in &mut placed {
                let (f, e) = (segments(&from), segments(&entry.path));
                if is_ancestor_or_self(&e, &f) || is_ancestor_or_self(&f, &e) {
                    entry.path.clone_from(&to);
                }
            }
        }
        // Same-layer removals: what this RUN placed and removed costs nothing.
        let removals: Vec<String> = facts
            .removals
            .iter()
            .map(|r| absolute(&state.workdir, r))
            .collect();
        placed.retain(|p: &Placed| {
            !removals
                .iter()
                .any(|r| is_ancestor_or_self(&segments(r), &segments(&p.path)))
        });
        // Earlier layers' files removed here: still in the image, gone for COPY --from.
        let mut removed_later = 0;
        let mut removed_paths = Vec::new();
        state.placed.retain(|p| {
            let hit = removals
                .iter()
                .any(|r| is_ancestor_or_self(&segments(r), &segments(&p.path)));
            if hit && !p.size.is_zero() {
                removed_later += p.size.bytes;
                removed_paths.push(p.path.clone());
            }
            !hit
        });
        if removed_later > 0 {
            state
                .removed_later
                .push((line, removed_later, removed_paths.join(", ")));
        }
        if parts.is_empty() {
            let unknown = facts.unknown_commands();
            if unknown.is_empty() {
                parts.push(Part::new(
                    Bytes::range(0, 4 * 1000, MB),
                    Source::Heuristic,
                    "no files of note",
                ));
            } else {
                let row = Heuristics::embedded()
                    .get("command", "*")
                    .map_or(unknown_part(), |r| r.bytes());
                parts.push(Part::new(
                    row,
                    Source::Unknown,
                    format!("effect of `{}` unknown", unknown.join(" ")),
                ));
            }
        }
        state.placed.extend(placed);
        self.push_layer(stage, at, state, parts, None);
    }

    fn packages_part(
        &mut self,
        state: &mut StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        let facts = run.facts;
        let heuristics = Heuristics::embedded();
        let removed_here: HashSet<&str> = facts
            .uninstalls
            .iter()
            .flat_map(|u| u.packages.iter().map(String::as_str))
            .collect();
        for request in &facts.installs {
            let Some(manager) = request.manager else {
                continue;
            };
            let removed_group = request
                .virtual_name
                .as_deref()
                .is_some_and(|v| removed_here.contains(v));
            let names: Vec<String> = request
                .packages
                .iter()
                .filter(|p| !removed_group && !removed_here.contains(p.as_str()))
                .filter(|p| {
                    !state
                        .installed
                        .contains(&format!("{}:{}", manager.as_str(), package_key(p)))
                })
                .cloned()
                .collect();
            let mut part = match manager {
                Manager::Apt => self.apt_part(state, &names, request.no_install_recommends),
                Manager::Apk | Manager::Dnf => {
                    packages::heuristic_packages(heuristics, manager, &names)
                }
                Manager::Pip => {
                    let target = request_target(state, request);
                    let part =
                        packages::pip_part(heuristics, self.input.context, &state.workdir, request);
                    placed.push(Placed {
                        path: target,
                        size: part.size,
                        source: part.source,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    part
                }
                Manager::Npm | Manager::Yarn | Manager::Pnpm => {
                    let part = packages::node_part(
                        heuristics,
                        self.input.context,
                        &state.workdir,
                        request,
                    );
                    let path = if request.global {
                        "/usr/local/lib/node_modules".to_string()
                    } else {
                        join(&state.workdir, "node_modules")
                    };
                    placed.push(Placed {
                        path,
                        size: part.size,
                        source: part.source,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    part
                }
                Manager::Gem | Manager::Bundler | Manager::Composer => {
                    let row = heuristics
                        .get("gem", "*")
                        .map_or(unknown_part(), |r| r.bytes());
                    let count = request.packages.len().max(1) as u64;
                    let size = if request.from_lockfile {
                        Bytes::range(5 * MB, 60 * MB, 400 * MB)
                    } else {
                        Bytes::range(row.low * count, row.bytes * count, row.high * count)
                    };
                    Part::new(
                        size,
                        Source::Heuristic,
                        format!("{} install", manager.as_str()),
                    )
                }
            };
            if removed_group && !request.packages.is_empty() {
                part = Part::new(
                    Bytes::ZERO,
                    Source::Heuristic,
                    format!(
                        "{} removed in the same layer",
                        request.virtual_name.clone().unwrap_or_default()
                    ),
                );
            }
            if request.in_branch && !part.size.is_zero() {
                // Another architecture's path may not run: anywhere from nothing to all.
                part = Part::new(
                    Bytes::range(0, part.size.bytes / 2, part.size.high),
                    Source::Heuristic,
                    format!("{} (in a conditional branch)", part.note),
                );
            }
            if manager == Manager::Apt && facts.autoremove_after_mark {
                // apt-mark auto + purge --auto-remove: only what the build links against stays.
                let kept =
                    Bytes::range(0, scale(part.size.bytes, 0.01), scale(part.size.high, 0.1));
                part = Part::new(
                    kept,
                    Source::Heuristic,
                    "build dependencies purged in the same layer (runtime libraries kept)",
                );
            }
            if manager.is_system() {
                for name in &names {
                    state
                        .installed
                        .insert(format!("{}:{}", manager.as_str(), package_key(name)));
                    if !(removed_group || manager == Manager::Apt && facts.autoremove_after_mark) {
                        if let Some(bytes) = self
                            .input
                            .catalog
                            .build_tool_bytes(manager.as_str(), package_key(name))
                        {
                            state.build_tools.push((run.line, bytes, name.clone()));
                        }
                    }
                }
                placed.push(Placed {
                    path: "/usr".into(),
                    size: part.size,
                    source: part.source,
                    line: run.line,
                    any_file_beneath: false,
                });
            }
            parts.push(part);
        }
    }

    fn apt_part(&self, state: &StageState, names: &[String], no_recommends: bool) -> Part {
        if names.is_empty() {
            return Part::new(Bytes::ZERO, Source::Table, "apt: nothing new");
        }
        let closure = DebianPackages::embedded().closure(names, !no_recommends);
        let mut size = closure.size;
        let mut note = format!(
            "apt: {}{}",
            closure.known.join(" "),
            if no_recommends {
                ""
            } else {
                " (with recommends)"
            }
        );
        // The table is measured over bookworm-slim. An SDK-sized Debian base
        // (buildpack-deps and what is built on it) already has most of it.
        if let Some(root) = &state.root {
            if root.uncompressed_bytes > 500 * MB
                && matches!(root.os_family.as_str(), "debian" | "ubuntu")
            {
                size = Bytes::range(0, scale(size.bytes, 0.3), size.high);
                note.push_str(&format!("; {} has most of it", root.reference));
            } else if root.os_family == "ubuntu" {
                size = Bytes::range(scale(size.low, 0.8), size.bytes, scale(size.high, 1.2));
            }
        }
        let mut source = Source::Table;
        if !closure.stand_ins.is_empty() {
            note.push_str(&format!(
                "; sized by another version: {}",
                closure.stand_ins.join(", ")
            ));
            source = Source::Heuristic;
        }
        if !closure.unknown.is_empty() {
            let count = closure.unknown.len() as u64;
            size += Bytes::range(200 * 1000 * count, 5 * MB * count, 60 * MB * count);
            note.push_str(&format!(
                "; not in the package table: {}",
                closure.unknown.join(" ")
            ));
            source = if closure.known.is_empty() {
                Source::Unknown
            } else {
                Source::Heuristic
            };
        }
        Part::new(size, source, note)
    }

    fn downloads_part(
        &self,
        state: &StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        for row in Heuristics::embedded().downloads_in(&run.facts.text) {
            let size = row.bytes();
            parts.push(Part::new(size, Source::Heuristic, row.note.clone()));
            placed.push(Placed {
                path: download_destination(run.facts, &state.workdir),
                size,
                source: Source::Heuristic,
                line: run.line,
                any_file_beneath: false,
            });
        }
    }

    fn builds_part(
        &self,
        state: &StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        let heuristics = Heuristics::embedded();
        let downloaded = !heuristics.downloads_in(&run.facts.text).is_empty();
        let mut go_cache = false;
        for build in &run.facts.builds {
            let row = |key: &str| {
                heuristics
                    .get("build", key)
                    .map_or(unknown_part(), |r| r.bytes())
            };
            match build {
                Build::Go { output } => {
                    let size = row("go");
                    let (path, any) = match output {
                        Some(out) => (absolute(&state.workdir, out), false),
                        None => (state.workdir.clone(), true),
                    };
                    parts.push(Part::new(size, Source::Heuristic, "Go binary"));
                    placed.push(Placed {
                        path,
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: any,
                    });
                    go_cache = true;
                }
                Build::Cargo { release, install } => {
                    let binary = row("cargo");
                    if *install {
                        parts.push(Part::new(binary, Source::Heuristic, "cargo install"));
                        placed.push(Placed {
                            path: "/usr/local/cargo/bin".into(),
                            size: binary,
                            source: Source::Heuristic,
                            line: run.line,
                            any_file_beneath: true,
                        });
                        continue;
                    }
                    let target = join(&state.workdir, "target");
                    if run
                        .mounts
                        .iter()
                        .any(|m| is_ancestor_or_self(&segments(m), &segments(&target)))
                    {
                        parts.push(Part::new(
                            Bytes::ZERO,
                            Source::Heuristic,
                            "cargo target dir on a cache mount",
                        ));
                        continue;
                    }
                    let all = row("cargo-target");
                    parts.push(Part::new(all, Source::Heuristic, "cargo target directory"));
                    let profile = if *release { "release" } else { "debug" };
                    placed.push(Placed {
                        path: target.clone(),
                        size: all,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    placed.push(Placed {
                        path: join(&target, profile),
                        size: binary,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Script => {
                    let size = row("npm-build");
                    parts.push(Part::new(size, Source::Heuristic, "build script output"));
                    placed.push(Placed {
                        path: state.workdir.clone(),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Make if !downloaded => {
                    let size = row("make");
                    parts.push(Part::new(size, Source::Heuristic, "built from source"));
                    placed.push(Placed {
                        path: install_prefix(run.facts, &state.workdir),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Make => {}
                Build::Jvm => {
                    let size = row("mvn");
                    parts.push(Part::new(
                        size,
                        Source::Heuristic,
                        "JVM build output and dependencies",
                    ));
                    placed.push(Placed {
                        path: state.workdir.clone(),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
            }
        }
        if go_cache {
            let on_mount = run.mounts.iter().any(|m| {
                m.contains("go-build") || m.starts_with("/root/.cache") || m.starts_with("/go/pkg")
            });
            let removed = run
                .facts
                .removals
                .iter()
                .any(|r| r.contains(".cache/go-build") || r.contains("/go/pkg"))
                || run.facts.text.contains("go clean -cache");
            if !on_mount && !removed {
                let size = heuristics
                    .get("build", "go-cache")
                    .map_or(unknown_part(), |r| r.bytes());
                parts.push(Part::new(
                    size,
                    Source::Heuristic,
                    "Go build and module caches (use a cache mount)",
                ));
                placed.push(Placed {
                    path: "/root/.cache/go-build".into(),
                    size,
                    source: Source::Heuristic,
                    line: run.line,
                    any_file_beneath: false,
                });
            }
        }
    }

    fn caches_part(
        &self,
        state: &mut StageState,
        run: &RunContext<'_>,
        installed: &[Part],
        parts: &mut Vec<Part>,
    ) {
        let facts = run.facts;
        let heuristics = Heuristics::embedded();
        let removes = |prefix: &str| {
            facts.removals.iter().any(|r| {
                let r = r.trim_end_matches("/*").trim_end_matches('/');
                prefix.starts_with(r) && !r.is_empty() || r.starts_with(prefix)
            })
        };
        let mounted = |prefix: &str| {
            run.mounts
                .iter()
                .any(|m| prefix.starts_with(m.trim_end_matches('/')) || m.starts_with(prefix))
        };
        let mut add = |key: &str, size: Bytes, what: String, state: &mut StageState| {
            if size.is_zero() {
                return;
            }
            state.cache_bytes.push((run.line, size.bytes, what.clone()));
            parts.push(Part::new(
                size,
                Source::Heuristic,
                format!("{what} left in the layer"),
            ));
            let _ = key;
        };
        if facts.apt_update && !removes("/var/lib/apt/lists") && !mounted("/var/lib/apt/lists") {
            let size = heuristics
                .get("cache", "apt-lists")
                .map_or(unknown_part(), |r| r.bytes());
            add(
                "apt-lists",
                size,
                "apt lists (/var/lib/apt/lists)".into(),
                state,
            );
        }
        let apk_cached = facts
            .installs
            .iter()
            .any(|r| r.manager == Some(Manager::Apk) && !r.no_cache)
            || facts.apk_update;
        if apk_cached
            && !removes("/var/cache/apk")
            && !mounted("/var/cache/apk")
            && !facts.cleaned.contains(&"apk")
        {
            let size = heuristics
                .get("cache", "apk")
                .map_or(unknown_part(), |r| r.bytes());
            add("apk", size, "apk index (/var/cache/apk)".into(), state);
        }
        let pip_env_off = state.lookup("PIP_NO_CACHE_DIR").is_some_and(|v| {
            !matches!(
                v.to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "off" | "no"
            )
        });
        let pip_installed: Bytes = facts
            .installs
            .iter()
            .zip(installed.iter())
            .filter(|(r, _)| r.manager == Some(Manager::Pip) && !r.no_cache)
            .map(|(_, p)| p.size)
            .sum();
        if !pip_installed.is_zero()
            && !pip_env_off
            && !removes("/root/.cache/pip")
            && !mounted("/root/.cache/pip")
            && !facts.cleaned.contains(&"pip")
        {
            if let Some(row) = heuristics.get("cache", "pip") {
                let size = Bytes::range(
                    scale(pip_installed.low, row.low),
                    scale(pip_installed.bytes, row.value),
                    scale(pip_installed.high, row.high),
                );
                add("pip", size, "pip cache (/root/.cache/pip)".into(), state);
            }
        }
        let npm_installed: Bytes = facts
            .installs
            .iter()
            .zip(installed.iter())
            .filter(|(r, _)| r.manager == Some(Manager::Npm))
            .map(|(_, p)| p.size)
            .sum();
        if !npm_installed.is_zero()
            && !removes("/root/.npm")
            && !mounted("/root/.npm")
            && !facts.cleaned.contains(&"npm")
        {
            if let Some(row) = heuristics.get("cache", "npm") {
                let size = Bytes::range(
                    scale(npm_installed.low, row.low),
                    scale(npm_installed.bytes, row.value),
                    scale(npm_installed.high, row.high),
                );
                add("npm", size, "npm cache (/root/.npm)".into(), state);
            }
        }
        let dnf_used = facts
            .installs
            .iter()
            .any(|r| r.manager == Some(Manager::Dnf));
        if dnf_used
            && !facts.cleaned.contains(&"dnf")
            && !removes("/var/cache/dnf")
            && !removes("/var/cache/yum")
            && !mounted("/var/cache/dnf")
            && !facts.commands.iter().any(|c| c == "microdnf")
        {
            let size = heuristics
                .get("cache", "dnf")
                .map_or(unknown_part(), |r| r.bytes());
            add("dnf", size, "dnf/yum cache (/var/cache)".into(), state);
        }
    }

    fn finish(mut self) -> Estimate {
        let graph = self.input.graph;
        let Some(target) = graph.target else {
            return Estimate {
                target: None,
                total: Bytes::ZERO,
                compressed_bytes: 0,
                source: Source::Unknown,
                stages: Vec::new(),
                layers: Vec::new(),
                savings: Vec::new(),
                warnings: self.warnings,
            };
        };
        let chain: Vec<usize> = graph.base_chain(target).into_iter().rev().collect();
        for &stage in &chain {
            self.estimates[stage].in_final_image = true;
        }
        let root = chain[0];
        let root_estimate = &self.estimates[root];
        let from_at = graph.stages[root].from_instruction;
        let base_layer = Layer {
            stage: root,
            stage_name: graph.stages[root].display_name(),
            line: self.line(from_at),
            instruction: instruction_summary(
                self.input.file,
                &self.input.file.instructions[from_at],
            ),
            size: root_estimate.base_size,
            source: root_estimate.base_source,
            note: root_estimate.base.clone(),
            copies_from: None,
            parts: Vec::new(),
        };
        let mut layers = vec![base_layer];
        for &stage in &chain {
            layers.extend(self.estimates[stage].layers.iter().cloned());
        }
        let total: Bytes = layers.iter().map(|l| l.size).sum();
        let source = layers
            .iter()
            .map(|l| l.source)
            .max()
            .unwrap_or(Source::Unknown);
        let final_state = &self.states[target];
        let base_compressed = final_state
            .root
            .as_ref()
            .and_then(|r| r.compressed_bytes.map(|c| (c, r.uncompressed_bytes)))
            .map_or_else(
                || scale(layers[0].size.bytes, BASE_COMPRESSION),
                |(c, u)| {
                    if u == 0 {
                        0
                    } else {
                        scale(layers[0].size.bytes, c as f64 / u as f64)
                    }
                },
            );
        let layer_bytes: u64 = layers[1..].iter().map(|l| l.size.bytes).sum();
        let compressed_bytes = base_compressed + scale(layer_bytes, LAYER_COMPRESSION);
        let savings = self.savings(target, &layers);
        let stages: Vec<StageEstimate> = self
            .estimates
            .into_iter()
            .filter(|s| s.role != StageRole::Unused)
            .collect();
        Estimate {
            target: Some(graph.stages[target].display_name()),
            total,
            compressed_bytes,
            source,
            stages,
            layers,
            savings,
            warnings: self.warnings,
        }
    }

    fn savings(&self, target: usize, layers: &[Layer]) -> Vec<Saving> {
        let graph = self.input.graph;
        let state = &self.states[target];
        let mut savings = Vec::new();
        // Slim base.
        if let Base::Image(image) = graph.root_base(target) {
            let base_bytes = layers[0].size.bytes;
            let alternative = self
                .input
                .catalog
                .alternatives(image)
                .into_iter()
                .filter(|a| a.uncompressed_bytes < base_bytes)
                .min_by_key(|a| {
                    let rank = match a.kind.as_str() {
                        "slim" | "runtime" => 0,
                        "distroless" => 1,
                        _ => 2,
                    };
                    (rank, a.uncompressed_bytes)
                });
            if let Some(alt) = alternative {
                savings.push(Saving {
                    kind: "slim-base",
                    bytes: base_bytes - alt.uncompressed_bytes,
                    message: format!(
                        "use {} instead of {} ({})",
                        alt.reference,
                        familiar_name(image) + ":" + image.tag_or_latest(),
                        alt.kind
                    ),
                    line: Some(layers[0].line),
                });
            }
        }
        let mut tools: Vec<&(usize, u64, String)> = state.build_tools.iter().collect();
        tools.sort_by_key(|t| std::cmp::Reverse(t.1));
        if let Some(largest) = tools.first() {
            // Closures overlap: count the largest whole and the rest at a third.
            let rest: u64 = tools[1..].iter().map(|t| t.1).sum();
            let bytes = largest.1 + rest / 3;
            let names: Vec<&str> = tools.iter().map(|t| t.2.as_str()).collect();
            savings.push(Saving {
                kind: "build-tools",
                bytes,
                message: format!("build tools in the final image ({}): build in a separate stage and copy only the output", names.join(", ")),
                line: Some(largest.0),
            });
        }
        let caches: u64 = state.cache_bytes.iter().map(|c| c.1).sum();
        if caches > 0 {
            let what: Vec<&str> = state.cache_bytes.iter().map(|c| c.2.as_str()).collect();
            savings.push(Saving {
                kind: "caches",
                bytes: caches,
                message: format!(
                    "package-manager caches: {} (clean them in the same RUN or use a cache mount)",
                    what.join(", ")
                ),
                line: state.cache_bytes.first().map(|c| c.0),
            });
        }
        let removed: u64 = state.removed_later.iter().map(|c| c.1).sum();
        if removed > 0 {
            savings.push(Saving {
                kind: "removed-later",
                bytes: removed,
                message: format!(
                    "files removed in a later layer still cost their bytes ({}): remove them in the RUN that creates them",
                    state.removed_later.iter().map(|c| c.2.as_str()).collect::<Vec<_>>().join("; ")
                ),
                line: state.removed_later.first().map(|c| c.0),
            });
        }
        savings.sort_by_key(|s| std::cmp::Reverse(s.bytes));
        savings
    }
}

struct RunContext<'a> {
    line: usize,
    /// Targets of `--mount=type=cache` (and tmpfs): nothing written there stays.
    mounts: &'a [String],
    facts: &'a RunFacts,
}

fn cache_mounts(instruction: &Instruction) -> Vec<String> {
    instruction
        .flags_named("mount")
        .filter_map(|f| f.value.as_deref())
        .filter_map(|value| {
            let options = mount_options(value);
            let kind = options
                .iter()
                .find(|(k, _)| k == "type")
                .map_or("bind", |(_, v)| v.as_str());
            if kind != "cache" && kind != "tmpfs" {
                return None;
            }
            options
                .iter()
                .find(|(k, _)| matches!(k.as_str(), "target" | "dst" | "destination"))
                .map(|(_, v)| v.clone())
        })
        .collect()
}

fn request_target(state: &StageState, request: &super::script::PackageRequest) -> String {
    if let Some(dir) = &request.target_dir {
        return absolute(&state.workdir, dir);
    }
    if request.global {
        return "/root/.local".into();
    }
    if let Some(venv) = &state.venv {
        return venv.clone();
    }
    if let Some(virtual_env) = state.lookup("VIRTUAL_ENV") {
        return virtual_env;
    }
    "/usr/local/lib/python*/site-packages".into()
}

/// `name`, without version pins, extras and architecture suffixes, lowercase.
fn package_key(name: &str) -> &str {
    let end = name
        .find(['=', '<', '>', '[', ':', '~', '!', ';', '@'])
        .unwrap_or(name.len());
    &name[..end]
}

/// Where `make install` puts a source build: `--prefix`, else `/usr/local`.
fn install_prefix(facts: &RunFacts, workdir: &str) -> String {
    facts
        .install_prefix
        .as_deref()
        .map_or_else(|| "/usr/local".to_string(), |p| absolute(workdir, p))
}

/// Where a downloaded runtime ends up: the install prefix of a source build, else
/// the first directory an archive is unpacked into that is not a scratch or
/// source directory (removed again or only built from), else `/usr/local`.
fn download_destination(facts: &RunFacts, workdir: &str) -> String {
    if facts.install_prefix.is_some() {
        return install_prefix(facts, workdir);
    }
    let scratch = ["/tmp", "/usr/src", "/usr/local/src", "/var/tmp"];
    facts
        .extract_dirs
        .iter()
        .map(|dir| absolute(workdir, dir))
        .find(|dir| {
            dir != "/"
                && !scratch
                    .iter()
                    .any(|s| is_ancestor_or_self(&segments(s), &segments(dir)))
        })
        .unwrap_or_else(|| "/usr/local".to_string())
}

fn unknown_image() -> Bytes {
    Bytes::range(5 * MB, 150 * MB, 1500 * MB)
}

fn unknown_part() -> Bytes {
    Bytes::range(0, 10 * MB, 200 * MB)
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

/// An absolute, cleaned path: `rel` resolved against `dir`.
pub(crate) fn absolute(dir: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    };
    let cleaned = gopath::clean(&joined);
    if cleaned.starts_with('/') {
        cleaned
    } else {
        format!("/{cleaned}")
    }
}

fn join(dir: &str, name: &str) -> String {
    absolute(dir, name)
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

/// `ancestor` is `path` or one of its parent directories; either side may hold
/// `filepath.Match` wildcards (`rm -rf /tmp/*`, `python*/site-packages`).
fn is_ancestor_or_self(ancestor: &[&str], path: &[&str]) -> bool {
    if ancestor.len() > path.len() {
        return false;
    }
    ancestor.iter().zip(path).all(|(a, p)| {
        if a == p {
            true
        } else if gopath::contains_wildcards(a) {
            gopath::match_path(a, p).unwrap_or(false)
        } else if gopath::contains_wildcards(p) {
            gopath::match_path(p, a).unwrap_or(false)
        } else {
            false
        }
    })
}

/// The first line of an instruction, whitespace collapsed, at most 60 characters.
fn instruction_summary(file: &Dockerfile, instruction: &Instruction) -> String {
    let text = file.text(instruction.line_span);
    let collapsed: String = text
        .split(char::is_whitespace)
        .filter(|w| !w.is_empty() && *w != file.escape.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.chars().count() > 60 {
        let short: String = collapsed.chars().take(57).collect();
        format!("{short}...")
    } else {
        collapsed
    }
}

/// Reads a small text file of the context (requirements, lock files), if present.
pub(crate) fn read_context_file(context: Option<&ContextIndex>, path: &str) -> Option<String> {
    let context = context?;
    let relative = path.trim_start_matches("./").trim_start_matches('/');
    let full = context.root().join(relative);
    if !full.starts_with(context.root())
        || Path::new(relative)
            .components()
            .any(|c| c == std::path::Component::ParentDir)
    {
        return None;
    }
    let meta = std::fs::symlink_metadata(&full).ok()?;
    if !meta.is_file() || meta.len() > 50 * MB {
        return None;
    }
    std::fs::read_to_string(full).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_with_wildcards() {
        assert!(is_ancestor_or_self(
            &segments("/usr/local/lib"),
            &segments("/usr/local/lib/python*/site-packages")
        ));
        assert!(is_ancestor_or_self(
            &segments("/usr/local/lib/python3.12/site-packages"),
            &segments("/usr/local/lib/python*/site-packages")
        ));
        assert!(is_ancestor_or_self(
            &segments("/tmp/*"),
            &segments("/tmp/x/y")
        ));
        assert!(!is_ancestor_or_self(
            &segments("/app/b"),
            &segments("/app/a")
        ));
    }

    #[test]
    fn absolute_paths() {
        assert_eq!(absolute("/app", "./x/../y"), "/app/y");
        assert_eq!(absolute("/app", "/opt/"), "/opt");
        assert_eq!(absolute("/", "."), "/");
    }
}
