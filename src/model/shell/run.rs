//! Shell facts of a RUN instruction, with spans into the Dockerfile.
//!
//! We rebuild the script the way BuildKit hands it to the shell, then
//! analyze it with [`super::analyze`]:
//!
//! - shell form: the command line with continuations joined;
//! - a lone heredoc (`RUN <<EOF`): its body is the script, unless it starts
//!   with a `#!` line naming something other than a shell (then BuildKit runs
//!   it as a file with that interpreter, and we do not parse it);
//! - any other heredoc (`RUN python3 <<EOF`, `RUN <<EOF bash`, several
//!   heredocs): the command line, then each body and its delimiter, as one
//!   script; the shell feeds each body to its command, so a body is parsed as
//!   shell only when that command is a shell;
//! - exec form: the JSON strings are the command and its arguments; no shell
//!   runs them unless the first is one (`["sh", "-c", "..."]`).

use super::source_map::MappedText;
use super::{analyze, nested, other_shell, ShellCache, ShellFacts};
use crate::diagnostic::Span;
use crate::model::graph::mount_options;
use crate::syntax::{Dockerfile, Form, Heredoc, Instruction, Keyword};

/// What we know about the commands of one RUN. All spans are byte ranges in
/// [`Dockerfile::source`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFacts {
    pub facts: ShellFacts,
    /// The targets of `--mount=type=cache`: what is written there does not
    /// stay in the layer, so cache hygiene does not apply to it.
    pub cache_mounts: Vec<String>,
    /// Set when (part of) the RUN is a script in another language, which we
    /// do not analyze.
    pub not_shell: Option<NotShell>,
}

/// Why a RUN's script was not analyzed as POSIX shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotShell {
    /// A lone heredoc whose `#!` line names another interpreter
    /// (`#!/usr/bin/env python3`); the line is kept as written.
    Interpreter(String),
    /// The stage's `SHELL` is not a POSIX shell (`powershell`, `cmd`); its
    /// program is kept as written. The facts then hold only the script's plain
    /// statements (language package managers and `cd`).
    StageShell(String),
    /// The RUN, as written, is longer than [`MAX_SCRIPT_BYTES`] (its length is
    /// kept): parsing it would cost seconds and hundreds of megabytes for a script
    /// no real Dockerfile has.
    TooLarge(usize),
}

/// The longest script analysed as shell (1 MiB; real RUNs stay under 100 KiB).
pub const MAX_SCRIPT_BYTES: usize = 1 << 20;

impl RunFacts {
    /// Whether `path` is under a cache mount of this RUN.
    pub fn is_cache_mounted(&self, path: &str) -> bool {
        self.cache_mounts
            .iter()
            .any(|target| is_under(path, target))
    }
}

/// Analyzes a RUN instruction (or the RUN of an `ONBUILD`) of `file`.
pub fn analyze_run(file: &Dockerfile, instruction: &Instruction) -> RunFacts {
    analyze_run_with(file, instruction, None)
}

/// Like [`analyze_run`], taking the script's facts from `cache` when it has them.
pub fn analyze_run_with(
    file: &Dockerfile,
    instruction: &Instruction,
    cache: Option<&ShellCache>,
) -> RunFacts {
    let cache_mounts = cache_mount_targets(instruction);
    if !instruction.is(Keyword::Run) {
        return RunFacts {
            cache_mounts,
            ..RunFacts::default()
        };
    }
    if instruction.args.form == Form::Shell {
        if let Some(program) =
            stage_shell(file, instruction).filter(|program| !is_posix_shell(program))
        {
            return RunFacts {
                facts: other_shell_facts(file, instruction),
                cache_mounts,
                not_shell: Some(NotShell::StageShell(program)),
            };
        }
    }
    // The script is never much longer than the instruction as written (heredocs
    // included): check before building it and its byte map.
    let written = instruction.span.len();
    if written > MAX_SCRIPT_BYTES {
        return RunFacts {
            cache_mounts,
            not_shell: Some(NotShell::TooLarge(written)),
            ..RunFacts::default()
        };
    }
    let script = match script_of(file, instruction) {
        Ok(script) => script,
        Err(not_shell) => {
            return RunFacts {
                cache_mounts,
                not_shell: Some(not_shell),
                ..RunFacts::default()
            }
        }
    };
    let mut facts = match cache {
        Some(cache) => ShellFacts::clone(&cache.facts(&script.text)),
        None => analyze(&script.text),
    };
    map_spans(&mut facts, &script, &file.source);
    RunFacts {
        facts,
        cache_mounts,
        not_shell: None,
    }
}

/// The facts of a PowerShell or cmd RUN: only its plain statements (language package
/// managers and `cd`, see [`other_shell`]).
fn other_shell_facts(file: &Dockerfile, instruction: &Instruction) -> ShellFacts {
    let Some(line) = instruction.args.words.first() else {
        return ShellFacts::default();
    };
    if instruction.span.len() > MAX_SCRIPT_BYTES {
        return ShellFacts::default();
    }
    let mut joined = MappedText::default();
    joined.push_joined(&line.text, &file.source, line.span, file.escape);
    let script = other_shell::plain_statements(&joined);
    if script.text.is_empty() {
        return ShellFacts::default();
    }
    let mut facts = analyze(&script.text);
    map_spans(&mut facts, &script, &file.source);
    ShellFacts {
        commands: facts.commands,
        installs: facts.installs,
        uninstalls: facts.uninstalls,
        ..ShellFacts::default()
    }
}

/// The text the shell runs, with its map back to the source.
fn script_of(file: &Dockerfile, instruction: &Instruction) -> Result<MappedText, NotShell> {
    let mut script = MappedText::default();
    let words = &instruction.args.words;
    match instruction.args.form {
        Form::Exec => {
            for (i, word) in words.iter().enumerate() {
                if i > 0 {
                    script.push_synthetic(" ", word.span.start);
                }
                push_quoted(&mut script, &word.text, word.span, &file.source);
            }
        }
        Form::Shell => {
            let Some(line) = words.first() else {
                return Ok(script);
            };
            if let [heredoc] = instruction.heredocs.as_slice() {
                if is_lone_heredoc(&line.text) {
                    lone_heredoc(&mut script, heredoc, &file.source)?;
                    return Ok(script);
                }
            }
            let mut joined = MappedText::default();
            joined.push_joined(&line.text, &file.source, line.span, file.escape);
            push_command_line(&mut script, &joined);
            for heredoc in &instruction.heredocs {
                script.push_synthetic("\n", line.span.end);
                push_body(&mut script, heredoc, &file.source);
            }
        }
        Form::None => {}
    }
    Ok(script)
}

/// The command line; `<<EOF bash` is written `bash <<EOF` for the grammar,
/// which rejects a heredoc before the command name. Only a simple command
/// is reordered (no `;`, `&` or `|` after the markers).
fn push_command_line(script: &mut MappedText, line: &MappedText) {
    let text = line.text.as_str();
    let mut markers_end = 0;
    let mut rest = text.trim_start();
    while is_lone_heredoc(rest.split_whitespace().next().unwrap_or("")) {
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        markers_end = text.len() - rest.len() + word_end;
        rest = rest[word_end..].trim_start();
    }
    if markers_end == 0 || rest.is_empty() || rest.contains([';', '&', '|']) {
        script.push_part(line, 0..text.len());
        return;
    }
    let rest_start = text.len() - rest.len();
    script.push_part(line, rest_start..text.len());
    script.push_synthetic(" ", line.span(Span::new(rest_start, rest_start)).start);
    script.push_part(line, 0..markers_end);
}

/// `<<EOF`, `<<-"EOF"`, `3<<EOF` alone: BuildKit's test for a heredoc that is
/// the whole command (one word after `<<`).
fn is_lone_heredoc(line: &str) -> bool {
    let rest = line.trim().trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(rest) = rest.strip_prefix("<<") else {
        return false;
    };
    let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    !rest.is_empty() && !rest.contains('<') && rest.split_whitespace().count() == 1
}

/// The body of a lone heredoc is the script (tabs stripped for `<<-`); with
/// a `#!` line it is a file run by that interpreter.
fn lone_heredoc(script: &mut MappedText, heredoc: &Heredoc, source: &str) -> Result<(), NotShell> {
    let body = &source[heredoc.body_span.start..heredoc.body_span.end];
    if let Some(shebang) = body.lines().next().filter(|line| line.starts_with("#!")) {
        if !is_posix_shell(&interpreter_of(shebang)) {
            return Err(NotShell::Interpreter(shebang.to_string()));
        }
    }
    let mut at = heredoc.body_span.start;
    for line in body.split_inclusive('\n') {
        let kept = if heredoc.chomp {
            line.trim_start_matches('\t')
        } else {
            line
        };
        script.push_verbatim(kept, at + (line.len() - kept.len()));
        at += line.len();
    }
    Ok(())
}

/// A heredoc of a longer command line: its raw body and delimiter, as the
/// shell reads them.
fn push_body(script: &mut MappedText, heredoc: &Heredoc, source: &str) {
    let body = &source[heredoc.body_span.start..heredoc.body_span.end];
    script.push_verbatim(body, heredoc.body_span.start);
    let terminator = &source[heredoc.terminator_span.start..heredoc.terminator_span.end];
    match terminator.find(heredoc.delimiter.as_str()) {
        Some(offset) => {
            script.push_verbatim(&heredoc.delimiter, heredoc.terminator_span.start + offset)
        }
        None => script.push_synthetic(&heredoc.delimiter, heredoc.terminator_span.start),
    }
}

/// An exec-form word, single-quoted for the shell we parse it with. Bytes map
/// into the JSON string when it holds no escapes, else to its opening quote.
fn push_quoted(script: &mut MappedText, text: &str, span: Span, source: &str) {
    let literal = source.get(span.start..span.end).unwrap_or("");
    let plain = literal.len() == text.len() + 2 && literal.get(1..literal.len() - 1) == Some(text);
    script.push_synthetic("'", span.start);
    for (i, ch) in text.char_indices() {
        let at = if plain {
            span.start + 1 + i
        } else {
            span.start
        };
        if ch == '\'' {
            script.push_synthetic("'\\''", at);
        } else if plain {
            script.push_verbatim(&text[i..i + ch.len_utf8()], at);
        } else {
            script.push_synthetic(&text[i..i + ch.len_utf8()], at);
        }
    }
    script.push_synthetic("'", span.end.saturating_sub(1).max(span.start));
}

/// The program of a `#!` line: `sh` for `#!/bin/sh -e`, `python3` for
/// `#!/usr/bin/env python3`.
fn interpreter_of(shebang: &str) -> String {
    let mut words = shebang.trim_start_matches("#!").split_whitespace();
    let first = words.next().unwrap_or("");
    let program = first.rsplit('/').next().unwrap_or(first);
    if program == "env" {
        let next = words.find(|word| !word.starts_with('-')).unwrap_or("");
        return next.to_string();
    }
    program.to_string()
}

/// Whether a program (as written, maybe with a directory or `.exe`) is a POSIX shell.
fn is_posix_shell(program: &str) -> bool {
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    nested::is_shell(name)
}

/// The program of the `SHELL` in force for `instruction`: the last `SHELL`
/// between its stage's `FROM` and it, else the file's `# hadolint shell=` pragma. `None` when there is none (or the
/// instruction is an `ONBUILD` trigger, whose shell is the child image's).
fn stage_shell(file: &Dockerfile, instruction: &Instruction) -> Option<String> {
    let at = file
        .instructions
        .iter()
        .position(|other| std::ptr::eq(other, instruction))?;
    file.instructions[..at]
        .iter()
        .rev()
        .take_while(|other| !other.is(Keyword::From))
        .find(|other| other.is(Keyword::Shell))
        .and_then(|shell| shell.args.words.first())
        .map(|program| program.text.to_string())
        // hadolint's `# hadolint shell=powershell` names the shell of a whole file.
        .or_else(|| crate::model::hadolint_pragma::file_shell(file))
}

fn cache_mount_targets(instruction: &Instruction) -> Vec<String> {
    instruction
        .flags_named("mount")
        .filter_map(|flag| {
            let options = mount_options(flag.value.as_deref()?);
            let value = |keys: &[&str]| {
                options
                    .iter()
                    .find(|(key, _)| keys.iter().any(|k| key.eq_ignore_ascii_case(k)))
                    .map(|(_, value)| value.clone())
            };
            let is_cache = value(&["type"]).is_some_and(|kind| kind.eq_ignore_ascii_case("cache"));
            is_cache
                .then(|| value(&["target", "dst", "destination"]))
                .flatten()
        })
        .collect()
}

/// `/var/cache/apt/archives` is under `/var/cache/apt`; `/var/cache/aptx` is not.
fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Moves every span of the facts from script offsets to source offsets.
fn map_spans(facts: &mut ShellFacts, script: &MappedText, source: &str) {
    let map = |span: &mut Span| *span = super::clamp(script.span(*span), source);
    for command in &mut facts.commands {
        map(&mut command.span);
        map(&mut command.name_span);
        for word in &mut command.args {
            map(&mut word.span);
            word.raw = source[word.span.start..word.span.end].to_string();
        }
    }
    for install in facts.installs.iter_mut().chain(&mut facts.uninstalls) {
        map(&mut install.span);
        install
            .packages
            .iter_mut()
            .for_each(|package| map(&mut package.span));
        install
            .flags
            .iter_mut()
            .for_each(|flag| map(&mut flag.span));
    }
    facts
        .cleanups
        .iter_mut()
        .for_each(|cleanup| map(&mut cleanup.span));
    facts
        .downloads
        .iter_mut()
        .for_each(|download| map(&mut download.span));
    for removal in &mut facts.removals {
        map(&mut removal.span);
        for path in &mut removal.paths {
            map(&mut path.span);
            path.raw = source[path.span.start..path.span.end].to_string();
        }
    }
    if let Some(error) = &mut facts.parse_error {
        map(&mut error.span);
    }
}
