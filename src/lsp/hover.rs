//! Hover: the rule page on a finding, the stage a reference points to, and what we
//! know of a `FROM` line's base image.

use super::navigation::{stage_at, touches};
use super::worker::Snapshot;
use crate::diagnostic::StageRole;
use crate::model::image_ref::ImageRef;
use crate::model::{Base, Stage};
use crate::rules;
use crate::syntax::Keyword;
use lsp_types as lsp;
use std::fmt::Write as _;

/// What the knowledge tables say about a base image.
///
/// Extension point: `src/knowledge/` (the loader for `data/base-images.tsv` and
/// `data/image-alternatives.tsv`, being written on another branch) fills this in
/// [`base_image_facts`]; the hover already renders every field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseImageFacts {
    /// Uncompressed size, e.g. `8.3 MB`.
    pub size: Option<String>,
    /// A smaller image that would do, e.g. `node:22-slim`.
    pub slim_alternative: Option<String>,
    /// `glibc` or `musl`.
    pub libc: Option<String>,
    pub default_user: Option<String>,
    pub package_manager: Option<String>,
}

/// The facts we have for an image; none until the knowledge loader is merged.
pub fn base_image_facts(_image: &ImageRef) -> Option<BaseImageFacts> {
    None
}

pub fn hover(snapshot: &Snapshot, position: lsp::Position) -> Option<lsp::Hover> {
    let text = snapshot.text();
    let offset = text.offset(position);
    let mut sections = Vec::new();
    let mut range = None;

    if let Some((index, span)) = stage_at(snapshot, offset) {
        sections.push(stage_markdown(
            snapshot,
            &snapshot.analysis.graph.stages[index],
        ));
        range = Some(text.range(span));
    } else if let Some(stage) = from_line_at(snapshot, offset) {
        sections.push(base_markdown(snapshot, stage));
    }

    for d in snapshot
        .analysis
        .diagnostics
        .iter()
        .filter(|d| touches(d.span, offset))
    {
        let Some(meta) = rules::find(d.rule) else {
            continue;
        };
        let mut section = format!("**{}** `{}`: {}\n\n", meta.code, meta.name, d.message);
        section.push_str(page_body(meta.page));
        let _ = write!(section, "\n\n[Rule page]({})", meta.help_uri());
        sections.push(section);
        range.get_or_insert_with(|| text.range(d.span));
    }

    if sections.is_empty() {
        return None;
    }
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range,
    })
}

/// The stage whose FROM line the cursor is on.
fn from_line_at(snapshot: &Snapshot, offset: usize) -> Option<&Stage> {
    let file = &snapshot.analysis.file;
    snapshot.analysis.graph.stages.iter().find(|stage| {
        let from = &file.instructions[stage.from_instruction];
        from.keyword == Keyword::From && touches(from.line_span, offset)
    })
}

/// The page without its front matter.
fn page_body(page: &str) -> &str {
    page.strip_prefix("+++")
        .and_then(|rest| rest.split_once("\n+++"))
        .map_or(page, |(_, body)| body)
        .trim()
}

fn role_text(role: StageRole) -> &'static str {
    match role {
        StageRole::Final => "the final image (the build target)",
        StageRole::FeedsFinal => "feeds the final image",
        StageRole::Unused => "never built: the target does not depend on it",
    }
}

fn stage_title(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("stage `{name}` (#{})", stage.index),
        None => format!("stage #{}", stage.index),
    }
}

fn stage_markdown(snapshot: &Snapshot, stage: &Stage) -> String {
    let line = snapshot.analysis.file.line_of(
        snapshot.analysis.file.instructions[stage.from_instruction]
            .span
            .start,
    );
    let mut out = format!(
        "**{}**, line {line}: `FROM {}`\n\n{}",
        stage_title(stage),
        stage.base_text,
        role_text(stage.role)
    );
    let _ = write!(out, "\n\nbase: {}", base_summary(snapshot, stage));
    out
}

fn base_summary(snapshot: &Snapshot, stage: &Stage) -> String {
    let graph = &snapshot.analysis.graph;
    match &stage.base {
        Base::Image(image) => format!("image `{image}`"),
        Base::Scratch => "`scratch` (empty)".to_string(),
        Base::Invalid { text, reason } => format!("`{text}`: {reason}"),
        Base::Stage(index) => {
            let chain: Vec<String> = graph
                .base_chain(stage.index)
                .into_iter()
                .skip(1)
                .map(|i| stage_title(&graph.stages[i]))
                .collect();
            let root = match graph.root_base(*index) {
                Base::Image(image) => format!(", from image `{image}`"),
                Base::Scratch => ", from `scratch`".to_string(),
                _ => String::new(),
            };
            format!("{}{root}", chain.join(" → "))
        }
    }
}

fn base_markdown(snapshot: &Snapshot, stage: &Stage) -> String {
    let mut out = format!("**{}**: {}", stage_title(stage), role_text(stage.role));
    if let Some(platform) = &stage.platform {
        let _ = write!(out, ", platform `{platform}`");
    }
    out.push_str("\n\n");
    if stage.base_expanded != stage.base_text {
        let _ = writeln!(
            out,
            "`{}` expands to `{}`\n",
            stage.base_text, stage.base_expanded
        );
    }
    if !stage.base_unresolved.is_empty() {
        let _ = writeln!(
            out,
            "unset build arguments: {}\n",
            stage
                .base_unresolved
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let image = match &stage.base {
        Base::Image(image) => image,
        _ => {
            let _ = write!(out, "base: {}", base_summary(snapshot, stage));
            return out;
        }
    };
    let _ = writeln!(out, "image `{image}`\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| repository | `{}` |", image.repository());
    let tag = match &image.tag {
        Some(tag) => format!("`{tag}`"),
        None => "none (`latest` is pulled)".to_string(),
    };
    let _ = writeln!(out, "| tag | {tag} |");
    if let Some(digest) = &image.digest {
        let _ = writeln!(out, "| digest | `{digest}` |");
    }
    if image.is_official() {
        let _ = writeln!(out, "| publisher | Docker Official Image |");
    }
    if let Some(facts) = base_image_facts(image) {
        let rows = [
            ("size (uncompressed)", facts.size),
            (
                "slimmer alternative",
                facts.slim_alternative.map(|s| format!("`{s}`")),
            ),
            ("libc", facts.libc),
            ("default user", facts.default_user),
            ("package manager", facts.package_manager),
        ];
        for (name, value) in rows {
            if let Some(value) = value {
                let _ = writeln!(out, "| {name} | {value} |");
            }
        }
    }
    out
}
