//! COPY to a relative destination in a stage with no WORKDIR of its own or inherited
//! from a stage of this file: where it lands depends on the base image.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct CopyRelativeWithoutWorkdir;

impl Rule for CopyRelativeWithoutWorkdir {
    fn meta(&self) -> &'static RuleMeta {
        meta("copy-relative-without-workdir")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_bases = cx.in_base_stages(Keyword::Workdir);
        for stage in &cx.graph.stages {
            if in_bases[stage.index] {
                continue;
            }
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.is(Keyword::Workdir) {
                    break;
                }
                if !instruction.is(Keyword::Copy) || instruction.args.words.len() < 2 {
                    continue;
                }
                let Some(dest) = instruction.args.words.last() else {
                    continue;
                };
                let text = dest.text.trim_matches(['"', '\'']);
                let absolute = text.starts_with(['/', '\\', '$'])
                    || text.get(1..3).is_some_and(|s| s == ":\\" || s == ":/");
                if absolute {
                    continue;
                }
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        dest.span,
                        format!(
                            "`{text}` is relative to the base image's working directory: no WORKDIR is set before this COPY"
                        ),
                    )
                    .with_help(
                        "set `WORKDIR /app` (or the directory meant) before the COPY, or write an absolute destination",
                    );
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
