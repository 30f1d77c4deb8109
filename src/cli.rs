//! Command-line definitions (clap) and dispatch.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes, documented in the README.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

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
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads standard input
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum)]
    pub fail_level: Option<FailLevel>,
    /// The stage to build (default: the last one)
    #[arg(long)]
    pub target: Option<String>,
    /// Only these rules (names or codes, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (names or codes, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file instead of discovering `.dockstage.toml`
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The file name to report when reading standard input
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Report suppression comments that suppress nothing
    #[arg(long)]
    pub warn_unused_ignores: bool,
    /// Apply safe fixes to the files (to stdout when reading stdin)
    #[arg(long)]
    pub fix: bool,
    /// With --fix, also apply fixes that may change behaviour
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct ParseArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,
    #[arg(long)]
    pub target: Option<String>,
}

#[derive(Args, Debug)]
pub struct SizeArgs {
    /// The Dockerfile (default: ./Dockerfile)
    pub path: Option<PathBuf>,
    #[arg(long)]
    pub target: Option<String>,
    /// The build context (default: the Dockerfile's directory)
    #[arg(long)]
    pub context: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = SizeFormat::Human)]
    pub format: SizeFormat,
    #[arg(long, default_value = "linux/amd64")]
    pub platform: String,
    /// Use this configuration file instead of discovering `.dockstage.toml`
    /// (its `[[images]]` add to the base-image table)
    #[arg(long)]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// A rule name or code; without it, all rules are listed
    pub name: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Checkstyle,
    Gitlab,
    Compact,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SizeFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailLevel {
    Error,
    Warning,
    Info,
    Style,
    None,
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
        Command::Parse(args) => crate::commands::parse::run(&args),
        Command::Rule(args) => crate::commands::rule::run(&args),
        Command::Check(args) => crate::commands::check::run(&args),
        Command::Size(args) => crate::commands::size::run(&args),
        Command::Lsp => crate::commands::lsp::run(),
    }
}
