//! MAINTAINER, deprecated in favour of a label.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct MaintainerDeprecated;

impl Rule for MaintainerDeprecated {
    fn meta(&self) -> &'static RuleMeta {
        meta("maintainer-deprecated")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, instruction) in cx.file.instructions.iter().enumerate() {
            if !instruction.is(Keyword::Maintainer) {
                continue;
            }
            let author = cx.text(instruction.args.span).trim();
            let mut diagnostic = self
                .meta()
                .diagnostic(instruction.keyword_span, "MAINTAINER is deprecated")
                .with_help("record the author as a label: `LABEL org.opencontainers.image.authors=\"...\"`");
            // Only a one-line value with nothing the label's quoting would change.
            let plain = !author.is_empty()
                && !author.contains(['"', '\\', '$', '`', '\n', '\r']);
            if plain {
                let keyword = if cx.text(instruction.keyword_span) == "maintainer" {
                    "label"
                } else {
                    "LABEL"
                };
                diagnostic = diagnostic.with_fix(Fix {
                    message: "replace it with an `org.opencontainers.image.authors` label"
                        .to_string(),
                    edits: vec![Edit {
                        span: instruction.line_span,
                        replacement: format!(
                            "{keyword} org.opencontainers.image.authors=\"{author}\""
                        ),
                    }],
                    // The image's `Author` field is no longer set.
                    applicability: Applicability::Unsafe,
                });
            }
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
