//! Ruby: gem and bundler, which share one set of options.

use super::command_line::Grammar;
use super::flags::no_cache_flag;
use super::PackageAction::{FromManifest, Install, Remove, Upgrade};
use super::{cut_at, is_location, Dialect, PackageInstall};

pub(super) const GEM: Dialect = Dialect {
    grammar: &GRAMMAR,
    verbs: &[
        (Install, &["install", "i"]),
        (Remove, &["uninstall"]),
        (Upgrade, &["update"]),
    ],
    // `rails:7.1` names `rails`.
    package_name: |spec| cut_at(spec, &[':']),
    // `-v 7.1` pins every gem named; `rails:7.1` one; `.gem` files are one version.
    version_pinned: |install, package| {
        install.has_flag("--version", Some('v'))
            || package.spec.contains(':')
            || package.spec.ends_with(".gem")
            || is_location(&package.spec)
    },
    ..Dialect::PLAIN
};

/// bundler: a package is named as written (`bundle add rails`).
pub(super) const BUNDLE: Dialect = Dialect {
    grammar: &GRAMMAR,
    verbs: &[
        (FromManifest, &["", "install"]),
        (Install, &["add"]),
        (Remove, &["remove"]),
        (Upgrade, &["update"]),
    ],
    no_cache: no_cache_flag,
    production_only: without_development,
    ..Dialect::PLAIN
};

const GRAMMAR: Grammar = Grammar {
    long_values: &[
        "--version",
        "--install-dir",
        "--bindir",
        "--source",
        "--platform",
        "--trust-policy",
        "--build-root",
        "--jobs",
        "--retry",
        "--path",
        "--without",
        "--with",
        "--gemfile",
        "--binstubs",
        "--shebang",
        "--target-rbconfig",
        "--group",
        "--git",
        "--branch",
        "--ref",
        "--glob",
    ],
    short_values: "vinsPjg",
    single_dash_long: false,
};

/// bundler skips the development group: `--without development`, or
/// `BUNDLE_WITHOUT` (also set by `bundle config set without ...`).
fn without_development(install: &PackageInstall) -> bool {
    let names_development = |value: &str| {
        value
            .split([' ', ':', ','])
            .any(|group| group.trim() == "development")
    };
    install
        .flag_values("--without", None)
        .any(names_development)
        || install
            .env_value("BUNDLE_WITHOUT")
            .is_some_and(names_development)
}
