//! Every output format on one hand-built report, as reviewed snapshots in
//! `fixtures/snapshots/`, plus the checks that go beyond a snapshot: the JSON schema,
//! the real SARIF validator, GitHub's ingestion limits, and clamping of bad spans.

use dockstage::diagnostic::{
    Applicability, Diagnostic, Edit, Fix, Severity, Span, StageRef, StageRole, SYNTAX_ERROR,
};
use dockstage::emit::{
    checkstyle, compact, github, gitlab, human, json, sarif, FileReport, Report, ToolError,
};
use dockstage::rules::{Category, RuleMeta};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const SOURCE: &str = include_str!("../fixtures/emit/multi-stage.Dockerfile");

const BUILD_TOOL_PAGE: &str = r#"+++
code = "DS012"
name = "build-tool-in-final"
category = "final-image"
severity = "error"
+++

# build-tool-in-final

A compiler or build tool reaches the final image.

## Why it matters

Compilers make the image larger and give an attacker more tools.
A stage that inherits from a builder inherits everything installed there.

## Examples

```dockerfile bad
FROM golang AS builder
FROM builder
```
"#;

const UNKNOWN_STAGE_PAGE: &str = r#"+++
code = "DS003"
name = "unknown-stage"
+++

# unknown-stage

`COPY --from` names a stage that does not exist.
"#;

const RULES: &[RuleMeta] = &[
    RuleMeta {
        name: "unknown-stage",
        code: "DS003",
        aliases: &[],
        category: Category::StageGraph,
        severity: Severity::Error,
        fixable: true,
        experimental: false,
        opt_in: false,
        summary: "`COPY --from` names a stage that does not exist",
        page: UNKNOWN_STAGE_PAGE,
    },
    RuleMeta {
        name: "build-tool-in-final",
        code: "DS012",
        aliases: &[],
        category: Category::FinalImage,
        severity: Severity::Error,
        fixable: true,
        experimental: false,
        opt_in: false,
        summary: "A compiler or build tool reaches the final image",
        page: BUILD_TOOL_PAGE,
    },
    RuleMeta {
        name: "curl-pipe-shell",
        code: "DS020",
        aliases: &[],
        category: Category::Security,
        severity: Severity::Warning,
        fixable: false,
        experimental: false,
        opt_in: false,
        summary: "A script is downloaded and run without being checked",
        page: "",
    },
    RuleMeta {
        name: "apt-lists-not-removed",
        code: "DS031",
        aliases: &[],
        category: Category::Size,
        severity: Severity::Info,
        fixable: false,
        experimental: false,
        opt_in: false,
        summary: "apt lists are left in the layer",
        page: "",
    },
];

/// The byte span of the `nth` (0-based) occurrence of `needle` in `SOURCE`.
fn find(needle: &str, nth: usize) -> Span {
    let start = SOURCE
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} #{nth} is not in the fixture"))
        .0;
    Span::new(start, start + needle.len())
}

fn stage(index: usize, name: &str, role: StageRole) -> StageRef {
    StageRef {
        index,
        name: Some(name.to_owned()),
        role,
    }
}

fn files() -> Vec<FileReport> {
    let final_stage = stage(1, "final", StageRole::Final);
    let builder_from = find("FROM builder", 0);
    let builder = Span::new(builder_from.start + 5, builder_from.end);
    let diagnostics = vec![
        // Given out of order on purpose: emitters sort by position.
        Diagnostic::new(
            "unknown-stage",
            "DS003",
            Severity::Error,
            find("buidler", 0),
            "No stage is named `buidler`",
        )
        .with_help("Did you mean `builder`?")
        .with_fix(Fix {
            message: "Use `builder`".to_owned(),
            edits: vec![Edit {
                span: find("buidler", 0),
                replacement: "builder".to_owned(),
            }],
            applicability: Applicability::Safe,
        })
        .with_stage(final_stage.clone()),
        Diagnostic::new(
            "build-tool-in-final",
            "DS012",
            Severity::Error,
            builder,
            "The final image inherits `gcc` from stage `builder`",
        )
        .with_label(find("gcc", 0), "`gcc` is installed here")
        .with_label(
            find("AS builder", 0),
            "in this stage, which the final image inherits",
        )
        .with_help("Start the final stage from a runtime image and copy only the built files")
        .with_fix(Fix {
            message: "Start from a runtime image and copy the binary".to_owned(),
            edits: vec![
                Edit {
                    span: builder,
                    replacement: "gcr.io/distroless/static".to_owned(),
                },
                Edit {
                    span: Span::empty(find("LABEL", 0).start),
                    replacement: "COPY --from=builder /out/app /app\n".to_owned(),
                },
            ],
            applicability: Applicability::Unsafe,
        })
        .with_stage(final_stage.clone()),
        // Non-ASCII text before the span on its line: columns count characters.
        Diagnostic::new(
            "curl-pipe-shell",
            "DS020",
            Severity::Warning,
            find("curl -fsSL https://example.com/x | sh", 0),
            "A script is downloaded and piped to `sh` without a checksum",
        )
        .with_stage(final_stage),
        Diagnostic::new(
            "apt-lists-not-removed",
            "DS031",
            Severity::Info,
            find("apt-get install -y gcc", 0),
            "apt lists stay in this layer",
        )
        .with_stage(stage(0, "builder", StageRole::FeedsFinal)),
        Diagnostic::new(
            SYNTAX_ERROR.0,
            SYNTAX_ERROR.1,
            Severity::Error,
            find("<<EOF", 0),
            "The heredoc `EOF` is never closed",
        )
        .with_help("End the heredoc with a line holding only `EOF`"),
    ];
    vec![
        FileReport::new("services/api/Dockerfile", SOURCE, diagnostics),
        FileReport::new("clean.Dockerfile", "FROM scratch\n", Vec::new()),
    ]
}

fn tool_errors() -> Vec<ToolError> {
    vec![
        ToolError::new(
            Some("missing/Dockerfile".to_owned()),
            "cannot read the file: No such file or directory (os error 2)",
        ),
        ToolError::new(
            Some(".dockstage.toml".to_owned()),
            "unknown rule `no-such-rule` in `ignore`",
        )
        .with_line(3),
    ]
}

/// Runs `check` on the standard report.
fn with_report<T>(check: impl FnOnce(&Report) -> T) -> T {
    let files = files();
    let errors = tool_errors();
    let report = Report {
        files: &files,
        rules: RULES,
        tool_errors: &errors,
        exit_code: 2,
    };
    check(&report)
}

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../fixtures/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

/// The SARIF log with the tool version replaced, so a release does not change it.
fn sarif_for_snapshot(report: &Report) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let text = sarif::render(report)
        .replace(
            &format!("\"version\": \"{version}\""),
            "\"version\": \"[version]\"",
        )
        .replace(
            &format!("\"semanticVersion\": \"{version}\""),
            "\"semanticVersion\": \"[version]\"",
        );
    assert_eq!(text.matches("[version]").count(), 2);
    text
}

#[test]
fn human_snapshot() {
    let text = with_report(|report| human::render(report, &human::HumanOptions::default()));
    snapshot!("emit__human", text);
}

#[test]
fn human_colour_only_when_asked() {
    let (plain, coloured) = with_report(|report| {
        (
            human::render(report, &human::HumanOptions::default()),
            human::render(
                report,
                &human::HumanOptions {
                    colour: true,
                    width: 100,
                },
            ),
        )
    });
    assert!(!plain.contains('\u{1b}'));
    assert!(coloured.contains('\u{1b}'));
}

#[test]
fn json_snapshot() {
    snapshot!("emit__json", with_report(json::render));
}

#[test]
fn sarif_snapshot() {
    snapshot!("emit__sarif", with_report(sarif_for_snapshot));
}

#[test]
fn github_snapshot() {
    snapshot!("emit__github", with_report(github::render));
}

#[test]
fn checkstyle_snapshot() {
    snapshot!("emit__checkstyle", with_report(checkstyle::render));
}

#[test]
fn gitlab_snapshot() {
    snapshot!("emit__gitlab", with_report(gitlab::render));
}

#[test]
fn compact_snapshot() {
    snapshot!("emit__compact", with_report(compact::render));
}

#[test]
fn columns_count_characters_not_bytes() {
    let output: Value = serde_json::from_str(&with_report(json::render)).unwrap();
    let curl = output["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "curl-pipe-shell")
        .unwrap();
    let line = SOURCE.lines().nth(8).unwrap();
    let byte_column = line.find("curl").unwrap() + 1;
    let char_column = line[..byte_column - 1].chars().count() + 1;
    assert_ne!(
        byte_column, char_column,
        "the fixture must have non-ASCII text"
    );
    assert_eq!(curl["line"], 9);
    assert_eq!(curl["column"], char_column);
    assert_eq!(
        curl["end_column"],
        char_column + "curl -fsSL https://example.com/x | sh".chars().count()
    );
}

#[test]
fn json_output_matches_its_schema() {
    let schema_text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json-schema.json"),
    )
    .unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    jsonschema::draft202012::meta::validate(&schema).expect("the schema is valid draft 2020-12");
    let validator = jsonschema::draft202012::new(&schema).unwrap();

    let empty_files: Vec<FileReport> = Vec::new();
    let empty = Report {
        files: &empty_files,
        rules: RULES,
        tool_errors: &[],
        exit_code: 0,
    };
    for text in [with_report(json::render), json::render(&empty)] {
        let instance: Value = serde_json::from_str(&text).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "schema violations:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn sarif_fits_github_ingestion_limits() {
    let text = with_report(sarif::render);
    assert!(
        text.len() < 10 * 1024 * 1024,
        "GitHub rejects SARIF over 10 MB"
    );
    let log: Value = serde_json::from_str(&text).unwrap();
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() <= 25_000);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let id = result["ruleId"]
            .as_str()
            .expect("every result has a ruleId");
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id);
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(hash.len() > 17 && hash.as_bytes()[16] == b':', "{hash}");
    }
    let mut strings = Vec::new();
    collect_strings(&log, &mut strings);
    for string in strings {
        assert!(
            !string.starts_with('/') && !string.contains("file://"),
            "absolute path in SARIF: {string:?}"
        );
    }
}

fn collect_strings<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(string) => out.push(string),
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        Value::Object(map) => map.iter().for_each(|(key, item)| {
            out.push(key);
            collect_strings(item, out);
        }),
        _ => {}
    }
}

#[test]
fn sarif_notifications_and_invocation() {
    let log: Value = serde_json::from_str(&with_report(sarif::render)).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    // The syntax error, then the two tool errors.
    assert_eq!(notifications.len(), 3);
    assert_eq!(notifications[0]["associatedRule"]["id"], SYNTAX_ERROR.1);
    // The syntax error is still a result.
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == SYNTAX_ERROR.1));
    assert_eq!(log["runs"][0]["columnKind"], "unicodeCodePoints");
}

/// Spans past the end, reversed, or inside a character never panic.
#[test]
fn bad_spans_are_clamped() {
    let source = "FROM é\n";
    let diagnostic = |span| Diagnostic::new("some-rule", "DS999", Severity::Warning, span, "m");
    let files = vec![FileReport::new(
        "Dockerfile",
        source,
        vec![
            diagnostic(Span::new(6, 6)),
            diagnostic(Span::new(1000, 2000)).with_label(Span::new(9, 3), "reversed"),
            diagnostic(Span::new(3, 1)).with_fix(Fix {
                message: "x".to_owned(),
                edits: vec![Edit {
                    span: Span::new(500, 400),
                    replacement: String::new(),
                }],
                applicability: Applicability::Safe,
            }),
        ],
    )];
    let report = Report {
        files: &files,
        rules: &[],
        tool_errors: &[],
        exit_code: 1,
    };
    let outputs = [
        human::render(&report, &human::HumanOptions::default()),
        json::render(&report),
        sarif::render(&report),
        github::render(&report),
        checkstyle::render(&report),
        gitlab::render(&report),
        compact::render(&report),
    ];
    assert!(outputs.iter().all(|output| !output.is_empty()));
    assert!(outputs[6].contains("Dockerfile:2:1: warning [some-rule] m"));
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validate-sarif.sh")
}

/// Validates the SARIF with the SARIF Multitool (the SARIF SDK's validator: the OASIS
/// schema plus the SARIF and GitHub rule sets), through `tests/validate-sarif.sh`.
#[test]
fn sarif_passes_the_sarif_multitool() {
    let available = Command::new("bash")
        .arg(script())
        .arg("--check")
        .status()
        .map(|status| status.success())
        .unwrap_or(false);
    if !available {
        let message = "the SARIF Multitool is not installed (see tests/validate-sarif.sh)";
        assert!(
            std::env::var("DOCKSTAGE_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{message}, and DOCKSTAGE_REQUIRE_TOOLS=1"
        );
        eprintln!("skipped: {message}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dockstage.sarif");
    std::fs::write(&path, with_report(sarif::render)).unwrap();
    let output = Command::new("bash")
        .arg(script())
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "validate-sarif.sh failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn all_formats(report: &Report) -> Vec<String> {
    vec![
        human::render(report, &human::HumanOptions::default()),
        json::render(report),
        sarif::render(report),
        github::render(report),
        checkstyle::render(report),
        gitlab::render(report),
        compact::render(report),
    ]
}

#[test]
fn empty_crlf_and_tab_sources() {
    for source in ["", "\r\n", "FROM a\r\nRUN\tb\r\n", "\t\tFROM a"] {
        let files = vec![FileReport::new(
            "Dockerfile",
            source,
            vec![
                Diagnostic::new(
                    "some-rule",
                    "DS999",
                    Severity::Error,
                    Span::new(0, source.len()),
                    "m",
                ),
                Diagnostic::new(
                    "some-rule",
                    "DS999",
                    Severity::Style,
                    Span::empty(source.len()),
                    "m",
                ),
            ],
        )];
        let report = Report {
            files: &files,
            rules: &[],
            tool_errors: &[],
            exit_code: 1,
        };
        let outputs = all_formats(&report);
        assert!(
            outputs[0].contains("2 errors") || outputs[0].contains("1 error"),
            "{}",
            outputs[0]
        );
        let log: Value = serde_json::from_str(&outputs[2]).unwrap();
        for result in log["runs"][0]["results"].as_array().unwrap() {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
            assert!(region["startColumn"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn a_clean_report_says_so() {
    let files = vec![FileReport::new("Dockerfile", "FROM scratch\n", Vec::new())];
    let report = Report {
        files: &files,
        rules: RULES,
        tool_errors: &[],
        exit_code: 0,
    };
    assert_eq!(
        human::render(&report, &human::HumanOptions::default()),
        "No problems found in 1 file\n"
    );
    assert_eq!(compact::render(&report), "");
    assert_eq!(github::render(&report), "");
    assert_eq!(gitlab::render(&report), "[]\n");
    let log: Value = serde_json::from_str(&sarif::render(&report)).unwrap();
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        RULES.len()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any text and any spans: no emitter panics, and positions stay 1-based.
    #[test]
    fn any_spans_never_panic(
        source in "(FROM|RUN|é|🐳|\t|\r|\n| |x|\\\\){0,40}",
        spans in proptest::collection::vec((0usize..200, 0usize..200), 1..4),
    ) {
        let diagnostics = spans
            .iter()
            .map(|&(start, end)| {
                Diagnostic::new("some-rule", "DS999", Severity::Warning, Span::new(start, end), "m")
                    .with_label(Span::new(end, start), "l")
            })
            .collect();
        let files = vec![FileReport::new("Dockerfile", source.as_str(), diagnostics)];
        let report = Report { files: &files, rules: &[], tool_errors: &[], exit_code: 1 };
        let outputs = all_formats(&report);
        let output: Value = serde_json::from_str(&outputs[1]).unwrap();
        for diagnostic in output["diagnostics"].as_array().unwrap() {
            proptest::prop_assert!(diagnostic["line"].as_u64().unwrap() >= 1);
            proptest::prop_assert!(diagnostic["column"].as_u64().unwrap() >= 1);
            let start = (diagnostic["line"].as_u64(), diagnostic["column"].as_u64());
            let end = (diagnostic["end_line"].as_u64(), diagnostic["end_column"].as_u64());
            proptest::prop_assert!(start <= end);
        }
    }
}
