//! Two CMD, ENTRYPOINT or HEALTHCHECK instructions in one stage: only the last counts.

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct MultipleInstructionsDisallowed;

impl Rule for MultipleInstructionsDisallowed {
    fn meta(&self) -> &'static RuleMeta {
        meta("multiple-instructions-disallowed")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            for keyword in [Keyword::Cmd, Keyword::Entrypoint, Keyword::Healthcheck] {
                let uses: Vec<_> = cx
                    .stage_instructions(stage)
                    .filter(|(_, i)| i.is(keyword))
                    .collect();
                // Each one but the last is overridden by the next.
                for pair in uses.windows(2) {
                    let ((at, earlier), (_, later)) = (pair[0], pair[1]);
                    let name = keyword.as_upper_str();
                    let line = cx.file.line_of(later.span.start);
                    let diagnostic = self
                        .meta()
                        .diagnostic(
                            earlier.keyword_span,
                            format!("this {name} has no effect: the {name} on line {line} replaces it"),
                        )
                        .with_label(later.keyword_span, format!("this {name} wins"))
                        .with_help(format!("remove this {name}: a stage keeps only its last one"));
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
        }
    }
}
