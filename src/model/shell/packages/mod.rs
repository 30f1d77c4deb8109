//! Package-manager runs: which manager, what it does, which packages, which flags.
//!
//! The types rules read live here. What each manager's words mean lives in
//! one file per manager (or family sharing one command line), as a
//! [`Dialect`]; [`dialect`] picks it for a manager.

mod apk;
mod apt;
mod cargo;
mod command_line;
mod composer;
mod conda;
mod detect;
mod dnf;
mod flags;
mod go;
mod node;
mod pins;
mod python;
mod ruby;
mod zypper;

pub(super) use detect::detect;

use crate::diagnostic::Span;
use command_line::Grammar;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PackageManager {
    /// `apt-get`, `apt`, `aptitude`.
    Apt,
    Apk,
    /// `dnf`, `dnf5`.
    Dnf,
    Yum,
    Microdnf,
    Zypper,
    /// `pip`, `pip3`, `pip3.12`, `python -m pip`.
    Pip,
    Pipx,
    Npm,
    /// `yarn`, `yarnpkg`.
    Yarn,
    Pnpm,
    Gem,
    /// `bundle`, `bundler`.
    Bundle,
    Go,
    Cargo,
    Composer,
    /// `conda`, `mamba`, `micromamba`.
    Conda,
    Uv,
    Poetry,
}

impl PackageManager {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageManager::Apt => "apt",
            PackageManager::Apk => "apk",
            PackageManager::Dnf => "dnf",
            PackageManager::Yum => "yum",
            PackageManager::Microdnf => "microdnf",
            PackageManager::Zypper => "zypper",
            PackageManager::Pip => "pip",
            PackageManager::Pipx => "pipx",
            PackageManager::Npm => "npm",
            PackageManager::Yarn => "yarn",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Gem => "gem",
            PackageManager::Bundle => "bundle",
            PackageManager::Go => "go",
            PackageManager::Cargo => "cargo",
            PackageManager::Composer => "composer",
            PackageManager::Conda => "conda",
            PackageManager::Uv => "uv",
            PackageManager::Poetry => "poetry",
        }
    }

    /// Managers that install operating-system packages.
    pub fn is_system(self) -> bool {
        matches!(
            self,
            PackageManager::Apt
                | PackageManager::Apk
                | PackageManager::Dnf
                | PackageManager::Yum
                | PackageManager::Microdnf
                | PackageManager::Zypper
        )
    }
}

impl std::fmt::Display for PackageManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a package-manager run does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PackageAction {
    /// Installs the packages it names: `apt-get install`, `apk add`,
    /// `pip install x`, `npm install -g x`, `yarn add`, `gem install`,
    /// `go install`, `cargo install`, `composer require`, `poetry add`.
    Install,
    /// Installs what the project's manifest or lockfile declares: `npm ci`,
    /// `npm install` with no package, `yarn install`, `bundle install`,
    /// `composer install`, `poetry install`, `uv sync`, `pip install -r`
    /// with no package named.
    FromManifest,
    /// Upgrades installed packages: `apt-get upgrade`, `apk upgrade`, `dnf update`.
    Upgrade,
    /// Refreshes the package index: `apt-get update`, `apk update`, `dnf makecache`.
    RefreshIndex,
    /// Builds the project: `go build`, `cargo build`.
    Build,
    /// Removes packages: `apt-get purge`, `apk del`, `pip uninstall`.
    Remove,
}

/// Whether a spec names a file or URL (`./x.deb`, `/tmp/x.rpm`,
/// `https://.../x.tar.gz`) rather than a package in a repository.
fn is_location(spec: &str) -> bool {
    spec.contains("://") || spec.starts_with(['.', '/', '~'])
}

/// A package named on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageArg {
    /// The package name without version pin, extras or channel:
    /// `curl=7.88*` → `curl`, `requests[socks]==2.0` → `requests`,
    /// `@types/node@20` → `@types/node`.
    pub name: String,
    /// The argument as the shell passes it (quotes removed).
    pub spec: String,
    pub span: Span,
    /// False for `$PHPIZE_DEPS` and the like: the real list is unknown.
    pub is_static: bool,
}

/// An option given to the package manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageFlag {
    /// As written, up to `=` or the value: `--no-install-recommends`,
    /// `-qqy`, `-o`, `--setopt`.
    pub name: String,
    /// `--setopt=a=b` → `a=b`; `-o X` → `X`; `-oX` → `X`.
    pub value: Option<String>,
    pub span: Span,
}

/// One run of a package manager.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageInstall {
    pub manager: PackageManager,
    pub action: PackageAction,
    /// The subcommand as written: `install`, `add`, `ci`, `pip install`,
    /// `global add`; empty for a bare `yarn` or `bundle`.
    pub verb: String,
    pub packages: Vec<PackageArg>,
    pub flags: Vec<PackageFlag>,
    /// Files packages are read from: `pip install -r FILE`, `conda install --file FILE`.
    pub requirement_files: Vec<String>,
    /// `apk add --virtual NAME`: the name of the group, which is not a package.
    pub virtual_package: Option<String>,
    /// The environment the run sees that we know of: `export`ed earlier in
    /// the script (and `bundle config without`), then the command's own
    /// prefix assignments and `env NAME=VALUE` wrappers.
    pub env: Vec<(String, String)>,
    /// Index into [`super::ShellFacts::commands`].
    pub command_index: usize,
    pub span: Span,
}

/// How one package manager's command line is written and what its words
/// mean. Each manager's file defines one; [`dialect`] picks it.
struct Dialect {
    /// How options and their values are written.
    grammar: &'static Grammar,
    /// First words of two-word subcommands: `pip` in `uv pip install`.
    two_word_verbs: &'static [&'static str],
    /// What each subcommand does.
    verbs: &'static [(PackageAction, &'static [&'static str])],
    /// Subcommands that install the packages they name, or the manifest's
    /// when they name none: `npm install`, `pip install`.
    install_named_or_manifest: &'static [&'static str],
    /// The package name in a spec that is not a path or URL.
    package_name: fn(&str) -> String,
    /// See [`PackageInstall::no_install_recommends`].
    no_install_recommends: fn(&PackageInstall) -> bool,
    /// See [`PackageInstall::no_cache`].
    no_cache: fn(&PackageInstall) -> bool,
    /// See [`PackageInstall::production_only`].
    production_only: fn(&PackageInstall) -> bool,
    /// See [`PackageInstall::assumes_yes`].
    assumes_yes: fn(&PackageInstall) -> bool,
    /// See [`PackageInstall::is_global`].
    is_global: fn(&PackageInstall) -> bool,
    /// Whether a package this run names gets a fixed version: see
    /// [`PackageInstall::unpinned_packages`].
    version_pinned: fn(&PackageInstall, &PackageArg) -> bool,
}

impl Dialect {
    /// What holds for a manager that has no such idea: no options take
    /// values, the spec is the name, no question is answered yes but
    /// `assumes_yes` (a manager that never prompts).
    const PLAIN: Dialect = Dialect {
        grammar: &Grammar {
            long_values: &[],
            short_values: "",
            single_dash_long: false,
        },
        two_word_verbs: &[],
        verbs: &[],
        install_named_or_manifest: &[],
        package_name: str::to_string,
        no_install_recommends: |_| false,
        no_cache: |_| false,
        production_only: |_| false,
        assumes_yes: |_| true,
        is_global: |_| false,
        version_pinned: |_, _| true,
    };

    fn action(&self, verb: &str, names_packages: bool) -> Option<PackageAction> {
        if self.install_named_or_manifest.contains(&verb) {
            return Some(if names_packages {
                PackageAction::Install
            } else {
                PackageAction::FromManifest
            });
        }
        self.verbs
            .iter()
            .find(|(_, words)| words.contains(&verb))
            .map(|(action, _)| *action)
    }
}

fn dialect(manager: PackageManager) -> &'static Dialect {
    use PackageManager as M;
    match manager {
        M::Apt => &apt::APT,
        M::Apk => &apk::APK,
        M::Dnf | M::Yum | M::Microdnf => &dnf::DNF,
        M::Zypper => &zypper::ZYPPER,
        M::Pip => &python::PIP,
        M::Pipx => &python::PIPX,
        M::Uv => &python::UV,
        M::Poetry => &python::POETRY,
        M::Conda => &conda::CONDA,
        M::Npm => &node::NPM,
        M::Yarn => &node::YARN,
        M::Pnpm => &node::PNPM,
        M::Gem => &ruby::GEM,
        M::Bundle => &ruby::BUNDLE,
        M::Go => &go::GO,
        M::Cargo => &cargo::CARGO,
        M::Composer => &composer::COMPOSER,
    }
}

/// `text` up to the first of `stops`; a leading stop character is part of
/// the name (`@scope/pkg`).
fn cut_at(text: &str, stops: &[char]) -> String {
    match text.char_indices().skip(1).find(|(_, c)| stops.contains(c)) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}
