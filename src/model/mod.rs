//! Meaning, not text: image references, variables, the stage graph and shell facts.

pub mod chains;
pub mod gopath;
pub mod graph;
pub mod hadolint_pragma;
pub mod image_ref;
pub mod image_role;
pub mod language_runtimes;
pub mod path_glob;
pub mod scope;
pub mod shell;
pub mod vars;

pub use graph::{Base, Edge, EdgeKind, EdgeTarget, Stage, StageGraph};
pub use image_role::{ImageRole, RoleInference};
