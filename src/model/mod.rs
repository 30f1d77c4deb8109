//! Meaning, not text: image references, variables, the stage graph and shell facts.

pub mod graph;
pub mod hadolint_pragma;
pub mod image_ref;
pub mod scope;
pub mod shell;
pub mod vars;

pub use graph::{Base, Edge, EdgeKind, EdgeTarget, Stage, StageGraph};
