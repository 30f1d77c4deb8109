//! apt-get, apt and aptitude (Debian, Ubuntu).

use super::command_line::Grammar;
use super::flags::setting_is_false;
use super::PackageAction::{Install, RefreshIndex, Remove, Upgrade};
use super::{cut_at, Dialect, PackageInstall};

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

fn assumes_yes(install: &PackageInstall) -> bool {
    install.has_flag("--yes", Some('y'))
        || install.has_flag("--assume-yes", None)
        || install.has_flag("--force-yes", None)
        || install.flag_values("--option", Some('o')).any(|value| {
            value.starts_with("APT::Get::Assume-Yes=")
                && !setting_is_false(value, "APT::Get::Assume-Yes")
        })
}
