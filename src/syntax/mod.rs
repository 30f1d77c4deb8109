//! A lossless, error-tolerant Dockerfile parser following BuildKit's semantics.

mod ast;

pub use ast::*;
