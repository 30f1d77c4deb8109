//! Blank lines inside a line continuation.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct NoEmptyContinuation;

impl Rule for NoEmptyContinuation {
    fn meta(&self) -> &'static RuleMeta {
        meta("no-empty-continuation")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let source = &cx.file.source;
        for (at, instruction) in cx.file.instructions.iter().enumerate() {
            let lines = &instruction.empty_continuation_lines;
            if lines.is_empty() {
                continue;
            }
            let mut diagnostic = self
                .meta()
                .diagnostic(
                    instruction.keyword_span,
                    format!(
                        "this {} continues over {} empty line{}",
                        instruction.keyword.as_upper_str(),
                        lines.len(),
                        if lines.len() == 1 { "" } else { "s" }
                    ),
                )
                .with_help("remove the empty lines: BuildKit warns that they will become an error, and they hide where the instruction ends");
            let mut edits = Vec::new();
            for line in lines {
                diagnostic = diagnostic.with_label(*line, "empty line inside the continuation");
                // The line and its line break.
                let rest = &source[line.end..];
                let newline = if rest.starts_with("\r\n") {
                    2
                } else {
                    usize::from(rest.starts_with('\n'))
                };
                edits.push(Edit {
                    span: Span::new(line.start, line.end + newline),
                    replacement: String::new(),
                });
            }
            let diagnostic = diagnostic.with_fix(Fix {
                message: "remove the empty lines".to_string(),
                edits,
                applicability: Applicability::Safe,
            });
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
