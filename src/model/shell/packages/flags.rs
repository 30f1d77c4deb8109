//! What a package-manager run's options and environment say: the questions rules ask.

use super::super::command::last_value;
use super::{dialect, PackageFlag, PackageInstall, PackageManager};

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

    pub(super) fn flag_values<'a>(
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
        last_value(&self.env, name)
    }

    /// apt without recommended packages (`--no-install-recommends`,
    /// `-o APT::Install-Recommends=false`); the same idea for dnf/yum
    /// (`--setopt=install_weak_deps=False`) and zypper (`--no-recommends`).
    pub fn no_install_recommends(&self) -> bool {
        (dialect(self.manager).no_install_recommends)(self)
    }

    /// The run leaves no download cache behind: apk `--no-cache`, pip
    /// `--no-cache-dir` or `PIP_NO_CACHE_DIR`, uv/poetry/composer/bundle
    /// `--no-cache` (or `UV_NO_CACHE`).
    pub fn no_cache(&self) -> bool {
        (dialect(self.manager).no_cache)(self)
    }

    /// Development dependencies are left out: npm `--omit=dev`,
    /// `--production`, `--only=prod`, `NODE_ENV=production`; yarn
    /// `--production`; pnpm `--prod`/`-P`; composer `--no-dev`; poetry
    /// `--only main`/`--without dev`; uv `--no-dev`; bundle without development.
    pub fn production_only(&self) -> bool {
        (dialect(self.manager).production_only)(self)
    }

    /// bundler skips the development group: `--without development`, or
    /// `BUNDLE_WITHOUT` (also set by `bundle config set without ...`).
    pub fn bundle_without_development(&self) -> bool {
        self.manager == PackageManager::Bundle && self.production_only()
    }

    /// Runs without prompting: `-y`/`--yes`/`--assume-yes` for apt, dnf,
    /// yum, microdnf and conda; `-n`/`--non-interactive` or `-y` for
    /// zypper. Other managers do not prompt.
    pub fn assumes_yes(&self) -> bool {
        (dialect(self.manager).assumes_yes)(self)
    }

    /// npm/pnpm `-g`, `yarn global`, `pip --user` is not global.
    pub fn is_global(&self) -> bool {
        (dialect(self.manager).is_global)(self)
    }

    /// `--flag` or `--flag=true`, not `--flag=false`.
    pub(super) fn flag_is_on(&self, long: &str) -> bool {
        self.flags
            .iter()
            .filter(|flag| flag.name == long)
            .any(|flag| flag.value.as_deref().is_none_or(is_truthy))
    }
}

pub(super) fn flag_matches(flag: &PackageFlag, long: &str, short: Option<char>) -> bool {
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

/// `--no-cache`, as apk, poetry, composer and bundler spell it.
pub(super) fn no_cache_flag(install: &PackageInstall) -> bool {
    install.has_flag("--no-cache", None)
}

pub(super) fn is_truthy(value: &str) -> bool {
    !matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "" | "0" | "false" | "no" | "off"
    )
}

/// `KEY=false` (or 0/no/off), with `KEY` compared case-insensitively.
pub(super) fn setting_is_false(value: &str, key: &str) -> bool {
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
