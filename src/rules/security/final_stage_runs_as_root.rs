//! The final image runs as root: no `USER` (or `USER root`/`0`) in the final stage or
//! the stages it is built on, and the base image does not set a non-root user. A
//! `scratch` image with no `CMD` or `ENTRYPOINT` runs nothing (files for `--output`).

use crate::diagnostic::{Diagnostic, Span};
use crate::knowledge::base_images;
use crate::model::image_ref::ImageRef;
use crate::model::Base;
use crate::rules::{meta, Context, Rule, RuleMeta, Shipped};
use crate::syntax::Keyword;

pub struct FinalStageRunsAsRoot;

/// The last `USER` that applies to a stage.
struct UserSetting {
    value: String,
    span: Span,
    stage: usize,
}

impl Rule for FinalStageRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        meta("final-stage-runs-as-root")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // Root is expected in a base or toolchain image, and moot in a development one.
        let Some(severity) = cx.shipped_severity(Shipped::RootUser, self.meta().severity) else {
            return;
        };
        let chain = cx.graph.base_chain(target.index);
        let user = chain.iter().find_map(|&index| {
            let stage = &cx.graph.stages[index];
            cx.stage_instructions(stage)
                .filter(|(_, i)| i.keyword == Keyword::User)
                .last()
                .and_then(|(_, i)| {
                    let word = i.args.words.first()?;
                    Some(UserSetting {
                        value: word.text.to_string(),
                        span: word.span,
                        stage: index,
                    })
                })
        });
        match user {
            Some(user) => {
                // `USER $APP_USER`: set at build time; don't guess.
                if user.value.contains('$') {
                    return;
                }
                let name = user.value.split(':').next().unwrap_or_default();
                if name != "root" && name != "0" {
                    return;
                }
                let message = format!(
                    "the final image runs as root: `USER {}` is the last USER it gets",
                    user.value
                );
                let mut diagnostic = if user.stage == target.index {
                    self.meta().diagnostic(user.span, message)
                } else {
                    self.meta()
                        .diagnostic(target.base_span, message)
                        .with_label(
                            user.span,
                            format!(
                                "set to root here, in {}, which the final stage is built on",
                                cx.graph.stages[user.stage].describe()
                            ),
                        )
                };
                diagnostic = diagnostic
                    .with_help(
                        "switch to an unprivileged user after the steps that need root, e.g. `USER 65532:65532` or a user created with `useradd`",
                    )
                    .with_stage(target.reference());
                out.push(diagnostic.with_severity(severity));
            }
            None => {
                let root = &cx.graph.stages[*chain.last().unwrap_or(&target.index)];
                let base = match &root.base {
                    Base::Image(image) => {
                        if image_sets_non_root_user(image) {
                            return;
                        }
                        // `postgres`: its entrypoint runs the server as `postgres`.
                        if base_images::entrypoint_steps_down_to(image).is_some()
                            && !overrides_entrypoint(cx, &chain)
                        {
                            return;
                        }
                        format!("`{}` runs as root by default", image.familiar())
                    }
                    // A `scratch` image without a command runs nothing: it holds files
                    // exported with `--output` or copied from by other builds.
                    Base::Scratch if !has_command(cx, &chain) => return,
                    Base::Scratch => "`scratch` has no users: processes run as uid 0".to_string(),
                    // An unresolved or invalid base: nothing to go on.
                    Base::Invalid { .. } | Base::Stage(_) => return,
                };
                let mut diagnostic = self
                    .meta()
                    .diagnostic(
                        target.base_span,
                        "the final image runs as root: no USER is set in the final stage or the stages it is built on",
                    )
                    .with_help(
                        "add `USER <name or uid>` after the steps that need root (on distroless, use the `:nonroot` tag)",
                    )
                    .with_stage(target.reference());
                if root.index != target.index {
                    diagnostic = diagnostic.with_label(root.base_span, base);
                }
                out.push(diagnostic.with_severity(severity));
            }
        }
    }
}

/// Whether a stage of the chain sets a `CMD` or `ENTRYPOINT`.
fn has_command(cx: &Context<'_>, chain: &[usize]) -> bool {
    chain.iter().any(|&index| {
        cx.stage_instructions(&cx.graph.stages[index])
            .any(|(_, i)| matches!(i.keyword, Keyword::Cmd | Keyword::Entrypoint))
    })
}

/// Whether the chain sets an ENTRYPOINT other than the base image's
/// `docker-entrypoint.sh`.
fn overrides_entrypoint(cx: &Context<'_>, chain: &[usize]) -> bool {
    chain.iter().any(|&index| {
        cx.stage_instructions(&cx.graph.stages[index])
            .filter(|(_, i)| i.keyword == Keyword::Entrypoint)
            .any(|(_, i)| !cx.text(i.span).contains("docker-entrypoint"))
    })
}

/// Whether the image is known to run as a non-root user without a `USER` line: the
/// base-image knowledge says so, or the tag is a `nonroot` variant (distroless).
fn image_sets_non_root_user(image: &ImageRef) -> bool {
    let tag = image.tag_or_latest();
    if tag.split(['-', '_', '.']).any(|w| w == "nonroot") {
        return true;
    }
    base_images::default_user(image).is_some_and(|user| !base_images::is_root_user(user))
}
