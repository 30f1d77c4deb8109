//! Variable expansion and variable references, with BuildKit's semantics.
//!
//! [`expand_word`] and [`expand_words`] behave like BuildKit's Dockerfile lexer
//! (`ProcessWord` / `ProcessWords`): they remove quotes, honour the escape
//! character and expand `$V`, `${V}` and the `${V<op>word}` forms. Where BuildKit
//! would fail the build, they still return their best effort and say why in
//! [`Expansion::error`]; they never panic.
//!
//! [`references`] and [`shell_references`] only *find* references (with their
//! byte spans), for rules that check whether a variable is in scope.

mod expand;
mod names;
mod nesting;
mod operators;
mod pattern;
mod references;
mod words;

pub use expand::{expand_word, expand_words, expansion_error, Expansion};
pub use references::{references, shell_references, VarRef};

#[cfg(test)]
mod tests;
