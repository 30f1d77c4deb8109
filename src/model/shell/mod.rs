//! Shell facts: what the shell text of a RUN instruction does.
//!
//! [`analyze`] parses the text with a real shell grammar (tree-sitter-bash,
//! see `docs/shell-parser.md`) and reports the simple commands it runs, the
//! packages it installs and removes, the caches it cleans, what it downloads
//! and the paths it deletes. Every fact carries a byte span into the text
//! that was analyzed, so rules can point at the exact word. [`analyze_run`]
//! does the same for a RUN instruction (shell form, exec form, heredocs),
//! with spans into the Dockerfile source.
//!
//! Commands nested in other commands are found too: `$(...)`, subshells,
//! `if`/`for`/`while`/`case` bodies, functions, `sh -c '...'`, `eval`,
//! heredocs fed to `sh`, and commands run through `sudo`, `env`, `xargs` or
//! `find -exec`.
//!
//! Analysis never panics. Text that is not valid shell (PowerShell, a
//! template, an unbalanced quote) gets a [`ShellParseError`] and the facts
//! a conservative fallback can still find.

mod cache;
mod cleanups;
mod command;
mod downloads;
mod fallback;
mod nested;
mod other_shell;
mod packages;
mod parse;
mod run;
mod source_map;
mod word;

pub use cache::ShellCache;
pub use cleanups::{Cleanup, CleanupKind, Removal};
pub use command::{CommandOrigin, PipelinePos, ShellWord, SimpleCommand};
pub use downloads::{Download, DownloadTool};
pub use packages::{PackageAction, PackageArg, PackageFlag, PackageInstall, PackageManager};
pub use run::{analyze_run, analyze_run_with, NotShell, RunFacts, MAX_SCRIPT_BYTES};

use crate::diagnostic::Span;

/// Everything we know about one piece of shell text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellFacts {
    /// Every simple command, in source order (a command before the commands
    /// nested in it). Other facts refer to them by index.
    pub commands: Vec<SimpleCommand>,
    /// Package-manager runs that add, refresh or upgrade packages, or build.
    pub installs: Vec<PackageInstall>,
    /// Package-manager runs that remove packages (`apt-get purge`, `apk del`).
    pub uninstalls: Vec<PackageInstall>,
    pub cleanups: Vec<Cleanup>,
    pub downloads: Vec<Download>,
    /// `rm` runs and the paths they delete.
    pub removals: Vec<Removal>,
    /// Set when the text is not valid shell; the facts then come from what
    /// could be parsed and a conservative fallback.
    pub parse_error: Option<ShellParseError>,
}

/// Why shell text could not be fully parsed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellParseError {
    pub message: String,
    pub span: Span,
}

impl std::fmt::Display for ShellParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl ShellFacts {
    /// The installs done by one package manager.
    pub fn installs_by(&self, manager: PackageManager) -> impl Iterator<Item = &PackageInstall> {
        self.installs
            .iter()
            .filter(move |install| install.manager == manager)
    }

    /// The command a package-manager run is.
    pub fn command_of(&self, install: &PackageInstall) -> Option<&SimpleCommand> {
        self.commands.get(install.command_index)
    }

    /// The program as a person would name it: `pip` for `python3 -m pip` and
    /// `/env/bin/pip3`, else the program's file name (`apt-get`, `yum`).
    pub fn program_of(&self, install: &PackageInstall) -> &str {
        match self.command_of(install) {
            _ if install.manager == PackageManager::Pip => "pip",
            Some(command) => command.program(),
            None => install.manager.as_str(),
        }
    }

    /// The word that is a run's one-word verb (`install` in `apt-get -y install curl`).
    pub fn verb_word(&self, install: &PackageInstall) -> Option<&ShellWord> {
        self.command_of(install)?
            .args
            .iter()
            .find(|word| !word.is_option() && word.text == install.verb)
    }

    /// From the program to the verb (`apt-get -y install`), or the whole command
    /// when the verb is not one word after the program.
    pub fn invocation_span(&self, install: &PackageInstall) -> Span {
        match (self.command_of(install), self.verb_word(install)) {
            (Some(command), Some(verb)) if verb.span.start >= command.name_span.start => {
                command.name_span.cover(verb.span)
            }
            _ => install.span,
        }
    }

    pub fn has_cleanup(&self, kind: CleanupKind) -> bool {
        self.cleanups.iter().any(|cleanup| cleanup.kind == kind)
    }

    /// Whether a command belongs to a PowerShell or cmd script rather than to the POSIX
    /// shell: it comes after `powershell -Command` (whose unquoted script the POSIX
    /// parse splits into commands and pipes) or inside its string. There `wget` is
    /// PowerShell's alias of `Invoke-WebRequest` and `|` passes objects.
    pub fn in_other_shell(&self, command: &SimpleCommand) -> bool {
        self.commands.iter().any(|other| {
            let program = other.program().to_ascii_lowercase();
            let program = program.trim_end_matches(".exe");
            matches!(program, "powershell" | "pwsh" | "cmd")
                && other.span.start < command.span.start
        })
    }
}

/// Analyzes shell text: a RUN instruction's shell form, a heredoc body, or
/// a `sh -c` string. Spans are byte ranges into `script`.
pub fn analyze(script: &str) -> ShellFacts {
    let parsed = parse::parse(script);
    let mut commands = parsed.commands;
    for command in &mut commands {
        clamp_command_spans(command, script);
    }
    let (installs, uninstalls) = packages::detect(&commands);
    ShellFacts {
        installs,
        uninstalls,
        cleanups: cleanups::detect_cleanups(&commands),
        downloads: downloads::detect(&commands),
        removals: cleanups::detect_removals(&commands),
        parse_error: parsed.error.map(|error| ShellParseError {
            span: clamp(error.span, script),
            ..error
        }),
        commands,
    }
}

/// Keeps every span inside the text and on character boundaries, whatever
/// the parser or a nested mapping produced, so `&script[span]` never panics.
fn clamp(span: Span, text: &str) -> Span {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

fn clamp_command_spans(command: &mut SimpleCommand, text: &str) {
    command.span = clamp(command.span, text);
    command.name_span = clamp(command.name_span, text);
    for word in &mut command.args {
        word.span = clamp(word.span, text);
        if text.get(word.span.start..word.span.end) != Some(word.raw.as_str()) {
            word.raw = text
                .get(word.span.start..word.span.end)
                .unwrap_or("")
                .to_string();
        }
    }
}

#[cfg(test)]
mod tests;
