//! `--from`, `--mount from=` or `FROM` naming a stage that does not exist.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::model::image_ref::looks_like_image;
use crate::model::{Base, Edge, EdgeKind, EdgeTarget, Stage};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::valid_stage_name;

pub struct UnknownStage;

/// Official images that are commonly named bare (`COPY --from=busybox`): not typos.
const OFFICIAL_IMAGES: &str = include_str!("../../../data/official-images.txt");

fn is_official_image(name: &str) -> bool {
    OFFICIAL_IMAGES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .any(|line| line.trim().eq_ignore_ascii_case(name))
}

/// The stage a reference (`--from=buidler`) misspells, if it is a typo of one.
fn misspelt_reference<'a>(cx: &Context<'a>, edge: &Edge) -> Option<&'a Stage> {
    let EdgeTarget::Unknown(text) = &edge.to else {
        return None;
    };
    if text.is_empty() || text.contains('$') || edge.by_index || is_official_image(text) {
        return None;
    }
    cx.graph.stage_meant(text, None)
}

/// The stage a `FROM buidler` misspells: an image name a typo away from a stage name.
fn misspelt_base<'a>(cx: &Context<'a>, stage: &Stage) -> Option<&'a Stage> {
    let name = match &stage.base {
        Base::Image(_) | Base::Invalid { .. } => stage.base_expanded.as_str(),
        Base::Stage(_) | Base::Scratch => return None,
    };
    if name.is_empty()
        || looks_like_image(name)
        || is_official_image(name)
        || cx.graph.last_named(name).is_some()
    {
        return None;
    }
    cx.graph.stage_meant(name, Some(stage.index))
}

/// `(stage referring, stage meant)` for every misspelt stage name. The typo is this
/// rule's finding; what it causes (the stage meant looks unused) is not reported again.
pub(crate) fn misspelt_stage_uses(cx: &Context<'_>) -> Vec<(usize, usize)> {
    let references = cx
        .graph
        .edges
        .iter()
        .filter_map(|edge| Some((edge.from_stage, misspelt_reference(cx, edge)?.index)));
    let bases = cx
        .graph
        .stages
        .iter()
        .filter_map(|stage| Some((stage.index, misspelt_base(cx, stage)?.index)));
    references.chain(bases).collect()
}

/// The reference as the user wrote it: `--from=x`, `from=x`.
fn written(kind: EdgeKind, text: &str) -> String {
    match kind {
        EdgeKind::MountFrom => format!("from={text}"),
        EdgeKind::From => format!("FROM {text}"),
        EdgeKind::CopyFrom | EdgeKind::AddFrom => format!("--from={text}"),
    }
}

impl UnknownStage {
    fn references(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let count = cx.graph.stages.len();
        for edge in &cx.graph.edges {
            let EdgeTarget::Unknown(text) = &edge.to else {
                continue;
            };
            // Empty values are syntax errors; `$VAR` is resolved at build time.
            if text.is_empty() || text.contains('$') {
                continue;
            }
            let reference = written(edge.kind, text);
            let diagnostic = if edge.by_index {
                let range = match count {
                    0 | 1 => "the only stage is 0".to_string(),
                    _ => format!("stages are numbered 0 to {}", count - 1),
                };
                self.meta()
                    .diagnostic(
                        edge.span,
                        format!("`{reference}` refers to stage index {text}, but the {range}"),
                    )
                    .with_help("stages are counted from 0 in the order of their FROM lines; better, name the stage (`FROM ... AS NAME`) and refer to it by name")
            } else {
                if is_official_image(text) {
                    continue;
                }
                let mut diagnostic = self.meta().diagnostic(
                    edge.span,
                    format!(
                        "`{reference}` names no stage of this Dockerfile and is not an image reference"
                    ),
                );
                match misspelt_reference(cx, edge) {
                    Some(stage) => {
                        let name = stage.display_name();
                        diagnostic = diagnostic
                            .with_help(format!("did you mean the stage `{name}`?"));
                        if let Some(span) = stage.name_span {
                            diagnostic = diagnostic
                                .with_label(span, format!("{} is defined here", stage.describe()));
                        }
                        // A name BuildKit rejects would add a syntax error where it is written.
                        if cx.text(edge.span) == text && valid_stage_name(&name) {
                            diagnostic = diagnostic.with_fix(Fix {
                                message: format!("refer to the stage `{name}`"),
                                edits: vec![Edit {
                                    span: edge.span,
                                    replacement: name,
                                }],
                                applicability: Applicability::Unsafe,
                            });
                        }
                    }
                    None => {
                        diagnostic = diagnostic.with_help(format!(
                            "name a stage defined with `FROM ... AS NAME`; BuildKit would try to pull an image `docker.io/library/{text}`, so write an image with its tag (`{text}:TAG`) if that is what you mean"
                        ));
                    }
                }
                diagnostic
            };
            out.push(cx.in_stage_of(edge.instruction, diagnostic));
        }
    }

    /// `FROM buidler`: an image name one typo away from a stage name.
    fn near_miss_bases(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let Some(meant) = misspelt_base(cx, stage) else {
                continue;
            };
            let name = stage.base_expanded.as_str();
            let meant_name = meant.display_name();
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    stage.base_span,
                    format!(
                        "`FROM {name}` names no stage of this Dockerfile, so BuildKit would pull an image `{name}` instead of using the stage `{meant_name}`"
                    ),
                )
                .with_help(format!("did you mean the stage `{meant_name}`?"));
            if let Some(span) = meant.name_span {
                diagnostic =
                    diagnostic.with_label(span, format!("{} is defined here", meant.describe()));
            }
            // Only an earlier stage can be a base; a later one needs reordering too.
            if meant.index < stage.index
                && cx.text(stage.base_span) == name
                && valid_stage_name(&meant_name)
            {
                diagnostic = diagnostic.with_fix(Fix {
                    message: format!("start from the stage `{meant_name}`"),
                    edits: vec![Edit {
                        span: stage.base_span,
                        replacement: meant_name,
                    }],
                    applicability: Applicability::Unsafe,
                });
            }
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}

impl Rule for UnknownStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("unknown-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        self.references(cx, out);
        self.near_miss_bases(cx, out);
        cx.lower_in_fixtures(&mut out[start..]);
    }
}
