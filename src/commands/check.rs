//! `dockstage check`: discover, lint in parallel, fix on request, report, exit code.

use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use crate::config::{Config, ConfigCache, ConfigError};
use crate::diagnostic::{Applicability, FailLevel, Severity};
use crate::discover::{discover, display_path};
use crate::emit::{self, human::HumanOptions, FileReport, Report, ToolError};
use crate::filter::Selection;
use crate::lint::{lint, LintOptions, MAX_FILE_BYTES};
use crate::rules::{self, RULE_METAS};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

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
    /// Only these rules (names, codes, aliases or code prefixes, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules (names, codes, aliases or code prefixes, comma-separated)
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Use this configuration file instead of discovering `.dockstage.toml`
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The file name to report when reading standard input
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// The build context, for rules that read it (copy-ignored-file reads its
    /// `.dockerignore`); default: each Dockerfile's directory
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
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
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset
    Auto,
    Always,
    Never,
}

const STDIN: &str = "-";

pub fn run(args: &CheckArgs) -> i32 {
    let cli_selection = Selection {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Selection::default()
    };
    if let Some(message) = unknown_rules_message(&cli_selection) {
        eprintln!("dockstage: {message}");
        // Machine formats still get a well-formed document carrying the error (SARIF:
        // a `toolExecutionNotification`), so a CI step uploading it does not choke.
        if args.format != Format::Human {
            let errors = [ToolError::new(None, message)];
            let report = Report {
                files: &[],
                rules: RULE_METAS,
                tool_errors: &errors,
                exit_code: EXIT_ERROR,
            };
            write_report(args, &report);
        }
        return EXIT_ERROR;
    }
    let configs = ConfigCache::new(args.config.as_deref());
    let fixes = allowed_fixes(args);

    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == STDIN);
    let on_disk: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != STDIN)
        .cloned()
        .collect();
    let (files, missing) = discover(&on_disk);
    let mut tool_errors: Vec<ToolError> = missing
        .into_iter()
        .map(|(path, message)| ToolError::new(Some(display_path(&path)), message))
        .collect();
    let mut config_errors = ConfigErrors::default();

    let mut reports: Vec<FileReport> = Vec::with_capacity(files.len() + 1);
    // The fail level of each report: the CLI's, else its configuration's.
    let mut fail_levels: Vec<Option<Severity>> = Vec::with_capacity(files.len() + 1);
    if reads_stdin {
        let name = args.stdin_filename.as_deref().unwrap_or("-");
        // Standard input takes the configuration of the name it is reported under.
        let config = match &args.stdin_filename {
            Some(name) => configs.for_file(Path::new(name)),
            None => configs.for_dir(Path::new(".")),
        };
        match config {
            Err(err) => config_errors.add(err),
            Ok(config) => {
                let options = options_for(&config, Path::new(name), args);
                let level = fail_level(args, &config);
                match read_stdin() {
                    Ok(bytes) if !fixes.is_empty() => {
                        let source = String::from_utf8_lossy(&bytes);
                        let (fixed, applied) = crate::fix::fix_logged(&source, &options, &fixes);
                        // As ruff does: with --fix, standard input comes back fixed on stdout.
                        print!("{fixed}");
                        let reports: Vec<FileReport> = lint(name, fixed.as_bytes(), &options)
                            .map_err(|err| tool_errors.push(err))
                            .into_iter()
                            .collect();
                        let remaining = reports.iter().map(|r| r.diagnostics.len()).sum();
                        eprint!("{}", crate::fix::fix_note(name, &applied, remaining));
                        return exit_code(&reports, &tool_errors, level);
                    }
                    Ok(bytes) => match lint(name, &bytes, &options) {
                        Ok(report) => {
                            reports.push(report);
                            fail_levels.push(level);
                        }
                        Err(err) => tool_errors.push(err),
                    },
                    Err(err) => tool_errors.push(ToolError::new(
                        Some(name.to_string()),
                        format!("cannot read standard input: {err}"),
                    )),
                }
            }
        }
    }

    type Linted = Result<((FileReport, String), Option<Severity>), LintFailure>;
    let results: Vec<Linted> = files
        .par_iter()
        .map(|path| {
            let config = configs.for_file(path).map_err(LintFailure::Config)?;
            let options = options_for(&config, path, args);
            lint_path(path, &options, &fixes)
                .map(|report| (report, fail_level(args, &config)))
                .map_err(LintFailure::Tool)
        })
        .collect();
    for result in results {
        match result {
            Ok(((report, fix_note), level)) => {
                eprint!("{fix_note}");
                reports.push(report);
                fail_levels.push(level);
            }
            Err(LintFailure::Tool(error)) => tool_errors.push(error),
            Err(LintFailure::Config(error)) => config_errors.add(error),
        }
    }
    // Warnings of the configurations (a `.hadolint.yaml`'s unknown keys) on stderr only.
    for warning in configs.warnings() {
        let rendered = warning.render(false, human_options(args.color).width);
        eprint!("{}", emit::escape::escape(&rendered));
    }
    // Each broken configuration once: the full report on stderr, a tool error for the
    // report (so every format carries it, and the exit code is 2).
    // Rendered without colour so that the TOML text in it can be escaped.
    for error in &config_errors.errors {
        let rendered = error.render(false, human_options(args.color).width);
        eprint!("{}", emit::escape::escape(&rendered));
        for problem in std::iter::once(error).chain(error.related()) {
            tool_errors.push(problem.to_tool_error(display_path(error.path())).shown());
        }
    }

    let code = exit_code_per_file(&reports, &fail_levels, &tool_errors);
    let report = Report {
        files: &reports,
        rules: RULE_METAS,
        tool_errors: &tool_errors,
        exit_code: code,
    };
    write_report(args, &report)
}

/// Writes the report in the requested format; `report.exit_code`, or 2 when it cannot.
fn write_report(args: &CheckArgs, report: &Report) -> i32 {
    let report = *report;
    let code = report.exit_code;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        Format::Human => emit::human::write(&mut out, &report, &human_options(args.color)),
        Format::Json => emit::json::write(&mut out, &report),
        Format::Sarif => emit::sarif::write(&mut out, &report),
        Format::Github => emit::github::write(&mut out, &report),
        Format::Checkstyle => emit::checkstyle::write(&mut out, &report),
        Format::Gitlab => emit::gitlab::write(&mut out, &report),
        Format::Compact => emit::compact::write(&mut out, &report),
    };
    if let Err(err) = written.and_then(|()| out.flush()) {
        emit::report_write_error(&err);
        return EXIT_ERROR;
    }
    code
}

/// Reads, optionally fixes (writing the file back only when it changed), and lints;
/// with the note saying what was fixed.
fn lint_path(
    path: &Path,
    options: &LintOptions,
    fixes: &[Applicability],
) -> Result<(FileReport, String), ToolError> {
    let shown = display_path(path);
    let bytes = std::fs::File::open(path)
        .and_then(read_limited)
        .map_err(|err| ToolError::new(Some(shown.clone()), format!("cannot read: {err}")))?;
    // Fixing needs text we can write back unchanged elsewhere: valid UTF-8 only.
    if !fixes.is_empty() {
        if let Ok(source) = std::str::from_utf8(&bytes) {
            let (fixed, applied) = crate::fix::fix_logged(source, options, fixes);
            if !applied.is_empty() && fixed != source {
                std::fs::write(path, &fixed).map_err(|err| {
                    ToolError::new(Some(shown.clone()), format!("cannot write the fix: {err}"))
                })?;
                let report = lint(&shown, fixed.as_bytes(), options)?;
                let note = crate::fix::fix_note(&shown, &applied, report.diagnostics.len());
                return Ok((report, note));
            }
        }
    }
    Ok((lint(&shown, &bytes, options)?, String::new()))
}

fn read_stdin() -> std::io::Result<Vec<u8>> {
    read_limited(std::io::stdin().lock())
}

/// Reads everything, unless there is more than [`MAX_FILE_BYTES`]: no Dockerfile is
/// that large, and the time and memory a lint takes grow with the size.
fn read_limited(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB, the most dockstage lints; not linted",
            MAX_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

fn allowed_fixes(args: &CheckArgs) -> Vec<Applicability> {
    match (args.fix, args.unsafe_fixes) {
        (false, _) => Vec::new(),
        (true, false) => vec![Applicability::Safe],
        (true, true) => vec![Applicability::Safe, Applicability::Unsafe],
    }
}

/// Why a file was not linted.
enum LintFailure {
    Tool(ToolError),
    Config(ConfigError),
}

/// Configuration errors, one per configuration file, in the order met.
#[derive(Default)]
struct ConfigErrors {
    errors: Vec<ConfigError>,
}

impl ConfigErrors {
    fn add(&mut self, error: ConfigError) {
        if !self.errors.iter().any(|e| e.path() == error.path()) {
            self.errors.push(error);
        }
    }
}

/// What linting `path` uses: its configuration (with overrides), then the CLI:
/// `--target`, `--select` (replaces), `--ignore` (adds), `--warn-unused-ignores`.
fn options_for(config: &Config, path: &Path, args: &CheckArgs) -> LintOptions {
    let mut options = config.lint_options_for(path);
    options.target = args.target.clone();
    let select = (!args.select.is_empty()).then_some(args.select.as_slice());
    options
        .selection
        .refine(select, &args.ignore, &HashMap::new());
    options.warn_unused_ignores |= args.warn_unused_ignores;
    options.build_context = args.context.clone();
    options
}

/// The lowest severity that fails the run; `None` never fails on findings. The CLI's
/// `--fail-level`, else the configuration's `fail-level`, else `warning`.
fn fail_level(args: &CheckArgs, config: &Config) -> Option<Severity> {
    args.fail_level
        .or(config.fail_level)
        .unwrap_or(FailLevel::Warning)
        .threshold()
}

/// 2 when the tool itself failed, else 1 when a finding reaches the fail level, else 0.
pub fn exit_code(reports: &[FileReport], tool_errors: &[ToolError], fail: Option<Severity>) -> i32 {
    if !tool_errors.is_empty() {
        return EXIT_ERROR;
    }
    let failing = fail.is_some_and(|level| {
        reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= level)
    });
    if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Like [`exit_code`], each report judged by its own fail level.
fn exit_code_per_file(
    reports: &[FileReport],
    levels: &[Option<Severity>],
    tool_errors: &[ToolError],
) -> i32 {
    if !tool_errors.is_empty() {
        return EXIT_ERROR;
    }
    let failing = reports.iter().zip(levels).any(|(report, level)| {
        level.is_some_and(|level| report.diagnostics.iter().any(|d| d.severity >= level))
    });
    if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn colour_for(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && is_terminal
        }
    }
}

fn human_options(choice: ColorChoice) -> HumanOptions {
    let colour = colour_for(choice, std::io::stdout().is_terminal());
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(HumanOptions::default().width);
    HumanOptions { colour, width }
}

/// "unknown rule `x` (did you mean `y`?)" for every name or code that is no rule.
pub fn unknown_rules_message(selection: &Selection) -> Option<String> {
    let unknown = selection.unknown_rules();
    if unknown.is_empty() {
        return None;
    }
    let parts: Vec<String> = unknown
        .iter()
        .map(|name| match rules::suggest(name) {
            Some(near) => format!("unknown rule `{name}` (did you mean `{near}`?)"),
            None => format!("unknown rule `{name}`"),
        })
        .collect();
    Some(format!(
        "{}; `dockstage rule` lists the rules",
        parts.join(", ")
    ))
}
