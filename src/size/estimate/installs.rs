//! Package installs in a `RUN`: apt from the Debian table, other managers from
//! heuristics and the build context, minus what the same layer removes again.

use std::collections::HashSet;

use super::paths::{absolute, join};
use super::run::RunContext;
use super::state::{Placed, StageState};
use super::{unknown_part, Runner};
use crate::size::heuristics::Heuristics;
use crate::size::packages;
use crate::size::range::{scale, Bytes, Part, Source, MB};
use crate::size::script::{Manager, PackageRequest};

impl Runner<'_, '_> {
    pub(super) fn packages_part(
        &mut self,
        state: &mut StageState,
        run: &RunContext<'_>,
        parts: &mut Vec<Part>,
        placed: &mut Vec<Placed>,
    ) {
        let facts = run.facts;
        let heuristics = Heuristics::embedded();
        let removed_here: HashSet<&str> = facts
            .uninstalls
            .iter()
            .flat_map(|u| u.packages.iter().map(String::as_str))
            .collect();
        for request in &facts.installs {
            let Some(manager) = request.manager else {
                continue;
            };
            let removed_group = request
                .virtual_name
                .as_deref()
                .is_some_and(|v| removed_here.contains(v));
            let names: Vec<String> = request
                .packages
                .iter()
                .filter(|p| !removed_group && !removed_here.contains(p.as_str()))
                .filter(|p| {
                    !state
                        .installed
                        .contains(&format!("{}:{}", manager.as_str(), package_key(p)))
                })
                .cloned()
                .collect();
            // `$NAME` left after ENV, ARG and the script's own assignments.
            let (unresolved, names): (Vec<String>, Vec<String>) =
                names.into_iter().partition(|n| n.contains('$'));
            let mut part = match manager {
                Manager::Apt => self.apt_part(state, &names, request.no_install_recommends),
                Manager::Apk | Manager::Dnf => {
                    packages::heuristic_packages(heuristics, manager, &names, state.vendor_repo)
                }
                Manager::Pip => {
                    let target = request_target(state, request);
                    let part =
                        packages::pip_part(heuristics, self.input.context, &state.workdir, request);
                    placed.push(Placed {
                        path: target,
                        size: part.size,
                        source: part.source,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    part
                }
                Manager::Npm | Manager::Yarn | Manager::Pnpm => {
                    let part = packages::node_part(
                        heuristics,
                        self.input.context,
                        &state.workdir,
                        request,
                    );
                    let path = if request.global {
                        "/usr/local/lib/node_modules".to_string()
                    } else {
                        join(&state.workdir, "node_modules")
                    };
                    placed.push(Placed {
                        path,
                        size: part.size,
                        source: part.source,
                        line: run.line,
                        any_file_beneath: false,
                    });
                    part
                }
                Manager::Gem | Manager::Bundler | Manager::Composer => {
                    let row = heuristics
                        .get("gem", "*")
                        .map_or(unknown_part(), |r| r.bytes());
                    let count = request.packages.len().max(1) as u64;
                    let size = if request.from_lockfile {
                        Bytes::range(5 * MB, 60 * MB, 400 * MB)
                    } else {
                        Bytes::range(row.low * count, row.bytes * count, row.high * count)
                    };
                    Part::new(
                        size,
                        Source::Heuristic,
                        format!("{} install", manager.as_str()),
                    )
                }
            };
            if !unresolved.is_empty() {
                part.source = part.source.weaker(Source::Heuristic);
                let (computed, unset): (Vec<&String>, Vec<&String>) =
                    unresolved.iter().partition(|n| {
                        let name = n.trim_start_matches('$').trim_matches(['{', '}']);
                        // Also when the assignment's quoting was too nested to split.
                        facts.computed.iter().any(|c| c == name)
                            || ["=\"$(", "=$(", "=\"`", "=`"]
                                .iter()
                                .any(|op| facts.text.contains(&format!("{name}{op}")))
                    });
                // A list computed in the script is what it found the build needs
                // (`scanelf` runtime libraries): smaller than a list of anything.
                let (computed_count, unset_count) = (computed.len() as u64, unset.len() as u64);
                part.size += Bytes::range(0, 2 * MB * computed_count, 20 * MB * computed_count);
                part.size += Bytes::range(0, 5 * MB * unset_count, 60 * MB * unset_count);
                let list = |names: &[&String]| {
                    names
                        .iter()
                        .map(|n| n.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                if !computed.is_empty() {
                    part.note.push_str(&format!(
                        "; {} computed by the script at build time: a guess",
                        list(&computed)
                    ));
                }
                if !unset.is_empty() {
                    part.note.push_str(&format!(
                        "; {} not resolved (no ENV, ARG or assignment in this RUN sets it): a guess per name",
                        list(&unset)
                    ));
                }
            }
            if removed_group && !request.packages.is_empty() {
                part = Part::new(
                    Bytes::ZERO,
                    Source::Heuristic,
                    format!(
                        "{} removed in the same layer",
                        request.virtual_name.clone().unwrap_or_default()
                    ),
                );
            }
            if request.in_branch && !part.size.is_zero() {
                // Another architecture's path may not run: anywhere from nothing to all.
                part = Part::new(
                    Bytes::range(0, part.size.bytes / 2, part.size.high),
                    Source::Heuristic,
                    format!("{} (in a conditional branch)", part.note),
                );
            }
            if manager == Manager::Apt && facts.autoremove_after_mark {
                // apt-mark auto + purge --auto-remove: only what the build links against stays.
                let kept =
                    Bytes::range(0, scale(part.size.bytes, 0.01), scale(part.size.high, 0.1));
                part = Part::new(
                    kept,
                    Source::Heuristic,
                    "build dependencies purged in the same layer (runtime libraries kept)",
                );
            }
            if manager.is_system() {
                for name in &names {
                    state
                        .installed
                        .insert(format!("{}:{}", manager.as_str(), package_key(name)));
                    if !(removed_group || manager == Manager::Apt && facts.autoremove_after_mark) {
                        if let Some(bytes) = self
                            .input
                            .catalog
                            .build_tool_bytes(manager.as_str(), package_key(name))
                        {
                            state.build_tools.push((run.line, bytes, name.clone()));
                        }
                    }
                }
                placed.push(Placed {
                    path: "/usr".into(),
                    size: part.size,
                    source: part.source,
                    line: run.line,
                    any_file_beneath: false,
                });
            }
            parts.push(part);
        }
    }
}

fn request_target(state: &StageState, request: &PackageRequest) -> String {
    if let Some(dir) = &request.target_dir {
        return absolute(&state.workdir, dir);
    }
    if request.global {
        return "/root/.local".into();
    }
    if let Some(venv) = &state.venv {
        return venv.clone();
    }
    if let Some(virtual_env) = state.lookup("VIRTUAL_ENV") {
        return virtual_env;
    }
    "/usr/local/lib/python*/site-packages".into()
}

/// `name`, without version pins, extras and architecture suffixes, lowercase.
fn package_key(name: &str) -> &str {
    let end = name
        .find(['=', '<', '>', '[', ':', '~', '!', ';', '@'])
        .unwrap_or(name.len());
    &name[..end]
}
