//! A relative WORKDIR before any absolute one: it depends on the base image's.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct WorkdirRelativePath;

impl Rule for WorkdirRelativePath {
    fn meta(&self) -> &'static RuleMeta {
        meta("workdir-relative-path")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.in_base_stages(Keyword::Workdir);
        for stage in &cx.graph.stages {
            // A WORKDIR in a base stage of this file already fixed the directory.
            if in_bases[stage.index] {
                continue;
            }
            // Only the first WORKDIR: fixing it fixes the ones after it.
            let Some((at, workdir)) = cx
                .stage_instructions(stage)
                .find(|(_, i)| i.is(Keyword::Workdir))
            else {
                continue;
            };
            let Some(path) = workdir.args.words.first() else {
                continue;
            };
            // The word keeps its quotes: BuildKit removes them when it expands it.
            let text = path.text.trim_matches(['"', '\'']);
            // `$HOME/app` may be absolute; `C:\app` is absolute on Windows.
            let absolute = text.starts_with(['/', '\\', '$'])
                || text.as_bytes().get(1) == Some(&b':');
            if absolute {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    path.span,
                    format!("`WORKDIR {text}` is relative to the base image's working directory"),
                )
                .with_help(format!(
                    "write an absolute path (`WORKDIR /{text}` if the base image works in `/`): where `{text}` ends up changes when the base image does"
                ));
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
