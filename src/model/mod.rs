//! Meaning, not text: image references, variables, the stage graph and shell facts.

pub mod shell;
