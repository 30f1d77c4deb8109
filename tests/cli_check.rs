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

// ---- The first ten minutes (issue 18): what a new user meets. ----

/// Bytes a terminal obeys: C0 controls but tab and line feed, DEL, and C1 controls
/// (CSI is U+009B, UTF-8 `C2 9B`).
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    let mut found: Vec<String> = bytes
        .iter()
        .filter(|&&b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f)
        .map(|b| format!("{b:#04x}"))
        .collect();
    let text = String::from_utf8_lossy(bytes);
    found.extend(
        text.chars()
            .filter(|c| ('\u{80}'..='\u{9f}').contains(c) || ('\u{202a}'..='\u{202e}').contains(c))
            .map(|c| format!("U+{:04X}", c as u32)),
    );
    found
}

fn assert_no_terminal_controls(out: &Output, what: &str) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let found = terminal_controls(bytes);
        assert!(
            found.is_empty(),
            "{what}: {stream} carries {found:?}:\n{}",
            text(bytes)
        );
    }
}

/// ESC, BEL, CSI (7-bit and C1), OSC, DEL and a bidi override in stage names, a
/// label, a comment, the file name and the configuration.
const HOSTILE: &str = "# \u{1b}]0;owned\u{7}title\nFROM alpine:3.20 AS b\u{1b}[2Juild\nRUN echo \u{1b}[31mred\u{7} \u{7f}\nCOPY --from=\u{1b}[1mbiuld\u{9b}2J /out /out\nLABEL x=\"\u{202e}txt\"\nUSER nobody\n";

#[test]
fn text_from_the_input_never_reaches_the_terminal_raw() {
    let dir = project(&[
        ("Dockerfile", HOSTILE),
        ("sub/Dockerfile.\u{1b}[31mred", HOSTILE),
        (
            "conf/.dockstage.toml",
            "select = [\"unknown-stage\u{1b}[5m\"]\n",
        ),
        ("conf/Dockerfile", HOSTILE),
        ("ok/Dockerfile", HOSTILE),
        ("ok/.dockstage.toml", "fail-level = \"warning\"\n"),
    ]);
    for format in ["human", "compact", "github", "checkstyle"] {
        let out = dockstage(
            dir.path(),
            &["check", "--format", format, "ok", "Dockerfile", "conf"],
        );
        assert!(
            !text(&out.stdout).is_empty(),
            "{format}: {}",
            text(&out.stderr)
        );
        assert_no_terminal_controls(&out, &format!("check --format {format}"));
        let walked = dockstage(dir.path(), &["check", "--format", format, "sub"]);
        if format != "checkstyle" {
            // (XML has no ESC at all: checkstyle writes U+FFFD.)
            let shown = text(&walked.stdout);
            assert!(shown.contains("Dockerfile.␛[31mred"), "{format}: {shown}");
        }
        assert_no_terminal_controls(&walked, &format!("check --format {format} sub"));
    }
    let human = dockstage(dir.path(), &["check", "ok"]);
    let stdout = text(&human.stdout);
    assert!(stdout.contains("--from=␛[1mbiuld<U+009B>2J"), "{stdout}");
    for args in [
        &["size", "ok/Dockerfile"][..],
        &["size", "--format", "json", "ok/Dockerfile"],
        &["parse", "ok/Dockerfile"],
        &["parse", "--target", "\u{1b}[31m", "ok/Dockerfile"],
    ] {
        assert_no_terminal_controls(&dockstage(dir.path(), args), &args.join(" "));
    }
    // In colour the escape sequences are ours only.
    let coloured = text(&dockstage(dir.path(), &["check", "--color", "always", "ok"]).stdout);
    for raw in ["\u{1b}[1mbiuld", "\u{1b}]0;", "\u{7}", "\u{9b}", "\u{202e}"] {
        assert!(!coloured.contains(raw), "{raw:?} in {coloured}");
    }
    // JSON stays exact: the value is the text of the file.
    let json = dockstage(dir.path(), &["check", "--format", "json", "ok/Dockerfile"]);
    assert!(
        text(&json.stdout).contains("\\u001b[1mbiuld"),
        "{}",
        text(&json.stdout)
    );
}

#[test]
fn a_binary_file_is_one_finding_that_says_so() {
    let dir = project(&[]);
    let mut bytes = Vec::new();
    for line in 0..40u8 {
        bytes.extend_from_slice(&[
            0x7f, b'E', b'L', b'F', 0, line, 0x1b, b'[', b'2', b'J', 7, b'\n',
        ]);
    }
    std::fs::write(dir.path().join("Dockerfile"), &bytes).expect("write");
    // Mostly not text, without a NUL byte.
    std::fs::write(
        dir.path().join("noise.Dockerfile"),
        [0x1b, 0x07, 0x9b, 0xff, 0x01, b'\n'].repeat(50),
    )
    .expect("write");
    for file in ["Dockerfile", "noise.Dockerfile"] {
        let out = dockstage(dir.path(), &["check", "--format", "compact", file]);
        assert_eq!(out.status.code(), Some(1));
        let stdout = text(&out.stdout);
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        assert!(stdout.contains("the file is binary"), "{stdout}");
        assert_no_terminal_controls(&out, file);
        let human = dockstage(dir.path(), &["check", file]);
        assert_no_terminal_controls(&human, file);
        let size = dockstage(dir.path(), &["size", file]);
        assert_eq!(size.status.code(), Some(2), "{}", text(&size.stdout));
        assert!(
            text(&size.stderr).contains("binary"),
            "{}",
            text(&size.stderr)
        );
    }
}

#[test]
fn a_target_that_names_no_stage_is_an_error_with_a_suggestion_in_every_command() {
    let dir = project(&[("Dockerfile", CLEAN)]);
    for command in ["check", "parse", "size"] {
        let out = dockstage(dir.path(), &[command, "--target", "biuld", "Dockerfile"]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command}: {}",
            text(&out.stdout)
        );
        let all = text(&out.stdout) + &text(&out.stderr);
        assert!(
            all.contains("--target \"biuld\" names no stage"),
            "{command}: {all}"
        );
        assert!(all.contains("did you mean `build`?"), "{command}: {all}");
    }
    let fixable =
        "FROM alpine:3.20 AS Build\nRUN echo hi > /x\nFROM scratch\nCOPY --from=Build /x /x\n";
    std::fs::write(dir.path().join("fixable.Dockerfile"), fixable).expect("write");
    let fix = dockstage(
        dir.path(),
        &["check", "--fix", "--target", "nope", "fixable.Dockerfile"],
    );
    assert_eq!(fix.status.code(), Some(2));
    let unchanged = std::fs::read_to_string(dir.path().join("fixable.Dockerfile")).expect("read");
    assert_eq!(
        unchanged, fixable,
        "nothing is fixed for a stage not asked for"
    );
    let out = dockstage(dir.path(), &["check", "--target", "nope", "Dockerfile"]);
    assert!(
        text(&out.stdout).contains("its stages are `build`"),
        "{}",
        text(&out.stdout)
    );
    let ok = dockstage(dir.path(), &["check", "--target", "build", "Dockerfile"]);
    assert!(
        !text(&ok.stdout).contains("names no stage"),
        "{}",
        text(&ok.stdout)
    );
    assert_ne!(ok.status.code(), Some(2), "{}", text(&ok.stdout));
}

#[test]
fn readme_sets_up_with_the_lock_file_and_the_installed_binary() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let first_block = readme.split("```sh\n").nth(1).expect("a sh block");
    let commands: Vec<&str> = first_block
        .split("```")
        .next()
        .unwrap_or_default()
        .lines()
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    assert!(commands[0].starts_with("cargo install --locked --path . && dockstage check examples/"));
    assert!(commands[1].starts_with("bash scripts/test.sh"));
    assert!(!first_block.contains("cargo run"), "{first_block}");
}

/// A file with several findings, as a person reads it: snapshot, and each thing said
/// once.
#[test]
fn human_output_says_each_thing_once() {
    let source = "FROM golang:1.22 AS builder\nRUN apt-get update && apt-get install -y gcc\nRUN go build -o /app .\n\nFROM node:22.11.0-bookworm AS web\nCOPY --from=biulder /app /app\nRUN apt-get update && apt-get install -y curl\nCMD [\"/app\"]\n";
    let dir = project(&[("Dockerfile", source)]);
    let out = dockstage(dir.path(), &["check", "Dockerfile"]);
    let stdout = text(&out.stdout);
    insta::with_settings!({
        snapshot_path => "../fixtures/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("cli__human_several_findings", stdout);
    });
    let json = dockstage(dir.path(), &["check", "--format", "json", "Dockerfile"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let diagnostics = value["diagnostics"].as_array().expect("array");
    assert!(diagnostics.len() >= 3, "{value}");
    for d in diagnostics {
        let message = d["message"].as_str().expect("message");
        // The header says it; the label under the span does not repeat it.
        let head: String = message.chars().take(40).collect();
        assert_eq!(stdout.matches(&head).count(), 1, "{message}:\n{stdout}");
    }
    assert!(!stdout.contains(" bytes)"), "{stdout}");
    assert!(
        !stdout.contains("unused-stage"),
        "a typo is one finding:\n{stdout}"
    );
    assert!(stdout.contains("unknown-stage"), "{stdout}");
}

#[test]
fn fix_says_what_it_changed_and_what_remains() {
    let source =
        "FROM alpine:3.20 AS Build\nRUN echo hi > /x\nFROM node:22.11.0-bookworm\nCOPY --from=Build /x /x\nUSER 1000\n";
    let dir = project(&[("Dockerfile", source)]);
    let out = dockstage(
        dir.path(),
        &["check", "--fix", "--format", "json", "Dockerfile"],
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("Dockerfile:1: fixed [stage-name-casing]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Dockerfile: 1 fix applied, 1 finding remains"),
        "{stderr}"
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("stdout stays JSON");
    let again = dockstage(dir.path(), &["check", "--fix", "Dockerfile"]);
    assert!(
        !text(&again.stderr).contains("fixed"),
        "{}",
        text(&again.stderr)
    );
}

#[test]
fn a_typo_in_a_stage_name_is_one_finding() {
    let dir = project(&[("Dockerfile", BAD)]);
    let out = dockstage(dir.path(), &["check", "--format", "compact", "Dockerfile"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("[unknown-stage]"), "{stdout}");
    assert!(!stdout.contains("[unused-stage]"), "{stdout}");
}

#[test]
fn invalid_utf8_in_a_comment_is_read_as_buildkit_does() {
    let dir = project(&[]);
    std::fs::write(
        dir.path().join("Dockerfile"),
        b"# caf\xe9 latin-1 comment\nFROM alpine:3.20\nUSER nobody\n",
    )
    .expect("write");
    let out = dockstage(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stdout).contains("not valid UTF-8"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn parse_into_a_closed_pipe_exits_quietly() {
    let mut source = String::from("FROM alpine:3.20 AS base\n");
    for i in 0..3000 {
        source.push_str(&format!("RUN echo {i}\n"));
    }
    let dir = project(&[("Dockerfile", &source)]);
    for args in [&["parse", "Dockerfile"][..], &["rule"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dockstage"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dockstage starts");
        // `| head -c 1`: read a little, then close the pipe.
        let mut first = [0u8; 1];
        std::io::Read::read_exact(child.stdout.as_mut().expect("stdout"), &mut first)
            .expect("read");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("dockstage runs");
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {stderr}");
    }
}

#[test]
fn size_of_an_empty_file_is_an_error() {
    let dir = project(&[("Dockerfile", ""), ("comments.Dockerfile", "# nothing\n")]);
    for file in ["Dockerfile", "comments.Dockerfile"] {
        let out = dockstage(dir.path(), &["size", file]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
        assert!(!text(&out.stdout).contains("0 B"), "{}", text(&out.stdout));
        assert!(
            text(&out.stderr).contains("no FROM"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_misspelt_rule_name_gets_a_suggestion() {
    let out = dockstage(Path::new("."), &["rule", "unknwon-stage"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `unknown-stage`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_walk_finds_dash_names_and_skips_templates() {
    let dir = project(&[
        ("Dockerfile-alpine", BAD),
        ("Dockerfile-dev", BAD),
        ("Containerfile.arm64", BAD),
        ("Dockerfile.j2", "FROM {{ base }}\n{% for x in y %}\n"),
        ("Dockerfile.tmpl", "FROM {{ .Base }}\n"),
        ("api.Dockerfile.jinja", "FROM {{ base }}\n"),
    ]);
    let out = dockstage(dir.path(), &["check", "--format", "compact", "."]);
    let stdout = text(&out.stdout);
    for found in [
        "Dockerfile-alpine:",
        "Dockerfile-dev:",
        "Containerfile.arm64:",
    ] {
        assert!(stdout.contains(found), "{found}: {stdout}");
    }
    assert!(
        !stdout.contains(".j2") && !stdout.contains(".tmpl") && !stdout.contains(".jinja"),
        "{stdout}"
    );
}

#[test]
fn every_configuration_error_once_and_no_clean_summary_when_nothing_was_linted() {
    let dir = project(&[
        ("Dockerfile", CLEAN),
        (
            ".dockstage.toml",
            "ignroe = [\"x\"]\nfail-level = \"sometimes\"\n[severty]\nx = 1\n[severity]\nunused-stage = \"fatal\"\n",
        ),
    ]);
    let out = dockstage(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    let all = format!("{stdout}{stderr}");
    // An unknown key hides nothing: all four mistakes in one run, each said once.
    for said in [
        "unknown key `ignroe`",
        "unknown key `severty`",
        "`sometimes`",
        "is not a severity",
    ] {
        assert_eq!(all.matches(said).count(), 1, "{said}: {all}");
    }
    assert!(!stdout.contains("No problems found"), "{stdout}");
    assert!(stdout.contains("No file linted"), "{stdout}");
}
