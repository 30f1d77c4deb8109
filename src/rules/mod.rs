//! The rules and their registry.

mod meta;

pub use meta::{Category, RuleMeta};
