//! apt-get, apt and aptitude (Debian, Ubuntu).

use super::command_line::Grammar;
use super::flags::setting_is_false;
use super::PackageAction::{Install, RefreshIndex, Remove, Upgrade};
use super::{cut_at, Dialect, PackageArg, PackageInstall};

pub(super) const APT: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--option",
            "--config-file",
            "--target-release",
            "--default-release",
            "--host-architecture",
        ],
        short_values: "octa",
        single_dash_long: false,
    },
    verbs: &[
        (Install, &["install", "reinstall", "build-dep"]),
        (RefreshIndex, &["update"]),
        (Upgrade, &["upgrade", "dist-upgrade", "full-upgrade"]),
        (Remove, &["remove", "purge", "autoremove", "autopurge"]),
    ],
    package_name,
    no_install_recommends,
    assumes_yes,
    version_pinned,
    ..Dialect::PLAIN
};

/// `curl=7.88*`, `curl/bookworm` and `curl:amd64` name `curl`.
fn package_name(spec: &str) -> String {
    let name = cut_at(spec, &['=', '/']);
    match name.split_once(':') {
        Some((base, _arch)) if !base.is_empty() => base.to_string(),
        _ => name,
    }
}

fn no_install_recommends(install: &PackageInstall) -> bool {
    install.has_flag("--no-install-recommends", None)
        || install
            .flag_values("--option", Some('o'))
            .any(|value| setting_is_false(value, "APT::Install-Recommends"))
}

/// `curl=7.88.1-10`, `curl/bookworm-backports` (a release) and `.deb` files;
/// `build-dep` names source packages, whose build dependencies have no pins.
fn version_pinned(install: &PackageInstall, package: &PackageArg) -> bool {
    !matches!(install.verb.as_str(), "install" | "reinstall")
        || package.spec.contains(['=', '/'])
        || package.spec.ends_with(".deb")
}

/// `-y`, or quiet level 2 (`-qq`, `-q=2`), which apt-get documents as implying `-y`.
fn assumes_yes(install: &PackageInstall) -> bool {
    quiet_level(install) >= 2
        || install.has_flag("--yes", Some('y'))
        || install.has_flag("--assume-yes", None)
        || install.has_flag("--force-yes", None)
        || install.flag_values("--option", Some('o')).any(|value| {
            value.starts_with("APT::Get::Assume-Yes=")
                && !setting_is_false(value, "APT::Get::Assume-Yes")
        })
}

/// How many times `-q` is given: `-qq`, `-q -q`, `-q=2`, `--quiet=2`.
fn quiet_level(install: &PackageInstall) -> usize {
    install
        .flags
        .iter()
        .map(|flag| {
            let name = flag.name.as_str();
            if let Some(level) = name.strip_prefix("-q=") {
                return level.parse().unwrap_or(0);
            }
            if name == "--quiet" {
                return flag.value.as_deref().map_or(1, |v| v.parse().unwrap_or(1));
            }
            match name.strip_prefix('-') {
                Some(cluster)
                    if !cluster.starts_with('-')
                        && cluster.chars().all(|c| c.is_ascii_alphanumeric()) =>
                {
                    cluster.matches('q').count()
                }
                _ => 0,
            }
        })
        .sum()
}
