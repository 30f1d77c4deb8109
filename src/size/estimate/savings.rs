//! What would make the final image smaller: a slimmer base, build tools left in,
//! package caches, files removed only in a later layer.

use super::output::{Layer, Saving};
use super::state::StageState;
use super::SizeInput;
use crate::model::graph::Base;
use crate::size::catalog::familiar_name;

/// Savings for the final stage `target`, whose replay state is `state`, largest first.
pub(super) fn savings(
    input: &SizeInput<'_>,
    target: usize,
    state: &StageState,
    layers: &[Layer],
) -> Vec<Saving> {
    let graph = input.graph;
    let mut savings = Vec::new();
    // Slim base.
    if let Base::Image(image) = graph.root_base(target) {
        let base_bytes = layers[0].size.bytes;
        let alternative = input
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
