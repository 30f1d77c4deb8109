//! Shared by the parser test suites: every parser fixture, as bytes.
//!
//! The files under `fixtures/parser/` plus a few inputs that are awkward to keep as
//! text files (invalid UTF-8, NUL bytes), built here from byte literals.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub struct Fixture {
    /// File stem, e.g. `heredoc-basic`; snapshots are named `parse__<name>`.
    pub name: String,
    /// What reports show as the path.
    pub path: String,
    pub bytes: Vec<u8>,
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parser")
}

/// Inputs kept as bytes rather than files.
pub const GENERATED: &[(&str, &[u8])] = &[
    (
        "invalid-utf8",
        b"FROM alpine:3.20\nRUN echo caf\xe9 au lait\nLABEL broken=\xff\xfe\nRUN echo still parsed\n",
    ),
    (
        "invalid-utf8-first-line",
        b"\xc3\x28FROM alpine:3.20\nRUN echo ok\n",
    ),
    (
        "nul-bytes",
        b"FROM alpine:3.20\nRUN echo a\x00b\n\x00\nRUN echo after the NUL bytes\n",
    ),
];

/// Every parser fixture, sorted by name.
pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixture_dir()).expect("fixtures/parser exists") {
        let path = entry.expect("directory entry").path();
        if path.extension().is_some_and(|e| e == "Dockerfile") {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("UTF-8 fixture name")
                .to_string();
            out.push(Fixture {
                path: format!("fixtures/parser/{name}.Dockerfile"),
                bytes: std::fs::read(&path).expect("readable fixture"),
                name,
            });
        }
    }
    for (name, bytes) in GENERATED {
        out.push(Fixture {
            name: (*name).to_string(),
            path: format!("<generated>/{name}.Dockerfile"),
            bytes: bytes.to_vec(),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() > 40, "expected the parser fixtures, found {}", out.len());
    out
}

/// Every file under the directory named by `DOCKSTAGE_CORPUS`, if set.
pub fn corpus_files() -> Vec<PathBuf> {
    let Some(dir) = std::env::var_os("DOCKSTAGE_CORPUS") else {
        return Vec::new();
    };
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::from(dir)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable corpus directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
