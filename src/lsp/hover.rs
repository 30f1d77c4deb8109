//! Hover: the rule page on a finding, the stage a reference points to, and what we
//! know of a `FROM` line's base image.

use super::navigation::{stage_at, touches};
use super::snapshot::Snapshot;
use crate::diagnostic::StageRole;
use crate::knowledge::base_images::{self, MatchKind};
use crate::knowledge::{format_bytes, image_alternatives, table_repository};
use crate::model::image_ref::ImageRef;
use crate::model::{Base, Stage};
use crate::rules;
use crate::syntax::Keyword;
use lsp_types as lsp;
use std::fmt::Write as _;

/// What the knowledge tables (`data/base-images.tsv`, `data/image-alternatives.tsv`)
/// say about a base image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BaseImageFacts {
    /// Uncompressed size, e.g. `8.3 MB`, with the row it comes from when the tag
    /// itself is not in the table.
    pub size: Option<String>,
    /// A smaller image that would do, e.g. `node:22-slim`.
    pub slim_alternative: Option<String>,
    /// `glibc` or `musl`.
    pub libc: Option<String>,
    pub default_user: Option<String>,
    pub package_manager: Option<String>,
}

/// The facts we have for an image: its row (or the nearest of its variant family)
/// and the smallest runtime alternative; `None` when the tables do not know it.
pub fn base_image_facts(image: &ImageRef) -> Option<BaseImageFacts> {
    let repository = table_repository(image);
    let tag = image.tag_or_latest();
    let found = base_images::lookup_tag(&[], &repository, tag);
    let alternative = image_alternatives::lookup(&repository, tag)
        .into_iter()
        .next()
        .map(|alt| alt.reference);
    if found.is_none() && alternative.is_none() {
        return None;
    }
    let known = |text: &str| (!text.is_empty() && text != "-").then(|| text.to_string());
    let mut facts = BaseImageFacts {
        slim_alternative: alternative,
        ..BaseImageFacts::default()
    };
    if let Some(found) = found {
        let row = found.row;
        facts.size = row.uncompressed_bytes.map(|bytes| match &found.kind {
            MatchKind::Exact => format_bytes(bytes),
            MatchKind::OtherPatch { tag } => {
                format!(
                    "{} (as `{}:{tag}`, the same release)",
                    format_bytes(bytes),
                    row.image
                )
            }
            MatchKind::Nearest { tag } => {
                format!(
                    "about {} (as `{}:{tag}`, another release: the table has none of this one)",
                    format_bytes(bytes),
                    row.image
                )
            }
        });
        facts.libc = known(&row.libc);
        facts.default_user = known(&row.default_user);
        facts.package_manager = known(&row.package_manager);
    }
    Some(facts)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::image_ref::parse;

    #[test]
    fn base_image_facts_come_from_the_knowledge_tables() {
        let facts = base_image_facts(&parse("node:22").unwrap()).expect("node:22 is known");
        assert_eq!(facts.size.as_deref(), Some("1.1 GB"));
        assert_eq!(facts.libc.as_deref(), Some("glibc"));
        assert_eq!(facts.default_user.as_deref(), Some("root"));
        assert_eq!(facts.package_manager.as_deref(), Some("apt"));
        assert!(facts.slim_alternative.is_some());

        // Another minor: its family's facts, and a size said to be another release's.
        let nearest = base_image_facts(&parse("node:22.99.1-alpine").unwrap()).unwrap();
        let size = nearest.size.unwrap();
        assert!(size.contains("another release"), "{size}");
        assert_eq!(nearest.libc.as_deref(), Some("musl"));
        let patch = base_image_facts(&parse("node:22.23.9-alpine").unwrap()).unwrap();
        let size = patch.size.unwrap();
        assert!(size.contains("the same release"), "{size}");

        assert_eq!(
            base_image_facts(&parse("registry.example.com/team/app:1").unwrap()),
            None
        );
    }
}
