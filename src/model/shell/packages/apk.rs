//! apk (Alpine).

use super::command_line::Grammar;
use super::flags::no_cache_flag;
use super::PackageAction::{Install, RefreshIndex, Remove, Upgrade};
use super::{cut_at, is_location, Dialect, PackageArg, PackageInstall};

pub(super) const APK: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--virtual",
            "--repository",
            "--root",
            "--keys-dir",
            "--arch",
            "--cache-dir",
            "--repositories-file",
            "--wait",
            "--progress-fd",
            "--cache-max-age",
        ],
        short_values: "tXp",
        single_dash_long: false,
    },
    verbs: &[
        (Install, &["add"]),
        (Remove, &["del"]),
        (RefreshIndex, &["update"]),
        (Upgrade, &["upgrade"]),
    ],
    package_name,
    // `--no-network` fetches no index, so it stores none either.
    no_cache: |install| no_cache_flag(install) || install.has_flag("--no-network", None),
    version_pinned,
    ..Dialect::PLAIN
};

/// `curl=8.5.0-r0`, `curl~8`, `curl@edge` name `curl`.
fn package_name(spec: &str) -> String {
    cut_at(spec, &['=', '~', '<', '>', '@'])
}

/// `curl=8.5.0-r0`, `curl~8`, `curl>8` and `.apk` files.
fn version_pinned(_: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    spec.contains(['=', '~', '<', '>']) || spec.ends_with(".apk") || is_location(spec)
}
