//! The stage graph: stages, their bases, the edges between them, the target and
//! what reaches it. Names compare case-insensitively, as BuildKit does.

use std::collections::HashMap;

use super::image_ref::{self, ImageRef};
use super::scope::{self, ArgDecl, GlobalArgs};
use crate::diagnostic::{Span, StageRef, StageRole};
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// What a stage starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Base {
    /// An image from a registry.
    Image(ImageRef),
    /// An earlier stage of this file.
    Stage(usize),
    Scratch,
    /// Not a valid image reference after expansion (kept as expanded).
    Invalid {
        text: String,
        reason: String,
    },
}

impl Base {
    pub fn kind(&self) -> &'static str {
        match self {
            Base::Image(_) | Base::Invalid { .. } => "image",
            Base::Stage(_) => "stage",
            Base::Scratch => "scratch",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub index: usize,
    /// The alias as written (`AS Builder`), if any.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// Index of the FROM instruction in [`Dockerfile::instructions`].
    pub from_instruction: usize,
    /// Indices of the instructions after FROM, up to the next FROM.
    pub body: std::ops::Range<usize>,
    /// The FROM argument as written and its span.
    pub base_text: String,
    pub base_span: Span,
    /// The FROM argument after global ARG expansion.
    pub base_expanded: String,
    /// Global ARGs the FROM line used that have no value.
    pub base_unresolved: Vec<String>,
    pub base: Base,
    pub platform: Option<String>,
    pub role: StageRole,
}

impl Stage {
    /// Case-insensitive comparison with a `--from`/`FROM` value.
    pub fn is_named(&self, name: &str) -> bool {
        self.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    }

    pub fn display_name(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.index.to_string())
    }

    /// For messages: "the stage `build`", or "stage 2" for an unnamed stage.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("the stage `{name}`"),
            None => format!("stage {}", self.index),
        }
    }

    pub fn reference(&self) -> StageRef {
        StageRef {
            index: self.index,
            name: self.name.clone(),
            role: self.role,
        }
    }

    pub fn ships(&self) -> bool {
        self.role != StageRole::Unused
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeKind {
    /// `FROM <stage>`
    From,
    CopyFrom,
    AddFrom,
    /// `RUN --mount=from=<stage>`
    MountFrom,
}

impl EdgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::From => "from",
            EdgeKind::CopyFrom => "copy-from",
            EdgeKind::AddFrom => "add-from",
            EdgeKind::MountFrom => "mount-from",
        }
    }
}

/// What a reference points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EdgeTarget {
    Stage(usize),
    /// An image (not a stage name): `COPY --from=nginx:1.27`.
    Image(String),
    /// Names no stage and does not look like an image (or an out-of-range index).
    Unknown(String),
}

#[derive(Clone, Debug)]
pub struct Edge {
    /// The stage that depends on the other.
    pub from_stage: usize,
    pub to: EdgeTarget,
    pub kind: EdgeKind,
    /// The instruction holding the reference.
    pub instruction: usize,
    /// The reference as written, and where.
    pub text: String,
    pub span: Span,
    /// `--from=0`: by index rather than name.
    pub by_index: bool,
}

#[derive(Clone, Debug, Default)]
pub struct StageGraph {
    pub stages: Vec<Stage>,
    pub edges: Vec<Edge>,
    /// ARGs before the first FROM.
    pub global_args: Vec<ArgDecl>,
    /// The stage `docker build` produces.
    pub target: Option<usize>,
    /// `--target` named no stage.
    pub target_error: Option<String>,
    /// Stages also built on their own (configuration `targets`) that this file has.
    pub extra_targets: Vec<usize>,
    /// Names, chains and edges indexed once (see `chains.rs`).
    pub(super) index: StageIndex,
}

impl StageGraph {
    pub fn build(file: &Dockerfile, target: Option<&str>) -> StageGraph {
        let mut graph = StageGraph::default();
        let globals = GlobalArgs::collect(file);
        graph.global_args = globals.decls.clone();
        graph.collect_stages(file, &globals);
        graph.index = StageIndex::names(&graph.stages);
        graph.collect_edges(file);
        graph.choose_target(target);
        graph.index_chains();
        graph.assign_roles();
        graph
    }

    fn collect_stages(&mut self, file: &Dockerfile, globals: &GlobalArgs) {
        let froms: Vec<usize> = file
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.keyword == Keyword::From)
            .map(|(index, _)| index)
            .collect();
        // The last stage of each lower-cased name so far: what a FROM resolves to.
        let mut earlier: HashMap<String, usize> = HashMap::new();
        for (index, &at) in froms.iter().enumerate() {
            let from = &file.instructions[at];
            let end = froms
                .get(index + 1)
                .copied()
                .unwrap_or(file.instructions.len());
            let words = &from.args.words;
            let (base_text, base_span) = words
                .first()
                .map_or((String::new(), from.keyword_span), |w| {
                    (w.text.to_string(), w.span)
                });
            let (name, name_span) = match words.get(2) {
                Some(w) if words.len() == 3 && words[1].text.eq_ignore_ascii_case("as") => {
                    (Some(w.text.to_string()), Some(w.span))
                }
                _ => (None, None),
            };
            let expansion = globals.expand(&base_text, file.escape);
            let base = resolve_base(&earlier, &expansion.value);
            if let Some(name) = &name {
                earlier.insert(name.to_ascii_lowercase(), index);
            }
            let platform = from
                .flag("platform")
                .and_then(|f| f.value.clone())
                .map(|p| globals.expand(&p, file.escape).value);
            self.stages.push(Stage {
                index,
                name,
                name_span,
                from_instruction: at,
                body: at + 1..end,
                base_text,
                base_span,
                base_expanded: expansion.value,
                base_unresolved: expansion.unresolved,
                base,
                platform,
                role: StageRole::Unused,
            });
        }
    }

    fn collect_edges(&mut self, file: &Dockerfile) {
        for stage_index in 0..self.stages.len() {
            let stage = &self.stages[stage_index];
            if let Base::Stage(base) = stage.base {
                let edge = Edge {
                    from_stage: stage_index,
                    to: EdgeTarget::Stage(base),
                    kind: EdgeKind::From,
                    instruction: stage.from_instruction,
                    text: stage.base_text.clone(),
                    span: stage.base_span,
                    by_index: false,
                };
                self.edges.push(edge);
            } else if let Some(later) = self.first_named_after(stage_index, &stage.base_expanded) {
                // BuildKit would try to pull an image of that name; it is a mistake.
                let edge = Edge {
                    from_stage: stage_index,
                    to: EdgeTarget::Stage(later),
                    kind: EdgeKind::From,
                    instruction: stage.from_instruction,
                    text: stage.base_text.clone(),
                    span: stage.base_span,
                    by_index: false,
                };
                self.edges.push(edge);
            }
            // ONBUILD triggers run in a later build, not this one: they add no edges.
            for at in self.stages[stage_index].body.clone() {
                self.instruction_edges(file, stage_index, at);
            }
        }
    }

    fn instruction_edges(&mut self, file: &Dockerfile, stage_index: usize, at: usize) {
        let instruction: &Instruction = &file.instructions[at];
        let kind = match instruction.keyword {
            Keyword::Copy => EdgeKind::CopyFrom,
            Keyword::Add => EdgeKind::AddFrom,
            Keyword::Run => EdgeKind::MountFrom,
            _ => return,
        };
        if kind == EdgeKind::MountFrom {
            for flag in instruction.flags_named("mount") {
                let Some(value) = &flag.value else { continue };
                if let Some(from) = mount_from(value) {
                    let span = mount_from_span(file, flag.span, &from);
                    self.push_reference(file, stage_index, at, kind, from, span);
                }
            }
            return;
        }
        if let Some(flag) = instruction.flag("from") {
            if let Some(value) = &flag.value {
                let span = sub_span(file, flag.span, value);
                self.push_reference(file, stage_index, at, kind, value.to_string(), span);
            }
        }
    }

    fn push_reference(
        &mut self,
        file: &Dockerfile,
        stage_index: usize,
        at: usize,
        kind: EdgeKind,
        text: String,
        span: Span,
    ) {
        let (to, by_index) =
            self.resolve_reference(&self.expand_reference(file, stage_index, at, &text));
        self.edges.push(Edge {
            from_stage: stage_index,
            to,
            kind,
            instruction: at,
            text,
            span,
            by_index,
        });
    }

    /// `--from=$SRC` with the stage's ARGs; as written when a variable is unset.
    fn expand_reference(
        &self,
        file: &Dockerfile,
        stage_index: usize,
        at: usize,
        text: &str,
    ) -> String {
        if !text.contains('$') {
            return text.to_string();
        }
        let globals = GlobalArgs::collect(file);
        let body = self.stages[stage_index].body.clone();
        let expansion = scope::expand_in_stage(file, &globals, body, at, text);
        if expansion.unresolved.is_empty() && !expansion.value.is_empty() {
            expansion.value
        } else {
            text.to_string()
        }
    }

    /// `--from` / `from=`: a stage name (any position; with duplicates, the last stage of
    /// that name, as in BuildKit), a stage index, or an image.
    pub fn resolve_reference(&self, text: &str) -> (EdgeTarget, bool) {
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return match text.parse::<usize>() {
                Ok(index) if index < self.stages.len() => (EdgeTarget::Stage(index), true),
                _ => (EdgeTarget::Unknown(text.to_string()), true),
            };
        }
        // BuildKit keeps one stage per name, the last one defined.
        if let Some(stage) = self.last_named(text) {
            return (EdgeTarget::Stage(stage), false);
        }
        if image_ref::looks_like_image(text) {
            return (EdgeTarget::Image(text.to_string()), false);
        }
        (EdgeTarget::Unknown(text.to_string()), false)
    }

    fn choose_target(&mut self, target: Option<&str>) {
        match target {
            None => self.target = self.stages.len().checked_sub(1),
            Some(name) => match self.last_named(name) {
                Some(stage) => self.target = Some(stage),
                None => {
                    self.target = self.stages.len().checked_sub(1);
                    self.target_error = Some(self.no_such_target(name));
                }
            },
        }
    }

    /// Records the stages, among `names`, that are built on their own besides the
    /// target (configured `targets`; names this file lacks are skipped). Roles do not
    /// change: see [`StageGraph::reached_from_extra_targets`].
    pub fn set_extra_targets(&mut self, names: &[String]) {
        self.extra_targets = names
            .iter()
            .filter_map(|name| self.last_named(name))
            .collect();
        self.extra_targets.sort_unstable();
        self.extra_targets.dedup();
    }

    /// Per stage: whether an extra target is it or depends on it.
    pub fn reached_from_extra_targets(&self) -> Vec<bool> {
        self.reachable_from(&self.extra_targets)
    }

    fn assign_roles(&mut self) {
        let Some(target) = self.target else { return };
        let reached = self.reachable_from(&[target]);
        for stage in &mut self.stages {
            stage.role = if stage.index == target {
                StageRole::Final
            } else if reached[stage.index] {
                StageRole::FeedsFinal
            } else {
                StageRole::Unused
            };
        }
    }

    pub fn final_stage(&self) -> Option<&Stage> {
        self.target.map(|t| &self.stages[t])
    }

    /// The stage a misspelt stage name most likely means: the closest name within a
    /// few edits (case-insensitive), the later stage on a tie; never `except`.
    /// One judgement for `--from`, `FROM`, `--target` and the findings they cause.
    pub fn stage_meant(&self, name: &str, except: Option<usize>) -> Option<&Stage> {
        let limit = match name.chars().count() {
            0..=2 => 0,
            3..=5 => 1,
            _ => 2,
        };
        let wanted = name.to_ascii_lowercase();
        self.stages
            .iter()
            .filter(|stage| Some(stage.index) != except)
            .filter_map(|stage| {
                let candidate = stage.name.as_deref()?.to_ascii_lowercase();
                let distance = strsim::damerau_levenshtein(&wanted, &candidate);
                (distance <= limit).then_some((distance, stage))
            })
            .min_by_key(|(distance, stage)| (*distance, std::cmp::Reverse(stage.index)))
            .map(|(_, stage)| stage)
    }

    /// Why `--target name` is refused: with the stage meant, else the names there are.
    fn no_such_target(&self, name: &str) -> String {
        let mut message = format!("--target {name:?} names no stage of this Dockerfile");
        if let Some(stage) = self.stage_meant(name, None) {
            message.push_str(&format!(" (did you mean `{}`?)", stage.display_name()));
        } else {
            let names: Vec<&str> = self
                .stages
                .iter()
                .filter_map(|s| s.name.as_deref())
                .collect();
            if names.is_empty() {
                message.push_str("; it has no named stage");
            } else {
                message.push_str(&format!("; its stages are `{}`", names.join("`, `")));
            }
        }
        message
    }
}

/// A FROM value names an earlier stage (the last of that name so far), `scratch`, or
/// an image.
fn resolve_base(earlier: &HashMap<String, usize>, value: &str) -> Base {
    if let Some(&stage) = earlier.get(&value.to_ascii_lowercase()) {
        return Base::Stage(stage);
    }
    match image_ref::parse(value) {
        Ok(image) if image.is_scratch => Base::Scratch,
        Ok(image) => Base::Image(image),
        Err(err) => Base::Invalid {
            text: value.to_string(),
            reason: err.to_string(),
        },
    }
}

/// The `from=` of a `--mount` value (`type=cache,from=builder,target=/x`).
pub fn mount_from(value: &str) -> Option<String> {
    mount_options(value)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("from"))
        .map(|(_, v)| v)
}

/// The comma-separated `key=value` options of a `--mount` value.
pub fn mount_options(value: &str) -> Vec<(String, String)> {
    value
        .split(',')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().trim_matches('"').to_string()),
            None => (part.trim().to_string(), String::new()),
        })
        .collect()
}

/// The span of the first `from=` value of a `--mount` flag as written: searching
/// for the value alone can land in another option that ends with the same text.
fn mount_from_span(file: &Dockerfile, flag: Span, value: &str) -> Span {
    let written = file.text(flag);
    let options = written.find('=').map_or(0, |eq| eq + 1);
    let mut start = options;
    for part in written[options..].split(',') {
        if let Some((key, _)) = part.split_once('=') {
            if key.trim().eq_ignore_ascii_case("from") {
                let value_start = start + key.len() + 1;
                return match written[value_start..start + part.len()].find(value) {
                    Some(at) if !value.is_empty() => Span::new(
                        flag.start + value_start + at,
                        flag.start + value_start + at + value.len(),
                    ),
                    _ => flag,
                };
            }
        }
        start += part.len() + 1;
    }
    flag
}

/// The span of `needle` inside a flag as written (`--from=build`), or the whole flag
/// when quoting or a continuation makes the text differ.
fn sub_span(file: &Dockerfile, flag: Span, needle: &str) -> Span {
    let written = file.text(flag);
    match written.rfind(needle) {
        Some(at) if !needle.is_empty() => {
            Span::new(flag.start + at, flag.start + at + needle.len())
        }
        _ => flag,
    }
}

/// What `model/chains.rs` indexes once per file: names, base-chain roots, the target's
/// chain and the stage-to-stage edges.
#[derive(Clone, Debug, Default)]
pub(super) struct StageIndex {
    /// Lower-cased stage name: the stages of that name, in order.
    pub(super) by_name: HashMap<String, Vec<usize>>,
    /// Per stage: the root of its base chain (itself when built on an image).
    pub(super) root: Vec<usize>,
    /// Per stage: whether it is the target or a stage the target is built `FROM`.
    pub(super) in_target_chain: Vec<bool>,
    /// Every stage-to-stage edge as `(user, used)`, sorted.
    pub(super) stage_edges: Vec<(usize, usize)>,
}

impl StageIndex {
    /// The name index, from the stages alone (needed to resolve references).
    pub(super) fn names(stages: &[Stage]) -> StageIndex {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for stage in stages {
            if let Some(name) = &stage.name {
                by_name
                    .entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(stage.index);
            }
        }
        StageIndex {
            by_name,
            ..StageIndex::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn a_duplicated_name_resolves_to_the_last_stage_as_in_buildkit() {
        let file = parse("FROM alpine AS x\nFROM alpine AS x\nFROM alpine\nCOPY --from=x /a /a\n");
        let graph = StageGraph::build(&file, Some("x"));
        assert_eq!(graph.resolve_reference("X"), (EdgeTarget::Stage(1), false));
        assert_eq!(graph.target, Some(1));
    }

    #[test]
    fn a_mount_reference_spans_its_own_from_value() {
        // Found by the fix fuzz target: the span was the last `0` of the flag, inside
        // another option, so the index fix grew that option on every run.
        let source = "FROM alpine AS a\nRUN --mount=type=bind,from=0,target=/x0 true\n";
        let file = parse(source);
        let graph = StageGraph::build(&file, None);
        let edge = graph.edges.last().unwrap();
        assert_eq!(
            edge.span.start,
            source.find("from=0").unwrap() + "from=".len()
        );
        assert_eq!(&source[edge.span.start..edge.span.end], "0");
    }

    #[test]
    fn from_resolves_to_the_closest_earlier_stage() {
        let file = parse("FROM alpine AS x\nFROM x AS y\nFROM alpine AS x\nFROM x\n");
        let graph = StageGraph::build(&file, None);
        assert_eq!(graph.stages[1].base, Base::Stage(0));
        assert_eq!(graph.stages[3].base, Base::Stage(2));
    }

    #[test]
    fn copy_from_an_argument_takes_the_stage_arg_over_the_global_default() {
        let copied_from = |text: &str| {
            let graph = StageGraph::build(&parse(text), None);
            graph.edges.last().map(|e| e.to.clone())
        };
        let header = "ARG SRC=a\nFROM alpine AS a\nFROM alpine AS b\nFROM scratch\n";
        assert_eq!(
            copied_from(&format!("{header}ARG SRC\nCOPY --from=$SRC /f /f\n")),
            Some(EdgeTarget::Stage(0))
        );
        assert_eq!(
            copied_from(&format!("{header}ARG SRC=b\nCOPY --from=${{SRC}} /f /f\n")),
            Some(EdgeTarget::Stage(1))
        );
        // Not declared in the stage: the global is not seen, the text stays as written.
        assert_eq!(
            copied_from(&format!("{header}COPY --from=$SRC /f /f\n")),
            Some(EdgeTarget::Unknown("$SRC".to_string()))
        );
    }
}
