//! What the estimator returns: stages, layers, savings and warnings of the final image.

use crate::diagnostic::StageRole;
use crate::size::range::{Bytes, Part, Source};

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
