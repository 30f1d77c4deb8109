//! A real editor as the client: headless Neovim (Debian's package) runs
//! `tests/nvim/lsp_roundtrip.lua`, which starts `dockstage lsp`, collects the
//! diagnostics, applies a code action and saves.
//!
//! Without `nvim` on PATH the test is skipped with a note, unless
//! `DOCKSTAGE_REQUIRE_TOOLS=1` (CI sets it), where a missing editor is a failure.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn nvim_available() -> bool {
    let found = Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        let required = std::env::var("DOCKSTAGE_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "nvim is not installed and DOCKSTAGE_REQUIRE_TOOLS=1 (install Debian's `neovim` package)"
        );
        eprintln!(
            "note: skipping the Neovim LSP test: `nvim` is not on PATH (apt-get install neovim)"
        );
    }
    found
}

/// Runs the Lua script on `dockerfile` and returns what it wrote.
fn run_neovim(dir: &Path, dockerfile: &str, action: &str) -> (String, String) {
    let path = dir.join("Dockerfile");
    std::fs::write(&path, dockerfile).unwrap();
    let out = dir.join("nvim-out.txt");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/lsp_roundtrip.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n"])
        .arg(&path)
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir)
        .env("DOCKSTAGE_BIN", env!("CARGO_BIN_EXE_dockstage"))
        .env("DOCKSTAGE_OUT", &out)
        .env("DOCKSTAGE_ACTION", action)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nvim");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "nvim did not finish within 90 s; it wrote: {}",
                std::fs::read_to_string(&out).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let report = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim failed ({status}): {report}");
    (report, std::fs::read_to_string(&path).unwrap())
}

#[test]
fn neovim_shows_diagnostics_and_applies_a_fix() {
    if !nvim_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (report, saved) = run_neovim(
        dir.path(),
        "ARG VERSION=1.0\nFROM alpine:3.20\nLABEL description=\"café ☕ 𝄞\" version=$VERSION\nUSER nobody\n",
        "declare `ARG VERSION`",
    );
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "encoding utf-16", "{report}");
    // Neovim shows byte columns: the server's UTF-16 column 38 is byte 43.
    assert!(
        lines[1].starts_with("diagnostic 2:43-2:51 DS008 dockstage `$VERSION` does not see"),
        "{report}"
    );
    assert!(
        report.contains("\naction Ignore arg-not-in-scope for this line\n"),
        "{report}"
    );
    assert!(report.contains("\nafter 0 diagnostics\n"), "{report}");
    assert!(report.contains("\nstopped true\n"), "{report}");
    assert!(report.ends_with("done\n"), "{report}");
    assert_eq!(
        saved,
        "ARG VERSION=1.0\nFROM alpine:3.20\nARG VERSION\nLABEL description=\"café ☕ 𝄞\" version=$VERSION\nUSER nobody\n"
    );
}

#[test]
fn neovim_applies_the_ignore_action() {
    if !nvim_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (report, saved) = run_neovim(
        dir.path(),
        "FROM golang:1.23 AS Builder\nRUN CGO_ENABLED=0 go build -o /app .\n\nFROM alpine:3.20\nCOPY --from=Builder /app /app\nUSER nobody\n",
        "Ignore stage-name-casing",
    );
    assert!(
        report.contains("diagnostic 0:20-0:27 DS007 dockstage"),
        "{report}"
    );
    assert!(report.contains("\nafter 0 diagnostics\n"), "{report}");
    assert!(
        saved.starts_with("# dockstage ignore=stage-name-casing\nFROM golang:1.23 AS Builder\n"),
        "{saved}"
    );
}
