//! What one RUN adds to or takes from a stage's filesystem: toolchains installed by a
//! package manager, unpacked from a Go archive or by rustup, `go install` and
//! `cargo install` of build tools; toolchains removed again; build outputs.

use super::paths::{absolute, is_ancestor_or_self, segments};
use super::{Artefact, Origin, StageFiles, Toolchain};
use crate::knowledge::{build_tools, toolchain_paths};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, ShellFacts};

/// Records what a RUN of `stage` does to its filesystem.
pub(super) fn record(facts: &ShellFacts, stage: usize, files: &mut StageFiles) {
    remove(facts, files);
    for install in &facts.installs {
        if install.action != PackageAction::Install {
            continue;
        }
        if install.manager.is_system() {
            packages(facts, install, stage, files);
        } else if matches!(install.manager, PackageManager::Go | PackageManager::Cargo) {
            tool_binaries(install, stage, files);
        }
    }
    archives(facts, stage, files);
    artefacts(facts, files);
}

fn packages(facts: &ShellFacts, install: &PackageInstall, stage: usize, files: &mut StageFiles) {
    let manager = install.manager.as_str();
    for package in install.packages.iter().filter(|p| p.is_static) {
        let row = build_tools::package(manager, &package.name);
        let headers = build_tools::is_headers_package(manager, &package.name);
        if row.is_none() && !headers {
            continue;
        }
        if removed_later(facts, install, &package.name) {
            continue;
        }
        let paths: Vec<String> = match toolchain_paths::package(manager, &package.name) {
            Some(found) => found.paths().map(str::to_string).collect(),
            // Every headers package puts its headers under /usr/include.
            None if headers => vec!["/usr/include".to_string()],
            None => continue,
        };
        files.toolchains.push(Toolchain {
            name: package.name.clone(),
            kind: row.map_or("headers", |r| r.kind.as_str()).to_string(),
            paths,
            bytes: row.and_then(|r| r.typical_bytes),
            origin: Origin::Run {
                stage,
                span: package.span,
            },
        });
    }
}

/// `go install` and `cargo install` of a program the build-tool table lists.
fn tool_binaries(install: &PackageInstall, stage: usize, files: &mut StageFiles) {
    for package in install.packages.iter().filter(|p| p.is_static) {
        let name = package.name.rsplit('/').next().unwrap_or(&package.name);
        let name = name.split('@').next().unwrap_or(name);
        let Some(row) = build_tools::command(name) else {
            continue;
        };
        let dirs: Vec<String> = if install.manager == PackageManager::Go {
            match files.env("GOBIN") {
                Some(bin) => vec![bin.to_string()],
                None => match files.env("GOPATH") {
                    Some(path) => vec![format!("{path}/bin")],
                    None => vec!["/go/bin".into(), "/root/go/bin".into()],
                },
            }
        } else {
            match files.env("CARGO_HOME") {
                Some(home) => vec![format!("{home}/bin")],
                None => vec!["/usr/local/cargo/bin".into(), "/root/.cargo/bin".into()],
            }
        };
        files.toolchains.push(Toolchain {
            name: name.to_string(),
            kind: row.kind.clone(),
            paths: dirs.iter().map(|d| format!("{d}/{name}")).collect(),
            bytes: None,
            origin: Origin::Run {
                stage,
                span: package.span,
            },
        });
    }
}

/// A Go release archive unpacked with `tar -C DIR`, and rustup run from its installer.
fn archives(facts: &ShellFacts, stage: usize, files: &mut StageFiles) {
    let go_archive = |text: &str| {
        text.contains("go.dev/dl/")
            || text.contains("golang.org/dl/")
            || text.contains("dl.google.com/go/")
            || (text.contains("/go1.") && text.contains(".linux-"))
    };
    let fetched_go = facts
        .downloads
        .iter()
        .any(|d| d.url.as_deref().is_some_and(go_archive));
    for command in facts.commands.iter().filter(|c| c.program() == "tar") {
        let args: Vec<&str> = command.arg_texts().collect();
        let names_go = args
            .iter()
            .any(|a| go_archive(a) || (a.starts_with("go1.") && a.contains(".linux-")));
        if !(fetched_go || names_go) {
            continue;
        }
        let dir = args
            .iter()
            .position(|a| *a == "-C" || *a == "--directory")
            .and_then(|i| args.get(i + 1))
            .copied()
            .or_else(|| args.iter().find_map(|a| a.strip_prefix("--directory=")));
        let Some(dir) = dir.filter(|d| d.starts_with('/') && !d.contains('$')) else {
            continue;
        };
        files.toolchains.push(Toolchain {
            name: "the Go SDK".to_string(),
            kind: "sdk".to_string(),
            paths: vec![absolute(dir, "go")],
            bytes: toolchain_paths::image("golang", "latest").and_then(|row| row.bytes),
            origin: Origin::Run {
                stage,
                span: command.span,
            },
        });
    }
    for download in &facts.downloads {
        let rustup = download.piped_to_shell
            && download
                .url
                .as_deref()
                .is_some_and(|u| u.contains("sh.rustup.rs"));
        if !rustup {
            continue;
        }
        let rustup_home = files.env("RUSTUP_HOME").unwrap_or("/root/.rustup");
        let cargo_bin = format!("{}/bin", files.env("CARGO_HOME").unwrap_or("/root/.cargo"));
        let mut paths = vec![rustup_home.to_string()];
        paths.extend(["cargo", "rustc", "rustup"].map(|p| format!("{cargo_bin}/{p}")));
        files.toolchains.push(Toolchain {
            name: "the Rust toolchain".to_string(),
            kind: "compiler".to_string(),
            paths,
            bytes: toolchain_paths::image("rust", "latest").and_then(|row| row.bytes),
            origin: Origin::Run {
                stage,
                span: download.span,
            },
        });
    }
}

/// Packages uninstalled and paths deleted drop the toolchains installed before them.
fn remove(facts: &ShellFacts, files: &mut StageFiles) {
    for removal in &facts.uninstalls {
        files.toolchains.retain(|t| {
            let Origin::Run { span, .. } = t.origin else {
                return true;
            };
            span.start >= removal.span.start || !removal.packages.iter().any(|p| p.name == t.name)
        });
    }
    for removal in facts.removals.iter().filter(|r| r.recursive) {
        let removed: Vec<&str> = removal
            .paths
            .iter()
            .filter(|w| w.is_static && w.text.starts_with('/'))
            .map(|w| w.text.as_str())
            .collect();
        files.toolchains.retain(|t| {
            !t.paths.iter().all(|path| {
                removed
                    .iter()
                    .any(|r| is_ancestor_or_self(&segments(r), &segments(path)))
            })
        });
    }
}

/// Outputs the build commands name: `go build -o`, `jlink --output`,
/// `cargo build --release`, `npm run build`.
fn artefacts(facts: &ShellFacts, files: &mut StageFiles) {
    for command in &facts.commands {
        let args: Vec<&str> = command.arg_texts().collect();
        let value_of = |names: &[&str]| {
            args.iter().enumerate().find_map(|(i, a)| {
                names.iter().find_map(|name| {
                    if a == name {
                        args.get(i + 1).copied()
                    } else {
                        a.strip_prefix(name).and_then(|v| v.strip_prefix('='))
                    }
                })
            })
        };
        let static_path = |p: &str| !p.contains('$') && !p.contains('`');
        let found = match (command.program(), args.first().copied()) {
            ("go", Some("build")) => value_of(&["-o"])
                .filter(|p| static_path(p))
                .map(|p| ("go build -o", absolute(&files.workdir, p), true)),
            ("jlink", _) => value_of(&["--output"])
                .filter(|p| static_path(p))
                .map(|p| ("jlink --output", absolute(&files.workdir, p) + "/", true)),
            ("cargo", Some("build")) if args.contains(&"--release") => {
                let dir = absolute(&files.workdir, "target/release");
                Some(match value_of(&["--bin"]).filter(|p| static_path(p)) {
                    Some(bin) => ("cargo build --release", format!("{dir}/{bin}"), true),
                    None => ("cargo build --release", dir + "/", false),
                })
            }
            ("npm" | "yarn" | "pnpm", Some("run")) if args.get(1) == Some(&"build") => Some((
                "npm run build",
                absolute(&files.workdir, "dist") + "/",
                false,
            )),
            _ => None,
        };
        if let Some((command, path, named)) = found {
            files.artefacts.push(Artefact {
                path,
                command: command.to_string(),
                named,
            });
        }
    }
}

/// Whether a later command of the same RUN removes the package: it is named in an
/// uninstall of the same manager, its `apk add --virtual` group is deleted, or apt
/// packages are all marked automatic (`apt-mark auto '.*'`) before an autoremove.
pub fn removed_later(facts: &ShellFacts, install: &PackageInstall, name: &str) -> bool {
    facts.uninstalls.iter().any(|removal| {
        if removal.manager != install.manager || removal.span.start < install.span.end {
            return false;
        }
        let named = removal
            .packages
            .iter()
            .any(|p| p.name == name || install.virtual_package.as_deref() == Some(p.name.as_str()));
        if named {
            return true;
        }
        let autoremove = removal.verb == "autoremove"
            || removal.verb == "autopurge"
            || removal.has_flag("--auto-remove", None)
            || removal.has_flag("--autoremove", None);
        autoremove
            && facts.commands.iter().any(|c| {
                c.program() == "apt-mark"
                    && c.span.start > install.span.end
                    && c.span.start < removal.span.start
                    && c.arg_texts().next() == Some("auto")
            })
    })
}
