//! `--from=0`: a stage referred to by its position instead of its name.

use std::cell::OnceCell;
use std::collections::HashSet;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Severity, Span};
use crate::model::{EdgeKind, EdgeTarget};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::valid_stage_name;

pub struct StageIndexReference;

impl Rule for StageIndexReference {
    fn meta(&self) -> &'static RuleMeta {
        meta("stage-index-reference")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // Every name a new `stage-N` could capture, lowercase, gathered once.
        let taken: OnceCell<HashSet<String>> = OnceCell::new();
        let taken = || {
            taken.get_or_init(|| {
                let stages = cx.graph.stages.iter().flat_map(|s| {
                    s.name.iter().chain([&s.base_expanded]).map(|n| n.to_ascii_lowercase())
                });
                let edges = cx.graph.edges.iter().map(|e| e.text.to_ascii_lowercase());
                stages.chain(edges).collect()
            })
        };
        for edge in cx.graph.edges.iter().filter(|e| e.by_index) {
            let EdgeTarget::Stage(to) = edge.to else {
                continue;
            };
            let Some(stage) = cx.graph.stages.get(to) else {
                continue;
            };
            let written = match edge.kind {
                EdgeKind::MountFrom => format!("from={}", edge.text),
                _ => format!("--from={}", edge.text),
            };
            // The span holds the index and follows its `from=`: otherwise (a quoted
            // option BuildKit reads differently) the edit would land elsewhere.
            let before = &cx.file.source[..edge.span.start];
            let replaceable = cx.text(edge.span) == edge.text
                && before
                    .get(before.len().saturating_sub(5)..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case("from="));
            let from = &cx.file.instructions[stage.from_instruction];
            let mut diagnostic = self.meta().diagnostic(
                edge.span,
                format!(
                    "`{written}` refers to {} by its position, which silently changes meaning when stages are added or reordered",
                    stage.describe()
                ),
            );
            match &stage.name {
                Some(name) => {
                    diagnostic = diagnostic
                        .with_help(format!("refer to the stage by its name: `{name}`"))
                        .with_label(
                            stage.name_span.unwrap_or(stage.base_span),
                            format!("stage {to} is named `{name}` here"),
                        );
                    // A name BuildKit rejects would add a syntax error where it is written.
                    if replaceable && valid_stage_name(name) {
                        diagnostic = diagnostic.with_fix(Fix {
                            message: format!("use the stage name `{name}`"),
                            edits: vec![Edit {
                                span: edge.span,
                                replacement: name.clone(),
                            }],
                            applicability: Applicability::Safe,
                        });
                    }
                }
                None => {
                    let name = format!("stage-{to}");
                    diagnostic = diagnostic
                        .with_help(format!(
                            "name the stage (`FROM {} AS {name}`) and refer to it by that name",
                            stage.base_text
                        ))
                        .with_label(stage.base_span, format!("stage {to} has no name"));
                    // `FROM image` alone: the name goes right after the image.
                    // Unsafe: a new name could capture a `FROM`/`--from` that meant an image.
                    if replaceable && from.args.words.len() == 1 && !taken().contains(&name) {
                        diagnostic = diagnostic.with_fix(Fix {
                            message: format!("name the stage `{name}` and use the name"),
                            edits: vec![
                                Edit {
                                    span: Span::empty(stage.base_span.end),
                                    replacement: format!(" AS {name}"),
                                },
                                Edit {
                                    span: edge.span,
                                    replacement: name.clone(),
                                },
                            ],
                            applicability: Applicability::Unsafe,
                        });
                    }
                }
            }
            // With two stages, `0` can only mean the other one: a matter of style.
            if cx.graph.stages.len() <= 2 {
                diagnostic = diagnostic.with_severity(Severity::Info);
            }
            diagnostic.severity = cx.stage_layout_severity(diagnostic.severity);
            out.push(cx.in_stage_of(edge.instruction, diagnostic));
        }
    }
}
