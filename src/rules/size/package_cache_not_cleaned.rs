//! Package indexes and download caches left in the layer of the RUN that created them.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::model::graph::mount_options;
use crate::model::shell::{
    CleanupKind, NotShell, PackageAction, PackageInstall, PackageManager, RunFacts,
};
use crate::model::Stage;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::size::heuristics::Heuristics;
use crate::size::range::human;
use crate::syntax::{Form, Instruction, Keyword};

pub struct PackageCacheNotCleaned;

/// A cache one package manager leaves behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cache {
    AptLists,
    Apk,
    Rpm,
    Zypper,
    Pip,
    Npm,
    Yarn,
}

impl Cache {
    const ALL: [Cache; 7] = [
        Cache::AptLists,
        Cache::Apk,
        Cache::Rpm,
        Cache::Zypper,
        Cache::Pip,
        Cache::Npm,
        Cache::Yarn,
    ];

    /// The cleanups that remove this cache.
    fn cleaned_by(self) -> &'static [CleanupKind] {
        match self {
            Cache::AptLists => &[CleanupKind::AptLists],
            Cache::Apk => &[CleanupKind::ApkCache],
            Cache::Rpm => &[CleanupKind::DnfClean, CleanupKind::YumClean],
            Cache::Zypper => &[CleanupKind::ZypperClean],
            Cache::Pip => &[CleanupKind::PipCache],
            Cache::Npm => &[CleanupKind::NpmCacheClean],
            Cache::Yarn => &[CleanupKind::YarnCacheClean],
        }
    }

    /// Whether a cache or tmpfs mount at `target` holds this cache.
    fn mounted_at(self, target: &str) -> bool {
        let target = target.trim_end_matches('/');
        let under = |dir: &str| {
            dir.strip_prefix(target)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        match self {
            Cache::AptLists => under("/var/lib/apt/lists"),
            Cache::Apk => under("/var/cache/apk") || under("/etc/apk/cache"),
            Cache::Rpm => {
                under("/var/cache/dnf") || under("/var/cache/yum") || under("/var/cache/libdnf5")
            }
            Cache::Zypper => under("/var/cache/zypp"),
            Cache::Pip => target.ends_with("/.cache") || target.ends_with("/pip"),
            Cache::Npm => target.ends_with("/.npm") || target.ends_with("/_cacache"),
            Cache::Yarn => target.ends_with("/.cache") || target.contains("yarn"),
        }
    }

    /// The size estimator's typical figure for this cache, when it has one.
    fn typical_bytes(self) -> Option<u64> {
        let kind = match self {
            Cache::AptLists => "apt-lists",
            Cache::Apk => "apk",
            Cache::Rpm => "dnf",
            Cache::Zypper | Cache::Pip | Cache::Npm | Cache::Yarn => return None,
        };
        Heuristics::embedded().typical_cache_bytes(kind)
    }

    fn location(self) -> &'static str {
        match self {
            Cache::AptLists => "the package lists in `/var/lib/apt/lists`",
            Cache::Apk => "the package index in `/var/cache/apk`",
            Cache::Rpm => "its metadata and package cache in `/var/cache`",
            Cache::Zypper => "its metadata and package cache in `/var/cache/zypp`",
            Cache::Pip => "downloaded packages in `~/.cache/pip`",
            Cache::Npm => "its download cache in `~/.npm`",
            Cache::Yarn => "its package cache",
        }
    }

    fn help(self, program: &str) -> String {
        match self {
            Cache::AptLists => "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or mount a cache: `RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked`".to_string(),
            Cache::Apk => "use `apk add --no-cache`, which fetches the index without storing it".to_string(),
            Cache::Rpm => format!("end the same RUN with `&& {program} clean all`"),
            Cache::Zypper => "end the same RUN with `&& zypper clean --all`".to_string(),
            Cache::Pip => "add `--no-cache-dir` (or set `ENV PIP_NO_CACHE_DIR=1`), or mount a cache: `RUN --mount=type=cache,target=/root/.cache/pip`".to_string(),
            Cache::Npm => "end the same RUN with `&& npm cache clean --force`, or mount a cache: `RUN --mount=type=cache,target=/root/.npm`".to_string(),
            Cache::Yarn => "end the same RUN with `&& yarn cache clean`, or mount a cache: `RUN --mount=type=cache,target=/usr/local/share/.cache/yarn`".to_string(),
        }
    }

    /// The cache a package-manager run leaves, if it leaves one.
    fn of(install: &PackageInstall) -> Option<Cache> {
        use PackageAction::{FromManifest, Install, RefreshIndex, Upgrade};
        use PackageManager as M;
        let action = install.action;
        let cache = match install.manager {
            M::Apt if action == RefreshIndex => Cache::AptLists,
            M::Apk if matches!(action, Install | Upgrade | RefreshIndex) && !install.no_cache() => {
                Cache::Apk
            }
            M::Dnf | M::Yum | M::Microdnf if matches!(action, Install | Upgrade | RefreshIndex) => {
                Cache::Rpm
            }
            M::Zypper if matches!(action, Install | Upgrade | RefreshIndex) => Cache::Zypper,
            M::Pip if matches!(action, Install | FromManifest) && !install.no_cache() => Cache::Pip,
            M::Npm if matches!(action, Install | FromManifest | Upgrade) => Cache::Npm,
            M::Yarn if matches!(action, Install | FromManifest) => Cache::Yarn,
            _ => return None,
        };
        Some(cache)
    }

    /// The option moving the cache elsewhere (`pip --cache-dir`, `npm --cache`).
    fn dir_option(self, install: &PackageInstall) -> Option<&str> {
        match self {
            Cache::Pip => install.flag_value("--cache-dir", None),
            Cache::Npm => install.flag_value("--cache", None),
            Cache::Yarn => install.flag_value("--cache-folder", None),
            _ => None,
        }
    }
}

impl Rule for PackageCacheNotCleaned {
    fn meta(&self) -> &'static RuleMeta {
        meta("package-cache-not-cleaned")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.graph.bases_any(|index| {
            cx.stage_instructions(&cx.graph.stages[index])
                .any(|(_, instruction)| turns_pip_cache_off(cx, instruction))
        });
        for stage in &cx.graph.stages {
            let Some(severity) = cx.layer_severity(stage) else {
                continue;
            };
            let ships = cx.filesystems().ships_whole(stage.index);
            let mut pip_cache_off = in_bases[stage.index];
            let runs: Vec<(&Instruction, &RunFacts)> = cx
                .stage_instructions(stage)
                .filter(|(_, i)| i.is(Keyword::Run) || turns_pip_cache_off(cx, i))
                .map(|(at, i)| (i, cx.run_facts(at)))
                .collect();
            for (n, (instruction, run)) in runs.iter().enumerate() {
                if !instruction.is(Keyword::Run) {
                    pip_cache_off |= turns_pip_cache_off(cx, instruction);
                    continue;
                }
                // In a PowerShell or cmd script only pip's own flag is read: the
                // other caches are cleaned with commands of that language.
                let other_shell = matches!(run.not_shell, Some(NotShell::StageShell(_)));
                if run.not_shell.is_some() && !other_shell {
                    continue;
                }
                let mounts = mount_targets(instruction);
                for cache in Cache::ALL {
                    if other_shell && cache != Cache::Pip {
                        continue;
                    }
                    if cache == Cache::Pip && pip_cache_off {
                        continue;
                    }
                    if mounts.iter().any(|t| cache.mounted_at(t)) {
                        continue;
                    }
                    let leaving: Vec<&PackageInstall> = run
                        .facts
                        .installs
                        .iter()
                        .filter(|install| {
                            Cache::of(install) == Some(cache)
                                && !cleaned_later(run, cache, install)
                                && !moved_away(run, &mounts, cache, install)
                        })
                        .collect();
                    let Some(install) = leaving.first() else {
                        continue;
                    };
                    let mut diagnostic = self
                        .report(stage, (severity, ships), run, cache, install)
                        .with_severity(cx.severity_for_bytes(severity, cache.typical_bytes()));
                    if let Some(fix) = no_cache_fix(cx, instruction, run, cache, &leaving) {
                        diagnostic = diagnostic.with_fix(fix);
                    }
                    // A later RUN deleting it does not shrink this layer.
                    if let Some(span) = runs[n + 1..].iter().find_map(|(later, facts)| {
                        later.is(Keyword::Run).then_some(())?;
                        facts
                            .facts
                            .cleanups
                            .iter()
                            .find(|c| cache.cleaned_by().contains(&c.kind))
                            .map(|c| c.span)
                    }) {
                        diagnostic = diagnostic.with_label(
                            span,
                            "cleaned only in a later layer, which does not shrink this one",
                        );
                    }
                    out.push(diagnostic);
                }
                pip_cache_off |= turns_pip_cache_off(cx, instruction);
            }
        }
    }
}

impl PackageCacheNotCleaned {
    fn report(
        &self,
        stage: &Stage,
        (severity, ships): (Severity, bool),
        run: &RunFacts,
        cache: Cache,
        install: &PackageInstall,
    ) -> Diagnostic {
        let program = run.facts.program_of(install);
        let command = if install.verb.is_empty() {
            program.to_string()
        } else {
            format!("{program} {}", install.verb)
        };
        let without = match cache {
            Cache::Apk => " without `--no-cache`",
            Cache::Pip => " without `--no-cache-dir`",
            _ => "",
        };
        self.meta()
            .diagnostic_with(
                severity,
                install.span,
                format!(
                    "`{command}`{without} leaves {} in this layer{}{}",
                    match run.not_shell {
                        // Windows keeps it under %LocalAppData%, not ~/.cache.
                        Some(NotShell::StageShell(_)) => "downloaded packages in pip's cache",
                        _ => cache.location(),
                    },
                    where_in(stage, ships),
                    cache
                        .typical_bytes()
                        .map(|bytes| format!(" (about {})", human(bytes)))
                        .unwrap_or_else(|| " (its size is not measured)".to_string())
                ),
            )
            .with_help(cache.help(program))
            .with_stage(stage.reference())
    }
}

/// `apk add --no-cache` and `pip install --no-cache-dir` for every run leaving the
/// cache: safe, the same packages are installed and only the cache is not kept.
/// `apk update` has no such option (it is dropped, not changed), so no fix then.
fn no_cache_fix(
    cx: &Context<'_>,
    instruction: &Instruction,
    run: &RunFacts,
    cache: Cache,
    leaving: &[&PackageInstall],
) -> Option<Fix> {
    let option = match cache {
        Cache::Apk => "--no-cache",
        Cache::Pip => "--no-cache-dir",
        _ => return None,
    };
    if instruction.args.form != Form::Shell {
        return None;
    }
    let edits = leaving
        .iter()
        .map(|install| {
            let verb = run.facts.verb_word(install)?;
            let editable = install.action != PackageAction::RefreshIndex
                && cx.text(verb.span) == install.verb;
            editable.then(|| Edit {
                span: Span::empty(verb.span.end),
                replacement: format!(" {option}"),
            })
        })
        .collect::<Option<Vec<Edit>>>()?;
    Some(Fix {
        message: format!("add `{option}`"),
        edits,
        applicability: Applicability::Safe,
    })
}

/// A cleanup of the cache after the install, in the same RUN.
fn cleaned_later(run: &RunFacts, cache: Cache, install: &PackageInstall) -> bool {
    run.facts.cleanups.iter().any(|cleanup| {
        cache.cleaned_by().contains(&cleanup.kind) && cleanup.command_index > install.command_index
    })
}

/// `--cache-dir DIR` on a mount, on `/dev/null`, or removed in the same RUN.
fn moved_away(run: &RunFacts, mounts: &[String], cache: Cache, install: &PackageInstall) -> bool {
    let Some(dir) = cache.dir_option(install) else {
        return false;
    };
    let dir = dir.trim_end_matches('/');
    let under = |path: &str, parent: &str| {
        let parent = parent.trim_end_matches(['/', '*']).trim_end_matches('/');
        path.strip_prefix(parent)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    dir == "/dev/null"
        || mounts.iter().any(|target| under(dir, target))
        || run.facts.removals.iter().any(|removal| {
            removal.command_index > install.command_index
                && removal.paths.iter().any(|p| under(dir, &p.text))
        })
}

/// The targets of `--mount=type=cache` and `--mount=type=tmpfs`: nothing written
/// there stays in the layer.
fn mount_targets(instruction: &Instruction) -> Vec<String> {
    instruction
        .flags_named("mount")
        .filter_map(|flag| {
            let options = mount_options(flag.value.as_deref()?);
            let value = |keys: &[&str]| {
                options
                    .iter()
                    .find(|(key, _)| keys.iter().any(|k| key.eq_ignore_ascii_case(k)))
                    .map(|(_, value)| value.clone())
            };
            let kind = value(&["type"])?;
            (kind.eq_ignore_ascii_case("cache") || kind.eq_ignore_ascii_case("tmpfs"))
                .then(|| value(&["target", "dst", "destination"]))
                .flatten()
        })
        .collect()
}

/// `ENV`/`ARG PIP_NO_CACHE_DIR=...` (pip reads any value as "no cache"), `pip config
/// set global.no-cache-dir`, or a pip configuration file copied in.
fn turns_pip_cache_off(cx: &Context<'_>, instruction: &Instruction) -> bool {
    match instruction.keyword {
        Keyword::Env | Keyword::Arg => instruction.args.pairs.iter().any(|pair| {
            pair.key.text == "PIP_NO_CACHE_DIR"
                && pair.value.as_ref().is_some_and(|v| !v.text.is_empty())
        }),
        Keyword::Run => {
            let text = cx.text(instruction.span);
            text.contains("pip config set") && text.contains("no-cache-dir")
        }
        Keyword::Copy | Keyword::Add => instruction
            .args
            .words
            .last()
            .is_some_and(|dest| dest.text.ends_with("pip.conf")),
        _ => false,
    }
}


/// Where the layer is, when it is not in the image: "of stage 0, a builder stage".
fn where_in(stage: &Stage, ships: bool) -> String {
    if ships {
        String::new()
    } else {
        format!(" of {}, a builder stage", stage.describe())
    }
}
