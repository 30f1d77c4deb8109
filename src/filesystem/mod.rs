//! What each stage's filesystem holds that matters for what ships: the toolchains
//! its base image provides and its RUNs install or copy in (with the instruction they
//! came from), and the artefacts its build commands name. Built once per file from
//! the stage graph, inherited through `FROM <stage>`.

mod installs;
pub mod paths;

use crate::diagnostic::Span;
use crate::knowledge::{table_repository, toolchain_paths};
use crate::model::graph::{Base, EdgeTarget, StageGraph};
use crate::model::image_ref;
use crate::model::shell::RunFacts;
use crate::syntax::{Dockerfile, Instruction, Keyword};

pub use installs::removed_later;
use paths::{absolute, is_ancestor_or_self, segments};

/// A toolchain in a stage's filesystem.
#[derive(Clone, Debug)]
pub struct Toolchain {
    /// What messages call it: `gcc`, `the Go SDK`.
    pub name: String,
    /// `compiler`, `build-system`, `headers`, `vcs`, `sdk`.
    pub kind: String,
    /// Absolute paths of its programs and directories; a `*` segment stands for a version.
    pub paths: Vec<String>,
    /// Its size, when known.
    pub bytes: Option<u64>,
    pub origin: Origin,
}

/// Where a toolchain came into a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Installed by a RUN of `stage`; `span` is the word or command installing it.
    Run { stage: usize, span: Span },
    /// Provided by the base image of `stage` (`span`: the image in its FROM).
    Image {
        stage: usize,
        reference: String,
        span: Span,
    },
    /// Copied into `stage` by a `COPY --from` (`span`: that instruction).
    Copy { stage: usize, span: Span },
}

impl Origin {
    pub fn span(&self) -> Span {
        match self {
            Origin::Run { span, .. } | Origin::Image { span, .. } | Origin::Copy { span, .. } => {
                *span
            }
        }
    }

    pub fn stage(&self) -> usize {
        match self {
            Origin::Run { stage, .. }
            | Origin::Image { stage, .. }
            | Origin::Copy { stage, .. } => *stage,
        }
    }
}

/// What a build command in a stage names as its output: the path to copy instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artefact {
    /// Absolute; a directory ends with `/`.
    pub path: String,
    /// The command, for the help text: `go build -o`, `jlink --output`.
    pub command: String,
    /// Whether the path is named outright (a fix may copy it) rather than the usual
    /// output of the command (`npm run build` to `dist/`).
    pub named: bool,
}

/// One stage's filesystem, as far as we follow it.
#[derive(Clone, Debug, Default)]
pub struct StageFiles {
    pub toolchains: Vec<Toolchain>,
    pub artefacts: Vec<Artefact>,
    /// The working directory at the end of the stage (`/` when unknown).
    pub workdir: String,
    /// `ENV` values set so far (for `CARGO_HOME`, `RUSTUP_HOME`, `GOPATH`).
    env: Vec<(String, String)>,
}

impl StageFiles {
    fn env(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.contains('$') && v.starts_with('/'))
    }
}

/// A toolchain a COPY source takes, and which of its paths.
#[derive(Debug)]
pub struct Shipped<'a> {
    pub toolchain: &'a Toolchain,
    pub paths: Vec<&'a str>,
}

/// The filesystem of every stage, and which stages ship whole.
#[derive(Debug, Default)]
pub struct Filesystems {
    stages: Vec<StageFiles>,
    ships_whole: Vec<bool>,
}

impl Filesystems {
    /// `facts` gives the shell facts of instruction `at` (a RUN).
    pub fn build<'f>(
        file: &Dockerfile,
        graph: &StageGraph,
        facts: impl Fn(usize) -> &'f RunFacts,
    ) -> Filesystems {
        let mut built = Filesystems::default();
        for stage in &graph.stages {
            let mut files = match &stage.base {
                Base::Stage(base) if *base < built.stages.len() => built.stages[*base].clone(),
                Base::Image(image) => {
                    let mut files = StageFiles::default();
                    let repository = table_repository(image);
                    if let Some(row) = toolchain_paths::image(&repository, image.tag_or_latest()) {
                        files
                            .toolchains
                            .push(image_toolchain(row, stage.index, stage.base_span));
                    }
                    files
                }
                _ => StageFiles::default(),
            };
            if files.workdir.is_empty() {
                files.workdir = "/".to_string();
            }
            // Nothing the target builds reads a stage it does not use.
            let body = if stage.ships() {
                stage.body.clone()
            } else {
                0..0
            };
            for at in body {
                let instruction = &file.instructions[at];
                match instruction.keyword {
                    Keyword::Workdir => {
                        let dir = instruction.args.words.first().map_or("", |w| &w.text);
                        files.workdir = if dir.contains('$') {
                            "/".to_string()
                        } else {
                            absolute(&files.workdir, dir)
                        };
                    }
                    Keyword::Env => {
                        for pair in &instruction.args.pairs {
                            if let Some(value) = &pair.value {
                                let value = value.text.trim_matches('"').to_string();
                                files.env.push((pair.key.text.to_string(), value));
                            }
                        }
                    }
                    Keyword::Run => {
                        installs::record(&facts(at).facts, stage.index, &mut files);
                    }
                    Keyword::Copy | Keyword::Add => {
                        built.copy_into(graph, instruction, stage.index, &mut files);
                    }
                    _ => {}
                }
            }
            built.stages.push(files);
        }
        built.ships_whole = ships_whole(file, graph);
        built
    }

    pub fn of(&self, stage: usize) -> Option<&StageFiles> {
        self.stages.get(stage)
    }

    /// Whether everything in the stage reaches the image the target builds: the target,
    /// the stages it is built on, and stages copied whole (`COPY --from=build / /`)
    /// into one of those.
    pub fn ships_whole(&self, stage: usize) -> bool {
        self.ships_whole.get(stage).copied().unwrap_or(false)
    }

    /// The toolchains `COPY --from` takes from `from`: an earlier stage's, or what an
    /// SDK image provides. `at_stage` is the stage holding the COPY, `span` its FROM image.
    pub fn source_toolchains(
        &self,
        from: &EdgeTarget,
        span: Span,
        at_stage: usize,
    ) -> Vec<Toolchain> {
        match from {
            EdgeTarget::Stage(s) if *s < self.stages.len() && *s != at_stage => {
                self.stages[*s].toolchains.clone()
            }
            EdgeTarget::Image(text) => image_ref::parse(text)
                .ok()
                .and_then(|image| {
                    toolchain_paths::image(&table_repository(&image), image.tag_or_latest())
                })
                .map(|row| vec![image_toolchain(row, at_stage, span)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    fn copy_into(
        &self,
        graph: &StageGraph,
        instruction: &Instruction,
        stage: usize,
        files: &mut StageFiles,
    ) {
        let Some(from) = instruction.flag("from").and_then(|f| f.value.as_deref()) else {
            return;
        };
        let (target, _) = graph.resolve_reference(from);
        let (sources, dest) = copy_operands(instruction);
        let toolchains = self.source_toolchains(&target, instruction.span, stage);
        for source in sources {
            for shipped in shipped_by(&toolchains, &source) {
                let paths = shipped
                    .paths
                    .iter()
                    .map(|p| reroot(p, &source, &dest, &files.workdir))
                    .collect();
                files.toolchains.push(Toolchain {
                    paths,
                    origin: Origin::Copy {
                        stage,
                        span: instruction.span,
                    },
                    ..shipped.toolchain.clone()
                });
            }
        }
    }
}

fn image_toolchain(row: &toolchain_paths::ImageToolchain, stage: usize, span: Span) -> Toolchain {
    Toolchain {
        name: row.toolchain.clone(),
        kind: row.kind.clone(),
        paths: row.paths.clone(),
        bytes: row.bytes,
        origin: Origin::Image {
            stage,
            reference: row.image.clone(),
            span,
        },
    }
}

/// The sources (absolute, cleaned; `None` for one we cannot read, such as `$VAR`)
/// and destination of a COPY or ADD, as written.
pub fn copy_operands(instruction: &Instruction) -> (Vec<String>, String) {
    let words: Vec<&str> = instruction
        .args
        .words
        .iter()
        .map(|w| w.text.as_str())
        .filter(|w: &&str| !w.starts_with("<<"))
        .collect();
    let Some((dest, sources)) = words.split_last() else {
        return (Vec::new(), String::new());
    };
    let sources = sources
        .iter()
        .filter(|s| !s.contains('$') && !s.contains("://"))
        .map(|s| absolute("/", s))
        .collect();
    (sources, dest.to_string())
}

/// The toolchains copying `source` takes: the source is `/`, or at or above one
/// of their paths (a glob source matching one counts). A path beneath a toolchain
/// directory (`/usr/local/go/lib/time/zoneinfo.zip`) is not the toolchain.
pub fn shipped_by<'a>(toolchains: &'a [Toolchain], source: &str) -> Vec<Shipped<'a>> {
    let source = segments(source);
    toolchains
        .iter()
        .filter_map(|toolchain| {
            let paths: Vec<&str> = toolchain
                .paths
                .iter()
                .map(String::as_str)
                .filter(|path| is_ancestor_or_self(&source, &segments(path)))
                .collect();
            (!paths.is_empty()).then_some(Shipped { toolchain, paths })
        })
        .collect()
}

/// Where `path`, taken by copying `source`, lands when copied to `dest`.
fn reroot(path: &str, source: &str, dest: &str, workdir: &str) -> String {
    let dest = absolute(workdir, dest);
    let source_len = segments(source).len();
    let rest: Vec<&str> = segments(path).into_iter().skip(source_len).collect();
    if rest.is_empty() {
        return dest;
    }
    absolute(&dest, &rest.join("/"))
}

/// Stages whose whole filesystem ships: the target's base chain, then the base
/// chains of stages a shipping stage copies `/` from.
fn ships_whole(file: &Dockerfile, graph: &StageGraph) -> Vec<bool> {
    let mut ships = vec![false; graph.stages.len()];
    let Some(target) = graph.target else {
        return ships;
    };
    // Each stage's `COPY --from=<stage> / ...` sources, indexed once: linear in edges.
    let mut whole_copies: Vec<Vec<usize>> = vec![Vec::new(); graph.stages.len()];
    for edge in &graph.edges {
        let EdgeTarget::Stage(from) = edge.to else {
            continue;
        };
        if edge.kind != crate::model::EdgeKind::CopyFrom || edge.from_stage >= ships.len() {
            continue;
        }
        let (sources, _) = copy_operands(&file.instructions[edge.instruction]);
        if sources.iter().any(|s| s == "/") {
            whole_copies[edge.from_stage].push(from);
        }
    }
    // A shipping stage ships its base and what it copies whole: each stage once.
    let mut queue = vec![target];
    while let Some(stage) = queue.pop() {
        if stage >= ships.len() || ships[stage] {
            continue;
        }
        ships[stage] = true;
        queue.extend(graph.base_of(stage));
        queue.extend(whole_copies[stage].iter().copied());
    }
    ships
}

#[cfg(test)]
mod tests;
