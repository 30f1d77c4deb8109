//! `FROM --platform=$TARGETPLATFORM`: the default, spelt out.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct RedundantTargetPlatform;

impl Rule for RedundantTargetPlatform {
    fn meta(&self) -> &'static RuleMeta {
        meta("redundant-target-platform")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, from) in cx.file.instructions.iter().enumerate() {
            if !from.is(Keyword::From) {
                continue;
            }
            let Some(flag) = from.flag("platform") else {
                continue;
            };
            let value = flag.value.as_deref().unwrap_or("");
            if value != "$TARGETPLATFORM" && value != "${TARGETPLATFORM}" {
                continue;
            }
            // The flag and the blanks after it.
            let after = &cx.file.source[flag.span.end..];
            let blanks = after.len() - after.trim_start_matches([' ', '\t']).len();
            let diagnostic = self
                .meta()
                .diagnostic(
                    flag.span,
                    format!("`--platform={value}` is what FROM does without the flag"),
                )
                .with_help("remove the flag: stages are built for the target platform by default")
                .with_fix(Fix {
                    message: "remove `--platform`".to_string(),
                    edits: vec![Edit {
                        span: Span::new(flag.span.start, flag.span.end + blanks),
                        replacement: String::new(),
                    }],
                    applicability: Applicability::Safe,
                });
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}
