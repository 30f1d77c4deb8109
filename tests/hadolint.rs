//! Coming from hadolint: every DL code dockstage implements selects its rule, and a
//! repository with only a `.hadolint.yaml` and `# hadolint` pragmas gets the
//! suppressions and the exit code hadolint 2.15.1 gives it (the expected values
//! below are that binary's output on the same files).

mod common;

use dockstage::filter::Selection;
use dockstage::lint::{analyze, LintOptions};
use dockstage::rules::RULE_METAS;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn bad_examples(page: &str) -> Vec<String> {
    page.split("```dockerfile bad\n")
        .skip(1)
        .filter_map(|rest| rest.find("\n```").map(|end| rest[..=end].to_string()))
        .collect()
}

#[test]
fn every_dl_code_selects_its_rule() {
    let mut codes = 0;
    for meta in RULE_METAS {
        for code in meta.aliases.iter().filter(|a| a.starts_with("DL")) {
            codes += 1;
            // Rules off until configured (label-schema, trusted-registries) use the
            // page's configuration.
            let settings = common::page_config(meta.page).map(|toml| {
                dockstage::config::Config::parse(toml, Path::new(".dockstage.toml"))
                    .expect("valid page configuration")
                    .settings
            });
            let options = LintOptions {
                selection: Selection {
                    select: vec![code.to_string()],
                    ..Selection::default()
                },
                settings: settings.unwrap_or_default(),
                ..LintOptions::default()
            };
            let found = bad_examples(meta.page).iter().any(|bad| {
                analyze(bad.as_bytes(), &options)
                    .diagnostics
                    .iter()
                    .any(|d| d.rule == meta.name)
            });
            assert!(found, "--select {code} finds no {} in its page", meta.name);
        }
    }
    assert!(codes >= 14, "{codes} DL codes");
}

/// Runs dockstage in `dir` with no user configuration in the way; exit code and the
/// DL findings as `(line, code)` (every DL alias of the rule that reported).
fn dockstage_dl(dir: &Path) -> (i32, BTreeSet<(u64, String)>) {
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(["check", "--format", "json", "Dockerfile"])
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut found = BTreeSet::new();
    for d in report["diagnostics"].as_array().unwrap() {
        for alias in d["aliases"].as_array().unwrap() {
            let alias = alias.as_str().unwrap();
            if alias.starts_with("DL") {
                found.insert((d["line"].as_u64().unwrap(), alias.to_string()));
            }
        }
    }
    (out.status.code().unwrap_or(-1), found)
}

fn set(items: &[(u64, &str)]) -> BTreeSet<(u64, String)> {
    items.iter().map(|(l, c)| (*l, c.to_string())).collect()
}

const DOCKERFILE: &str = "\
# hadolint global ignore=DL3024
FROM ubuntu:22.04 AS build
RUN echo one
FROM ubuntu:22.04 AS build
MAINTAINER someone
# hadolint ignore=DL3015
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*
USER nobody
";

fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("Dockerfile"), DOCKERFILE).unwrap();
    std::fs::write(dir.path().join(".hadolint.yaml"), config).unwrap();
    dir
}

#[test]
fn pragmas_and_overrides_suppress_what_hadolint_suppresses() {
    // hadolint 2.15.1: DL4000 (line 5, warning by override), DL3015 (line 8), exit 1.
    let dir = repo("ignored:\n  - DL3008\noverride:\n  warning: [DL4000]\n");
    let (code, found) = dockstage_dl(dir.path());
    assert_eq!(found, set(&[(5, "DL4000"), (8, "DL3015")]));
    assert_eq!(code, 1);
}

#[test]
fn failure_threshold_and_no_fail_give_hadolints_exit_code() {
    // hadolint 2.15.1 exits 0: what is left is below `error`.
    let dir = repo("ignored: [DL4000]\nfailure-threshold: error\n");
    let (code, found) = dockstage_dl(dir.path());
    assert_eq!(found, set(&[(7, "DL3008"), (8, "DL3008"), (8, "DL3015")]));
    assert_eq!(code, 0);
    let dir = repo("no-fail: true\n");
    assert_eq!(dockstage_dl(dir.path()).0, 0);
}

#[test]
fn disable_ignore_pragma_reports_what_the_pragmas_hid() {
    // hadolint 2.15.1 then also reports DL3024 (line 4) and DL3015 (line 7).
    let dir = repo("disable-ignore-pragma: true\nignored: [DL4000]\n");
    let (code, found) = dockstage_dl(dir.path());
    assert_eq!(
        found,
        set(&[
            (4, "DL3024"),
            (7, "DL3008"),
            (7, "DL3015"),
            (8, "DL3008"),
            (8, "DL3015")
        ])
    );
    assert_eq!(code, 1);
}

#[test]
fn a_stage_pragma_covers_the_stage_after_its_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM ubuntu:22.04 AS base\nUSER nobody\n\
         # hadolint stage ignore=DL3015\nFROM base\n\
         RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".hadolint.yaml"), "").unwrap();
    // hadolint 2.15.1 suppresses DL3015 on line 5 too; it reports only DL3066 (not
    // ported) and DL3008, a warning there and `style` here (below hadolint's default
    // threshold, info), so it exits 1 where dockstage exits 0.
    let (code, found) = dockstage_dl(dir.path());
    assert_eq!(found, set(&[(5, "DL3008")]));
    assert_eq!(code, 0);
}

#[test]
fn a_dockstage_configuration_wins_and_yaml_errors_have_a_place() {
    let dir = repo("ignored: [DL3015, DL4000]\nno-fail: true\n");
    std::fs::write(dir.path().join(".dockstage.toml"), "").unwrap();
    let (code, found) = dockstage_dl(dir.path());
    assert!(found.contains(&(8, "DL3015".to_string())), "{found:?}");
    // Nothing at warning is left: the first `build`, shadowed by the second, is
    // duplicate-stage-name's (silenced by the global pragma), not unused-stage's.
    assert_eq!(code, 0);

    let dir = repo("ignored: DL3015\n");
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(["check", "Dockerfile"])
        .current_dir(dir.path())
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(".hadolint.yaml:1:"), "{err}");
}

#[test]
fn powershell_files_get_no_shell_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "# hadolint shell=powershell\nFROM ubuntu:22.04\n\
         RUN apt-get update && apt-get install -y curl\nUSER nobody\n",
    )
    .unwrap();
    let (_, found) = dockstage_dl(dir.path());
    assert!(!found.iter().any(|(_, c)| c == "DL3015"), "{found:?}");
}

#[test]
fn plain_package_statements_of_a_powershell_stage_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n\
         SHELL [\"powershell\", \"-Command\", \"$ErrorActionPreference = 'Stop';\"]\n\
         RUN $ErrorActionPreference = 'Stop'; pip install virtualenv\n\
         RUN npm install -g yarn | Out-Null\n\
         RUN pip install $env:TOOLS\n\
         RUN pip install tox==2.1.1\n\
         RUN cd node ; git pull\n",
    )
    .unwrap();
    let (_, found) = dockstage_dl(dir.path());
    // As hadolint: the plain statements on lines 3 and 6 (unpinned, pip cache kept).
    assert!(found.contains(&(3, "DL3013".to_string())), "{found:?}");
    assert!(found.contains(&(6, "DL3042".to_string())), "{found:?}");
    assert!(found.contains(&(7, "DL3003".to_string())), "{found:?}");
    // A pipe passes PowerShell objects and `$env:` is PowerShell's: not read as sh.
    assert!(
        !found.iter().any(|(line, _)| *line == 4 || *line == 5),
        "{found:?}"
    );
}

#[test]
fn dl3057_is_off_until_an_override_names_it() {
    // hadolint 2.15.1 has DL3057 off by default too; an `override` turns it on.
    let (_, found) = dockstage_dl(repo("ignored:\n  - DL3008\n").path());
    assert!(!found.iter().any(|(_, c)| c == "DL3057"), "{found:?}");
    let (_, found) = dockstage_dl(repo("override:\n  info: [DL3057]\n").path());
    assert!(found.contains(&(4, "DL3057".to_string())), "{found:?}");
}
