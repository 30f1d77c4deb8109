//! A dynamically linked artifact built on one C library (glibc) is copied into a stage
//! on the other (musl, Alpine), or the reverse: it will not start there.

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::knowledge::{base_images, table_repository};
use crate::model::shell::{PackageAction, PackageInstall, PackageManager, ShellFacts};
use crate::model::{Base, EdgeKind, EdgeTarget, StageGraph};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct LibcMismatch;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Libc {
    Glibc,
    Musl,
}

impl Libc {
    fn as_str(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
        }
    }
}

/// A build step that likely produces a dynamically linked executable.
struct Build {
    /// `go build`, `cargo build`, `gcc`...
    what: String,
    span: Span,
    /// The output file when the command names it (`-o app`).
    output: Option<String>,
    help: &'static str,
}

impl Rule for LibcMismatch {
    fn meta(&self) -> &'static RuleMeta {
        meta("libc-mismatch")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Facts of stage chains, computed once per file when the first mismatch needs them.
        let chains = OnceCell::new();
        let chains = || chains.get_or_init(|| ChainFacts::new(cx));
        let mut builds_by_source: HashMap<usize, Vec<Build>> = HashMap::new();
        for edge in &cx.graph.edges {
            if !matches!(edge.kind, EdgeKind::CopyFrom | EdgeKind::AddFrom) {
                continue;
            }
            let EdgeTarget::Stage(source) = edge.to else {
                continue;
            };
            let into = &cx.graph.stages[edge.from_stage];
            if !into.ships() || source == into.index {
                continue;
            }
            let (Some((from_libc, from_image)), Some((to_libc, to_image))) = (
                stage_libc(cx.graph, source),
                stage_libc(cx.graph, into.index),
            ) else {
                continue;
            };
            if from_libc == to_libc || chains().compat[into.index] {
                continue;
            }
            let builds = builds_by_source
                .entry(source)
                .or_insert_with(|| dynamic_builds(cx, chains(), source, from_libc));
            if builds.is_empty() {
                continue;
            }
            let instruction = &cx.file.instructions[edge.instruction];
            let Some((word, build)) = copied_artifact(instruction, builds) else {
                continue;
            };
            let from = &cx.graph.stages[source];
            let message = format!(
                "`{}` is built against {} in {} (`{from_image}`) but copied into a {} stage (`{to_image}`): it is likely dynamically linked and will not run",
                word.0,
                from_libc.as_str(),
                from.describe(),
                to_libc.as_str(),
            );
            let diagnostic = self
                .meta()
                .diagnostic(word.1, message)
                .with_label(
                    build.span,
                    format!(
                        "{} here links against the {} of `{from_image}`",
                        build.what,
                        from_libc.as_str()
                    ),
                )
                .with_help(build.help);
            out.push(cx.in_stage_of(edge.instruction, diagnostic));
        }
    }
}

/// The C library of the image at the root of a stage's base chain, and that image.
fn stage_libc(graph: &StageGraph, stage: usize) -> Option<(Libc, String)> {
    let Base::Image(image) = graph.root_base(stage) else {
        return None;
    };
    let written = image.familiar();
    let libc = match base_images::lookup(image).map(|m| m.row.libc.as_str()) {
        Some("glibc") => Libc::Glibc,
        Some("musl") => Libc::Musl,
        Some(_) => return None,
        None => guess_libc(&table_repository(image), image.tag_or_latest())?,
    };
    Some((libc, written))
}

/// For images the table does not know: the distribution named in the tag or repository.
fn guess_libc(repository: &str, tag: &str) -> Option<Libc> {
    let name = repository.rsplit('/').next().unwrap_or(repository);
    let words: Vec<&str> = tag.split(['-', '.', '_']).collect();
    if name == "alpine" || words.iter().any(|w| w.starts_with("alpine")) {
        return Some(Libc::Musl);
    }
    const GLIBC_WORDS: [&str; 9] = [
        "bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal", "ubi8", "ubi9",
    ];
    if matches!(
        name,
        "debian" | "ubuntu" | "fedora" | "rockylinux" | "almalinux"
    ) || words.iter().any(|w| GLIBC_WORDS.contains(w))
    {
        return Some(Libc::Glibc);
    }
    None
}

/// Per stage, facts of its base chain, each found in one pass over the stages.
struct ChainFacts {
    /// `apk add gcompat` / `libc6-compat`: glibc binaries may run on Alpine.
    compat: Vec<bool>,
    /// A C compiler installed (`gcc`, `build-base`, `clang`, `musl-dev`).
    compiler: Vec<bool>,
    /// The nearest stage of the chain (itself included) with an ENV, ARG or RUN: the
    /// walk from a stage to its root visits only those.
    nearest_step: Vec<Option<usize>>,
}

impl ChainFacts {
    fn new(cx: &Context<'_>) -> Self {
        let installs = |stage: usize, names: &[&str]| {
            runs(cx, stage).any(|facts| {
                facts.installs.iter().any(|i| {
                    i.packages.iter().any(|p| names.contains(&p.name.as_str()))
                })
            })
        };
        ChainFacts {
            compat: cx
                .graph
                .chain_any(|s| installs(s, &["gcompat", "libc6-compat"])),
            compiler: cx
                .graph
                .chain_any(|s| installs(s, &["gcc", "build-base", "clang", "musl-dev"])),
            nearest_step: cx.graph.fold_chains(|base: Option<&Option<usize>>, stage| {
                let own = cx.stage_instructions(&cx.graph.stages[stage]).any(|(_, i)| {
                    matches!(i.keyword, Keyword::Env | Keyword::Arg | Keyword::Run)
                });
                if own {
                    Some(stage)
                } else {
                    base.copied().flatten()
                }
            }),
        }
    }

    /// The stages of `stage`'s chain that have steps, nearest first.
    fn steps_chain(&self, graph: &StageGraph, stage: usize) -> Vec<usize> {
        std::iter::successors(self.nearest_step[stage], |&s| {
            graph.base_of(s).and_then(|base| self.nearest_step[base])
        })
        .collect()
    }
}

fn runs<'a>(cx: &'a Context<'a>, stage: usize) -> impl Iterator<Item = &'a ShellFacts> + 'a {
    cx.stage_instructions(&cx.graph.stages[stage])
        .filter(|(_, i)| i.keyword == Keyword::Run)
        .map(|(at, _)| &cx.run_facts(at).facts)
}

/// The build steps of a stage (and the stages it is built on) that likely link
/// dynamically against the stage's C library.
fn dynamic_builds(cx: &Context<'_>, chains: &ChainFacts, stage: usize, libc: Libc) -> Vec<Build> {
    let chain = chains.steps_chain(cx.graph, stage);
    let image = match cx.graph.root_base(stage) {
        Base::Image(image) => table_repository(image),
        _ => String::new(),
    };
    let setting = Setting {
        libc,
        // Since Go 1.20 cgo is off where no C compiler is found: `golang:alpine` as is.
        c_compiler: libc == Libc::Glibc || chains.compiler[stage],
        // On a Go or Rust image `make` drives `go build` or `cargo build` with
        // settings the Dockerfile does not show (often `CGO_ENABLED=0`).
        make_is_opaque: {
            let name = image.rsplit('/').next().unwrap_or(&image);
            matches!(name, "golang" | "rust" | "tinygo")
        },
    };
    let mut builds = Vec::new();
    let mut env: Vec<(String, String)> = Vec::new();
    for index in chain.into_iter().rev() {
        for (at, instruction) in cx.stage_instructions(&cx.graph.stages[index]) {
            match instruction.keyword {
                Keyword::Env | Keyword::Arg => record_env(instruction, &mut env),
                Keyword::Run => {
                    builds_of(&cx.run_facts(at).facts, &env, &setting, &mut builds);
                }
                _ => {}
            }
        }
    }
    builds
}

/// What the building stage's image says about how its builds link.
struct Setting {
    libc: Libc,
    /// A C compiler is there for cgo: every glibc toolchain image, or one installed on musl.
    c_compiler: bool,
    /// `make` on this image hides the compile command.
    make_is_opaque: bool,
}

fn record_env(instruction: &Instruction, env: &mut Vec<(String, String)>) {
    for pair in &instruction.args.pairs {
        if let Some(value) = &pair.value {
            let value = value.text.trim_matches(|c| c == '"' || c == '\'');
            env.push((pair.key.text.to_string(), value.to_string()));
        }
    }
}

fn env_value<'a>(env: &'a [(String, String)], name: &str) -> Option<&'a str> {
    env.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

const GO_HELP: &str = "build with `CGO_ENABLED=0` for a static binary, or build on an image with the same C library as the stage that runs it";
const CARGO_HELP: &str = "build for a musl target (`--target x86_64-unknown-linux-musl`, statically linked), or build on an image with the same C library as the stage that runs it";
const CC_HELP: &str = "link statically (`-static`), or build on an image with the same C library as the stage that runs it";

fn builds_of(
    facts: &ShellFacts,
    env: &[(String, String)],
    setting: &Setting,
    builds: &mut Vec<Build>,
) {
    let var = |install: &PackageInstall, name: &str| -> Option<String> {
        install
            .env_value(name)
            .or(env_value(env, name))
            .map(str::to_string)
    };
    for install in &facts.installs {
        if install.action != PackageAction::Build {
            continue;
        }
        let command = &facts.commands[install.command_index];
        let args: Vec<&str> = command.arg_texts().collect();
        match install.manager {
            PackageManager::Go => {
                let cgo = var(install, "CGO_ENABLED");
                let cgo_off = match cgo.as_deref() {
                    Some(value) => value == "0",
                    None => !setting.c_compiler,
                };
                // `-ldflags '-extldflags "-static"'`, `-tags netgo,osusergo`: static links.
                let static_flags = args
                    .iter()
                    .any(|a| a.contains("-static") || a.contains("netgo"));
                if cgo_off || static_flags {
                    continue;
                }
                builds.push(Build {
                    what: "`go build` without `CGO_ENABLED=0`".to_string(),
                    span: install.span,
                    output: option_value(&args, "-o"),
                    help: GO_HELP,
                });
            }
            PackageManager::Cargo => {
                let target =
                    option_value(&args, "--target").or_else(|| var(install, "CARGO_BUILD_TARGET"));
                // Rust links musl targets statically; on Alpine the host target is musl.
                let musl = match &target {
                    Some(target) => target.contains("musl"),
                    None => setting.libc == Libc::Musl,
                };
                let crt_static =
                    var(install, "RUSTFLAGS").is_some_and(|flags| flags.contains("+crt-static"));
                if musl || crt_static {
                    continue;
                }
                builds.push(Build {
                    what: "`cargo build` for a glibc target".to_string(),
                    span: install.span,
                    output: None,
                    help: CARGO_HELP,
                });
            }
            _ => {}
        }
    }
    for command in &facts.commands {
        let program = command.program();
        let args: Vec<&str> = command.arg_texts().collect();
        let (what, output) = match program {
            "gcc" | "cc" | "g++" | "c++" | "clang" | "clang++" => {
                // Compile-only runs (`-c`) and static links leave no dynamic executable.
                if args.iter().any(|a| *a == "-c" || a.starts_with("-static")) {
                    continue;
                }
                (format!("`{program}`"), option_value(&args, "-o"))
            }
            "make" | "cmake" | "ninja" => {
                if setting.make_is_opaque || only_cleans(program, &args) {
                    continue;
                }
                let ldflags = command.assignment("LDFLAGS").or(env_value(env, "LDFLAGS"));
                if ldflags.is_some_and(|f| f.contains("-static"))
                    || args
                        .iter()
                        .any(|a| a.starts_with("LDFLAGS=") && a.contains("-static"))
                    || (program == "cmake" && !args.contains(&"--build"))
                {
                    continue;
                }
                (format!("`{program}`"), None)
            }
            _ => continue,
        };
        builds.push(Build {
            what,
            span: command.span,
            output,
            help: CC_HELP,
        });
    }
}

/// `make clean`, `make -C dir distclean`: removes outputs, builds nothing.
fn only_cleans(program: &str, args: &[&str]) -> bool {
    if program != "make" {
        return false;
    }
    let mut targets = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if matches!(*word, "-C" | "-f" | "-j" | "-I" | "-o" | "-W") {
            words.next();
        } else if !word.starts_with('-') && !word.contains('=') {
            targets.push(*word);
        }
    }
    !targets.is_empty()
        && targets
            .iter()
            .all(|t| matches!(*t, "clean" | "distclean" | "mrproper" | "maintainer-clean"))
}

/// `-o VALUE` or `-o=VALUE` (also `--target VALUE`).
fn option_value(args: &[&str], name: &str) -> Option<String> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if *word == name {
            return words.next().map(|v| v.to_string());
        }
        if let Some(value) = word.strip_prefix(name).and_then(|r| r.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// The first copied source that is plausibly a build's output, with its span, and that build.
fn copied_artifact<'b>(
    instruction: &Instruction,
    builds: &'b [Build],
) -> Option<((String, Span), &'b Build)> {
    let words = &instruction.args.words;
    let sources = words.split_last().map_or(&words[..0], |(_, init)| init);
    for word in sources {
        let source = word.text.trim_end_matches('/');
        for build in builds {
            let matches = match &build.output {
                Some(output) => same_artifact(source, output),
                None => !looks_like_data(source),
            };
            if matches {
                return Some(((word.text.to_string(), word.span), build));
            }
        }
    }
    None
}

/// `COPY --from=build /out/app` for `go build -o /out/app`, or the directory holding
/// it, or the same file name relative to another directory.
fn same_artifact(source: &str, output: &str) -> bool {
    let output = output.trim_start_matches("./").trim_end_matches('/');
    if output.contains('$') || source.contains('$') {
        return true;
    }
    let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
    source == output
        || base(source) == base(output)
        || (output.starts_with('/') && output.starts_with(&format!("{source}/")))
        || source.ends_with(&format!("/{output}"))
}

/// Files that are not executables: configuration, assets, archives of other languages,
/// and the usual folders of web assets.
fn looks_like_data(source: &str) -> bool {
    const ASSET_DIRS: [&str; 7] = [
        "dist",
        "public",
        "static",
        "assets",
        "html",
        "www",
        "node_modules",
    ];
    const DATA: [&str; 16] = [
        "js", "json", "html", "css", "txt", "md", "yaml", "yml", "toml", "conf", "ini", "jar",
        "py", "rb", "svg", "png",
    ];
    let name = source.rsplit('/').next().unwrap_or(source);
    if ASSET_DIRS.contains(&name) {
        return true;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| DATA.contains(&ext.to_ascii_lowercase().as_str()))
}
