//! Cache cleanups (`apt-get clean`, `rm -rf /var/lib/apt/lists/*`) and `rm` removals.

use super::command::{has_option, ShellWord, SimpleCommand};
use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CleanupKind {
    /// `rm -rf /var/lib/apt/lists/*`, `apt-get dist-clean`.
    AptLists,
    /// `apt-get clean`, `rm -rf /var/cache/apt/*`.
    AptClean,
    /// `rm -rf /var/cache/apk/*`, `apk cache clean`.
    ApkCache,
    /// `dnf clean all`, `microdnf clean all`, `rm -rf /var/cache/dnf`.
    DnfClean,
    /// `yum clean all`, `rm -rf /var/cache/yum`.
    YumClean,
    /// `zypper clean`, `rm -rf /var/cache/zypp`.
    ZypperClean,
    /// `pip cache purge`, `rm -rf ~/.cache/pip` or the whole `~/.cache`.
    PipCache,
    /// `npm cache clean --force`, `rm -rf ~/.npm`.
    NpmCacheClean,
    /// `yarn cache clean`, `rm -rf /usr/local/share/.cache/yarn`.
    YarnCacheClean,
    /// `rm -rf /tmp/*`, `/var/tmp/*`.
    TmpFiles,
    /// Another manager's cache: `conda clean`, `composer clear-cache`,
    /// `go clean -modcache`, `pnpm store prune`, `uv cache clean`, `gem cleanup`...
    Other,
}

/// A command that clears a cache or temporary files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleanup {
    pub kind: CleanupKind,
    /// Index into [`super::ShellFacts::commands`].
    pub command_index: usize,
    /// The path removed (for `rm`), or the command.
    pub span: Span,
}

/// An `rm` and what it deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    pub paths: Vec<ShellWord>,
    /// `-r`, `-R`, `--recursive`.
    pub recursive: bool,
    /// `-f`, `--force`.
    pub force: bool,
    pub command_index: usize,
    pub span: Span,
}

pub(super) fn detect_removals(commands: &[SimpleCommand]) -> Vec<Removal> {
    commands
        .iter()
        .enumerate()
        .filter(|(_, command)| command.program() == "rm")
        .map(|(index, command)| Removal {
            paths: rm_paths(command).cloned().collect(),
            recursive: command.has_option("--recursive", Some('r'))
                || command.has_option("", Some('R')),
            force: command.has_option("--force", Some('f')),
            command_index: index,
            span: command.span,
        })
        .collect()
}

/// The operands of `rm`: not options, except after `--`.
fn rm_paths(command: &SimpleCommand) -> impl Iterator<Item = &ShellWord> {
    let mut only_operands = false;
    command.args.iter().filter(move |word| {
        if !only_operands && word.text == "--" {
            only_operands = true;
            return false;
        }
        only_operands || !word.is_option()
    })
}

pub(super) fn detect_cleanups(commands: &[SimpleCommand]) -> Vec<Cleanup> {
    let mut cleanups = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        if command.program() == "rm" {
            for path in rm_paths(command).filter(|path| path.is_static) {
                for kind in cached_kinds(&path.text) {
                    cleanups.push(Cleanup {
                        kind,
                        command_index: index,
                        span: path.span,
                    });
                }
            }
            continue;
        }
        for kind in command_cleanups(command) {
            cleanups.push(Cleanup {
                kind,
                command_index: index,
                span: command.span,
            });
        }
    }
    cleanups
}

/// Cleanups a package manager's own command performs.
fn command_cleanups(command: &SimpleCommand) -> Vec<CleanupKind> {
    let words: Vec<&str> = command
        .args
        .iter()
        .filter(|w| !w.is_option())
        .map(|w| w.text.as_str())
        .collect();
    let first = words.first().copied().unwrap_or("");
    let second = words.get(1).copied().unwrap_or("");
    let kind = match command.program() {
        "apt-get" | "apt" | "aptitude" => match first {
            "clean" | "autoclean" => CleanupKind::AptClean,
            "dist-clean" | "distclean" => {
                return vec![CleanupKind::AptClean, CleanupKind::AptLists]
            }
            _ => return Vec::new(),
        },
        "apk" if first == "cache" && matches!(second, "clean" | "purge") => CleanupKind::ApkCache,
        "dnf" | "dnf5" | "microdnf" if first == "clean" => CleanupKind::DnfClean,
        "yum" if first == "clean" => CleanupKind::YumClean,
        "zypper" if matches!(first, "clean" | "cc") => CleanupKind::ZypperClean,
        "npm" if first == "cache" && second == "clean" => CleanupKind::NpmCacheClean,
        "yarn" | "yarnpkg" if first == "cache" && second == "clean" => CleanupKind::YarnCacheClean,
        program if is_pip(program, &command.args) && words.contains(&"cache") => {
            let after_cache = words.iter().skip_while(|w| **w != "cache").nth(1).copied();
            if matches!(after_cache, Some("purge" | "remove")) {
                CleanupKind::PipCache
            } else {
                return Vec::new();
            }
        }
        "conda" | "mamba" | "micromamba" if first == "clean" => CleanupKind::Other,
        "composer" | "composer.phar" if matches!(first, "clear-cache" | "clearcache" | "cc") => {
            CleanupKind::Other
        }
        "go" if first == "clean"
            && (has_option(&command.args, "-cache", None)
                || has_option(&command.args, "-modcache", None)) =>
        {
            CleanupKind::Other
        }
        "pnpm" if first == "store" && second == "prune" => CleanupKind::Other,
        "uv" if first == "cache" && matches!(second, "clean" | "prune") => CleanupKind::Other,
        "poetry" if first == "cache" && second == "clear" => CleanupKind::Other,
        "gem" if first == "cleanup" => CleanupKind::Other,
        "bundle" | "bundler" if first == "clean" => CleanupKind::Other,
        _ => return Vec::new(),
    };
    vec![kind]
}

fn is_pip(program: &str, args: &[ShellWord]) -> bool {
    let versioned = |name: &str, base: &str| {
        name.strip_prefix(base)
            .is_some_and(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    versioned(program, "pip")
        || (versioned(program, "python")
            && args.first().is_some_and(|w| w.text == "-m")
            && args.get(1).is_some_and(|w| versioned(&w.text, "pip")))
}

/// Where caches live (home directories written as `/root`).
const CACHE_DIRS: &[(&str, CleanupKind)] = &[
    ("/var/lib/apt/lists", CleanupKind::AptLists),
    ("/var/cache/apt", CleanupKind::AptClean),
    ("/var/cache/apk", CleanupKind::ApkCache),
    ("/etc/apk/cache", CleanupKind::ApkCache),
    ("/var/cache/dnf", CleanupKind::DnfClean),
    ("/var/cache/yum", CleanupKind::YumClean),
    ("/var/cache/zypp", CleanupKind::ZypperClean),
    ("/root/.cache/pip", CleanupKind::PipCache),
    ("/root/.npm", CleanupKind::NpmCacheClean),
    ("/root/.cache/yarn", CleanupKind::YarnCacheClean),
    ("/usr/local/share/.cache/yarn", CleanupKind::YarnCacheClean),
    ("/root/.yarn/berry/cache", CleanupKind::YarnCacheClean),
    ("/tmp", CleanupKind::TmpFiles),
    ("/var/tmp", CleanupKind::TmpFiles),
];

/// The caches removing `path` clears: a cache directory, something inside
/// one, or a directory holding caches (`/var/cache/*` clears them all).
fn cached_kinds(path: &str) -> Vec<CleanupKind> {
    let owned = normalize(path);
    let components: Vec<&str> = owned.iter().map(String::as_str).collect();
    let mut kinds = Vec::new();
    if components.is_empty() {
        return kinds;
    }
    for (dir, kind) in CACHE_DIRS {
        let dir_components: Vec<&str> = dir.split('/').filter(|c| !c.is_empty()).collect();
        let inside = components.starts_with(&dir_components);
        // Holding the cache: only for paths two levels deep or more, not `rm -rf /*`.
        let holds = components.len() >= 2 && dir_components.starts_with(&components);
        if (inside || holds) && !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
    kinds
}

/// Path components with home directories mapped to `/root` and trailing
/// glob components dropped: `~/.cache/pip/*` → `root .cache pip`.
fn normalize(path: &str) -> Vec<String> {
    let path = path.trim();
    let home_relative = ["~/", "$HOME/", "${HOME}/"]
        .iter()
        .find_map(|prefix| path.strip_prefix(prefix))
        .or_else(|| ["~", "$HOME", "${HOME}"].contains(&path).then_some(""));
    let absolute = match home_relative {
        Some(rest) => format!("/root/{rest}"),
        None if path.starts_with('/') => path.to_string(),
        None => return Vec::new(),
    };
    let mut components: Vec<String> = absolute
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .map(str::to_string)
        .collect();
    // `/home/app/.cache` is a home directory too.
    if components.len() >= 2 && components[0] == "home" {
        components.splice(0..2, ["root".to_string()]);
    }
    while components
        .last()
        .is_some_and(|c| c.contains(['*', '?', '[']))
    {
        components.pop();
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths_are_classified() {
        assert_eq!(
            cached_kinds("/var/lib/apt/lists/*"),
            vec![CleanupKind::AptLists]
        );
        assert_eq!(
            cached_kinds("/var/lib/apt/lists"),
            vec![CleanupKind::AptLists]
        );
        assert_eq!(
            cached_kinds("/var/cache/apt/archives/*.deb"),
            vec![CleanupKind::AptClean]
        );
        assert_eq!(cached_kinds("~/.cache/pip"), vec![CleanupKind::PipCache]);
        assert_eq!(
            cached_kinds("/root/.cache"),
            vec![CleanupKind::PipCache, CleanupKind::YarnCacheClean]
        );
        assert_eq!(
            cached_kinds("$HOME/.npm/_cacache"),
            vec![CleanupKind::NpmCacheClean]
        );
        assert_eq!(
            cached_kinds("/home/node/.npm"),
            vec![CleanupKind::NpmCacheClean]
        );
        assert_eq!(cached_kinds("/tmp/*"), vec![CleanupKind::TmpFiles]);
        assert_eq!(
            cached_kinds("/tmp/node-v20.tar.xz"),
            vec![CleanupKind::TmpFiles]
        );
        assert!(cached_kinds("/var/cache/*").contains(&CleanupKind::ApkCache));
        assert!(cached_kinds("/*").is_empty());
        assert!(cached_kinds("/usr/src/python").is_empty());
        assert!(cached_kinds("relative/dir").is_empty());
    }
}
