//! A FROM image with neither tag nor digest, or with the tag `latest` and no digest:
//! the build takes whatever `latest` is on the day. Stage names (any case, also
//! through an ARG) are not images.

use crate::diagnostic::Diagnostic;
use crate::model::Base;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UntaggedBaseImage;

impl Rule for UntaggedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        meta("untagged-base-image")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            // An ARG without a value: the build passes the image, tag and all.
            if image.is_scratch || image.digest.is_some() || !stage.base_unresolved.is_empty() {
                continue;
            }
            let message = match image.tag.as_deref() {
                None => format!(
                    "`{}` has no tag, so each build takes whatever `latest` is that day",
                    stage.base_expanded
                ),
                // Through an ARG, the tag is the default a build may override.
                Some("latest") if stage.base_text != stage.base_expanded => format!(
                    "with its ARG defaults, `{}` is `{}`: the tag `latest`, whatever it points to on the day of a build that passes no other",
                    stage.base_text, stage.base_expanded
                ),
                Some("latest") => format!(
                    "`{}` names the tag `latest`, so each build takes whatever it points to that day",
                    stage.base_expanded
                ),
                Some(_) => continue,
            };
            let repository = stage
                .base_expanded
                .strip_suffix(":latest")
                .unwrap_or(&stage.base_expanded);
            let diagnostic = self
                .meta()
                .diagnostic(stage.base_span, message)
                .with_help(format!(
                    "name the version: `{repository}:<tag>`, or pin it with `@sha256:...`"
                ))
                .with_stage(stage.reference());
            out.push(diagnostic);
        }
    }
}
