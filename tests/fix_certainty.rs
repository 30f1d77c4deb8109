//! A fix is offered only where it is certain: not inside a RUN script that the shell
//! grammar rejects, where the commands are a guess (found by the fix fuzz target: a
//! heredoc body read as commands took `-y` as arithmetic, so `--fix` added `-y` forever).

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
