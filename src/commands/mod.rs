//! One module per subcommand.

pub mod check;
pub mod lsp;
pub mod migrate;
pub mod parse;
pub mod rule;
pub mod size;

/// Exit codes, documented in the README.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;
