//! One rule name space: names, codes, aliases (BuildKit's check names) and code
//! prefixes are accepted by `--select`, `--ignore`, the configuration, inline ignores
//! and BuildKit's `# check=` options; machine output carries the aliases.

mod common;

use dockstage::filter::Selection;
use dockstage::lint::{analyze, LintOptions};
use dockstage::rules::RULE_METAS;
use std::process::Command;

/// The first `dockerfile bad` block of a rule page.
fn first_bad_example(page: &str) -> Option<String> {
    let start = page.find("```dockerfile bad\n")? + "```dockerfile bad\n".len();
    let end = page[start..].find("\n```")? + start;
    Some(page[start..=end].to_string())
}

fn findings_of(rule: &str, source: &str, select: &[&str]) -> usize {
    let options = LintOptions {
        selection: Selection {
            select: select.iter().map(|s| s.to_string()).collect(),
            ..Selection::default()
        },
        ..LintOptions::default()
    };
    let page = RULE_METAS.iter().find(|m| m.name == rule).map(|m| m.page);
    let analysis = match page.and_then(common::page_dockerignore) {
        Some(ignore) => common::lint_in_context(source, ignore, &options),
        None => analyze(source.as_bytes(), &options),
    };
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .count()
}

/// Every rule that mirrors a BuildKit check, with its page's first failing example.
fn buildkit_rules() -> Vec<(&'static str, &'static str, String)> {
    RULE_METAS
        .iter()
        .filter_map(|m| {
            let check = m.buildkit_name()?;
            let bad = first_bad_example(m.page).expect("every page has a bad example");
            Some((m.name, check, bad))
        })
        .collect()
}

#[test]
fn each_buildkit_check_is_selected_by_its_name_and_skipped_by_check_skip() {
    let rules = buildkit_rules();
    assert!(rules.len() >= 3, "{rules:?}");
    for (rule, check, bad) in &rules {
        assert!(
            findings_of(rule, bad, &[check]) > 0,
            "--select {check} finds no {rule}"
        );
        // An experimental check runs only when asked for; the page's example asks in
        // its own `# check=` line, which is no directive below another one.
        let experimental = dockstage::rules::find(rule).is_some_and(|m| m.experimental);
        let ask = if experimental {
            ";experimental=all"
        } else {
            ""
        };
        let skipped = format!("# check=skip={check}{ask}\n{bad}");
        assert_eq!(
            findings_of(rule, &skipped, &[]),
            0,
            "skip={check} keeps {rule}"
        );
        // As in BuildKit, `skip=all` leaves an experimental check that was asked for on.
        let skip_all = findings_of(rule, &format!("# check=skip=all{ask}\n{bad}"), &[]);
        assert_eq!(skip_all > 0, experimental, "# check=skip=all and {rule}");
        // BuildKit reads the names case-sensitively; so does dockstage.
        let lower = format!("# check=skip={}{ask}\n{bad}", check.to_lowercase());
        assert!(findings_of(rule, &lower, &[]) > 0, "{rule}: lowercase skip");
        let inline = format!("# dockstage ignore-file={check}\n{bad}");
        assert_eq!(
            findings_of(rule, &inline, &[]),
            0,
            "ignore-file={check} keeps {rule}"
        );
    }
}

#[test]
fn experimental_rules_run_only_when_asked_for_by_name() {
    let source = "# just a remark\nARG tag=latest\n";
    let rule = "invalid-definition-description";
    assert_eq!(findings_of(rule, source, &[]), 0, "off by default");
    assert_eq!(findings_of(rule, source, &["all"]), 0, "`all` does not ask");
    assert_eq!(
        findings_of(rule, source, &["DS9"]),
        0,
        "a prefix does not ask"
    );
    for name in ["InvalidDefinitionDescription", rule, "DS924"] {
        assert_eq!(findings_of(rule, source, &[name]), 1, "--select {name}");
    }
    for check in [
        "experimental=InvalidDefinitionDescription",
        "experimental=all",
    ] {
        let asked = format!("# check={check}\n{source}");
        assert_eq!(findings_of(rule, &asked, &[]), 1, "# check={check}");
        // Another --select leaves it out.
        assert_eq!(findings_of(rule, &asked, &["unused-stage"]), 0, "{check}");
    }
    // A comment above one instruction asks for that instruction only.
    let one = "FROM scratch AS app\n# a remark\nARG a=1\n\n# check=experimental=InvalidDefinitionDescription\nARG b=1\n";
    let analysis = analyze(one.as_bytes(), &LintOptions::default());
    let lines: Vec<usize> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| analysis.file.line_of(d.span.start))
        .collect();
    assert_eq!(lines, [6]);
}

#[test]
fn check_error_true_makes_buildkit_checks_errors() {
    let source = "# check=error=true\nFROM alpine:3.20 AS Build\nRUN true\n";
    let analysis = analyze(source.as_bytes(), &LintOptions::default());
    let casing = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == "stage-name-casing")
        .expect("stage-name-casing finding");
    assert_eq!(casing.severity, dockstage::diagnostic::Severity::Error);
}

#[test]
fn check_comment_above_an_instruction_skips_it_there_only() {
    let source = "FROM alpine:3.20 AS first\n\n# check=skip=StageNameCasing\nFROM alpine:3.20 AS Second\n\nFROM alpine:3.20 AS Third\n";
    let analysis = analyze(source.as_bytes(), &LintOptions::default());
    let lines: Vec<usize> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == "stage-name-casing")
        .map(|d| analysis.file.line_of(d.span.start))
        .collect();
    assert_eq!(lines, [6]);
}

fn dockstage(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockstage runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_cli_takes_aliases_prefixes_and_suggests_aliases() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20 AS Build\nUSER nobody\n",
    )
    .unwrap();
    let (code, out, _) = dockstage(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "StageNameCasing",
            "Dockerfile",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{out}");
    assert_eq!(diagnostics[0]["rule"], "stage-name-casing");
    assert_eq!(diagnostics[0]["aliases"][0], "StageNameCasing");
    assert_eq!(code, Some(0), "style findings do not fail the run");

    let (_, out, _) = dockstage(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--select",
            "DS0",
            "Dockerfile",
        ],
    );
    assert!(out.contains("stage-name-casing"), "{out}");
    let (_, out, _) = dockstage(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--ignore",
            "DS0",
            "Dockerfile",
        ],
    );
    assert!(!out.contains("stage-name-casing"), "{out}");

    let (code, _, err) = dockstage(
        dir.path(),
        &["check", "--select", "StageNameCsing", "Dockerfile"],
    );
    assert_eq!(code, Some(2));
    assert!(err.contains("did you mean `StageNameCasing`"), "{err}");

    let (code, page, _) = dockstage(dir.path(), &["rule", "StageNameCasing"]);
    assert_eq!(code, Some(0));
    assert!(page.starts_with("# stage-name-casing"), "{page}");

    let (_, sarif, _) = dockstage(dir.path(), &["check", "--format", "sarif", "Dockerfile"]);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let casing = rules
        .iter()
        .find(|r| r["name"] == "stage-name-casing")
        .unwrap();
    assert_eq!(casing["id"], "DS007");
    assert_eq!(casing["properties"]["aliases"][0], "StageNameCasing");
}

#[test]
fn the_configuration_takes_aliases() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.20 AS Build\nUSER nobody\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".dockstage.toml"),
        "ignore = [\"StageNameCasing\"]\n",
    )
    .unwrap();
    let (code, out, err) = dockstage(dir.path(), &["check", "--format", "compact", "Dockerfile"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("stage-name-casing"), "{out}");
    std::fs::write(
        dir.path().join(".dockstage.toml"),
        "ignore = [\"StageNameCsing\"]\n",
    )
    .unwrap();
    let (code, _, err) = dockstage(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("StageNameCasing"), "{err}");
}

#[test]
fn a_check_directive_buildkit_rejects_is_an_error_and_a_comment_a_warning() {
    use dockstage::diagnostic::Severity;
    let source = "# check=skip=StageNameCasing;errors=true\nFROM alpine:3.20 AS Build\n# check=skip\nRUN true\n";
    let analysis = analyze(source.as_bytes(), &LintOptions::default());
    let rejected: Vec<(usize, Severity)> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == "syntax-error")
        .map(|d| (analysis.file.line_of(d.span.start), d.severity))
        .collect();
    assert_eq!(rejected, [(1, Severity::Error), (3, Severity::Warning)]);
    // BuildKit fails on the directive, so it skips nothing either.
    assert!(analysis
        .diagnostics
        .iter()
        .any(|d| d.rule == "stage-name-casing"));
}

#[test]
fn ignore_stage_silences_the_stage_of_the_next_instruction_from_included() {
    let source = "\
FROM debian:12 AS fetch
RUN cd /tmp && wget https://example.com/a.tgz
# dockstage ignore-stage=DL3047,untagged-base-image fetching is noisy on purpose here
FROM ubuntu AS tools
RUN wget https://example.com/b.tgz
RUN cd /opt && wget https://example.com/c.tgz
FROM ubuntu
RUN wget https://example.com/d.tgz
";
    let analysis = common::lint(source);
    let lines = |rule: &str| -> Vec<usize> {
        analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| analysis.file.line_of(d.span.start))
            .collect()
    };
    // The `tools` stage (lines 4-6), its FROM included, is silenced; the stages
    // before and after it are not.
    assert_eq!(lines("wget-progress-bar"), [2, 8]);
    assert_eq!(lines("untagged-base-image"), [7]);
    // A rule the comment does not name still reports in that stage.
    assert_eq!(lines("cd-in-run"), [2, 6]);
    assert!(lines("unused-suppression").is_empty());
}
