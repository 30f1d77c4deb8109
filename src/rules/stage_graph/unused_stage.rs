//! A stage the target does not depend on: never built, so dead weight or a mistake.
//!
//! A stage that looks built on its own (`docker build --target`, bake) and what it
//! uses are reported at info level only, with the way to declare them; a stage a build
//! argument can select (`FROM build-${VARIANT}`, `COPY --from=$SRC`) is not reported.

use crate::diagnostic::{Diagnostic, Severity, StageRole};
use crate::model::chains::reachable;
use crate::model::{vars, Base, EdgeTarget, Stage};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct UnusedStage;

impl Rule for UnusedStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("unused-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        let edges = possible_edges(cx);
        // Declared targets (`--target`, configured `targets`) and what they use.
        let mut starts = vec![target.index];
        starts.extend(cx.graph.extra_targets.iter().copied());
        let used = reachable(cx.graph.stages.len(), &starts, &edges);
        // Stages that look like targets of their own, and what they use: still never
        // built by this target, but most likely built with `--target`.
        let shape = Shape::of(cx, &edges);
        let standalone: Vec<(usize, &'static str)> = cx
            .graph
            .stages
            .iter()
            .filter_map(|s| stands_alone(cx, s, &shape).map(|why| (s.index, why)))
            .collect();
        let standalone_starts: Vec<usize> = standalone.iter().map(|(i, _)| *i).collect();
        let likely_built = reachable(cx.graph.stages.len(), &standalone_starts, &edges);
        // The edges into each stage, for the labels.
        let mut users: Vec<Vec<&crate::model::Edge>> = vec![Vec::new(); cx.graph.stages.len()];
        for edge in &cx.graph.edges {
            if let EdgeTarget::Stage(to) = edge.to {
                if to < users.len() && edge.from_stage != to {
                    users[to].push(edge);
                }
            }
        }
        for stage in cx
            .graph
            .stages
            .iter()
            .filter(|s| s.role == StageRole::Unused && !used[s.index])
            // A later stage of the same name shadows it: duplicate-stage-name says so.
            .filter(|s| !shadowed(cx, s))
        {
            let span = stage.name_span.unwrap_or(stage.base_span);
            let message = format!(
                "{} is never built: the target, {}, does not depend on it",
                stage.describe(),
                target.describe()
            );
            let mut diagnostic = if likely_built[stage.index] {
                let why = standalone
                    .iter()
                    .find(|(i, _)| *i == stage.index)
                    .map_or("a stage built on its own uses it", |(_, why)| *why);
                self.meta()
                    .diagnostic_with(Severity::Info, span, message)
                    .with_help(format!(
                        "it looks like a target of its own ({why}); if you build it with `--target`, list it in `targets` in .dockstage.toml"
                    ))
            } else {
                self.meta().diagnostic(span, message).with_help(match &stage.name {
                    Some(name) => format!(
                        "remove it, use it from a stage the target needs, or build it explicitly with `--target {name}`"
                    ),
                    None => "remove it, or name it and use it from a stage the target needs".to_string(),
                })
            }
            .with_stage(stage.reference());
            diagnostic.severity = cx.stage_layout_severity(diagnostic.severity);
            for edge in &users[stage.index] {
                let user = &cx.graph.stages[edge.from_stage];
                diagnostic = diagnostic.with_label(
                    edge.span,
                    format!("used here by {}, which is itself never built", user.describe()),
                );
            }
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}

/// Words in a stage name that say it is built on its own: `test`, `lint`, `dev`,
/// `e2e`, `docs`, `validate`, `update`, `release`...
const STANDALONE_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "coverage",
    "e2e",
    "integration",
    "lint",
    "linter",
    "validate",
    "check",
    "dev",
    "devel",
    "develop",
    "development",
    "debug",
    "shell",
    "docs",
    "doc",
    "update",
    "generate",
    "release",
    "bench",
    "ci",
];

/// Why a stage looks like a target of its own, if it does: named (only a name can be passed
/// to `--target`), the last stage of that name, used by no other stage, and either
/// its name says so, it has a `CMD` or `ENTRYPOINT` (its own or from the stage it is
/// built on: an image meant to be run), or it is a `scratch` stage of copies only
/// (files exported with `--output`).
fn stands_alone(cx: &Context<'_>, stage: &Stage, shape: &Shape) -> Option<&'static str> {
    let name = stage.name.as_ref()?;
    let shadowed = cx.graph.last_named(name) != Some(stage.index);
    if shadowed || shape.used_by_other[stage.index] {
        return None;
    }
    if name
        .split(['-', '_', '.'])
        .any(|word| STANDALONE_WORDS.contains(&word.to_ascii_lowercase().as_str()))
    {
        return Some("its name says what it is for");
    }
    if shape.runnable[stage.index] {
        return Some("it has a CMD or ENTRYPOINT");
    }
    let body: Vec<Keyword> = cx.stage_instructions(stage).map(|(_, i)| i.keyword).collect();
    let export = stage.base == Base::Scratch
        && !body.is_empty()
        && body.iter().all(|k| matches!(k, Keyword::Copy | Keyword::Add));
    export.then_some("a `scratch` stage of files, as exported with `--output`")
}

/// What [`stands_alone`] reads of every stage, computed once.
struct Shape {
    /// Another stage uses it.
    used_by_other: Vec<bool>,
    /// It or a stage it is built on has a `CMD` or `ENTRYPOINT`.
    runnable: Vec<bool>,
}

impl Shape {
    fn of(cx: &Context<'_>, edges: &[(usize, usize)]) -> Shape {
        let mut used_by_other = vec![false; cx.graph.stages.len()];
        for &(from, to) in edges {
            if from != to && to < used_by_other.len() {
                used_by_other[to] = true;
            }
        }
        let runnable = cx.graph.chain_any(|index| {
            cx.stage_instructions(&cx.graph.stages[index])
                .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
        });
        Shape {
            used_by_other,
            runnable,
        }
    }
}

/// Every `(user, used)` pair of stages: the graph's edges, plus the stages a reference
/// with a build argument in it could name (`FROM build-${VARIANT}` may be any
/// `build-*` stage, whatever the argument's default).
fn possible_edges(cx: &Context<'_>) -> Vec<(usize, usize)> {
    let mut edges: Vec<(usize, usize)> = cx
        .graph
        .edges
        .iter()
        .filter_map(|e| match e.to {
            EdgeTarget::Stage(to) => Some((e.from_stage, to)),
            _ => None,
        })
        .collect();
    let references = cx
        .graph
        .stages
        .iter()
        .map(|s| (s.index, s.base_text.as_str()))
        .chain(
            cx.graph
                .edges
                .iter()
                .map(|e| (e.from_stage, e.text.as_str())),
        );
    // A reference that is all build argument (`FROM ${BASE_DISTRIBUTION:-debug}`,
    // `COPY --from=$SRC`) and names a stage by default could name any other:
    // FROM any earlier stage, `--from` any stage but its own.
    let chosen_by_argument = cx
        .graph
        .stages
        .iter()
        .filter(|s| matches!(s.base, Base::Stage(_)))
        .map(|s| (s.index, s.base_text.as_str(), s.index))
        .chain(cx.graph.edges.iter().filter_map(|e| match e.to {
            EdgeTarget::Stage(_) => Some((e.from_stage, e.text.as_str(), cx.graph.stages.len())),
            _ => None,
        }));
    for (from, text, before) in chosen_by_argument {
        let escape = cx.file.escape;
        if vars::references(text, escape).is_empty() || Pattern::of(text, escape).is_some() {
            continue;
        }
        for stage in &cx.graph.stages[..before] {
            if stage.name.is_some() && stage.index != from {
                edges.push((from, stage.index));
            }
        }
    }
    // A misspelt name (`--from=buidler`) uses the stage it meant: the typo is reported
    // as unknown-stage, the stage is not reported as unused because of it.
    edges.extend(super::unknown_stage::misspelt_stage_uses(cx));
    for (from, text) in references {
        let Some(pattern) = Pattern::of(text, cx.file.escape) else {
            continue;
        };
        for stage in &cx.graph.stages {
            if stage.name.as_deref().is_some_and(|n| pattern.matches(n)) {
                edges.push((from, stage.index));
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// A stage reference with build arguments in it, as a wildcard pattern: the literal
/// parts in order, each argument matching any text.
#[derive(Debug, PartialEq, Eq)]
struct Pattern {
    parts: Vec<String>,
}

impl Pattern {
    /// The pattern of `text`, if it has an argument and literal text a stage name can
    /// hold (no `:`, `/` or `@`, which make it an image reference). A bare `${BASE}`
    /// could be anything: it is left to its default.
    fn of(text: &str, escape: char) -> Option<Pattern> {
        let refs = vars::references(text, escape);
        if refs.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        let mut at = 0;
        // A reference nested in another's fallback (`${A:+$B}`) is inside the outer one.
        for r in &refs {
            if r.span.start < at {
                continue;
            }
            parts.push(text[at..r.span.start].to_ascii_lowercase());
            at = r.span.end;
        }
        parts.push(text[at..].to_ascii_lowercase());
        let literal: String = parts.concat();
        if literal.is_empty() || literal.contains([':', '/', '@', '$']) {
            return None;
        }
        Some(Pattern { parts })
    }

    fn matches(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        let (first, rest) = match self.parts.split_first() {
            Some(split) => split,
            None => return false,
        };
        let Some(mut remaining) = name.strip_prefix(first.as_str()) else {
            return false;
        };
        let Some((last, middle)) = rest.split_last() else {
            return remaining.is_empty();
        };
        for part in middle {
            match remaining.find(part.as_str()) {
                Some(found) => remaining = &remaining[found + part.len()..],
                None => return false,
            }
        }
        remaining.ends_with(last.as_str())
    }
}

/// Whether a later stage takes this stage's name (names compare case-insensitively).
fn shadowed(cx: &Context<'_>, stage: &crate::model::Stage) -> bool {
    let Some(name) = &stage.name else {
        return false;
    };
    // The graph's name index keeps the last stage of each name, as BuildKit does.
    cx.graph.last_named(name).is_some_and(|last| last != stage.index)
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn patterns_of_references_with_arguments() {
        let p = Pattern::of("build-base-${BASE_VARIANT}", '\\').expect("a pattern");
        assert!(p.matches("build-base-alpine"));
        assert!(p.matches("Build-Base-Bullseye"));
        assert!(!p.matches("build-alpine"));
        let p = Pattern::of("binaries-$TARGETOS", '\\').expect("a pattern");
        assert!(p.matches("binaries-windows"));
        assert!(!p.matches("binaries"));
        let p = Pattern::of("${A}-mid-${B}-end", '\\').expect("a pattern");
        assert!(p.matches("x-mid-y-end"));
        assert!(!p.matches("x-mid-y-en"));
        assert!(!p.matches("x-y-end"));
        // A reference nested in another's fallback is part of the outer one.
        let p = Pattern::of("node${VERSION:+-$VERSION}", '\\').expect("a pattern");
        assert!(p.matches("node-22"));
    }

    #[test]
    fn no_pattern_without_an_argument_or_literal_text() {
        assert_eq!(Pattern::of("builder", '\\'), None);
        assert_eq!(Pattern::of("${BASE_IMAGE}", '\\'), None);
        assert_eq!(Pattern::of("golang:${GO_VERSION}-alpine", '\\'), None);
        assert_eq!(Pattern::of("registry/${NAME}", '\\'), None);
    }
}
