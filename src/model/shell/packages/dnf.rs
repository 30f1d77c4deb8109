//! dnf, yum and microdnf (Fedora, RHEL and their kin): one command line.

use super::command_line::Grammar;
use super::flags::setting_is_false;
use super::PackageAction::{Install, RefreshIndex, Remove, Upgrade};
use super::{cut_at, is_location, Dialect, PackageArg, PackageInstall};

pub(super) const DNF: Dialect = Dialect {
    grammar: &Grammar {
        long_values: &[
            "--setopt",
            "--enablerepo",
            "--disablerepo",
            "--repo",
            "--repoid",
            "--installroot",
            "--releasever",
            "--exclude",
            "--config",
            "--forcearch",
            "--repofrompath",
            "--disableplugin",
            "--enableplugin",
            "--downloaddir",
            "--destdir",
            "--comment",
            "--advisory",
            "--cve",
            "--bz",
            "--color",
            "--rpmverbosity",
            "--debuglevel",
            "--errorlevel",
            "--excludepkgs",
            "--includepkgs",
            "--platform-id",
        ],
        short_values: "xc",
        single_dash_long: false,
    },
    two_word_verbs: &["group", "groups", "module"],
    verbs: &[
        (
            Install,
            &[
                "install",
                "in",
                "reinstall",
                "localinstall",
                "groupinstall",
                "group install",
                "groups install",
                "module install",
            ],
        ),
        (
            Remove,
            &[
                "remove",
                "erase",
                "rm",
                "autoremove",
                "groupremove",
                "group remove",
                "module remove",
            ],
        ),
        (
            Upgrade,
            &[
                "update",
                "upgrade",
                "up",
                "distro-sync",
                "dsync",
                "update-minimal",
                "upgrade-minimal",
            ],
        ),
        (RefreshIndex, &["makecache"]),
    ],
    package_name: rpm_package_name,
    no_install_recommends,
    assumes_yes,
    version_pinned,
    ..Dialect::PLAIN
};

/// RPM names end at a version comparison: `curl>=7` names `curl`. zypper too.
pub(super) fn rpm_package_name(spec: &str) -> String {
    cut_at(spec, &['=', '<', '>'])
}

fn no_install_recommends(install: &PackageInstall) -> bool {
    install
        .flag_values("--setopt", None)
        .any(|value| setting_is_false(value, "install_weak_deps"))
}

fn assumes_yes(install: &PackageInstall) -> bool {
    install.has_flag("--assumeyes", Some('y')) || install.has_flag("--yes", None)
}

/// `curl-7.76.1-26.el9` (an RPM version ends the name: the last `-` part starts
/// with a digit, so `java-11-openjdk` is a name), `curl >= 7`, `.rpm` files,
/// module streams (`nodejs:20`); groups (`@core`, `group install`) have no version.
fn version_pinned(install: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    if install.verb.contains("group") || spec.starts_with('@') {
        return true;
    }
    if install.verb.starts_with("module") {
        return spec.contains(':');
    }
    is_location(spec)
        || spec.ends_with(".rpm")
        || spec.contains(['=', '<', '>'])
        || rpm_version_suffix(spec)
}

/// `name-version[-release]`: the last `-` part starts with a digit, or is a
/// variable (`httpd-${HTTPD_VERSION}`).
fn rpm_version_suffix(spec: &str) -> bool {
    spec.rsplit_once('-').is_some_and(|(name, last)| {
        !name.is_empty() && last.starts_with(|c: char| c.is_ascii_digit() || c == '$')
    })
}
