//! `COPY --from=<stage> / /` of a stage built on an operating system image, onto
//! another base: one system's files are laid over another's.

use crate::diagnostic::Diagnostic;
use crate::knowledge::base_images;
use crate::model::graph::EdgeTarget;
use crate::model::{image_ref, Base};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct CopyWholeFilesystem;

/// Operating systems whose whole filesystem overwrites another base's system files.
const SYSTEMS: [&str; 3] = ["debian", "ubuntu", "alpine"];

impl Rule for CopyWholeFilesystem {
    fn meta(&self) -> &'static RuleMeta {
        meta("copy-whole-filesystem")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            // Onto scratch, a whole-filesystem copy flattens the image: what it is for.
            if matches!(cx.graph.root_base(stage.index), Base::Scratch) {
                continue;
            }
            // Warning where the stage ships, info in a builder, nothing in an unused
            // stage or a development image.
            let Some(severity) = cx.layer_severity(stage) else {
                continue;
            };
            for (at, copy) in cx.stage_instructions(stage) {
                if !copy.is(Keyword::Copy) {
                    continue;
                }
                let (Some(from), [source, dest]) = (copy.flag("from"), copy.args.words.as_slice()) else {
                    continue;
                };
                let root = |w: &str| w.trim_matches(['"', '\'']) == "/";
                if !root(&source.text) || !root(&dest.text) {
                    continue;
                }
                let value = from.value.as_deref().unwrap_or("");
                let image = match cx.graph.resolve_reference(value).0 {
                    EdgeTarget::Stage(s) => match cx.graph.root_base(s) {
                        Base::Image(image) => Some(image.clone()),
                        _ => None,
                    },
                    EdgeTarget::Image(text) => image_ref::parse(&text).ok(),
                    EdgeTarget::Unknown(_) => None,
                };
                let Some(system) = image
                    .as_ref()
                    .and_then(|i| base_images::lookup_with(&cx.settings.rows.base_images, i))
                    .map(|m| m.row.os_family.as_str())
                    .filter(|os| SYSTEMS.contains(os))
                else {
                    continue;
                };
                let diagnostic = self
                    .meta()
                    .diagnostic_with(
                        severity,
                        source.span,
                        format!(
                            "`COPY --from={value} / /` lays a whole {system} filesystem over {}'s base image",
                            stage.describe()
                        ),
                    )
                    .with_help(
                        "copy the directories the image needs (`COPY --from=build /out/ /app/`): the copy replaces the base image's system files, package database and users",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
