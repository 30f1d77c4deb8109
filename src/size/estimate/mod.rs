//! The estimator: per stage, per instruction, with ranges and sources.
//!
//! Each stage is replayed in order. Every layer-creating instruction (RUN, COPY,
//! ADD) becomes a [`Layer`] made of [`Part`]s. The stage also keeps a list of
//! [`Placed`](state::Placed) entries: which instruction put how much where, so a later
//! `COPY --from=stage /path` costs what that stage put at that path. A file
//! removed by a later layer still costs its bytes (the layer below keeps it);
//! it only disappears from what later `COPY --from` can pick up.
//!
//! This file walks the stages and their instructions; the sizing of each kind of
//! layer lives in the files beside it.

mod apt;
mod base;
mod builds;
mod caches;
mod copy;
mod copy_from;
mod final_image;
mod installs;
mod output;
use crate::filesystem::paths;
mod run;
mod savings;
mod state;

use super::catalog::ImageCatalog;
use super::context::ContextIndex;
use super::range::{Bytes, Part, Source, MB};
use crate::model::graph::{Base, EdgeTarget, StageGraph};
use crate::model::scope::arg_decls;
use crate::model::vars;
use crate::syntax::{Dockerfile, Instruction, Keyword};
use base::{base_image, unknown_image};
use paths::absolute;
use state::StageState;

pub use output::{Estimate, Layer, Saving, SizeWarning, StageEstimate};

/// Inputs besides the Dockerfile.
pub struct SizeInput<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
    /// The build context, measured; `None` when it could not be read.
    pub context: Option<&'a ContextIndex>,
    pub catalog: &'a dyn ImageCatalog,
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
                    apt_held: inherited.apt_held,
                    vendor_repo: inherited.vendor_repo,
                    // What the parent stage left in stays in this one's image.
                    cache_bytes: inherited.cache_bytes,
                    build_tools: inherited.build_tools,
                    removed_later: inherited.removed_later,
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
                let (size, source, root, label) =
                    base_image(self.input.catalog, image, &stage.base_unresolved);
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

fn unknown_part() -> Bytes {
    Bytes::range(0, 10 * MB, 200 * MB)
}
