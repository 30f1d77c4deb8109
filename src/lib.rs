//! dockstage: a static analyzer and size/security linter for multi-stage Dockerfiles.
//!
//! Data flows one way: bytes → [`syntax`] → [`model`] → rules and size → diagnostics →
//! filter → [`emit`]. See `DESIGN.md` in the repository.

pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod discover;
pub mod emit;
pub mod filter;
pub mod lint;
pub mod model;
pub mod rules;
pub mod size;
pub mod syntax;
