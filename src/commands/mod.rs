//! One module per subcommand.

pub mod lsp;
pub mod parse;
pub mod rule;
