//! cargo: `cargo build`, `cargo install`, `cargo fetch`.

use super::command_line::Grammar;
use super::PackageAction::{Build, FromManifest, Install, Remove};
use super::{cut_at, Dialect};

pub(super) const CARGO: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--target",
            "--features",
            "--bin",
            "--example",
            "--package",
            "--profile",
            "--jobs",
            "--manifest-path",
            "--target-dir",
            "--root",
            "--version",
            "--vers",
            "--git",
            "--branch",
            "--tag",
            "--rev",
            "--path",
            "--index",
            "--registry",
            "--config",
            "--color",
            "--message-format",
            "--lockfile-path",
            "--test",
            "--bench",
            "--exclude",
        ],
        short_values: "pjFZ",
        single_dash_long: false,
    },
    verbs: &[
        (Build, &["build", "b"]),
        (Install, &["install"]),
        (FromManifest, &["fetch"]),
        (Remove, &["uninstall"]),
    ],
    // `ripgrep@14.1.0` names `ripgrep`.
    package_name: |spec| cut_at(spec, &['@']),
    ..Dialect::PLAIN
};
