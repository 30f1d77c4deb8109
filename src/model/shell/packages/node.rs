//! Node package managers: npm, yarn and pnpm, which share one set of options.

use super::command_line::Grammar;
use super::flags::is_truthy;
use super::PackageAction::{FromManifest, Install, Remove, Upgrade};
use super::{cut_at, is_location, Dialect, PackageArg, PackageInstall};

pub(super) const NPM: Dialect = Dialect {
    grammar: &GRAMMAR,
    install_named_or_manifest: &["install", "i", "in", "add", "isntall"],
    verbs: &[
        (
            FromManifest,
            &["ci", "clean-install", "ic", "install-clean"],
        ),
        (
            Remove,
            &["uninstall", "remove", "rm", "r", "un", "unlink", "prune"],
        ),
        (Upgrade, &["update", "up", "upgrade"]),
    ],
    package_name,
    production_only: npm_production_only,
    is_global: |install| install.has_flag("--global", Some('g')),
    version_pinned: npm_version_pinned,
    ..Dialect::PLAIN
};

pub(super) const YARN: Dialect = Dialect {
    grammar: &GRAMMAR,
    two_word_verbs: &["global", "workspaces"],
    verbs: &[
        (FromManifest, &["", "install", "workspaces focus"]),
        (Install, &["add", "global add"]),
        (Remove, &["remove", "global remove"]),
        (Upgrade, &["upgrade", "up", "global upgrade"]),
    ],
    package_name,
    production_only: |install| {
        node_env_production(install)
            || install.flag_is_on("--production")
            || install.env_value("YARN_PRODUCTION").is_some_and(is_truthy)
    },
    is_global: |install| install.verb.starts_with("global"),
    ..Dialect::PLAIN
};

pub(super) const PNPM: Dialect = Dialect {
    grammar: &GRAMMAR,
    install_named_or_manifest: &["install", "i", "fetch"],
    verbs: &[
        (Install, &["add"]),
        (Remove, &["remove", "rm", "uninstall", "un"]),
        (Upgrade, &["update", "up", "upgrade"]),
    ],
    package_name,
    production_only: |install| {
        node_env_production(install) || install.has_flag("--prod", Some('P'))
    },
    is_global: |install| install.has_flag("--global", Some('g')),
    ..Dialect::PLAIN
};

const GRAMMAR: Grammar = Grammar {
    long_values: &[
        "--prefix",
        "--registry",
        "--cache",
        "--omit",
        "--only",
        "--include",
        "--loglevel",
        "--tag",
        "--workspace",
        "--userconfig",
        "--install-strategy",
        "--fetch-retries",
        "--before",
        "--also",
        "--cwd",
        "--modules-folder",
        "--cache-folder",
        "--network-timeout",
        "--mutex",
        "--network-concurrency",
        "--global-folder",
        "--link-folder",
        "--preferred-cache-folder",
        "--use-yarnrc",
        "--filter",
        "--dir",
        "--store-dir",
        "--reporter",
        "--virtual-store-dir",
        "--modules-dir",
    ],
    short_values: "wFC",
    single_dash_long: false,
};

/// `@types/node@20` names `@types/node`; `github:user/repo`, `npm:alias@1`
/// and `file:../x` are kept whole.
fn package_name(spec: &str) -> String {
    if spec.contains(':') {
        return spec.to_string();
    }
    cut_at(spec, &['@'])
}

fn node_env_production(install: &PackageInstall) -> bool {
    install.env_value("NODE_ENV") == Some("production")
}

fn npm_production_only(install: &PackageInstall) -> bool {
    node_env_production(install)
        || install.flag_is_on("--production")
        || install
            .flag_values("--only", None)
            .any(|v| matches!(v, "prod" | "production"))
        || install
            .flag_values("--omit", None)
            .any(|v| v.split(',').any(|part| part == "dev"))
        || install
            .env_value("NPM_CONFIG_PRODUCTION")
            .is_some_and(is_truthy)
        || install
            .env_value("npm_config_production")
            .is_some_and(is_truthy)
        || install
            .env_value("NPM_CONFIG_OMIT")
            .is_some_and(|v| v.split(',').any(|p| p == "dev"))
}

/// `express@4.19.2` (any version or range, not `@latest`), a git URL with
/// `#REF`, a tarball, a folder, `file:`/`https:` specs.
fn npm_version_pinned(_: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    if is_location(spec)
        || [".tgz", ".tar.gz", ".tar"]
            .iter()
            .any(|ext| spec.ends_with(ext))
    {
        return true;
    }
    if let Some((scheme, rest)) = spec.split_once(':') {
        return match scheme {
            "file" | "link" | "http" | "https" => true,
            "npm" => names_version(rest),
            _ => spec.contains('#'),
        };
    }
    // `user/repo` on GitHub.
    if !spec.starts_with('@') && spec.contains('/') {
        return spec.contains('#');
    }
    names_version(spec)
}

/// `name@version` or `@scope/name@version`, with a version other than `latest`.
fn names_version(spec: &str) -> bool {
    let name = cut_at(spec, &['@']);
    spec[name.len()..]
        .strip_prefix('@')
        .is_some_and(|version| !version.is_empty() && version != "latest")
}
