//! zypper (openSUSE, SLES).

use super::command_line::Grammar;
use super::dnf::rpm_package_name;
use super::PackageAction::{Install, RefreshIndex, Remove, Upgrade};
use super::{is_location, Dialect, PackageArg, PackageInstall};

pub(super) const ZYPPER: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--repo",
            "--type",
            "--from",
            "--root",
            "--reposd-path",
            "--cache-dir",
            "--raw-cache-dir",
            "--solv-cache-dir",
            "--pkg-cache-dir",
            "--config",
        ],
        short_values: "rtRDC",
        single_dash_long: false,
    },
    verbs: &[
        (Install, &["install", "in", "source-install", "si"]),
        (Remove, &["remove", "rm"]),
        (RefreshIndex, &["refresh", "ref"]),
        (Upgrade, &["update", "up", "dist-upgrade", "dup", "patch"]),
    ],
    package_name: rpm_package_name,
    no_install_recommends: |install| install.has_flag("--no-recommends", None),
    assumes_yes,
    version_pinned,
    ..Dialect::PLAIN
};

fn assumes_yes(install: &PackageInstall) -> bool {
    install.has_flag("--non-interactive", Some('n'))
        || install.has_flag("--no-confirm", Some('y'))
        || install.has_flag("--yes", None)
}

/// `curl=8.0`, `curl>=8`, `.rpm` files; patterns, patches and products
/// (`-t pattern`) and source packages have no version to pin.
fn version_pinned(install: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    install
        .flag_value("--type", Some('t'))
        .is_some_and(|kind| kind != "package")
        || matches!(install.verb.as_str(), "source-install" | "si")
        || spec.contains(['=', '<', '>'])
        || spec.ends_with(".rpm")
        || is_location(spec)
}
