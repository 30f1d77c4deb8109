//! Compilers, build systems, headers, VCS clients and SDK toolchains installed in the
//! final stage, or in a stage it is built on (`FROM build AS final`). Scaled to the
//! image role: not in a toolchain or development image, which is meant to have them;
//! info in a base image, which may provide them to the images built on it.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity};
use crate::knowledge::{base_images, format_bytes};
use crate::filesystem::{copy_operands, shipped_by, Artefact, Origin, Toolchain};
use crate::model::{Base, EdgeKind, EdgeTarget, Stage};
use crate::rules::shipped_tools::shipped_build_tools;
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};
use crate::syntax::Instruction;

pub struct BuildToolInFinalStage;

/// How many tools the message names before "and N more".
const NAMED_IN_MESSAGE: usize = 4;

impl Rule for BuildToolInFinalStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("build-tool-in-final-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // A toolchain or development image is where they belong; a base image may
        // provide them to the images built on it.
        let Some(severity) = cx.shipped_severity(Shipped::BuildTools, self.meta().severity) else {
            return;
        };
        self.check_copies(cx, target, severity, out);
        let tools = shipped_build_tools(cx);
        if tools.is_empty() {
            return;
        }
        // A lone VCS client (`git`) is often a runtime dependency: fetching sources is
        // the job of builders, CI agents and deploy tools. Info, not a warning.
        let severity = if tools.iter().all(|t| t.kind == "vcs") {
            severity.min(Severity::Info)
        } else {
            severity
        };
        let own = tools.iter().position(|t| t.stage == target.index);
        let mut names: Vec<String> = tools
            .iter()
            .take(NAMED_IN_MESSAGE)
            .map(|t| format!("`{}`", t.name))
            .collect();
        if tools.len() > NAMED_IN_MESSAGE {
            names.push(format!("{} more", tools.len() - NAMED_IN_MESSAGE));
        }
        let list = join(&names);
        let (primary, message) = match own {
            Some(first) => (
                tools[first].span,
                format!("build tools are installed in the final image: {list}",),
            ),
            None => (
                target.base_span,
                format!(
                    "the final image inherits build tools from {}: {list}",
                    cx.graph.stages[tools[0].stage].describe()
                ),
            ),
        };
        let mut diagnostic = self
            .meta()
            .diagnostic_with(severity, primary, message)
            .with_help(
                "install build tools in a builder stage and COPY only the result into the final stage, or remove them in the RUN that installs them (`apt-get purge -y --auto-remove ...`, `apk add --virtual .build-deps ... && apk del .build-deps`)",
            )
            .with_stage(target.reference());
        for (i, tool) in tools.iter().enumerate() {
            if Some(i) == own {
                continue;
            }
            let place = if tool.stage == target.index {
                "here".to_string()
            } else {
                format!(
                    "here, in {}, which the final stage is built on",
                    cx.graph.stages[tool.stage].describe()
                )
            };
            diagnostic = diagnostic.with_label(
                tool.span,
                format!("`{}` ({}) installed {place}", tool.name, tool.kind),
            );
        }
        out.push(diagnostic);
    }
}

impl BuildToolInFinalStage {
    /// `COPY --from` in the final stage (or a stage it is built on) of a whole
    /// filesystem, or of a path that holds a toolchain of the stage or image copied from.
    fn check_copies(
        &self,
        cx: &Context<'_>,
        target: &Stage,
        severity: Severity,
        out: &mut Vec<Diagnostic>,
    ) {
        let filesystems = cx.filesystems();
        // One pass over the edges (findings are sorted later): linear in a long chain.
        for edge in cx.graph.edges.iter().filter(|e| {
            cx.graph.in_target_chain(e.from_stage)
                && matches!(e.kind, EdgeKind::CopyFrom | EdgeKind::AddFrom)
        }) {
            let index = edge.from_stage;
            let instruction = &cx.file.instructions[edge.instruction];
            let toolchains = filesystems.source_toolchains(&edge.to, edge.span, index);
            if toolchains.is_empty() {
                continue;
            }
            let (sources, _) = copy_operands(instruction);
            let whole = sources.iter().any(|s| s == "/");
            let mut shipped: Vec<(&Toolchain, Vec<&str>)> = Vec::new();
            for source in &sources {
                for found in shipped_by(&toolchains, source) {
                    match shipped.iter_mut().find(|(t, _)| t.name == found.toolchain.name) {
                        Some((_, paths)) => paths.extend(found.paths),
                        None => shipped.push((found.toolchain, found.paths)),
                    }
                }
            }
            if shipped.is_empty() {
                continue;
            }
            let from = match &edge.to {
                EdgeTarget::Stage(s) => cx.graph.stages[*s].describe(),
                _ => format!("the image `{}`", edge.text),
            };
            let into = if index == target.index {
                "the final image".to_string()
            } else {
                format!(
                    "{}, which the final stage is built on",
                    cx.graph.stages[index].describe()
                )
            };
            let list = join(&toolchain_names(&shipped));
            // A few programs of a package are not the package's size.
            let complete: Vec<&Toolchain> = shipped
                .iter()
                .filter(|(t, paths)| whole || t.paths.iter().all(|p| paths.contains(&p.as_str())))
                .map(|(t, _)| *t)
                .collect();
            let size = leak_size(cx, &edge.to, &complete, whole)
                .map(|bytes| format!(" (about {})", format_bytes(bytes)))
                .unwrap_or_default();
            let message = if whole {
                format!("the whole filesystem of {from} is copied into {into}, with {list}{size}")
            } else {
                format!("this COPY ships {list} from {from} into {into}{size}")
            };
            let mut diagnostic = self
                .meta()
                .diagnostic_with(severity, instruction.span, message)
                .with_stage(target.reference());
            for (toolchain, _) in &shipped {
                diagnostic =
                    diagnostic.with_label(toolchain.origin.span(), origin_label(cx, toolchain));
            }
            let artefacts = match edge.to {
                EdgeTarget::Stage(s) => filesystems.of(s).map_or(&[][..], |f| &f.artefacts),
                _ => &[],
            };
            diagnostic = diagnostic.with_help(copy_help(artefacts));
            if let ([artefact], [_]) = (artefacts, instruction.args.words.split_last().map_or(&[][..], |(_, s)| s)) {
                if artefact.named {
                    diagnostic = diagnostic.with_fix(copy_fix(instruction, artefact));
                }
            }
            out.push(diagnostic);
        }
    }
}

/// What the message calls the toolchains: package names, the C headers, the Go SDK;
/// for part of a package, the programs or directories copied (`make` of `build-essential`).
fn toolchain_names(toolchains: &[(&Toolchain, Vec<&str>)]) -> Vec<String> {
    let mut names = Vec::new();
    let mut headers = Vec::new();
    for (toolchain, paths) in toolchains {
        let part = toolchain.paths.len() > paths.len() && toolchain.paths.len() > 1;
        let programs: Vec<&str> = paths
            .iter()
            .map(|p| p.rsplit('/').next().unwrap_or(p))
            .collect();
        let is_program = |p: &&str| {
            p.rsplit_once('/')
                .is_some_and(|(dir, _)| dir.ends_with("/bin") || dir.ends_with("/sbin"))
        };
        // An SDK directory copied whole is the SDK; its programs alone are not.
        let sdk_dir = matches!(toolchain.origin, Origin::Image { .. }) && !paths.iter().any(is_program);
        if part && programs != [toolchain.name.as_str()] && !sdk_dir {
            let listed: Vec<String> = paths
                .iter()
                .map(|p| match p.rsplit_once('/') {
                    Some((_, program)) if is_program(p) => format!("`{program}`"),
                    _ => format!("`{p}`"),
                })
                .collect();
            let of = if toolchain.name.contains(' ') {
                toolchain.name.clone()
            } else {
                format!("`{}`", toolchain.name)
            };
            names.push(format!("{} of {of}", join(&listed)));
        } else if toolchain.kind == "headers" || LIBC_HEADERS.contains(&toolchain.name.as_str()) {
            headers.push(toolchain.name.as_str());
        } else if toolchain.name.starts_with("the ") || toolchain.name.contains(' ') {
            names.push(toolchain.name.clone());
        } else {
            names.push(format!("`{}`", toolchain.name));
        }
    }
    let (libc, other): (Vec<&str>, Vec<&str>) =
        headers.into_iter().partition(|h| LIBC_HEADERS.contains(h));
    if !libc.is_empty() {
        names.push("the C headers".to_string());
    }
    if !other.is_empty() {
        let listed: Vec<String> = other.iter().map(|h| format!("`{h}`")).collect();
        names.push(format!("the headers of {}", join(&listed)));
    }
    names
}

/// Packages whose headers are the C library's.
const LIBC_HEADERS: &[&str] = &["libc6-dev", "libc-dev", "musl-dev", "glibc-devel", "linux-libc-dev"];

/// The leak's size: the largest toolchain (their package closures overlap), and for
/// a whole filesystem at least its base image besides.
fn leak_size(cx: &Context<'_>, from: &EdgeTarget, shipped: &[&Toolchain], whole: bool) -> Option<u64> {
    let tools = shipped.iter().filter_map(|t| t.bytes).max();
    let base = match (whole, from) {
        (true, EdgeTarget::Stage(s)) => match cx.graph.root_base(*s) {
            Base::Image(image) => base_images::lookup(image).and_then(|m| m.row.uncompressed_bytes),
            _ => None,
        },
        _ => None,
    };
    let from_image = shipped.iter().any(|t| matches!(t.origin, Origin::Image { .. }));
    match (base, tools) {
        // An SDK image's size already holds its SDK.
        (Some(base), Some(_)) if from_image => Some(base),
        (Some(base), Some(tools)) => Some(base + tools),
        (base, tools) => base.or(tools),
    }
}

fn origin_label(cx: &Context<'_>, toolchain: &Toolchain) -> String {
    let name = &toolchain.name;
    let place = |stage: usize| cx.graph.stages[stage].describe();
    match &toolchain.origin {
        Origin::Run { stage, .. } => format!("{name} ({}) installed here, in {}", toolchain.kind, place(*stage)),
        Origin::Image { reference, .. } => format!(
            "the image `{reference}` provides {name} at {}",
            toolchain.paths.join(", ")
        ),
        Origin::Copy { stage, .. } => format!("{name} copied into {} here", place(*stage)),
    }
}

fn copy_help(artefacts: &[Artefact]) -> String {
    let paths: Vec<String> = artefacts
        .iter()
        .map(|a| {
            if a.named {
                format!("`{}` (from `{}`)", a.path, a.command)
            } else {
                format!("`{}` (the usual output of `{}`)", a.path, a.command)
            }
        })
        .collect();
    if paths.is_empty() {
        "copy only what the image runs (the built binary, `dist/`, a `jlink` runtime), not the toolchain that built it; for a runtime, start FROM a runtime image".to_string()
    } else {
        format!(
            "copy only what the build produced: {}, not the toolchain that built it",
            join(&paths)
        )
    }
}

/// Copies the build output instead of the source (destination kept).
fn copy_fix(instruction: &Instruction, artefact: &Artefact) -> Fix {
    let source = &instruction.args.words[0];
    let path = artefact.path.trim_end_matches('/').to_string();
    Fix {
        message: format!("copy `{path}` instead"),
        edits: vec![Edit {
            span: source.span,
            replacement: path,
        }],
        applicability: Applicability::Unsafe,
    }
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
