//! Command-line parsing (clap) and dispatch. Each subcommand's arguments are defined
//! beside the command, in [`crate::commands`].

use crate::commands::check::CheckArgs;
use crate::commands::migrate::MigrateArgs;
use crate::commands::parse::ParseArgs;
use crate::commands::rule::RuleArgs;
use crate::commands::size::SizeArgs;
use crate::commands::{self, EXIT_CLEAN, EXIT_ERROR};
use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "dockstage",
    version,
    about = "Static analyzer and size/security linter for multi-stage Dockerfiles"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint Dockerfiles (files, directories, or `-` for stdin)
    Check(CheckArgs),
    /// Print the parse and the stage graph
    Parse(ParseArgs),
    /// Estimate the size of the final image
    Size(SizeArgs),
    /// List the rules, or print one rule's page
    Rule(RuleArgs),
    /// Run the language server over stdio
    Lsp,
    /// Print the `.dockstage.toml` equivalent to another tool's configuration
    Migrate(MigrateArgs),
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            };
            let _ = err.print();
            return code;
        }
    };
    match cli.command {
        Command::Parse(args) => commands::parse::run(&args),
        Command::Rule(args) => commands::rule::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Size(args) => commands::size::run(&args),
        Command::Lsp => commands::lsp::run(),
        Command::Migrate(args) => commands::migrate::run(&args),
    }
}
