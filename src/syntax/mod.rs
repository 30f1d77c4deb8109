//! A lossless, error-tolerant Dockerfile parser following BuildKit's semantics.

mod ast;
pub mod check_directive;
mod dump;
mod logical_line;
mod parser;
mod template;
mod tokens;
mod validate;
mod words;

pub use ast::*;
pub use dump::buildkit_dump;
pub use parser::{parse, parse_bytes};
pub use tokens::{Token, TokenKind};
pub use validate::valid_stage_name;
