//! copy-ignored-file reads the `.dockerignore` of the build context the user gives
//! (`check --context DIR`), else of the Dockerfile's directory, and a
//! `<Dockerfile>.dockerignore` beside the Dockerfile before either, as BuildKit does.

use std::path::Path;
use std::process::Command;

fn check(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args([
            "check",
            "--select",
            "CopyIgnoredFile",
            "--format",
            "compact",
        ])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockstage runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository whose Dockerfile lives in `docker/` and is built with the root as
/// context (`docker build -f docker/Dockerfile .`).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("docker/Dockerfile"),
        "FROM alpine:3.20\nCOPY secrets.env /etc/app.env\nCOPY app /srv/app\n",
    );
    write(&dir.path().join(".dockerignore"), "secrets.env\n");
    write(&dir.path().join("docker/.dockerignore"), "app\n");
    dir
}

#[test]
fn the_given_context_decides_which_dockerignore_applies() {
    let repo = repository();
    // Without --context, the Dockerfile's directory is the context: `app` is ignored.
    let beside = check(repo.path(), &["docker/Dockerfile"]);
    assert!(beside.contains("`app`"), "{beside}");
    assert!(!beside.contains("`secrets.env`"), "{beside}");
    // With the root as context, the root's .dockerignore applies.
    let root = check(repo.path(), &["--context", ".", "docker/Dockerfile"]);
    assert!(root.contains("`secrets.env`"), "{root}");
    assert!(!root.contains("`app`"), "{root}");
    assert_eq!(
        root.lines()
            .filter(|l| l.contains("copy-ignored-file"))
            .count(),
        1,
        "{root}"
    );
}

#[test]
fn a_dockerfile_specific_ignore_file_wins_over_the_contexts() {
    let repo = repository();
    write(
        &repo.path().join("docker/Dockerfile.dockerignore"),
        "app\nsecrets.env\n",
    );
    let out = check(repo.path(), &["--context", ".", "docker/Dockerfile"]);
    assert!(
        out.contains("`secrets.env`") && out.contains("`app`"),
        "{out}"
    );
    assert!(out.contains("Dockerfile.dockerignore"), "{out}");
}
