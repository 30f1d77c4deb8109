//! The final image is built on a full or SDK image when a slim or runtime variant exists.
//! Not for a development or test image (`Dockerfile.dev`, `.devcontainer/`, a target
//! stage named `dev`), which needs the SDK and does not ship.

use crate::diagnostic::Diagnostic;
use crate::knowledge::{
    base_images, build_tools, format_bytes, image_alternatives, table_repository,
};
use crate::model::Base;
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};

pub struct NonSlimFinalBase;

impl Rule for NonSlimFinalBase {
    fn meta(&self) -> &'static RuleMeta {
        meta("non-slim-final-base")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // A toolchain or development image needs the SDK; a base image may too.
        let Some(severity) = cx.shipped_severity(Shipped::FullBase, self.meta().severity) else {
            return;
        };
        let chain = cx.graph.base_chain(target.index);
        let root = &cx.graph.stages[*chain.last().unwrap_or(&target.index)];
        let Base::Image(image) = &root.base else {
            return;
        };
        if image.digest.is_some() && image.tag.is_none() {
            return;
        }
        let repository = table_repository(image);
        let tag = image.tag_or_latest();
        let found = base_images::lookup_tag(&[], &repository, tag);
        let what = match &found {
            Some(m) if m.row.is_sdk => "an SDK image",
            Some(m) if m.row.is_full_or_sdk() => "a full image",
            Some(_) => return,
            None if build_tools::image(&repository).is_some() => "an SDK image",
            None => return,
        };
        // Suggest a runtime-sized image: never another SDK (`golang:1.23-alpine`).
        let alternative = image_alternatives::lookup(&repository, tag)
            .into_iter()
            .find(|alt| {
                let sdk = crate::model::image_ref::parse(&alt.reference)
                    .ok()
                    .and_then(|r| base_images::lookup(&r))
                    .is_some_and(|m| m.row.is_sdk);
                !sdk
            });
        let Some(alternative) = alternative else {
            return;
        };
        let saving = found.as_ref().and_then(|m| {
            let alt = crate::model::image_ref::parse(&alternative.reference).ok()?;
            let alt = base_images::lookup(&alt)?;
            let from = m.row.uncompressed_bytes?;
            let to = alt.row.uncompressed_bytes?;
            from.checked_sub(to).filter(|s| *s > 0)
        });
        let written = image.familiar();
        let mut message = format!(
            "the final image is built on `{written}`, {what}; `{}` is a smaller {} alternative",
            alternative.reference,
            alternative.kind.as_str()
        );
        if let Some(saving) = saving {
            message.push_str(&format!(" (about {} less)", format_bytes(saving)));
        }
        let mut help = format!(
            "build in this image, then copy the result into a stage `FROM {}`",
            alternative.reference
        );
        if !alternative.note.is_empty() {
            help.push_str(&format!("; note: {}", alternative.note));
        }
        if root.base_text.contains('$') {
            help.push_str(&format!(
                "; `{}` is `{written}` by its ARG default",
                root.base_text
            ));
        }
        let mut diagnostic = self
            .meta()
            .diagnostic_with(severity, target.base_span, message)
            .with_help(help)
            .with_stage(target.reference());
        if root.index != target.index {
            diagnostic = diagnostic.with_label(
                root.base_span,
                format!(
                    "{} starts from `{written}`, which the final stage inherits",
                    root.describe()
                ),
            );
        }
        out.push(diagnostic);
    }
}
