//! A relative WORKDIR: before any absolute one it depends on the base image's.

use crate::diagnostic::{Diagnostic, Severity};
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
            // Set by a WORKDIR of this stage or of a stage it is built `FROM` here.
            let mut anchored = in_bases[stage.index];
            for (at, workdir) in cx
                .stage_instructions(stage)
                .filter(|(_, i)| i.is(Keyword::Workdir))
            {
                let Some(path) = workdir.args.words.first() else {
                    continue;
                };
                // The word keeps its quotes: BuildKit removes them when it expands it.
                let text = path.text.trim_matches(['"', '\'']);
                // `$HOME/app` may be absolute; `C:\app` is absolute on Windows.
                let absolute = text.starts_with(['/', '\\', '$'])
                    || text.as_bytes().get(1) == Some(&b':');
                if absolute {
                    anchored = true;
                    continue;
                }
                let diagnostic = if anchored {
                    // Deterministic, but the reader must find the WORKDIR it builds on.
                    self.meta().diagnostic_with(
                        Severity::Style,
                        path.span,
                        format!("`WORKDIR {text}` is relative to the WORKDIR before it"),
                    )
                    .with_help("an absolute path says where the directory is without reading back through the stage and the stages it is built `FROM`")
                } else {
                    self.meta()
                        .diagnostic(
                            path.span,
                            format!("`WORKDIR {text}` is relative to the base image's working directory"),
                        )
                        .with_help(format!(
                            "write an absolute path (`WORKDIR /{text}` if the base image works in `/`): where `{text}` ends up changes when the base image does"
                        ))
                };
                // After the first relative one, the rest follow from it.
                anchored = true;
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
