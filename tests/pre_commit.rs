//! The pre-commit hooks (`.pre-commit-hooks.yaml`), driven by the real `pre-commit`
//! (`pip install pre-commit`; scripts/install-test-tools.sh installs it).
//!
//! `pre-commit try-repo <this repository>` runs the hooks from this checkout in a
//! temporary git repository holding a bad and a good Dockerfile. try-repo takes the
//! checkout's committed HEAD plus its uncommitted changes to tracked files (not new
//! untracked files: `git add` them first). The `dockstage` hook is `language: rust`,
//! so pre-commit really builds the crate with `cargo install`; the build goes to
//! `<target>/pre-commit-hook` so later runs only rebuild dockstage itself.
//!
//! Without pre-commit the tests print a note and pass, unless DOCKSTAGE_REQUIRE_TOOLS=1.

#[path = "common/snippets.rs"]
mod snippets;

use snippets::{missing_tool, repo, snippet, write_files, BAD, CLEAN};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

const HOW: &str = "pip install pre-commit, or scripts/install-test-tools.sh";

/// `pre-commit` on PATH, else the one scripts/install-test-tools.sh put in
/// `$DOCKSTAGE_TOOLS_DIR/venv` (default `~/.cache/dockstage-tools`).
fn pre_commit_program() -> PathBuf {
    let on_path = Command::new("pre-commit")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if on_path {
        return PathBuf::from("pre-commit");
    }
    let tools = std::env::var_os("DOCKSTAGE_TOOLS_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/dockstage-tools")))
        .unwrap_or_default();
    tools.join("venv/bin/pre-commit")
}

/// Whether pre-commit, git and a git checkout of this repository are all here.
fn ready() -> bool {
    let runs = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    if !runs(&pre_commit_program().display().to_string(), &["--version"]) {
        return !missing_tool("pre-commit", HOW);
    }
    if !runs("git", &["--version"]) {
        return !missing_tool("git", "pre-commit needs it");
    }
    let repo = repo().display().to_string();
    if !runs("git", &["-C", &repo, "rev-parse", "--verify", "HEAD"]) {
        return !missing_tool(
            "a git checkout of dockstage",
            "try-repo needs a repository with a commit",
        );
    }
    true
}

/// A command with the git and pre-commit variables of an enclosing hook removed.
fn command(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("GIT_") || key.starts_with("PRE_COMMIT") {
            cmd.env_remove(key);
        }
    }
    cmd.env("NO_COLOR", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "dockstage tests")
        .env("GIT_AUTHOR_EMAIL", "tests@dockstage.invalid")
        .env("GIT_COMMITTER_NAME", "dockstage tests")
        .env("GIT_COMMITTER_EMAIL", "tests@dockstage.invalid");
    cmd
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = command("git", dir).args(args).output().expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// A user's repository: a bad Dockerfile, a good one, and a file the hooks skip.
fn user_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(
        dir.path(),
        &[
            ("Dockerfile", BAD),
            ("good/Dockerfile", CLEAN),
            ("web/app.dockerfile", BAD),
            ("Containerfile", CLEAN),
            ("notes.txt", BAD),
        ],
    );
    git(dir.path(), &["init", "--quiet"]);
    git(dir.path(), &["add", "."]);
    git(
        dir.path(),
        &[
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "-m",
            "init",
        ],
    );
    dir
}

/// `<target>`: two levels above the test binary's `dockstage` (`<target>/debug/dockstage`).
fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_dockstage"));
    bin.ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(std::env::temp_dir)
}

struct PreCommit {
    home: tempfile::TempDir,
}

impl PreCommit {
    fn new() -> Self {
        PreCommit {
            home: tempfile::tempdir().expect("PRE_COMMIT_HOME"),
        }
    }

    /// `pre-commit ARGS` in `dir`, with its own store and the built binary's directory
    /// first on PATH (for `dockstage-system`).
    fn run(&self, dir: &Path, args: &[&str]) -> Output {
        let bin_dir = Path::new(env!("CARGO_BIN_EXE_dockstage")).parent().unwrap();
        let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
        command(pre_commit_program(), dir)
            .args(args)
            .env("PRE_COMMIT_HOME", self.home.path())
            .env("CARGO_TARGET_DIR", target_dir().join("pre-commit-hook"))
            // pre-commit builds the hook with `cargo install` (the release profile):
            // the hook's behaviour is under test, not its speed, so skip optimisation
            // and LTO, which took most of the suite's time on a 2-core CI machine.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
            .env("PATH", path)
            .output()
            .expect("pre-commit runs")
    }

    fn try_repo(&self, dir: &Path, hook: &str, files: &[&str]) -> Output {
        let repo = repo().display().to_string();
        let mut args = vec!["try-repo", &repo, hook, "--verbose", "--color", "never"];
        args.push("--files");
        args.extend_from_slice(files);
        self.run(dir, &args)
    }
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The hook failed on the bad file with dockstage's finding.
fn assert_blocked(output: &Output, file: &str) {
    let shown = text(output);
    assert_eq!(output.status.code(), Some(1), "{shown}");
    assert!(shown.contains("Failed"), "{shown}");
    assert!(shown.contains("- exit code: 1"), "{shown}");
    assert!(shown.contains("unknown-stage"), "{shown}");
    assert!(shown.contains("biuld"), "{shown}");
    assert!(shown.contains(file), "{shown}");
}

fn assert_passed(output: &Output) {
    let shown = text(output);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("Passed"), "{shown}");
    assert!(!shown.contains("unknown-stage"), "{shown}");
}

/// The `language: rust` hook: pre-commit builds dockstage with cargo, then the hook
/// blocks the bad Dockerfile and passes the good one.
#[test]
fn rust_hook_built_by_pre_commit_blocks_a_bad_dockerfile() {
    if !ready() {
        return;
    }
    let user = user_repo();
    let pre_commit = PreCommit::new();
    let started = Instant::now();
    let bad = pre_commit.try_repo(user.path(), "dockstage", &["Dockerfile"]);
    eprintln!(
        "pre-commit try-repo dockstage (cargo install included): {:.1?}",
        started.elapsed()
    );
    assert_blocked(&bad, "Dockerfile");
    let started = Instant::now();
    let good = pre_commit.try_repo(user.path(), "dockstage", &["good/Dockerfile"]);
    eprintln!("second try-repo: {:.1?}", started.elapsed());
    assert_passed(&good);
}

/// `dockstage-system` runs the `dockstage` on PATH; the `files` pattern picks the
/// Dockerfile names and skips the rest.
#[test]
fn system_hook_blocks_bad_files_and_skips_other_names() {
    if !ready() {
        return;
    }
    let user = user_repo();
    let pre_commit = PreCommit::new();
    let hook = "dockstage-system";
    assert_blocked(
        &pre_commit.try_repo(user.path(), hook, &["Dockerfile", "good/Dockerfile"]),
        "Dockerfile",
    );
    assert_blocked(
        &pre_commit.try_repo(user.path(), hook, &["web/app.dockerfile"]),
        "web/app.dockerfile",
    );
    assert_passed(&pre_commit.try_repo(user.path(), hook, &["good/Dockerfile", "Containerfile"]));
    let skipped = pre_commit.try_repo(user.path(), hook, &["notes.txt"]);
    assert_eq!(skipped.status.code(), Some(0), "{}", text(&skipped));
    assert!(text(&skipped).contains("Skipped"), "{}", text(&skipped));
}

/// The manifest is valid for pre-commit, and the configuration in
/// docs/integrations.md is valid and works (pointed at this checkout's HEAD, with the
/// system hook so that nothing is built).
#[test]
fn the_documented_configuration_works() {
    if !ready() {
        return;
    }
    let pre_commit = PreCommit::new();
    let manifest = repo().join(".pre-commit-hooks.yaml");
    let output = pre_commit.run(
        &repo(),
        &["validate-manifest", &manifest.display().to_string()],
    );
    assert!(output.status.success(), "{}", text(&output));

    let config = snippet("pre-commit-config");
    assert!(config.contains("repo: https://github.com/dockstage/dockstage\n"));
    assert!(config.contains("      - id: dockstage\n"));
    let user = user_repo();
    std::fs::write(user.path().join(".pre-commit-config.yaml"), &config).unwrap();
    let output = pre_commit.run(user.path(), &["validate-config"]);
    assert!(output.status.success(), "{}", text(&output));

    let head = git(&repo(), &["rev-parse", "HEAD"]);
    let local = config
        .replace(
            "https://github.com/dockstage/dockstage",
            &repo().display().to_string(),
        )
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("rev: ") {
                format!("    rev: {head}")
            } else {
                line.replace("id: dockstage", "id: dockstage-system")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(user.path().join(".pre-commit-config.yaml"), local).unwrap();
    git(user.path(), &["add", ".pre-commit-config.yaml"]);
    let manifest_at_head = command("git", &repo())
        .args(["cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !manifest_at_head {
        eprintln!("skipped running the documented config: .pre-commit-hooks.yaml is not committed");
        return;
    }
    let bad = pre_commit.run(
        user.path(),
        &["run", "--color", "never", "--files", "Dockerfile"],
    );
    assert_blocked(&bad, "Dockerfile");
    let good = pre_commit.run(
        user.path(),
        &["run", "--color", "never", "--files", "good/Dockerfile"],
    );
    assert_passed(&good);
}

/// The hooks' `files` and `exclude` patterns pick the names the directory walk picks
/// (`Dockerfile-alpine` yes, `Dockerfile.j2` no), and the hooks print the compact
/// form. No tool needed.
#[test]
fn hook_patterns_match_the_walk() {
    let manifest = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let values = |key: &str| -> Vec<regex::Regex> {
        manifest
            .lines()
            .filter_map(|line| line.trim().strip_prefix(key))
            .map(|value| regex::Regex::new(value.trim().trim_matches('\'')).unwrap())
            .collect()
    };
    let (files, exclude) = (values("files:"), values("exclude:"));
    assert_eq!((files.len(), exclude.len()), (2, 2), "{manifest}");
    assert_eq!(manifest.matches("args: [--format=compact]").count(), 2);
    for name in [
        "Dockerfile",
        "ci/Dockerfile-alpine",
        "Dockerfile.dev",
        "web/app.dockerfile",
        "Containerfile.arm64",
        "Dockerfile.j2",
        "Dockerfile.tmpl",
        "Dockerfile-notes.md.txt",
        "notes.txt",
        "x/Dockerfiles",
    ] {
        let base = name.rsplit('/').next().unwrap();
        let walked = dockstage::discover::is_dockerfile_name(base);
        for (files, exclude) in files.iter().zip(&exclude) {
            let hooked = files.is_match(name) && !exclude.is_match(name);
            assert_eq!(hooked, walked, "{name}");
        }
    }
}
