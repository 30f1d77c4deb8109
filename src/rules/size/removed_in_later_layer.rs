//! Files added by one layer and deleted by a later RUN: the bytes still ship.

use std::path::Path;
use std::rc::Rc;

use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::knowledge::format_bytes;
use crate::model::graph::mount_options;
use crate::model::path_glob::{covers, has_glob, resolve, strictly_under, strictly_under_text};
use crate::model::shell::{RunFacts, ShellWord};
use crate::model::Stage;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::size::source_on_disk::measure_source;
use crate::syntax::{Instruction, Keyword};

pub struct RemovedInLaterLayer;

/// Something a layer added.
#[derive(Clone, Debug)]
struct Added {
    /// Absolute path components.
    path: Vec<String>,
    /// A directory whose contents we do not know (`COPY . /app`, `git clone`).
    directory: bool,
    /// Where it was added, and how, for the label.
    span: Span,
    how: String,
    /// The build-context source it came from (`COPY data/ /srv/`), to size it on disk.
    context_source: Option<String>,
    /// How many RUNs of the stage chain came before the one that may remove it.
    runs_before: usize,
}

impl Rule for RemovedInLaterLayer {
    fn meta(&self) -> &'static RuleMeta {
        meta("removed-in-later-layer")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Each stage goes on from where the layers of its base left off: one pass over
        // the stages, bases first, sharing the state of a stage that changes nothing.
        cx.graph
            .fold_chains(|base: Option<&Rc<Layers>>, index| {
                let stage = &cx.graph.stages[index];
                let mut layers = base.map_or_else(|| Rc::new(Layers::default()), Rc::clone);
                let severity = cx.removed_bytes_severity(stage);
                let changes = cx.stage_instructions(stage).any(|(_, i)| {
                    matches!(
                        i.keyword,
                        Keyword::Workdir | Keyword::Copy | Keyword::Add | Keyword::Run
                    )
                });
                if changes {
                    let mut own = Layers::clone(&layers);
                    self.check_stage(cx, stage, severity, &mut own, out);
                    layers = Rc::new(own);
                }
                layers
            });
    }
}

/// What the layers of a stage chain have done so far.
#[derive(Clone, Debug)]
struct Layers {
    added: Vec<Added>,
    /// The working directory, when known.
    cwd: Option<Vec<String>>,
    /// RUNs so far.
    runs: usize,
}

impl Default for Layers {
    fn default() -> Self {
        Layers {
            added: Vec::new(),
            cwd: Some(Vec::new()),
            runs: 0,
        }
    }
}

impl RemovedInLaterLayer {
    /// Goes through the stage's own instructions from `layers`, reporting removals when
    /// the stage is built (`severity`).
    fn check_stage(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Option<Severity>,
        layers: &mut Layers,
        out: &mut Vec<Diagnostic>,
    ) {
        let Layers { added, cwd, runs } = layers;
        for (at, instruction) in cx.stage_instructions(stage) {
            match instruction.keyword {
                Keyword::Workdir => {
                    *cwd = match instruction.args.words.first() {
                        Some(word) if !word.text.contains('$') => {
                            cwd.as_ref().and_then(|cwd| resolve(cwd, &word.text))
                        }
                        _ => None,
                    };
                }
                Keyword::Copy | Keyword::Add => {
                    added.extend(copied(instruction, cwd.as_deref(), *runs));
                }
                Keyword::Run => {
                    let run = cx.run_facts(at);
                    if run.not_shell.is_none() {
                        let removed = removals(run, added, cwd.as_deref(), *runs);
                        let mut gone: Vec<usize> = Vec::new();
                        for (path_span, matched) in removed {
                            if let Some(severity) = severity {
                                out.push(
                                    self.report(cx, stage, severity, path_span, added, &matched),
                                );
                            }
                            gone.extend(matched);
                        }
                        gone.sort_unstable();
                        let mut n = 0;
                        added.retain(|_| {
                            n += 1;
                            gone.binary_search(&(n - 1)).is_err()
                        });
                        added.extend(created(instruction, run, cwd.as_deref(), *runs));
                    }
                    *runs += 1;
                }
                _ => {}
            }
        }
    }

    fn report(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Severity,
        span: Span,
        added: &[Added],
        matched: &[usize],
    ) -> Diagnostic {
        let shown = cx.text(span);
        let shown = if shown.contains('\n') {
            "the path"
        } else {
            shown
        };
        let mut message = if cx.graph.in_target_chain(stage.index) {
            format!("`rm` deletes `{shown}`, which an earlier layer added: the bytes still ship in that layer")
        } else {
            format!(
                "`rm` in {} (a builder stage) deletes `{shown}`, which an earlier layer added: the bytes stay in that layer",
                stage.describe()
            )
        };
        if let Some(bytes) = context_bytes(cx, added, matched) {
            message.push_str(&format!(" (about {}, measured in the build context)", format_bytes(bytes)));
        }
        let mut diagnostic = self
            .meta()
            .diagnostic_with(severity, span, message)
            .with_help(
                "delete it in the RUN that creates it, bind-mount it for the one RUN that needs it (`RUN --mount=type=bind,source=...,target=...`), or do the work in a builder stage and copy only the result",
            )
            .with_stage(stage.reference());
        for &i in matched.iter().take(3) {
            let a = &added[i];
            diagnostic = diagnostic.with_label(a.span, format!("added here ({})", a.how));
        }
        diagnostic
    }
}

/// What the deleted build-context sources weigh on disk, when the Dockerfile's path
/// is known (its directory is taken as the context) and something was measured.
fn context_bytes(cx: &Context<'_>, added: &[Added], matched: &[usize]) -> Option<u64> {
    let dockerfile = Path::new(cx.path?);
    let context = dockerfile.parent()?;
    let mut sources: Vec<&str> = matched
        .iter()
        .filter_map(|&i| added[i].context_source.as_deref())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let bytes: u64 = sources
        .iter()
        .filter_map(|source| measure_source(dockerfile, context, source))
        .sum();
    (bytes > 0).then_some(bytes)
}

/// The paths a RUN deletes that earlier layers added: (the `rm` operand, the
/// indices of what it deletes in `added`).
fn removals(
    run: &RunFacts,
    added: &[Added],
    cwd: Option<&[String]>,
    runs: usize,
) -> Vec<(Span, Vec<usize>)> {
    let changes_dir = changes_directory(run);
    // Commands that may create files: after them, a path inside a copied
    // directory may be new.
    let first_producer = run
        .facts
        .installs
        .iter()
        .map(|i| i.command_index)
        .chain(run.facts.downloads.iter().map(|d| d.command_index))
        .min()
        .unwrap_or(usize::MAX);
    let mut out = Vec::new();
    for removal in &run.facts.removals {
        for word in &removal.paths {
            let Some(path) = removed_path(word, cwd, changes_dir) else {
                continue;
            };
            let matched: Vec<usize> = added
                .iter()
                .enumerate()
                .filter(|(_, a)| {
                    covers(&path, &a.path)
                        || (a.directory
                            && !a.path.is_empty()
                            && a.runs_before == runs
                            && removal.command_index < first_producer
                            && strictly_under(&path, &a.path))
                })
                .map(|(i, _)| i)
                .collect();
            if !matched.is_empty() {
                out.push((word.span, matched));
            }
        }
    }
    out
}

/// What a COPY/ADD adds.
fn copied(instruction: &Instruction, cwd: Option<&[String]>, runs: usize) -> Vec<Added> {
    let mut out = Vec::new();
    if !instruction.heredocs.is_empty() {
        return out;
    }
    let words = &instruction.args.words;
    let Some((dest, sources)) = words.split_last() else {
        return out;
    };
    if sources.is_empty() || dest.text.contains('$') {
        return out;
    }
    let Some(dest_path) = cwd.and_then(|cwd| resolve(cwd, &dest.text)).or_else(|| {
        dest.text
            .starts_with('/')
            .then(|| resolve(&[], &dest.text))
            .flatten()
    }) else {
        return out;
    };
    let keyword = instruction.keyword.as_upper_str();
    let into_dir = dest.text.ends_with('/')
        || dest.text == "."
        || sources.len() > 1
        || sources.iter().any(|s| has_glob(&s.text));
    let is_add = instruction.is(Keyword::Add);
    let from_stage_or_image = instruction.flag("from").is_some();
    for source in sources {
        let text = source.text.as_str();
        if text.contains('$') {
            continue;
        }
        let url = text.contains("://") || text.starts_with("git@");
        let name = text
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(text)
            .to_string();
        let whole = matches!(text, "." | "./" | "*" | "./*") || text.ends_with('/');
        let extracted = is_add && !url && is_archive(&name);
        let how = format!("`{keyword}`");
        let context_source = (!url && !from_stage_or_image).then(|| text.to_string());
        let mut push = |path: Vec<String>, directory: bool| {
            out.push(Added {
                path,
                directory,
                span: source.span,
                how: how.clone(),
                context_source: context_source.clone(),
                runs_before: runs,
            });
        };
        if whole || extracted || has_glob(text) || (url && text.ends_with(".git")) {
            push(dest_path.clone(), true);
            continue;
        }
        if small_text(&name) {
            continue;
        }
        let maybe_directory = !url && !name.contains('.');
        if into_dir {
            let mut path = dest_path.clone();
            path.push(name.clone());
            push(path, false);
            if maybe_directory {
                // `COPY dir /dest/` copies the directory's contents.
                push(dest_path.clone(), true);
            }
        } else {
            push(dest_path.clone(), maybe_directory);
        }
    }
    out
}

/// What a RUN downloads or clones and does not delete itself.
fn created(
    instruction: &Instruction,
    run: &RunFacts,
    cwd: Option<&[String]>,
    runs: usize,
) -> Vec<Added> {
    let mounts = mount_targets(instruction);
    let changes_dir = changes_directory(run);
    let mut candidates: Vec<(String, Span, String, bool, usize)> = Vec::new();
    for download in &run.facts.downloads {
        let Some(output) = download.output.as_deref() else {
            continue;
        };
        if output == "-" || output.starts_with("/dev/") {
            continue;
        }
        let tool = run
            .facts
            .commands
            .get(download.command_index)
            .map_or("a download", |c| c.program());
        candidates.push((
            output.to_string(),
            download.span,
            format!("downloaded by `{tool}`"),
            false,
            download.command_index,
        ));
    }
    for (index, command) in run.facts.commands.iter().enumerate() {
        if command.program() != "git" {
            continue;
        }
        let operands = git_operands(&command.args);
        if operands.first().is_none_or(|w| w.text != "clone") {
            continue;
        }
        let dir = match (operands.get(1), operands.get(2)) {
            (_, Some(dir)) => dir.text.clone(),
            (Some(url), None) => url
                .text
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("")
                .trim_end_matches(".git")
                .to_string(),
            _ => continue,
        };
        candidates.push((
            dir,
            command.span,
            "cloned by `git`".to_string(),
            true,
            index,
        ));
    }
    let mut out = Vec::new();
    for (text, span, how, directory, command_index) in candidates {
        if text.is_empty() || text.contains('$') || text.contains('`') {
            continue;
        }
        if !text.starts_with('/') && changes_dir {
            continue;
        }
        let Some(path) = cwd
            .and_then(|cwd| resolve(cwd, &text))
            .or_else(|| text.starts_with('/').then(|| resolve(&[], &text)).flatten())
        else {
            continue;
        };
        if path.is_empty() || (!directory && small_text(path.last().map_or("", String::as_str))) {
            continue;
        }
        let joined = format!("/{}", path.join("/"));
        if mounts.iter().any(|m| strictly_under_text(&joined, m)) {
            continue;
        }
        let removed_here = run.facts.removals.iter().any(|removal| {
            removal.command_index > command_index
                && removal
                    .paths
                    .iter()
                    .any(|w| removed_path(w, cwd, changes_dir).is_some_and(|p| covers(&p, &path)))
        });
        if removed_here {
            continue;
        }
        out.push(Added {
            path,
            directory,
            span,
            how,
            context_source: None,
            runs_before: runs + 1,
        });
    }
    out
}

/// git's operands: options and the values of the options that take one left out.
fn git_operands(args: &[ShellWord]) -> Vec<&ShellWord> {
    const TAKES_VALUE: &[&str] = &[
        "-C",
        "-c",
        "--depth",
        "-b",
        "--branch",
        "-o",
        "--origin",
        "--reference",
        "--config",
        "-j",
        "--jobs",
        "--filter",
        "--shallow-since",
        "--shallow-exclude",
        "--separate-git-dir",
        "--template",
        "-u",
        "--upload-pack",
        "--server-option",
    ];
    let mut out = Vec::new();
    let mut skip = false;
    for word in args {
        if skip {
            skip = false;
            continue;
        }
        if word.is_option() {
            skip = TAKES_VALUE.contains(&word.text.as_str());
            continue;
        }
        out.push(word);
    }
    out
}

/// The absolute path an `rm` operand names, when it is known.
fn removed_path(
    word: &ShellWord,
    cwd: Option<&[String]>,
    changes_dir: bool,
) -> Option<Vec<String>> {
    let text = word.text.as_str();
    if !word.is_static || text.contains('$') || text.starts_with('~') || text.is_empty() {
        return None;
    }
    if !text.starts_with('/') && changes_dir {
        return None;
    }
    let path = match cwd {
        Some(cwd) => resolve(cwd, text)?,
        None if text.starts_with('/') => resolve(&[], text)?,
        None => return None,
    };
    (!path.is_empty()).then_some(path)
}

/// `cd`/`pushd` in the script: relative paths then depend on where it went.
fn changes_directory(run: &RunFacts) -> bool {
    run.facts
        .commands
        .iter()
        .any(|c| matches!(c.program(), "cd" | "pushd"))
}

fn is_archive(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst",
    ]
    .iter()
    .any(|ext| name.ends_with(ext))
}

/// Manifests, scripts and configuration: a few bytes, not worth a finding.
fn small_text(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "Gemfile",
        "Makefile",
        "Dockerfile",
        "Pipfile",
        "Procfile",
        "LICENSE",
        "README",
    ];
    const EXTENSIONS: &[&str] = &[
        "txt",
        "json",
        "toml",
        "lock",
        "yaml",
        "yml",
        "cfg",
        "ini",
        "conf",
        "sh",
        "bash",
        "py",
        "rb",
        "js",
        "mjs",
        "ts",
        "xml",
        "properties",
        "md",
        "env",
        "sum",
        "mod",
        "patch",
        "diff",
        "list",
        "repo",
        "asc",
        "gpg",
        "pub",
        "crt",
        "pem",
        "sig",
        "sha256",
        "sha512",
        "md5",
        "html",
        "css",
        "sql",
        "pl",
        "ps1",
    ];
    NAMES.contains(&name)
        || name.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty() && EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
}

/// The targets of `--mount=type=cache|tmpfs|bind`: files written there stay out of
/// the layer.
fn mount_targets(instruction: &Instruction) -> Vec<String> {
    instruction
        .flags_named("mount")
        .filter_map(|flag| {
            let options = mount_options(flag.value.as_deref()?);
            options
                .iter()
                .find(|(k, _)| {
                    ["target", "dst", "destination"]
                        .iter()
                        .any(|key| k.eq_ignore_ascii_case(key))
                })
                .map(|(_, v)| v.clone())
        })
        .collect()
}

