//! The final image: the chain of stages it is built on, its total and its
//! compressed size.

use super::output::{Estimate, Layer, StageEstimate};
use super::savings::savings;
use super::{instruction_summary, Runner};
use crate::diagnostic::StageRole;
use crate::size::range::{scale, Bytes, Source};

/// Ratio of gzip-compressed to uncompressed bytes for layers we estimate.
const LAYER_COMPRESSION: f64 = 0.4;
/// Same for a base image whose compressed size the table does not give.
const BASE_COMPRESSION: f64 = 0.38;

impl Runner<'_, '_> {
    pub(super) fn finish(mut self) -> Estimate {
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
        let savings = savings(self.input, target, final_state, &layers);
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
}
