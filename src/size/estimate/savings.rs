//! What would make the final image smaller: a slimmer base, a final stage not
//! built on a builder, build tools left in, package caches, files removed only
//! in a later layer. Each saving names the line to change and never exceeds the
//! layers (or stages) it removes.

use super::output::{Layer, Saving};
use super::state::StageState;
use super::SizeInput;
use crate::model::graph::Base;
use crate::size::catalog::{familiar_name, Alternative};

/// Savings for the final stage `target`, whose replay state is `state`, largest first.
pub(super) fn savings(
    input: &SizeInput<'_>,
    target: usize,
    state: &StageState,
    layers: &[Layer],
) -> Vec<Saving> {
    let graph = input.graph;
    let mut savings = Vec::new();
    let chain = graph.base_chain(target);
    let root_stage = *chain.last().unwrap_or(&target);
    if let Base::Image(image) = graph.root_base(target) {
        let base_bytes = layers[0].size.bytes;
        let alternative = smallest_alternative(input.catalog.alternatives(image), base_bytes);
        let sdk_root = state.root.as_ref().is_some_and(|r| r.is_sdk);
        let written = familiar_name(image) + ":" + image.tag_or_latest();
        if sdk_root && root_stage != target {
            // `FROM builder AS final`: the final stage carries the builder's SDK
            // and everything the builder made. Starting it from a runtime image
            // drops every layer above the root that is not the final stage's own.
            let carried: u64 = layers
                .iter()
                .filter(|l| l.stage != target)
                .map(|l| l.size.bytes)
                .sum();
            let replacement = alternative.as_ref().map_or(0, |a| a.uncompressed_bytes);
            let start = alternative
                .as_ref()
                .map_or_else(|| "a runtime image".to_string(), |a| a.reference.clone());
            let builder = graph.stages[chain[1]].display_name();
            savings.push(Saving {
                kind: "final-on-builder",
                bytes: carried.saturating_sub(replacement),
                message: format!(
                    "the final stage is built on `{builder}` ({written} and its build): start it FROM {start} and COPY --from={builder} only the output"
                ),
                line: Some(from_line(input, target)),
            });
        } else if let Some(alt) = alternative {
            savings.push(Saving {
                kind: "slim-base",
                bytes: base_bytes - alt.uncompressed_bytes,
                message: format!(
                    "use {} instead of {written}{}",
                    alt.reference,
                    describe(&alt)
                ),
                line: Some(layers[0].line),
            });
        }
    }
    let mut tools: Vec<&(usize, u64, String)> = state.build_tools.iter().collect();
    tools.sort_by_key(|t| std::cmp::Reverse(t.1));
    if let Some(largest) = tools.first() {
        // Closures overlap: count the largest whole and the rest at a third,
        // never more than the layers that installed them.
        let rest: u64 = tools[1..].iter().map(|t| t.1).sum();
        let mut lines: Vec<usize> = tools.iter().map(|t| t.0).collect();
        lines.sort_unstable();
        lines.dedup();
        let installed_by: u64 = layers
            .iter()
            .filter(|l| l.copies_from.is_none() && lines.contains(&l.line))
            .map(|l| l.size.bytes)
            .sum();
        let names: Vec<&str> = tools.iter().map(|t| t.2.as_str()).collect();
        savings.push(Saving {
            kind: "build-tools",
            bytes: (largest.1 + rest / 3).min(installed_by),
            message: format!(
                "build tools in the final image ({}): build in a separate stage and copy only the output",
                names.join(", ")
            ),
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
                "caches left in the image: {} (clean them in the same RUN or use a cache mount)",
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
    savings.retain(|s| s.bytes > 0);
    savings.sort_by_key(|s| std::cmp::Reverse(s.bytes));
    savings
}

/// The slim or runtime variant first, then distroless, then anything smaller.
fn smallest_alternative(alternatives: Vec<Alternative>, base_bytes: u64) -> Option<Alternative> {
    alternatives
        .into_iter()
        .filter(|a| a.uncompressed_bytes < base_bytes)
        .min_by_key(|a| {
            let rank = match a.kind.as_str() {
                "slim" | "runtime" => 0,
                "distroless" => 1,
                _ => 2,
            };
            (rank, a.uncompressed_bytes)
        })
}

/// What kind of image the alternative is, in words (nothing when the name says it).
fn describe(alt: &Alternative) -> String {
    let name = alt.reference.to_ascii_lowercase();
    let what = match alt.kind.as_str() {
        _ if name == "scratch" => "an empty image: a static binary only",
        "distroless" if !name.contains("distroless") => "a distroless image",
        "runtime" if !name.contains("runtime") => "a runtime image",
        _ => "",
    };
    if what.is_empty() {
        String::new()
    } else {
        format!(" ({what})")
    }
}

/// The line of a stage's `FROM`.
fn from_line(input: &SizeInput<'_>, stage: usize) -> usize {
    let file = input.file;
    let at = input.graph.stages[stage].from_instruction;
    file.line_of(file.instructions[at].span.start)
}
