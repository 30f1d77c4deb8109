//! A fix is offered only where it is certain: none that writes what BuildKit rejects,
//! and none inside a RUN script the shell grammar rejects, where the commands are a
//! guess. Each case was found by the fix fuzz target: a stage name BuildKit rejects written
//! into `--from`, `/` appended to a `<<-` marker, and a heredoc body read as commands
//! that took `-y` as arithmetic, so `--fix` added `-y` forever.

use dockstage::lint::{analyze, LintOptions};

fn fixes(source: &str, rule: &str) -> (usize, usize) {
    let analysis = analyze(source.as_bytes(), &LintOptions::default());
    let found: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .collect();
    (
        found.len(),
        found.iter().filter(|d| d.fix.is_some()).count(),
    )
}

#[test]
fn no_fix_inside_a_script_the_shell_grammar_rejects() {
    // The command line does not parse (`((` never closed): the body is guessed at.
    let broken = "FROM debian:12\nRUN t <<F ((((i\napt-get install curl";
    assert_eq!(fixes(broken, "package-manager-prompts"), (1, 0));
    // The same command in a script that parses keeps its fix.
    let clean = "FROM debian:12\nRUN apt-get update && apt-get install curl\n";
    assert_eq!(fixes(clean, "package-manager-prompts"), (1, 1));
}

#[test]
fn no_fix_writes_a_stage_name_buildkit_rejects() {
    // Found by the fix fuzz target: `--from=0` became `--from=<the invalid name>`,
    // a second syntax error. The finding stays; the name is not written anywhere.
    let source = "FROM alpine:3.20 AS b}ad\nRUN true\nFROM alpine:3.20\nCOPY --from=0 /a /b\n";
    assert_eq!(fixes(source, "stage-index-reference"), (1, 0));
    let valid = "FROM alpine:3.20 AS build\nRUN true\nFROM alpine:3.20\nCOPY --from=0 /a /b\n";
    assert_eq!(fixes(valid, "stage-index-reference"), (1, 1));
}

#[test]
fn no_fix_turns_a_word_into_a_heredoc_marker() {
    // Found by the fix fuzz target: `/` appended to a last word `<<-` made `<<-/`, a
    // heredoc that never ends.
    let source = "FROM alpine:3.20\nCOPY a b <<-\n";
    assert_eq!(fixes(source, "copy-sources-to-file"), (0, 0));
    let plain = "FROM alpine:3.20\nCOPY a b /dest\n";
    assert_eq!(fixes(plain, "copy-sources-to-file"), (1, 1));
}

#[test]
fn no_fix_where_the_index_is_not_where_the_span_says() {
    // Found by the fix fuzz target: with a quote inside the mount options (`fr'om=0`)
    // the index's span fell on the last `0` of `alpine:1.20`, and the unsafe fix
    // rewrote that character on every run.
    let source = "FROM alpine:3.20\nRUN true\nFROM alpine:3.20\n\
                  RUN --mount=type=bind,fr'om=0,source=/out,targ=k add ount=type=bind,from=alpine:1.20\n";
    assert_eq!(fixes(source, "stage-index-reference").1, 0);
    let plain = "FROM alpine:3.20\nRUN true\nFROM alpine:3.20\nRUN --mount=type=bind,from=0,target=/x true\n";
    assert_eq!(fixes(plain, "stage-index-reference"), (1, 1));
}
