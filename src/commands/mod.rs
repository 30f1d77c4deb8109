//! One module per subcommand.

pub mod check;
pub mod lsp;
pub mod parse;
pub mod rule;
pub mod size;
