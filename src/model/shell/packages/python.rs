//! Python package managers: pip, pipx, uv and poetry, which share pip's options.

use super::command_line::Grammar;
use super::flags::{is_truthy, no_cache_flag};
use super::PackageAction::{FromManifest, Install, Remove, Upgrade};
use super::{cut_at, is_location, Dialect, PackageArg, PackageInstall};

pub(super) const PIP: Dialect = Dialect {
    grammar: &GRAMMAR,
    install_named_or_manifest: &["install"],
    verbs: &[(Remove, &["uninstall"])],
    package_name,
    no_cache: |install| {
        install.has_flag("--no-cache-dir", None)
            || install.env_value("PIP_NO_CACHE_DIR").is_some_and(is_truthy)
    },
    version_pinned,
    ..Dialect::PLAIN
};

pub(super) const PIPX: Dialect = Dialect {
    grammar: &GRAMMAR,
    verbs: &[
        (Install, &["install", "inject"]),
        (Remove, &["uninstall"]),
        (Upgrade, &["upgrade", "upgrade-all"]),
    ],
    package_name,
    no_cache: |install| {
        install
            .flag_values("--pip-args", None)
            .any(|value| value.contains("--no-cache-dir"))
    },
    // `pipx inject VENV PKG`: the first word is the environment.
    version_pinned: |install, package| {
        install.verb != "install" || version_pinned(install, package)
    },
    ..Dialect::PLAIN
};

pub(super) const UV: Dialect = Dialect {
    grammar: &GRAMMAR,
    two_word_verbs: &["pip", "tool"],
    install_named_or_manifest: &["pip install"],
    verbs: &[
        (Install, &["add", "tool install"]),
        (FromManifest, &["sync", "pip sync"]),
        (Remove, &["remove", "pip uninstall", "tool uninstall"]),
    ],
    package_name,
    no_cache: |install| {
        install.has_flag("--no-cache", Some('n'))
            || install.env_value("UV_NO_CACHE").is_some_and(is_truthy)
    },
    production_only: |install| install.has_flag("--no-dev", None),
    // `uv add` records what it resolves in `uv.lock`.
    version_pinned: |install, package| {
        !matches!(install.verb.as_str(), "pip install" | "tool install")
            || version_pinned(install, package)
    },
    ..Dialect::PLAIN
};

pub(super) const POETRY: Dialect = Dialect {
    grammar: &GRAMMAR,
    verbs: &[
        (FromManifest, &["install", "sync"]),
        (Install, &["add"]),
        (Remove, &["remove"]),
        (Upgrade, &["update"]),
    ],
    package_name,
    no_cache: no_cache_flag,
    production_only: poetry_production_only,
    ..Dialect::PLAIN
};

const GRAMMAR: Grammar = Grammar {
    long_values: &[
        "--requirement",
        "--constraint",
        "--editable",
        "--index-url",
        "--extra-index-url",
        "--find-links",
        "--target",
        "--prefix",
        "--root",
        "--src",
        "--trusted-host",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--progress-bar",
        "--cache-dir",
        "--log",
        "--proxy",
        "--retries",
        "--timeout",
        "--exists-action",
        "--cert",
        "--client-cert",
        "--global-option",
        "--install-option",
        "--config-settings",
        "--upgrade-strategy",
        "--no-binary",
        "--only-binary",
        "--python",
        "--report",
        "--group",
        "--build",
        "--use-feature",
        "--use-deprecated",
        "--index",
        "--default-index",
        "--extra",
        "--optional",
        "--package",
        "--directory",
        "--project",
        "--with",
        "--spec",
        "--suffix",
        "--pip-args",
        "--only",
        "--without",
        "--extras",
        "--source",
    ],
    short_values: "rceiftCpEG",
    single_dash_long: false,
};

/// `requests[socks]==2.0` and `black @ git+https://...` name `requests` and `black`.
fn package_name(spec: &str) -> String {
    cut_at(spec, &['=', '<', '>', '!', '~', ';', '@', '[', ' '])
        .trim()
        .to_string()
}

fn poetry_production_only(install: &PackageInstall) -> bool {
    install.has_flag("--no-dev", None)
        || install.flag_values("--only", None).any(|v| v == "main")
        || install
            .flag_values("--without", None)
            .any(|v| v.split(',').any(|g| g.trim() == "dev"))
}

/// `requests==2.31` (or any comparison), `name @ URL`, a VCS URL with `@REF`,
/// a path, archive or URL; a constraints file (`-c`) pins what it lists.
fn version_pinned(install: &PackageInstall, package: &PackageArg) -> bool {
    let spec = &package.spec;
    if install.has_flag("--constraint", Some('c')) {
        return true;
    }
    let is_vcs = ["git+", "hg+", "svn+", "bzr+", "git://"]
        .iter()
        .any(|scheme| spec.starts_with(scheme));
    if is_vcs {
        let path = spec.split('#').next().unwrap_or(spec);
        return path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('@'));
    }
    spec.contains(['=', '<', '>', '@', '/'])
        || spec.contains("~=")
        || [".whl", ".tar.gz", ".zip"]
            .iter()
            .any(|ext| spec.ends_with(ext))
        || is_location(spec)
}
