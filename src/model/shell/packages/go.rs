//! The go command: `go build`, `go install`, `go get`, `go mod download`.

use super::command_line::Grammar;
use super::PackageAction::{Build, FromManifest, Install};
use super::{cut_at, Dialect};

pub(super) const GO: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "-o",
            "-ldflags",
            "-gcflags",
            "-asmflags",
            "-tags",
            "-mod",
            "-modfile",
            "-p",
            "-buildmode",
            "-C",
            "-overlay",
            "-pkgdir",
            "-pgo",
            "-installsuffix",
            "-compiler",
            "-gccgoflags",
            "-toolexec",
            "-coverpkg",
            "-covermode",
            "-exec",
        ],
        short_values: "",
        single_dash_long: true,
    },
    two_word_verbs: &["mod"],
    verbs: &[
        (Build, &["build"]),
        (Install, &["install", "get"]),
        (FromManifest, &["mod download"]),
    ],
    // `github.com/x/tool@v1` names `github.com/x/tool`.
    package_name: |spec| cut_at(spec, &['@']),
    ..Dialect::PLAIN
};
