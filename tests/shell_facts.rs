//! Shell facts of RUN instructions, end to end: from a Dockerfile to the
//! commands, installs, cleanups and downloads, with spans into the file.
//!
//! `fixtures/shell/tricky.Dockerfile` holds the hard cases; the expected
//! commands are written out below. Set `DOCKSTAGE_CORPUS` to a folder of
//! Dockerfiles to run the analysis over all of them (no panic, spans in
//! bounds) and print figures.

use std::fmt::Write as _;
use std::path::Path;

use dockstage::model::shell::{
    analyze_run, CommandOrigin, NotShell, PackageManager, RunFacts, SimpleCommand,
};
use dockstage::syntax::{self, Dockerfile, Instruction, Keyword};

fn runs(file: &Dockerfile) -> Vec<&Instruction> {
    let mut found = Vec::new();
    for instruction in &file.instructions {
        if instruction.is(Keyword::Run) {
            found.push(instruction);
        }
        if let Some(trigger) = instruction
            .trigger
            .as_deref()
            .filter(|t| t.is(Keyword::Run))
        {
            found.push(trigger);
        }
    }
    found
}

/// How many commands this one is nested in.
fn depth<'a>(commands: &'a [SimpleCommand], mut command: &'a SimpleCommand) -> usize {
    let mut depth = 0;
    while let Some(outer) = command.origin.enclosing() {
        depth += 1;
        command = &commands[outer];
    }
    depth
}

/// One line per command: nesting shown by indentation, `?` for a command
/// that may not run, `|N` for its place in a pipeline.
fn render(facts: &RunFacts) -> String {
    let commands = &facts.facts.commands;
    let mut out = String::new();
    for command in commands {
        let mut line = "  ".repeat(depth(commands, command));
        if matches!(command.origin, CommandOrigin::Substitution { .. }) {
            line.push_str("$ ");
        }
        line.push_str(&command.name);
        for arg in &command.args {
            line.push(' ');
            line.push_str(&arg.text);
        }
        if command.conditional {
            line.push_str("  ?");
        }
        if let Some(pipeline) = command.pipeline {
            let _ = write!(line, "  |{}", pipeline.position);
        }
        out.push_str(&line);
        out.push('\n');
    }
    if let Some(not_shell) = &facts.not_shell {
        let _ = writeln!(out, "not shell: {not_shell:?}");
    }
    out
}

fn assert_spans_hold(file: &Dockerfile, facts: &RunFacts, instruction: &Instruction) {
    let source = &file.source;
    let check = |span: dockstage::diagnostic::Span| {
        assert!(
            span.start <= span.end && span.end <= source.len(),
            "{span:?}"
        );
        assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        assert!(
            instruction.span.start <= span.start && span.end <= instruction.span.end,
            "{span:?} outside the instruction {:?}",
            instruction.span
        );
    };
    for command in &facts.facts.commands {
        check(command.span);
        check(command.name_span);
        for word in &command.args {
            check(word.span);
            assert_eq!(word.raw, &source[word.span.start..word.span.end]);
        }
    }
    for install in &facts.facts.installs {
        check(install.span);
        install.packages.iter().for_each(|p| check(p.span));
        install.flags.iter().for_each(|f| check(f.span));
    }
    facts.facts.cleanups.iter().for_each(|c| check(c.span));
    facts.facts.downloads.iter().for_each(|d| check(d.span));
    facts.facts.removals.iter().for_each(|r| check(r.span));
}

const EXPECTED: &[(usize, &str)] = &[
    (3, "set -eux\napt-get update\napt-get install -y --no-install-recommends ca-certificates curl=7.88.*\nrm -rf /var/lib/apt/lists/*\n"),
    (9, "make\necho failed  ?\nls -l  |0\ngrep -v x  |1\ncd /src\n./configure\n"),
    // `[ ... ]` is a test expression in the grammar, not a listed command.
    (10, "go mod download  ?\necho none  ?\n"),
    (11, "pip install --no-cache-dir $pkg\n"),
    (12, "sh -c apk add --no-cache git && git --version\n  apk add --no-cache git\n  git --version\n"),
    (13, "bash -euo pipefail -c npm ci --omit=dev && npm cache clean --force\n  npm ci --omit=dev\n  npm cache clean --force\n"),
    (14, "apt-get install -y it's\n"),
    (15, "/bin/sh -c yum install -y gcc && yum clean all\n  yum install -y gcc\n  yum clean all\n"),
    (16, "curl -fsSL https://example.com/install.sh  |0\nsh -s -- --yes  |1\n"),
    // `X=$(...)` alone: a substitution with no enclosing command.
    (17, "$ cat VERSION\necho v${VERSION}\n"),
    (18, "apt-get update\napt-get install -y git\n"),
    (22, "bash\n  set -e\n  pip install -r requirements.txt\n"),
    (26, "python3\n"),
    (30, "not shell: Interpreter(\"#!/usr/bin/env python3\")\n"),
    (34, "apt-get update\napt-get install -y gcc\n"),
    (37, "not shell: StageShell(\"powershell\")\n"),
];

#[test]
fn tricky_runs_give_the_expected_commands() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/shell/tricky.Dockerfile");
    let source = std::fs::read_to_string(path).expect("fixture");
    let file = syntax::parse(&source);
    let runs = runs(&file);
    assert_eq!(runs.len(), EXPECTED.len());
    let mut mismatches = String::new();
    for (instruction, (line, expected)) in runs.iter().zip(EXPECTED) {
        assert_eq!(file.line_of(instruction.span.start), *line);
        let facts = analyze_run(&file, instruction);
        assert_spans_hold(&file, &facts, instruction);
        assert!(
            facts.facts.parse_error.is_none(),
            "line {line}: {:?}",
            facts.facts.parse_error
        );
        let actual = render(&facts);
        if actual != *expected {
            let _ = writeln!(
                mismatches,
                "line {line}:\n--- expected\n{expected}--- actual\n{actual}"
            );
        }
    }
    assert!(mismatches.is_empty(), "{mismatches}");
}

fn facts_at(file: &Dockerfile, line: usize) -> RunFacts {
    let instruction = runs(file)
        .into_iter()
        .find(|i| file.line_of(i.span.start) == line)
        .expect("a RUN on that line");
    analyze_run(file, instruction)
}

fn tricky() -> Dockerfile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/shell/tricky.Dockerfile");
    syntax::parse(&std::fs::read_to_string(path).expect("fixture"))
}

#[test]
fn spans_point_into_the_dockerfile_across_continuations() {
    let file = tricky();
    let facts = facts_at(&file, 3);
    let install = &facts.facts.installs[1];
    assert_eq!(install.manager, PackageManager::Apt);
    assert!(install.no_install_recommends());
    let curl = install
        .packages
        .iter()
        .find(|p| p.name == "curl")
        .expect("curl");
    assert_eq!(file.text(curl.span), "curl=7.88.*");
    assert_eq!(file.line_of(curl.span.start), 7);
    let lists = &facts.facts.cleanups[0];
    assert_eq!(file.text(lists.span), "/var/lib/apt/lists/*");
}

#[test]
fn nested_scripts_map_into_their_quotes() {
    let file = tricky();
    let facts = facts_at(&file, 12);
    let git = &facts.facts.commands[2];
    assert_eq!(file.text(git.span), "git --version");
    let install = &facts.facts.installs[0];
    assert_eq!(install.manager, PackageManager::Apk);
    assert!(install.no_cache());

    let exec = facts_at(&file, 15);
    let yum = &exec.facts.commands[1];
    assert_eq!(file.text(yum.span), "yum install -y gcc");
    assert_eq!(exec.facts.cleanups.len(), 1);
}

#[test]
fn heredoc_bodies_map_to_their_lines() {
    let file = tricky();
    let facts = facts_at(&file, 18);
    assert_eq!(
        file.text(facts.facts.commands[1].span),
        "apt-get install -y git"
    );
    assert_eq!(file.line_of(facts.facts.commands[1].span.start), 20);

    let fed = facts_at(&file, 22);
    let install = &fed.facts.installs[0];
    assert_eq!(install.manager, PackageManager::Pip);
    assert_eq!(install.requirement_files, ["requirements.txt"]);
    assert_eq!(file.line_of(install.span.start), 24);
}

#[test]
fn downloads_piped_into_a_shell_and_cache_mounts() {
    let file = tricky();
    let facts = facts_at(&file, 16);
    assert!(facts.facts.downloads[0].piped_to_shell);

    let mounted = facts_at(&file, 34);
    assert_eq!(mounted.cache_mounts, ["/var/cache/apt"]);
    assert!(mounted.is_cache_mounted("/var/cache/apt/archives"));
    assert!(!mounted.is_cache_mounted("/var/cache/aptitude"));
}

#[test]
fn a_corpus_analyzes_without_panics() {
    let Some(dir) = std::env::var_os("DOCKSTAGE_CORPUS") else {
        return;
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("DOCKSTAGE_CORPUS is a folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file())
        .collect();
    entries.sort();
    let (mut files, mut runs_seen, mut commands, mut errors, mut not_shell) = (0, 0, 0, 0, 0);
    let (mut installs, mut cleanups, mut downloads, mut piped) = (0, 0, 0, 0);
    let started = std::time::Instant::now();
    for path in &entries {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let file = syntax::parse_bytes(&bytes);
        files += 1;
        for instruction in runs(&file) {
            let facts = analyze_run(&file, instruction);
            assert_spans_hold(&file, &facts, instruction);
            runs_seen += 1;
            commands += facts.facts.commands.len();
            installs += facts.facts.installs.len();
            cleanups += facts.facts.cleanups.len();
            downloads += facts.facts.downloads.len();
            piped += facts
                .facts
                .downloads
                .iter()
                .filter(|d| d.piped_to_shell)
                .count();
            not_shell += usize::from(facts.not_shell.is_some());
            if let Some(error) = &facts.facts.parse_error {
                errors += 1;
                eprintln!(
                    "{}:{}: {}",
                    path.display(),
                    file.line_of(error.span.start),
                    error.message
                );
            }
            if let Some(NotShell::Interpreter(line)) = &facts.not_shell {
                eprintln!("{}: not shell: {line}", path.display());
            }
        }
    }
    eprintln!(
        "corpus: {files} files, {runs_seen} RUNs, {commands} commands, {installs} installs, \
         {cleanups} cleanups, {downloads} downloads ({piped} piped to a shell), \
         {errors} RUNs with a shell parse error, {not_shell} not shell, in {:?}",
        started.elapsed()
    );
}
