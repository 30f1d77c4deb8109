//! The GitHub Action's script (`scripts/action.sh`), run as the runner runs it: a
//! workspace, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, inputs as `INPUT_*`
//! variables (what action.yml's `env:` blocks set), and the built binary through
//! `DOCKSTAGE_BIN` so nothing is installed.

#[path = "common/snippets.rs"]
mod snippets;

use serde_json::Value;
use snippets::{missing_tool, repo, snippet, write_files, BAD, CLEAN};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Run {
    output: Output,
    outputs: BTreeMap<String, String>,
    summary: String,
    workspace: PathBuf,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    fn explain(&self) -> String {
        format!(
            "exit {:?}\nstdout:\n{}\nstderr:\n{}\noutputs: {:?}\nsummary:\n{}",
            self.output.status.code(),
            self.stdout(),
            String::from_utf8_lossy(&self.output.stderr),
            self.outputs,
            self.summary
        )
    }
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
    fn sarif(&self) -> Value {
        let path = self.workspace.join(&self.outputs["sarif-file"]);
        serde_json::from_str(&std::fs::read_to_string(path).expect("the SARIF file"))
            .expect("SARIF is JSON")
    }
}

/// Parses `$GITHUB_OUTPUT`: `name=value` lines and `name<<DELIMITER` blocks.
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut outputs = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((name, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for line in lines.by_ref() {
                if line == delimiter {
                    break;
                }
                value.push(line);
            }
            outputs.insert(name.to_owned(), value.join("\n"));
        } else if let Some((name, value)) = line.split_once('=') {
            outputs.insert(name.to_owned(), value.to_owned());
        }
    }
    outputs
}

/// Runs `scripts/action.sh run` in a fresh workspace holding `files`.
fn run_action(files: &[(&str, &str)], inputs: &[(&str, &str)]) -> Run {
    let workspace = tempfile::tempdir().expect("workspace").keep();
    write_files(&workspace, files);
    run_in(&workspace, "run", inputs)
}

fn run_in(workspace: &Path, command: &str, inputs: &[(&str, &str)]) -> Run {
    let runner = tempfile::tempdir().expect("runner dir").keep();
    let output_file = runner.join("github_output");
    let summary_file = runner.join("step_summary");
    std::fs::write(&output_file, "").unwrap();
    std::fs::write(&summary_file, "").unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/action.sh"))
        .arg(command)
        .current_dir(workspace)
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_STEP_SUMMARY", &summary_file)
        .env("GITHUB_ACTION_PATH", repo())
        .env("GITHUB_ACTIONS", "true")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", &runner)
        .env("DOCKSTAGE_BIN", env!("CARGO_BIN_EXE_dockstage"))
        .env("DOCKSTAGE_INSTALL_ROOT", runner.join("install"))
        .env("NO_COLOR", "1");
    for (key, _) in std::env::vars() {
        if key.starts_with("INPUT_") {
            cmd.env_remove(key);
        }
    }
    for (name, value) in inputs {
        cmd.env(input_var(name), value);
    }
    let output = cmd.output().expect("bash runs");
    Run {
        output,
        outputs: parse_outputs(&std::fs::read_to_string(&output_file).unwrap()),
        summary: std::fs::read_to_string(&summary_file).unwrap(),
        workspace: workspace.to_path_buf(),
    }
}

/// The variable action.yml's `env:` sets for an input: `fail-level` → `INPUT_FAIL_LEVEL`.
fn input_var(name: &str) -> String {
    format!("INPUT_{}", name.to_ascii_uppercase().replace('-', "_"))
}

fn validate_sarif(path: &Path) {
    let script = repo().join("tests/validate-sarif.sh");
    let available = Command::new("bash")
        .arg(&script)
        .arg("--check")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !available && missing_tool("the SARIF Multitool", "scripts/install-test-tools.sh") {
        return;
    }
    let output = Command::new("bash")
        .arg(&script)
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "validate-sarif.sh {}:\n{}{}",
        path.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn findings_make_annotations_sarif_outputs_and_a_summary() {
    let run = run_action(
        &[("bad/Dockerfile", BAD), ("good/Dockerfile", CLEAN)],
        &[("paths", "."), ("fail-level", "warning")],
    );
    assert_eq!(run.code(), Some(1), "{}", run.explain());

    // Annotations, from `--format github`.
    let stdout = run.stdout();
    let annotation = stdout
        .lines()
        .find(|l| l.starts_with("::error file=bad/Dockerfile,line=6,col=13,"))
        .unwrap_or_else(|| panic!("no annotation\n{}", run.explain()));
    assert!(annotation.contains("title=unknown-stage"), "{annotation}");
    assert!(
        !stdout.contains("file=good/Dockerfile"),
        "{}",
        run.explain()
    );

    // Outputs.
    assert_eq!(run.outputs["sarif-file"], "dockstage.sarif");
    assert_eq!(run.outputs["exit-code"], "1");
    let sarif = run.sarif();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    assert_eq!(run.outputs["findings"], results.len().to_string());
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "bad/Dockerfile"
    );
    assert_eq!(sarif["runs"][0]["invocations"][0]["exitCode"], 1);
    let text = std::fs::read_to_string(run.workspace.join("dockstage.sarif")).unwrap();
    let workspace = run.workspace.to_string_lossy().into_owned();
    assert!(!text.contains(&workspace), "an absolute path leaked");
    validate_sarif(&run.workspace.join("dockstage.sarif"));

    // The job summary: a Markdown table of the findings.
    assert!(
        run.summary.starts_with("### dockstage\n"),
        "{}",
        run.explain()
    );
    assert!(
        run.summary
            .contains("| Severity | Rule | Location | Message |\n|---|---|---|---|\n"),
        "{}",
        run.explain()
    );
    let row = run
        .summary
        .lines()
        .find(|l| l.contains("`bad/Dockerfile:6:"))
        .unwrap_or_else(|| panic!("no row\n{}", run.explain()));
    assert!(row.starts_with("| error | `unknown-stage` |"), "{row}");
    assert_eq!(
        run.summary.lines().filter(|l| l.starts_with("| ")).count(),
        results.len() + 1,
        "{}",
        run.summary
    );
}

#[test]
fn a_clean_workspace_passes_with_an_empty_summary() {
    let run = run_action(&[("Dockerfile", CLEAN), ("api.dockerfile", CLEAN)], &[]);
    assert_eq!(run.code(), Some(0), "{}", run.explain());
    assert_eq!(run.outputs["findings"], "0");
    assert_eq!(run.outputs["sarif-file"], "dockstage.sarif");
    assert!(run.summary.contains("No findings."), "{}", run.explain());
    assert!(!run.stdout().contains("::error file="), "{}", run.explain());
    validate_sarif(&run.workspace.join("dockstage.sarif"));
}

#[test]
fn fail_level_args_format_paths_and_sarif_file_are_honoured() {
    let files = [
        ("bad/Dockerfile", BAD),
        ("dir with space/Dockerfile", BAD),
        ("good/Dockerfile", CLEAN),
    ];
    // fail-level none: findings reported, step passes.
    let run = run_action(&files, &[("fail-level", "none")]);
    assert_eq!(run.code(), Some(0), "{}", run.explain());
    assert_ne!(run.outputs["findings"], "0");

    // args split on whitespace and passed as options.
    let run = run_action(
        &files,
        &[("args", "--ignore unknown-stage\n--select 'unknown-stage'")],
    );
    assert_eq!(run.code(), Some(2), "quotes are literal: {}", run.explain());
    // The configuration error is in the SARIF log, which stays valid.
    let sarif = run.sarif();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 2);
    let notification = invocation["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        notification.contains("unknown rule `'unknown-stage'`"),
        "{sarif}"
    );
    validate_sarif(&run.workspace.join("dockstage.sarif"));
    assert!(
        run.summary.contains("could not check everything"),
        "{}",
        run.explain()
    );
    let run = run_action(&files, &[("args", "  --ignore   unknown-stage ")]);
    assert_eq!(run.code(), Some(0), "{}", run.explain());
    assert_eq!(run.outputs["findings"], "0");

    // One path per line keeps spaces; sarif-file in a new directory; compact log.
    let run = run_action(
        &files,
        &[
            ("paths", "dir with space/Dockerfile\ngood/Dockerfile\n"),
            ("sarif-file", "reports/out.sarif"),
            ("format", "compact"),
        ],
    );
    assert_eq!(run.code(), Some(1), "{}", run.explain());
    assert_eq!(run.outputs["sarif-file"], "reports/out.sarif");
    assert!(run.workspace.join("reports/out.sarif").is_file());
    assert!(
        run.stdout()
            .contains("dir with space/Dockerfile:6:13: error [unknown-stage]"),
        "{}",
        run.explain()
    );
    assert!(
        !run.stdout().contains("bad/Dockerfile"),
        "{}",
        run.explain()
    );

    // The names GitHub gives inputs of non-composite actions work too.
    let workspace = tempfile::tempdir().unwrap().keep();
    write_files(&workspace, &files);
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/action.sh"))
        .arg("run")
        .env("GITHUB_WORKSPACE", &workspace)
        .env("DOCKSTAGE_BIN", env!("CARGO_BIN_EXE_dockstage"))
        .env("INPUT_FAIL-LEVEL", "none")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY");
    let output = cmd.output().unwrap();
    assert_eq!(output.status.code(), Some(0));

    // Bad input values stop with an annotation, before running anything.
    let run = run_action(&files, &[("fail-level", "warning\n::warning::injected")]);
    assert_eq!(run.code(), Some(2), "{}", run.explain());
    assert!(
        !run.stdout().contains("\n::warning::injected"),
        "{}",
        run.explain()
    );
    assert!(run.stdout().starts_with("::error title=dockstage action::"));
}

#[test]
fn crafted_inputs_do_not_execute() {
    let workspace = tempfile::tempdir().unwrap().keep();
    write_files(&workspace, &[("Dockerfile", CLEAN)]);
    let marker = workspace.join("pwned");
    let m = marker.display().to_string();
    // (input, value, whether the run must fail: a literal `$(...)` file name is fine)
    let attempts = [
        ("paths", format!("$(touch {m})"), true),
        ("paths", format!("x; touch {m}"), true),
        ("paths", format!("`touch {m}`"), true),
        ("paths", format!("Dockerfile\n$(touch {m})\n"), true),
        ("paths", "*".to_owned(), true),
        ("args", format!("; touch {m}"), true),
        ("args", format!("--target $(touch {m})"), true),
        ("args", format!("--select=\"$(touch {m})\""), true),
        ("fail-level", format!("$(touch {m})"), true),
        ("format", format!("github; touch {m}"), true),
        ("sarif-file", format!("$(touch {m}).sarif"), false),
        ("sarif-file", format!("x.sarif\ntouch {m}"), true),
        ("version", format!("$(touch {m})"), false),
    ];
    for (input, value, fails) in &attempts {
        let inputs = [(*input, value.as_str())];
        for command in ["run", "cache-key", "install"] {
            let run = run_in(&workspace, command, &inputs);
            assert!(
                !marker.exists(),
                "{inputs:?} ran a command via `{command}`\n{}",
                run.explain()
            );
            if command == "run" && *fails {
                assert_ne!(run.code(), Some(0), "{inputs:?}\n{}", run.explain());
            }
        }
    }
    // `*` is a file name, not a glob.
    let run = run_in(&workspace, "run", &[("paths", "*")]);
    assert!(run.stdout().contains("no such file"), "{}", run.explain());
}

#[test]
fn install_and_cache_key_work_without_cargo_when_a_binary_is_given() {
    let workspace = tempfile::tempdir().unwrap().keep();
    let run = run_in(&workspace, "cache-key", &[("version", "v0.1.0")]);
    assert_eq!(run.code(), Some(0), "{}", run.explain());
    assert_eq!(run.outputs["key"], "dockstage-Linux-X64-release-0.1.0");
    assert!(
        run.outputs["root"].ends_with("/install"),
        "{:?}",
        run.outputs
    );
    let run = run_in(&workspace, "cache-key", &[]);
    assert!(
        run.outputs["key"].starts_with("dockstage-Linux-X64-source-"),
        "{:?}",
        run.outputs
    );
    let run = run_in(&workspace, "install", &[]);
    assert_eq!(run.code(), Some(0), "{}", run.explain());
    assert!(
        run.stdout().contains("using DOCKSTAGE_BIN"),
        "{}",
        run.explain()
    );
    let run = run_in(&workspace, "cache-key", &[("version", "latest; rm -rf /")]);
    assert_eq!(run.code(), Some(2), "{}", run.explain());
}

/// action.yml passes every input through `env:` and never pastes `${{ }}` into a
/// `run:` script; its inputs are the ones the script reads.
#[test]
fn action_yml_never_interpolates_into_shell() {
    let yml = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    assert!(yml.contains("using: composite"));
    let mut runs = 0;
    for line in yml.lines() {
        let trimmed = line.trim_start();
        if let Some(script) = trimmed.strip_prefix("run:") {
            runs += 1;
            assert!(!script.contains("${{"), "interpolation in `{line}`");
            assert!(
                !script.trim().starts_with('|'),
                "keep run: one line: `{line}`"
            );
            assert!(
                script.contains("\"$GITHUB_ACTION_PATH/scripts/action.sh\""),
                "{line}"
            );
        }
    }
    assert_eq!(runs, 3);
    for input in [
        "paths",
        "args",
        "fail-level",
        "format",
        "sarif-file",
        "version",
    ] {
        assert!(yml.contains(&format!("\n  {input}:\n")), "input {input}");
        let var = input_var(input);
        if input != "version" {
            assert!(
                yml.contains(&format!("{var}: ${{{{ inputs.{input} }}}}")),
                "{var}"
            );
        }
    }
    for output in ["sarif-file", "findings"] {
        assert!(
            yml.contains(&format!("value: ${{{{ steps.run.outputs.{output} }}}}")),
            "output {output}"
        );
    }
    assert!(yml.contains("uses: actions/cache@"));
    assert!(yml.contains("INPUT_VERSION: ${{ inputs.version }}"));
    let script = std::fs::read_to_string(repo().join("scripts/action.sh")).unwrap();
    assert!(script.contains("cargo install --path \"$action_path\" --locked"));
    assert!(!script.contains("eval "), "no eval in the script");
}

/// The workflow in docs/integrations.md: its `with:` inputs exist and, run through the
/// script, produce the SARIF file its upload step reads.
#[test]
fn the_documented_workflow_runs() {
    let workflow = snippet("github-workflow");
    assert!(workflow.contains("security-events: write"));
    assert!(workflow.contains("uses: github/codeql-action/upload-sarif@v3"));
    assert!(workflow.contains("sarif_file: ${{ steps.dockstage.outputs.sarif-file }}"));

    // The dockstage step, its id and `with:` block.
    let lines: Vec<&str> = workflow.lines().collect();
    let uses = lines
        .iter()
        .position(|l| l.trim_start().starts_with("uses: dockstage/dockstage@"))
        .expect("a dockstage step");
    assert_eq!(lines[uses - 1].trim(), "- id: dockstage");
    let indent = lines[uses].len() - lines[uses].trim_start().len();
    assert_eq!(lines[uses + 1].trim(), "with:");
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let mut inputs = Vec::new();
    for line in &lines[uses + 2..] {
        if line.len() - line.trim_start().len() <= indent {
            break;
        }
        let (key, value) = line.trim().split_once(": ").expect("key: value");
        assert!(action.contains(&format!("\n  {key}:\n")), "no input {key}");
        inputs.push((key, value));
    }
    assert!(!inputs.is_empty());

    let workspace = tempfile::tempdir().unwrap().keep();
    write_files(
        &workspace,
        &[("Dockerfile", BAD), ("app/Dockerfile", CLEAN)],
    );
    let run = run_in(&workspace, "run", &inputs);
    assert_eq!(run.code(), Some(1), "{}", run.explain());
    let sarif_file = &run.outputs["sarif-file"];
    assert!(workspace.join(sarif_file).is_file());
    validate_sarif(&workspace.join(sarif_file));
}
