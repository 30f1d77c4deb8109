//! The comment right above a named FROM or an ARG does not start with the stage's or
//! argument's name, so `docker build --call=outline` shows no description for it
//! (BuildKit's experimental `InvalidDefinitionDescription`).

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct InvalidDefinitionDescription;

impl Rule for InvalidDefinitionDescription {
    fn meta(&self) -> &'static RuleMeta {
        meta("invalid-definition-description")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let file = cx.file;
        let mut comments = file.comments.iter().peekable();
        let mut previous_end = 0;
        for (at, instruction) in file.instructions.iter().enumerate() {
            // BuildKit keeps the comments since the previous instruction; an empty `#`
            // starts over, a blank line does not.
            let mut last: Option<Span> = None;
            while let Some(comment) = comments.next_if(|c| c.span.start < instruction.span.start) {
                if comment.span.start < previous_end {
                    continue; // inside the previous instruction (a heredoc)
                }
                last = (!comment.text_span.is_empty()).then_some(comment.text_span);
            }
            previous_end = instruction.span.end;
            let Some(last) = last else {
                continue;
            };
            let (what, keys): (&str, Vec<String>) = if instruction.is(Keyword::From) {
                let Some(name) = cx.graph.stage_of(at).and_then(|s| s.name.as_deref()) else {
                    continue;
                };
                // BuildKit compares with the stage name lowercased, as it stores it.
                ("build stage", vec![name.to_ascii_lowercase()])
            } else if instruction.is(Keyword::Arg) {
                let keys = instruction.args.pairs.iter().map(|p| p.key.text.to_string());
                ("argument", keys.collect())
            } else {
                continue;
            };
            let first_word = file.text(last).split(' ').next().unwrap_or("");
            if keys.is_empty() || keys.iter().any(|k| k == first_word) {
                continue;
            }
            let example = if keys.len() == 1 { keys[0].as_str() } else { "<arg_key>" };
            let diagnostic = self
                .meta()
                .diagnostic(
                    instruction.keyword_span,
                    format!(
                        "the comment above this {} does not start with its name, so it is no description: `# {example} <description>`",
                        instruction.keyword.as_upper_str()
                    ),
                )
                .with_label(last, format!("read as the {what}'s description"))
                .with_help("start the comment with the name, or put a `#` line between the comment and the instruction");
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
