//! dockstage: a static analyzer and size/security linter for multi-stage Dockerfiles.
//!
//! Data flows one way: bytes → [`syntax`] → [`model`] → rules and size → diagnostics →
//! filter → [`emit`]. The module map is `docs/architecture.md`.

pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod emit;
pub mod filesystem;
pub mod filter;
pub mod fix;
pub mod knowledge;
pub mod lint;
pub mod lsp;
pub mod model;
pub mod rules;
pub mod size;
pub mod syntax;
