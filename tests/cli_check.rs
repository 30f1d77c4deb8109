//! `dockstage check` as users run it: the built binary, real files, exit codes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const CLEAN: &str = "FROM alpine:3.20 AS build\nRUN echo build > /out\n\nFROM alpine:3.20\nCOPY --from=build /out /out\nUSER nobody\n";
const BAD: &str = "FROM alpine:3.20 AS build\nRUN echo build > /out\n\nFROM alpine:3.20\nCOPY --from=biuld /out /out\nUSER nobody\n";

fn dockstage(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockstage runs")
}

fn with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dockstage starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("dockstage runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

#[test]
fn exit_codes_follow_the_fail_level() {
    let dir = project(&[("Dockerfile", BAD), ("ok/Dockerfile", CLEAN)]);
    let clean = dockstage(dir.path(), &["check", "ok/Dockerfile"]);
    assert_eq!(clean.status.code(), Some(0), "{}", text(&clean.stdout));

    let bad = dockstage(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stdout).contains("unknown-stage"),
        "{}",
        text(&bad.stdout)
    );

    let none = dockstage(dir.path(), &["check", "--fail-level", "none", "Dockerfile"]);
    assert_eq!(none.status.code(), Some(0));
}

#[test]
fn directories_are_walked_for_dockerfile_names_and_gitignore_is_honoured() {
    let dir = project(&[
        ("services/api/Dockerfile", CLEAN),
        ("services/web/web.Dockerfile", BAD),
        ("Containerfile", CLEAN),
        ("notes.txt", BAD),
        ("vendor/Dockerfile", BAD),
        (".gitignore", "vendor/\n"),
    ]);
    // `ignore` honours .gitignore inside a git repository only.
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
    let out = dockstage(dir.path(), &["check", "--format", "compact", "."]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("services/web/web.Dockerfile:5:"),
        "{stdout}"
    );
    assert!(!stdout.contains("vendor/"), "{stdout}");
    assert!(!stdout.contains("notes.txt"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));

    let json = dockstage(dir.path(), &["check", "--format", "json", "."]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(value["summary"]["files"], 3, "{value}");
}

#[test]
fn json_diagnostics_have_one_based_positions_and_the_stage() {
    let dir = project(&[("Dockerfile", BAD)]);
    let out = dockstage(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    let found = value["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .find(|d| d["rule"] == "unknown-stage")
        .expect("an unknown-stage finding")
        .clone();
    assert_eq!(found["file"], "Dockerfile");
    assert_eq!(found["severity"], "error");
    assert_eq!(found["line"], 5);
    assert_eq!(found["column"], 13);
    assert_eq!(found["end_column"], 18);
}

#[test]
fn a_missing_path_or_a_file_over_the_size_limit_is_exit_2_but_the_other_files_are_still_reported() {
    // 33 MiB of comment lines: over the 32 MiB limit.
    let line = format!("# {}\n", "x".repeat(1021));
    let huge = format!("FROM alpine:3.20\n{}", line.repeat(33 * 1024));
    let dir = project(&[("Dockerfile", BAD), ("huge/Dockerfile", &huge)]);
    for other in ["nope/Dockerfile", "huge/Dockerfile"] {
        let out = dockstage(
            dir.path(),
            &["check", "--format", "compact", "Dockerfile", other],
        );
        assert_eq!(out.status.code(), Some(2));
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(all.contains("unknown-stage"), "{all}");
        assert!(all.contains(other), "{all}");
    }
    let out = dockstage(dir.path(), &["check", "huge/Dockerfile"]);
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(all.contains("larger than 32 MiB"), "{all}");
}

#[test]
fn an_unknown_rule_is_a_usage_error_with_a_suggestion() {
    let dir = project(&[("Dockerfile", CLEAN)]);
    let out = dockstage(
        dir.path(),
        &["check", "--select", "unknwon-stage", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `unknown-stage`"),
        "{}",
        text(&out.stderr)
    );

    let bad_flag = dockstage(dir.path(), &["check", "--fail-level", "loud"]);
    assert_eq!(bad_flag.status.code(), Some(2));
}

#[test]
fn select_and_ignore_take_names_or_codes() {
    let dir = project(&[("Dockerfile", BAD)]);
    let ignored = dockstage(
        dir.path(),
        &["check", "--ignore", "DS001,unused-stage", "Dockerfile"],
    );
    assert_eq!(ignored.status.code(), Some(0), "{}", text(&ignored.stdout));
    let selected = dockstage(
        dir.path(),
        &["check", "--select", "stage-name-casing", "Dockerfile"],
    );
    assert_eq!(
        selected.status.code(),
        Some(0),
        "{}",
        text(&selected.stdout)
    );
    let by_code = dockstage(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--select",
            "DS001",
            "Dockerfile",
        ],
    );
    assert_eq!(
        text(&by_code.stdout).lines().count(),
        1,
        "{}",
        text(&by_code.stdout)
    );
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let dir = project(&[]);
    let out = with_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "compact",
            "--stdin-filename",
            "app/Dockerfile",
            "-",
        ],
        BAD,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("app/Dockerfile:5:13: error [unknown-stage]")),
        "{stdout}"
    );
}

#[test]
fn files_change_only_with_fix() {
    let source =
        "FROM alpine:3.20 AS Build\nRUN echo hi > /x\nFROM scratch\nCOPY --from=Build /x /x\nUSER 1000\n";
    let dir = project(&[("Dockerfile", source)]);
    let path = dir.path().join("Dockerfile");
    let out = dockstage(
        dir.path(),
        &["check", "--fail-level", "style", "Dockerfile"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&path).expect("read"), source);

    let fixed = dockstage(
        dir.path(),
        &["check", "--fail-level", "style", "--fix", "Dockerfile"],
    );
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed.stdout));
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "FROM alpine:3.20 AS build\nRUN echo hi > /x\nFROM scratch\nCOPY --from=build /x /x\nUSER 1000\n"
    );
}

#[test]
fn fixing_stdin_prints_the_fixed_text() {
    let dir = project(&[]);
    let out = with_stdin(
        dir.path(),
        &["check", "--fix", "-"],
        "FROM alpine:3.20 AS Build\nFROM scratch\nCOPY --from=Build /x /x\n",
    );
    assert_eq!(
        text(&out.stdout),
        "FROM alpine:3.20 AS build\nFROM scratch\nCOPY --from=build /x /x\n"
    );
}

#[test]
fn a_binary_file_named_dockerfile_is_a_diagnostic_not_a_crash() {
    let dir = project(&[]);
    std::fs::write(
        dir.path().join("Dockerfile"),
        b"FROM alpine\n\x00\xff\xfe RUN x\n",
    )
    .expect("write");
    let out = dockstage(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert!(
        value["diagnostics"]
            .as_array()
            .expect("array")
            .iter()
            .any(|d| d["rule"] == "syntax-error"),
        "{value}"
    );
}

#[test]
fn a_removed_context_file_is_sized_from_disk_in_the_message() {
    let dir = project(&[
        (
            "Dockerfile",
            "FROM alpine:3.20\nCOPY dataset/ /tmp/dataset/\nRUN process /tmp/dataset && rm -rf /tmp/dataset\nUSER nobody\n",
        ),
        (".dockerignore", "**/*.log\n"),
        ("dataset/part-1.csv", &"x".repeat(40_000)),
        ("dataset/more/part-2.csv", &"y".repeat(20_000)),
        ("dataset/debug.log", &"z".repeat(900_000)),
    ]);
    let out = dockstage(
        dir.path(),
        &[
            "check",
            "Dockerfile",
            "--select",
            "removed-in-later-layer",
            "--format",
            "compact",
        ],
    );
    let stdout = text(&out.stdout);
    // 60 kB of CSV; the ignored log file is not sent to the builder.
    assert!(
        stdout.contains("(about 60 kB, measured in the build context)"),
        "{stdout}"
    );
}
