//! Package-manager runs: which manager, what it does, which packages, which flags.

use super::command::{ShellWord, SimpleCommand};
use super::nested::parse_assignment;
use crate::diagnostic::Span;

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

impl PackageInstall {
    /// Whether an option is given, as `--long` / `--long=value` or as the
    /// short letter alone or in a cluster (`-y`, `-qqy`).
    pub fn has_flag(&self, long: &str, short: Option<char>) -> bool {
        self.flags
            .iter()
            .any(|flag| flag_matches(flag, long, short))
    }

    /// The value of an option, the last one winning.
    pub fn flag_value(&self, long: &str, short: Option<char>) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .filter(|flag| flag_matches(flag, long, short))
            .find_map(|flag| flag.value.as_deref())
    }

    fn flag_values<'a>(
        &'a self,
        long: &'a str,
        short: Option<char>,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.flags
            .iter()
            .filter(move |flag| flag_matches(flag, long, short))
            .filter_map(|flag| flag.value.as_deref())
    }

    /// The value of a variable in the environment the run sees.
    pub fn env_value(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// apt without recommended packages (`--no-install-recommends`,
    /// `-o APT::Install-Recommends=false`); the same idea for dnf/yum
    /// (`--setopt=install_weak_deps=False`) and zypper (`--no-recommends`).
    pub fn no_install_recommends(&self) -> bool {
        match self.manager {
            PackageManager::Apt => {
                self.has_flag("--no-install-recommends", None)
                    || self
                        .flag_values("--option", Some('o'))
                        .any(|value| setting_is_false(value, "APT::Install-Recommends"))
            }
            PackageManager::Dnf | PackageManager::Yum | PackageManager::Microdnf => self
                .flag_values("--setopt", None)
                .any(|value| setting_is_false(value, "install_weak_deps")),
            PackageManager::Zypper => self.has_flag("--no-recommends", None),
            _ => false,
        }
    }

    /// The run leaves no download cache behind: apk `--no-cache`, pip
    /// `--no-cache-dir` or `PIP_NO_CACHE_DIR`, uv/poetry/composer/bundle
    /// `--no-cache` (or `UV_NO_CACHE`).
    pub fn no_cache(&self) -> bool {
        match self.manager {
            PackageManager::Apk => self.has_flag("--no-cache", None),
            PackageManager::Pip => {
                self.has_flag("--no-cache-dir", None)
                    || self.env_value("PIP_NO_CACHE_DIR").is_some_and(is_truthy)
            }
            PackageManager::Pipx => self
                .flag_values("--pip-args", None)
                .any(|value| value.contains("--no-cache-dir")),
            PackageManager::Uv => {
                self.has_flag("--no-cache", Some('n'))
                    || self.env_value("UV_NO_CACHE").is_some_and(is_truthy)
            }
            PackageManager::Poetry | PackageManager::Composer | PackageManager::Bundle => {
                self.has_flag("--no-cache", None)
            }
            _ => false,
        }
    }

    /// Development dependencies are left out: npm `--omit=dev`,
    /// `--production`, `--only=prod`, `NODE_ENV=production`; yarn
    /// `--production`; pnpm `--prod`/`-P`; composer `--no-dev`; poetry
    /// `--only main`/`--without dev`; uv `--no-dev`; bundle without development.
    pub fn production_only(&self) -> bool {
        let node_env_production = self.env_value("NODE_ENV") == Some("production");
        match self.manager {
            PackageManager::Npm => {
                node_env_production
                    || self.flag_is_on("--production")
                    || self
                        .flag_values("--only", None)
                        .any(|v| matches!(v, "prod" | "production"))
                    || self
                        .flag_values("--omit", None)
                        .any(|v| v.split(',').any(|part| part == "dev"))
                    || self
                        .env_value("NPM_CONFIG_PRODUCTION")
                        .is_some_and(is_truthy)
                    || self
                        .env_value("npm_config_production")
                        .is_some_and(is_truthy)
                    || self
                        .env_value("NPM_CONFIG_OMIT")
                        .is_some_and(|v| v.split(',').any(|p| p == "dev"))
            }
            PackageManager::Yarn => {
                node_env_production
                    || self.flag_is_on("--production")
                    || self.env_value("YARN_PRODUCTION").is_some_and(is_truthy)
            }
            PackageManager::Pnpm => node_env_production || self.has_flag("--prod", Some('P')),
            PackageManager::Composer => {
                self.has_flag("--no-dev", None)
                    || self.env_value("COMPOSER_NO_DEV").is_some_and(is_truthy)
            }
            PackageManager::Poetry => {
                self.has_flag("--no-dev", None)
                    || self.flag_values("--only", None).any(|v| v == "main")
                    || self
                        .flag_values("--without", None)
                        .any(|v| v.split(',').any(|g| g.trim() == "dev"))
            }
            PackageManager::Uv => self.has_flag("--no-dev", None),
            PackageManager::Bundle => self.bundle_without_development(),
            _ => false,
        }
    }

    /// bundler skips the development group: `--without development`, or
    /// `BUNDLE_WITHOUT` (also set by `bundle config set without ...`).
    pub fn bundle_without_development(&self) -> bool {
        if self.manager != PackageManager::Bundle {
            return false;
        }
        let names_development = |value: &str| {
            value
                .split([' ', ':', ','])
                .any(|group| group.trim() == "development")
        };
        self.flag_values("--without", None).any(names_development)
            || self
                .env_value("BUNDLE_WITHOUT")
                .is_some_and(names_development)
    }

    /// Runs without prompting: `-y`/`--yes`/`--assume-yes` for apt, dnf,
    /// yum, microdnf and conda; `-n`/`--non-interactive` or `-y` for
    /// zypper. Other managers do not prompt.
    pub fn assumes_yes(&self) -> bool {
        match self.manager {
            PackageManager::Apt => {
                self.has_flag("--yes", Some('y'))
                    || self.has_flag("--assume-yes", None)
                    || self.has_flag("--force-yes", None)
                    || self.flag_values("--option", Some('o')).any(|value| {
                        value.starts_with("APT::Get::Assume-Yes=")
                            && !setting_is_false(value, "APT::Get::Assume-Yes")
                    })
            }
            PackageManager::Dnf | PackageManager::Yum | PackageManager::Microdnf => {
                self.has_flag("--assumeyes", Some('y')) || self.has_flag("--yes", None)
            }
            PackageManager::Zypper => {
                self.has_flag("--non-interactive", Some('n'))
                    || self.has_flag("--no-confirm", Some('y'))
                    || self.has_flag("--yes", None)
            }
            PackageManager::Conda => self.has_flag("--yes", Some('y')),
            _ => true,
        }
    }

    /// npm/pnpm `-g`, `yarn global`, `pip --user` is not global.
    pub fn is_global(&self) -> bool {
        match self.manager {
            PackageManager::Npm | PackageManager::Pnpm => self.has_flag("--global", Some('g')),
            PackageManager::Yarn => self.verb.starts_with("global"),
            _ => false,
        }
    }

    /// `--flag` or `--flag=true`, not `--flag=false`.
    fn flag_is_on(&self, long: &str) -> bool {
        self.flags
            .iter()
            .filter(|flag| flag.name == long)
            .any(|flag| flag.value.as_deref().is_none_or(is_truthy))
    }
}

fn flag_matches(flag: &PackageFlag, long: &str, short: Option<char>) -> bool {
    if flag.name == long {
        return true;
    }
    match (short, flag.name.strip_prefix('-')) {
        (Some(letter), Some(cluster)) => {
            !cluster.starts_with('-')
                && cluster.chars().all(|c| c.is_ascii_alphanumeric())
                && cluster.contains(letter)
        }
        _ => false,
    }
}

fn is_truthy(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "no" | "off"
    )
}

/// `KEY=false` (or 0/no/off), with `KEY` compared case-insensitively.
fn setting_is_false(value: &str, key: &str) -> bool {
    let Some((name, setting)) = value.split_once('=') else {
        return false;
    };
    name.trim().eq_ignore_ascii_case(key)
        && matches!(
            setting
                .trim()
                .trim_matches(['"', '\''])
                .to_ascii_lowercase()
                .as_str(),
            "false" | "0" | "no" | "off"
        )
}

/// How a manager's command line is read.
struct Grammar {
    /// Long options (or Go's single-dash ones) whose value may be the next word.
    long_values: &'static [&'static str],
    /// Short option letters whose value is the rest of the word or the next word.
    short_values: &'static str,
    /// Options are `-name` (Go), never clusters of letters.
    single_dash_long: bool,
}

const APT: Grammar = Grammar {
    long_values: &[
        "--option",
        "--config-file",
        "--target-release",
        "--default-release",
        "--host-architecture",
    ],
    short_values: "octa",
    single_dash_long: false,
};
const APK: Grammar = Grammar {
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
};
const RPM: Grammar = Grammar {
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
};
const ZYPPER: Grammar = Grammar {
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
};
const PIP: Grammar = Grammar {
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
const NODE: Grammar = Grammar {
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
const RUBY: Grammar = Grammar {
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
const GO: Grammar = Grammar {
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
};
const CARGO: Grammar = Grammar {
    long_values: &[
        "--target",
        "--features",
        "--bin",
        "--example",
        "--package",
        "--profile",
        "--jobs",
        "--manifest-path",
        "--target-dir",
        "--root",
        "--version",
        "--vers",
        "--git",
        "--branch",
        "--tag",
        "--rev",
        "--path",
        "--index",
        "--registry",
        "--config",
        "--color",
        "--message-format",
        "--lockfile-path",
        "--test",
        "--bench",
        "--exclude",
    ],
    short_values: "pjFZ",
    single_dash_long: false,
};
const COMPOSER: Grammar = Grammar {
    long_values: &["--working-dir", "--format", "--stability"],
    short_values: "d",
    single_dash_long: false,
};
const CONDA: Grammar = Grammar {
    long_values: &[
        "--channel",
        "--name",
        "--prefix",
        "--file",
        "--override-channels-file",
    ],
    short_values: "cnp",
    single_dash_long: false,
};

/// The manager a command runs and the arguments after the program
/// (after `-m pip` for `python -m pip`).
fn identify(command: &SimpleCommand) -> Option<(PackageManager, &[ShellWord])> {
    let program = command.program();
    let manager = match program {
        "apt-get" | "apt" | "aptitude" => PackageManager::Apt,
        "apk" => PackageManager::Apk,
        "dnf" | "dnf5" => PackageManager::Dnf,
        "yum" => PackageManager::Yum,
        "microdnf" => PackageManager::Microdnf,
        "zypper" => PackageManager::Zypper,
        "pipx" => PackageManager::Pipx,
        "npm" => PackageManager::Npm,
        "yarn" | "yarnpkg" => PackageManager::Yarn,
        "pnpm" => PackageManager::Pnpm,
        "gem" => PackageManager::Gem,
        "bundle" | "bundler" => PackageManager::Bundle,
        "go" => PackageManager::Go,
        "cargo" => PackageManager::Cargo,
        "composer" | "composer.phar" => PackageManager::Composer,
        "conda" | "mamba" | "micromamba" => PackageManager::Conda,
        "uv" => PackageManager::Uv,
        "poetry" => PackageManager::Poetry,
        _ if is_versioned(program, "pip") => PackageManager::Pip,
        _ if is_versioned(program, "python") => {
            // `python -m pip ...`
            return match command.args.as_slice() {
                [flag, module, rest @ ..]
                    if flag.text == "-m" && is_versioned(&module.text, "pip") =>
                {
                    Some((PackageManager::Pip, rest))
                }
                _ => None,
            };
        }
        _ => return None,
    };
    Some((manager, &command.args))
}

/// `pip`, `pip3`, `pip3.12` for `base` = `pip`.
fn is_versioned(program: &str, base: &str) -> bool {
    program
        .strip_prefix(base)
        .is_some_and(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

fn grammar(manager: PackageManager) -> &'static Grammar {
    match manager {
        PackageManager::Apt => &APT,
        PackageManager::Apk => &APK,
        PackageManager::Dnf | PackageManager::Yum | PackageManager::Microdnf => &RPM,
        PackageManager::Zypper => &ZYPPER,
        PackageManager::Pip
        | PackageManager::Pipx
        | PackageManager::Uv
        | PackageManager::Poetry => &PIP,
        PackageManager::Npm | PackageManager::Yarn | PackageManager::Pnpm => &NODE,
        PackageManager::Gem | PackageManager::Bundle => &RUBY,
        PackageManager::Go => &GO,
        PackageManager::Cargo => &CARGO,
        PackageManager::Composer => &COMPOSER,
        PackageManager::Conda => &CONDA,
    }
}

/// A command line split into options and operands.
struct CommandLine<'w> {
    operands: Vec<&'w ShellWord>,
    flags: Vec<PackageFlag>,
}

fn split_command_line<'w>(args: &'w [ShellWord], grammar: &Grammar) -> CommandLine<'w> {
    let mut operands = Vec::new();
    let mut flags = Vec::new();
    let mut only_operands = false;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let text = word.text.as_str();
        if !only_operands && text == "--" {
            only_operands = true;
            continue;
        }
        if only_operands || !word.is_option() {
            operands.push(word);
            continue;
        }
        let next = args.get(i);
        if text.starts_with("--") || grammar.single_dash_long {
            let (name, value) = match text.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (text, None),
            };
            let mut span = word.span;
            let value = match (value, next) {
                (None, Some(next)) if grammar.long_values.contains(&name) => {
                    i += 1;
                    span = span.cover(next.span);
                    Some(next.text.clone())
                }
                (value, _) => value,
            };
            flags.push(PackageFlag {
                name: name.to_string(),
                value,
                span,
            });
            continue;
        }
        // A cluster of short options; the first that takes a value ends it.
        let cluster = &text[1..];
        let value_at = cluster
            .char_indices()
            .find(|(_, c)| grammar.short_values.contains(*c));
        match value_at {
            Some((at, letter)) => {
                let name_end = 1 + at + letter.len_utf8();
                let rest = &text[name_end..];
                let (value, span) = if !rest.is_empty() {
                    (Some(rest.to_string()), word.span)
                } else if let Some(next) = next {
                    i += 1;
                    (Some(next.text.clone()), word.span.cover(next.span))
                } else {
                    (None, word.span)
                };
                flags.push(PackageFlag {
                    name: text[..name_end].to_string(),
                    value,
                    span,
                });
            }
            None => flags.push(PackageFlag {
                name: text.to_string(),
                value: None,
                span: word.span,
            }),
        }
    }
    CommandLine { operands, flags }
}

/// Subcommands of two words.
fn two_word_verb(manager: PackageManager, first: &str) -> bool {
    match manager {
        PackageManager::Uv => matches!(first, "pip" | "tool"),
        PackageManager::Yarn => matches!(first, "global" | "workspaces"),
        PackageManager::Go => first == "mod",
        PackageManager::Dnf | PackageManager::Yum | PackageManager::Microdnf => {
            matches!(first, "group" | "groups" | "module")
        }
        PackageManager::Conda => first == "env",
        _ => false,
    }
}

fn action(manager: PackageManager, verb: &str, names_packages: bool) -> Option<PackageAction> {
    use PackageAction::{Build, FromManifest, Install, RefreshIndex, Remove, Upgrade};
    use PackageManager as M;
    let named_or_manifest = if names_packages {
        Install
    } else {
        FromManifest
    };
    let action = match manager {
        M::Apt => match verb {
            "install" | "reinstall" | "build-dep" => Install,
            "update" => RefreshIndex,
            "upgrade" | "dist-upgrade" | "full-upgrade" => Upgrade,
            "remove" | "purge" | "autoremove" | "autopurge" => Remove,
            _ => return None,
        },
        M::Apk => match verb {
            "add" => Install,
            "del" => Remove,
            "update" => RefreshIndex,
            "upgrade" => Upgrade,
            _ => return None,
        },
        M::Dnf | M::Yum | M::Microdnf => match verb {
            "install" | "in" | "reinstall" | "localinstall" | "groupinstall" | "group install"
            | "groups install" | "module install" => Install,
            "remove" | "erase" | "rm" | "autoremove" | "groupremove" | "group remove"
            | "module remove" => Remove,
            "update" | "upgrade" | "up" | "distro-sync" | "dsync" | "update-minimal"
            | "upgrade-minimal" => Upgrade,
            "makecache" => RefreshIndex,
            _ => return None,
        },
        M::Zypper => match verb {
            "install" | "in" | "source-install" | "si" => Install,
            "remove" | "rm" => Remove,
            "refresh" | "ref" => RefreshIndex,
            "update" | "up" | "dist-upgrade" | "dup" | "patch" => Upgrade,
            _ => return None,
        },
        M::Pip => match verb {
            "install" => named_or_manifest,
            "uninstall" => Remove,
            _ => return None,
        },
        M::Pipx => match verb {
            "install" | "inject" => Install,
            "uninstall" => Remove,
            "upgrade" | "upgrade-all" => Upgrade,
            _ => return None,
        },
        M::Uv => match verb {
            "add" | "tool install" => Install,
            "pip install" => named_or_manifest,
            "sync" | "pip sync" => FromManifest,
            "remove" | "pip uninstall" | "tool uninstall" => Remove,
            _ => return None,
        },
        M::Poetry => match verb {
            "install" | "sync" => FromManifest,
            "add" => Install,
            "remove" => Remove,
            "update" => Upgrade,
            _ => return None,
        },
        M::Npm => match verb {
            "install" | "i" | "in" | "add" | "isntall" => named_or_manifest,
            "ci" | "clean-install" | "ic" | "install-clean" => FromManifest,
            "uninstall" | "remove" | "rm" | "r" | "un" | "unlink" | "prune" => Remove,
            "update" | "up" | "upgrade" => Upgrade,
            _ => return None,
        },
        M::Yarn => match verb {
            "" | "install" | "workspaces focus" => FromManifest,
            "add" | "global add" => Install,
            "remove" | "global remove" => Remove,
            "upgrade" | "up" | "global upgrade" => Upgrade,
            _ => return None,
        },
        M::Pnpm => match verb {
            "install" | "i" | "fetch" => named_or_manifest,
            "add" => Install,
            "remove" | "rm" | "uninstall" | "un" => Remove,
            "update" | "up" | "upgrade" => Upgrade,
            _ => return None,
        },
        M::Gem => match verb {
            "install" | "i" => Install,
            "uninstall" => Remove,
            "update" => Upgrade,
            _ => return None,
        },
        M::Bundle => match verb {
            "" | "install" => FromManifest,
            "add" => Install,
            "remove" => Remove,
            "update" => Upgrade,
            _ => return None,
        },
        M::Go => match verb {
            "build" => Build,
            "install" | "get" => Install,
            "mod download" => FromManifest,
            _ => return None,
        },
        M::Cargo => match verb {
            "build" | "b" => Build,
            "install" => Install,
            "fetch" => FromManifest,
            "uninstall" => Remove,
            _ => return None,
        },
        M::Composer => match verb {
            "install" | "i" => FromManifest,
            "require" | "req" => Install,
            "remove" | "rm" => Remove,
            "update" | "u" | "upgrade" => Upgrade,
            _ => return None,
        },
        M::Conda => match verb {
            "install" | "create" => named_or_manifest,
            "env create" | "env update" => FromManifest,
            "remove" | "uninstall" => Remove,
            "update" | "upgrade" => Upgrade,
            _ => return None,
        },
    };
    Some(action)
}

/// The package name in a spec: version pins, extras, channels and
/// repository tags removed.
pub(super) fn package_name(manager: PackageManager, spec: &str) -> String {
    use PackageManager as M;
    let cut_at = |text: &str, stops: &[char]| -> String {
        // A leading stop character is part of the name (`@scope/pkg`, `./dir`).
        match text.char_indices().skip(1).find(|(_, c)| stops.contains(c)) {
            Some((at, _)) => text[..at].to_string(),
            None => text.to_string(),
        }
    };
    let is_location = spec.contains("://") || spec.starts_with(['.', '/', '~']);
    if is_location {
        return spec.to_string();
    }
    match manager {
        M::Apt => {
            let name = cut_at(spec, &['=', '/']);
            match name.split_once(':') {
                Some((base, _arch)) if !base.is_empty() => base.to_string(),
                _ => name,
            }
        }
        M::Apk => cut_at(spec, &['=', '~', '<', '>', '@']),
        M::Dnf | M::Yum | M::Microdnf | M::Zypper => cut_at(spec, &['=', '<', '>']),
        M::Pip | M::Pipx | M::Uv | M::Poetry => {
            cut_at(spec, &['=', '<', '>', '!', '~', ';', '@', '[', ' '])
                .trim()
                .to_string()
        }
        M::Npm | M::Yarn | M::Pnpm => {
            if spec.contains(':') {
                // `github:user/repo`, `npm:alias@1`, `file:../x`.
                return spec.to_string();
            }
            cut_at(spec, &['@'])
        }
        M::Gem => cut_at(spec, &[':']),
        M::Go | M::Cargo => cut_at(spec, &['@']),
        M::Composer => cut_at(spec, &[':', '=', ' ']),
        M::Conda => {
            let without_channel = spec.rsplit_once("::").map_or(spec, |(_, name)| name);
            cut_at(without_channel, &['=', '<', '>', '!', ' ', '['])
        }
        M::Bundle => spec.to_string(),
    }
}

/// Finds every package-manager run, split into installs and removals.
pub(super) fn detect(commands: &[SimpleCommand]) -> (Vec<PackageInstall>, Vec<PackageInstall>) {
    let mut installs = Vec::new();
    let mut uninstalls = Vec::new();
    let mut exported: Vec<(String, String)> = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        record_environment(command, &mut exported);
        let Some(run) = package_run(index, command, &exported) else {
            continue;
        };
        if run.action == PackageAction::Remove {
            uninstalls.push(run);
        } else {
            installs.push(run);
        }
    }
    (installs, uninstalls)
}

/// Variables that later commands see: `export A=1`, `declare -x A=1`, and
/// `bundle config [set] [--local] without GROUPS` (stored as `BUNDLE_WITHOUT`).
fn record_environment(command: &SimpleCommand, exported: &mut Vec<(String, String)>) {
    match command.program() {
        "export" => exported.extend(command.arg_texts().filter_map(parse_assignment)),
        "declare" | "typeset"
            if command
                .arg_texts()
                .any(|arg| arg.starts_with('-') && arg.contains('x')) =>
        {
            exported.extend(command.arg_texts().filter_map(parse_assignment));
        }
        "bundle" | "bundler" => {
            let words: Vec<&str> = command
                .arg_texts()
                .filter(|arg| !matches!(*arg, "--local" | "--global"))
                .collect();
            let setting = match words.as_slice() {
                ["config", "set", key, value @ ..] | ["config", key, value @ ..] => {
                    Some((*key, value.join(" ")))
                }
                _ => None,
            };
            if let Some((key, value)) = setting {
                if key.trim_start_matches("--") == "without" && !value.is_empty() {
                    exported.push(("BUNDLE_WITHOUT".to_string(), value));
                }
            }
        }
        _ => {}
    }
}

fn package_run(
    index: usize,
    command: &SimpleCommand,
    exported: &[(String, String)],
) -> Option<PackageInstall> {
    let (manager, args) = identify(command)?;
    let grammar = grammar(manager);
    let mut line = split_command_line(args, grammar);
    // `cargo +nightly build`: the toolchain comes before the verb.
    if manager == PackageManager::Cargo
        && line
            .operands
            .first()
            .is_some_and(|w| w.text.starts_with('+'))
    {
        line.operands.remove(0);
    }
    let mut operands = line.operands.into_iter();
    let verb = match operands.next() {
        None => String::new(),
        Some(first) if two_word_verb(manager, &first.text) => match operands.next() {
            Some(second) => format!("{} {}", first.text, second.text),
            None => first.text.clone(),
        },
        Some(first) => first.text.clone(),
    };
    let mut packages: Vec<PackageArg> = operands
        .map(|word| PackageArg {
            name: package_name(manager, &word.text),
            spec: word.text.clone(),
            span: word.span,
            is_static: word.is_static,
        })
        .collect();

    let mut requirement_files = Vec::new();
    let mut virtual_package = None;
    for flag in &line.flags {
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        let is = |long: &str, short: Option<char>| flag_matches(flag, long, short);
        match manager {
            PackageManager::Pip | PackageManager::Uv if is("--requirement", Some('r')) => {
                requirement_files.push(value.to_string());
            }
            PackageManager::Pip | PackageManager::Uv if is("--editable", Some('e')) => packages
                .push(PackageArg {
                    name: package_name(manager, value),
                    spec: value.to_string(),
                    span: flag.span,
                    is_static: true,
                }),
            PackageManager::Conda if is("--file", None) => {
                requirement_files.push(value.to_string())
            }
            PackageManager::Apk if is("--virtual", Some('t')) => {
                virtual_package = Some(value.to_string())
            }
            _ => {}
        }
    }

    let action = action(manager, &verb, !packages.is_empty())?;
    let mut env = exported.to_vec();
    env.extend(command.assignments.iter().cloned());
    Some(PackageInstall {
        manager,
        action,
        verb,
        packages,
        flags: line.flags,
        requirement_files,
        virtual_package,
        env,
        command_index: index,
        span: command.span,
    })
}
