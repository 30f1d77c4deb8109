//! A base image from a registry `trusted-registries` does not list. Off until the list
//! is configured.

use crate::diagnostic::Diagnostic;
use crate::model::Base;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UntrustedRegistry;

impl Rule for UntrustedRegistry {
    fn meta(&self) -> &'static RuleMeta {
        meta("untrusted-registry")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        if cx.settings.trusted_registries.is_empty() {
            return;
        }
        for stage in &cx.graph.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            // An ARG without a value: the build chooses the image.
            if image.is_scratch
                || !stage.base_unresolved.is_empty()
                || cx.settings.is_trusted(image)
            {
                continue;
            }
            let registry = image.registry.as_deref().unwrap_or("docker.io");
            let diagnostic = self
                .meta()
                .diagnostic(
                    stage.base_span,
                    format!(
                        "`{}` comes from `{registry}`, which `trusted-registries` does not list",
                        stage.base_expanded
                    ),
                )
                .with_help(
                    "take the image from a trusted registry (a mirror), or add the registry to `trusted-registries` if it is trusted",
                )
                .with_stage(stage.reference());
            out.push(diagnostic);
        }
    }
}
