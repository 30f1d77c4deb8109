//! Size estimate of the final image, per stage and per instruction.
//!
//! [`estimate::estimate`] replays the stages that ship and returns an
//! [`estimate::Estimate`]: a total with a range, every layer with the source of
//! its figure (`table`, `measured`, `heuristic`, `unknown`) and what would save
//! the most. [`report`] renders it as a table or as JSON.

pub mod catalog;
pub mod context;
pub mod debian;
pub mod debian_index;
pub mod dockerignore;
pub mod estimate;
pub(crate) use crate::model::gopath;
pub mod heuristics;
pub mod packages;
pub mod range;
pub mod report;
pub mod script;
pub mod source_on_disk;

pub use catalog::{Alternative, BaseImage, ImageCatalog, NoCatalog};
pub use estimate::{estimate, Estimate, Layer, Saving, SizeInput, StageEstimate};
pub use range::{Bytes, Source};
