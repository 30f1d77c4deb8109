//! BuildKit parity: the shapes of BuildKit's own lint test cases
//! (`tests/buildkit_lint/cases.toml`) give the same check names on the same lines as
//! `docker build --check`, or the case says why dockstage differs on purpose.

mod common;

use dockstage::lint::{analyze, LintOptions};
use dockstage::rules::RULE_METAS;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    dockerfile: String,
    dockerignore: Option<String>,
    /// What BuildKit reports, `CheckName:line`.
    expect: Vec<String>,
    /// What dockstage reports where it differs on purpose, with the reason.
    ours: Option<Vec<String>>,
    why: Option<String>,
}

/// `CheckName:line` of every finding of a rule that mirrors a BuildKit check, sorted.
fn buildkit_findings(case: &Case) -> Vec<String> {
    let options = LintOptions::default();
    let analysis = match &case.dockerignore {
        Some(ignore) => common::lint_in_context(&case.dockerfile, ignore, &options),
        None => analyze(case.dockerfile.as_bytes(), &options),
    };
    let mut found: Vec<String> = analysis
        .diagnostics
        .iter()
        .filter_map(|d| {
            let meta = RULE_METAS.iter().find(|m| m.name == d.rule)?;
            let check = meta.buildkit_name()?;
            Some(format!("{check}:{}", analysis.file.line_of(d.span.start)))
        })
        .collect();
    found.sort();
    found
}

fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/buildkit_lint/cases.toml"
    );
    let text = std::fs::read_to_string(path).expect("the cases file");
    toml::from_str::<Cases>(&text).expect("valid cases").case
}

#[test]
fn buildkit_lint_cases_give_the_same_checks_on_the_same_lines() {
    let cases = cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let mut expected = match (&case.ours, &case.why) {
            (Some(ours), Some(why)) if !why.trim().is_empty() => {
                assert_ne!(
                    &case.expect, ours,
                    "{}: `ours` equals BuildKit's, drop it",
                    case.name
                );
                ours.clone()
            }
            (None, None) => case.expect.clone(),
            _ => panic!("{}: `ours` and `why` go together", case.name),
        };
        expected.sort();
        let found = buildkit_findings(case);
        if found != expected {
            failures.push(format!(
                "{}: expected {expected:?}, dockstage gives {found:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_buildkit_check_has_a_case() {
    let cases = cases();
    for check in RULE_METAS.iter().filter_map(|m| m.buildkit_name()) {
        // UndefinedVar is the alias of arg-not-in-scope.
        assert!(
            cases
                .iter()
                .any(|c| c.expect.iter().any(|e| e.starts_with(&format!("{check}:")))),
            "no case expects {check}"
        );
    }
}
