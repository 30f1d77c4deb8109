//! `RUN`: the script read into facts, sized part by part (installs, downloads,
//! builds, caches), then moves and removals applied to what the stage placed.

use super::paths::{absolute, is_ancestor_or_self, segments};
use super::state::{Placed, StageState};
use super::{unknown_part, Runner};
use crate::model::graph::mount_options;
use crate::size::heuristics::Heuristics;
use crate::size::range::{Bytes, Part, Source, MB};
use crate::size::script::shell_words::expand_simple;
use crate::size::script::RunFacts;
use crate::syntax::Instruction;

impl Runner<'_, '_> {
    pub(super) fn run(&mut self, stage: usize, at: usize, state: &mut StageState) {
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
        if adds_package_repository(&facts.text) && state.vendor_repo.is_none() {
            state.vendor_repo = Some(line);
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
}

pub(super) struct RunContext<'a> {
    pub(super) line: usize,
    /// Targets of `--mount=type=cache` (and tmpfs): nothing written there stays.
    pub(super) mounts: &'a [String],
    pub(super) facts: &'a RunFacts,
}

/// The script configures another package repository (apt sources, yum/dnf or
/// zypper repositories).
fn adds_package_repository(script: &str) -> bool {
    [
        "sources.list.d/",
        "yum.repos.d/",
        "zypp/repos.d/",
        "add-apt-repository",
        "--add-repo",
    ]
    .iter()
    .any(|marker| script.contains(marker))
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
