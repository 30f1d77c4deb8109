//! The go command: `go build`, `go install`, `go get`, `go mod download`.

use super::command_line::Grammar;
use super::PackageAction::{Build, FromManifest, Install};
use super::{cut_at, is_location, Dialect, PackageArg, PackageInstall};

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
    version_pinned,
    ..Dialect::PLAIN
};

/// `tool@v1.2.3` (or a commit), not `@latest` and its kin. Without `@`,
/// `go install` builds the version the current module's go.mod requires (it
/// refuses to run outside a module); `go get` fetches the newest version of a
/// remote path (one whose first element has a dot: `golang.org/x/tools`).
fn version_pinned(install: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    if is_location(spec) {
        return true;
    }
    match spec.split_once('@') {
        Some((_, query)) => !matches!(
            query,
            "latest" | "upgrade" | "patch" | "master" | "main" | "HEAD"
        ),
        None => {
            install.verb != "get"
                || !spec
                    .split('/')
                    .next()
                    .is_some_and(|host| host.contains('.'))
        }
    }
}
