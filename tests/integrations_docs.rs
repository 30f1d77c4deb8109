//! The CI snippets of docs/integrations.md (GitLab, Checkstyle, compact) run as
//! written, with the built `dockstage` first on PATH, in a project with findings.
//! (The GitHub workflow and the pre-commit configuration are run by tests/action.rs
//! and tests/pre_commit.rs.)

#[path = "common/snippets.rs"]
mod snippets;

use snippets::{snippet, write_files, BAD, CLEAN};
use std::path::Path;
use std::process::{Command, Output};

/// Runs a documented shell command with bash in `dir`, as a CI shell would (no pipefail).
fn sh(dir: &Path, script: &str) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_dockstage")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    Command::new("bash")
        .args(["-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .expect("bash runs")
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("Dockerfile", BAD),
            ("svc/api.Dockerfile", BAD),
            ("ok/Dockerfile", CLEAN),
        ],
    );
    dir
}

fn explain(output: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn gitlab_code_quality_job() {
    let job = snippet("gitlab-ci");
    assert!(job.contains("codequality: gl-code-quality-report.json"));
    let commands: Vec<&str> = job
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- dockstage "))
        .collect();
    assert_eq!(commands.len(), 1, "{job}");
    let dir = project();
    let output = sh(dir.path(), &format!("dockstage {}", commands[0]));
    assert!(output.status.success(), "{}", explain(&output));
    let report = std::fs::read_to_string(dir.path().join("gl-code-quality-report.json")).unwrap();
    let issues: serde_json::Value = serde_json::from_str(&report).unwrap();
    let issues = issues.as_array().expect("an array");
    assert_eq!(issues.len(), 2, "{report}");
    for issue in issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[field].is_string(), "{field} in {issue}");
        }
        assert!(issue["location"]["path"].is_string());
        assert!(issue["location"]["lines"]["begin"].is_u64());
    }
}

#[test]
fn checkstyle_for_jenkins_and_reviewdog() {
    let dir = project();
    let command = snippet("checkstyle");
    let output = sh(dir.path(), command.trim());
    assert!(output.status.success(), "{}", explain(&output));
    let xml = std::fs::read_to_string(dir.path().join("dockstage.xml")).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<checkstyle"), "{xml}");
    assert!(xml.contains("<file name=\"svc/api.Dockerfile\">"), "{xml}");
    assert_eq!(xml.matches("<error ").count(), 2, "{xml}");

    // The reviewdog line feeds reviewdog the same command's output.
    let reviewdog = snippet("reviewdog");
    let (producer, consumer) = reviewdog.trim().split_once(" | ").expect("a pipe");
    assert_eq!(
        format!("{producer} > dockstage.xml"),
        command.trim(),
        "the reviewdog snippet runs the checkstyle command"
    );
    assert!(
        consumer.starts_with("reviewdog -f=checkstyle "),
        "{consumer}"
    );
}

#[test]
fn compact_for_grep_and_editors() {
    let dir = project();
    let output = sh(dir.path(), snippet("compact").trim());
    assert!(output.status.success(), "{}", explain(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    // The VS Code problem-matcher regexp in the docs parses every line.
    let docs = std::fs::read_to_string(snippets::repo().join("docs/integrations.md")).unwrap();
    let pattern = r"^(.*):(\d+):(\d+): (error|warning|info|style) \[(.*)\] (.*)$";
    assert!(
        docs.contains(&format!("`{pattern}`")),
        "the regexp is documented"
    );
    let matcher = regex::Regex::new(pattern).unwrap();
    for line in lines {
        let captures = matcher.captures(line).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(&captures[5], "unknown-stage");
        assert!(dir.path().join(&captures[1]).is_file(), "{line}");
    }
}
