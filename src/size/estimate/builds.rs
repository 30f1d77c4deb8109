//! What a `RUN` downloads or builds: fetched runtimes, Go, Cargo, make and JVM
//! outputs, and the Go caches left behind.

use super::paths::{absolute, is_ancestor_or_self, join, segments};
use super::run::RunContext;
use super::state::{Placed, StageState};
use super::{unknown_part, Runner};
use crate::size::heuristics::Heuristics;
use crate::size::range::{Bytes, Part, Source};
use crate::size::script::{Build, RunFacts};

impl Runner<'_, '_> {
    pub(super) fn downloads_part(
        &self,
        state: &StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        let facts = run.facts;
        let destination = download_destination(facts, &state.workdir);
        // Unpacked into a scratch directory and deleted there by the same RUN
        // (the directory, or what was unpacked into it), nothing installed from
        // it: only what a build made from it stays (sized there).
        let removed_again = destination.scratch
            && !facts.builds.contains(&Build::Make)
            && facts.removals.iter().any(|r| {
                let removed_path = absolute(&state.workdir, r);
                let (removed, unpacked) = (segments(&removed_path), segments(&destination.path));
                is_ancestor_or_self(&removed, &unpacked) || is_ancestor_or_self(&unpacked, &removed)
            });
        for row in Heuristics::embedded().downloads_in(&facts.fetched) {
            if removed_again {
                parts.push(Part::new(
                    Bytes::ZERO,
                    Source::Heuristic,
                    format!(
                        "{} (to {}, removed in the same RUN)",
                        row.note, destination.path
                    ),
                ));
                continue;
            }
            let size = row.bytes();
            parts.push(Part::new(size, Source::Heuristic, row.note.clone()));
            placed.push(Placed {
                path: destination.path.clone(),
                size,
                source: Source::Heuristic,
                line: run.line,
                any_file_beneath: false,
            });
        }
    }

    pub(super) fn builds_part(
        &self,
        state: &mut StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        let heuristics = Heuristics::embedded();
        let downloaded = !heuristics.downloads_in(&run.facts.fetched).is_empty();
        let mut go_cache = false;
        for build in &run.facts.builds {
            let row = |key: &str| {
                heuristics
                    .get("build", key)
                    .map_or(unknown_part(), |r| r.bytes())
            };
            match build {
                Build::Go { output } => {
                    let size = row("go");
                    let (path, any) = match output {
                        Some(out) => (absolute(&state.workdir, out), false),
                        None => (state.workdir.clone(), true),
                    };
                    parts.push(Part::new(size, Source::Heuristic, "Go binary"));
                    placed.push(Placed {
                        path,
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: any,
                    });
                    go_cache = true;
                }
                Build::Cargo { release, install } => {
                    let binary = row("cargo");
                    if *install {
                        parts.push(Part::new(binary, Source::Heuristic, "cargo install"));
                        placed.push(Placed {
                            path: "/usr/local/cargo/bin".into(),
                            size: binary,
                            source: Source::Heuristic,
                            line: run.line,
                            any_file_beneath: true,
                        });
                        continue;
                    }
                    let target = join(&state.workdir, "target");
                    if run
                        .mounts
                        .iter()
                        .any(|m| is_ancestor_or_self(&segments(m), &segments(&target)))
                    {
                        parts.push(Part::new(
                            Bytes::ZERO,
                            Source::Heuristic,
                            "cargo target dir on a cache mount",
                        ));
                        continue;
                    }
                    let all = row("cargo-target");
                    parts.push(Part::new(all, Source::Heuristic, "cargo target directory"));
                    let profile = if *release { "release" } else { "debug" };
                    placed.push(Placed {
                        path: target.clone(),
                        size: all,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    placed.push(Placed {
                        path: join(&target, profile),
                        size: binary,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Script => {
                    let size = row("npm-build");
                    parts.push(Part::new(size, Source::Heuristic, "build script output"));
                    placed.push(Placed {
                        path: state.workdir.clone(),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Make if !downloaded => {
                    let size = row("make");
                    parts.push(Part::new(size, Source::Heuristic, "built from source"));
                    placed.push(Placed {
                        path: install_prefix(run.facts, &state.workdir),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
                Build::Make => {}
                Build::Jvm => {
                    let size = row("mvn");
                    parts.push(Part::new(
                        size,
                        Source::Heuristic,
                        "JVM build output and dependencies",
                    ));
                    placed.push(Placed {
                        path: state.workdir.clone(),
                        size,
                        source: Source::Heuristic,
                        line: run.line,
                        any_file_beneath: true,
                    });
                }
            }
        }
        if go_cache {
            let on_mount = run.mounts.iter().any(|m| {
                m.contains("go-build") || m.starts_with("/root/.cache") || m.starts_with("/go/pkg")
            });
            let removed = run
                .facts
                .removals
                .iter()
                .any(|r| r.contains(".cache/go-build") || r.contains("/go/pkg"))
                || run.facts.text.contains("go clean -cache");
            if !on_mount && !removed {
                let size = heuristics
                    .get("build", "go-cache")
                    .map_or(unknown_part(), |r| r.bytes());
                parts.push(Part::new(
                    size,
                    Source::Heuristic,
                    "Go build and module caches (use a cache mount)",
                ));
                state
                    .cache_bytes
                    .push((run.line, size.bytes, "Go build and module caches".into()));
                placed.push(Placed {
                    path: "/root/.cache/go-build".into(),
                    size,
                    source: Source::Heuristic,
                    line: run.line,
                    any_file_beneath: false,
                });
            }
        }
    }
}

/// Where `make install` puts a source build: `--prefix`, else `/usr/local`.
fn install_prefix(facts: &RunFacts, workdir: &str) -> String {
    facts
        .install_prefix
        .as_deref()
        .map_or_else(|| "/usr/local".to_string(), |p| absolute(workdir, p))
}

/// Where a downloaded runtime ends up, and whether that is a scratch directory.
struct Destination {
    path: String,
    scratch: bool,
}

/// Where a downloaded runtime ends up: the install prefix of a source build, else
/// the first directory an archive is unpacked into that is not a scratch or
/// source directory (removed again or only built from), else a scratch directory
/// when every archive went to one, else `/usr/local`.
fn download_destination(facts: &RunFacts, workdir: &str) -> Destination {
    if facts.install_prefix.is_some() {
        return Destination {
            path: install_prefix(facts, workdir),
            scratch: false,
        };
    }
    let scratch = ["/tmp", "/usr/src", "/usr/local/src", "/var/tmp"];
    let is_scratch = |dir: &str| {
        scratch
            .iter()
            .any(|s| is_ancestor_or_self(&segments(s), &segments(dir)))
    };
    let dirs: Vec<String> = facts
        .extract_dirs
        .iter()
        .map(|dir| absolute(workdir, dir))
        .filter(|dir| dir != "/")
        .collect();
    if let Some(dir) = dirs.iter().find(|dir| !is_scratch(dir)) {
        return Destination {
            path: dir.clone(),
            scratch: false,
        };
    }
    match dirs.first() {
        Some(dir) => Destination {
            path: dir.clone(),
            scratch: true,
        },
        None => Destination {
            path: "/usr/local".to_string(),
            scratch: false,
        },
    }
}
