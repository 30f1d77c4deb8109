//! The copy-paste snippets of `docs/integrations.md`, so tests use exactly what users
//! copy. A snippet is the fenced block after a `<!-- snippet: NAME -->` line.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The body of the fenced block named `name` in docs/integrations.md.
pub fn snippet(name: &str) -> String {
    let path = repo().join("docs/integrations.md");
    let text = std::fs::read_to_string(&path).expect("docs/integrations.md");
    let marker = format!("<!-- snippet: {name} -->");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no `{marker}` in {}", path.display()));
    let mut lines = text[start + marker.len()..]
        .lines()
        .skip_while(|l| l.trim().is_empty());
    let fence = lines.next().unwrap_or_default();
    assert!(
        fence.starts_with("```"),
        "`{marker}` is not followed by a fenced block"
    );
    let body: Vec<&str> = lines.take_while(|l| !l.starts_with("```")).collect();
    body.join("\n") + "\n"
}

/// Whether a tool the test drives is missing: panics when DOCKSTAGE_REQUIRE_TOOLS=1
/// (CI), else prints a note and returns true so the test can skip.
pub fn missing_tool(tool: &str, how: &str) -> bool {
    let message = format!("{tool} is not installed ({how})");
    assert!(
        std::env::var("DOCKSTAGE_REQUIRE_TOOLS").as_deref() != Ok("1"),
        "{message}, and DOCKSTAGE_REQUIRE_TOOLS=1"
    );
    eprintln!("skipped: {message}");
    true
}

/// Writes `files` (path, content) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, content) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
}

/// A Dockerfile without findings, and one with an `unknown-stage` error.
pub const CLEAN: &str =
    "FROM alpine:3.20 AS build\nRUN echo build > /out\n\nFROM alpine:3.20\nCOPY --from=build /out /out\nUSER nobody\n";
pub const BAD: &str = "FROM alpine:3.20 AS build\nRUN echo build > /out\n\nFROM alpine:3.20\nCOPY --from=build /out /out\nCOPY --from=biuld /out /out\nUSER nobody\n";
