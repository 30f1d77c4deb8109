//! COPY or ADD with several sources into a destination not written as a directory.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct CopySourcesToFile;

impl Rule for CopySourcesToFile {
    fn meta(&self) -> &'static RuleMeta {
        meta("copy-sources-to-file")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        for (at, copy) in cx.file.instructions.iter().enumerate() {
            if !(copy.is(Keyword::Copy) || copy.is(Keyword::Add)) {
                continue;
            }
            // Heredoc markers (`<<EOF`) are among the words.
            let sources = copy.args.words.len().saturating_sub(1);
            let Some(dest) = copy.args.words.last() else {
                continue;
            };
            let text = dest.text.trim_matches(['"', '\'']);
            // `<<-` is a heredoc marker, not a destination: `/` would make it `<<-/`.
            if text.starts_with("<<") {
                continue;
            }
            // `.` is the working directory; a variable may end in `/`.
            let directory = text.ends_with(['/', '\\'])
                || text == "."
                || text.ends_with("/.")
                || text.contains('$');
            if sources < 2 || directory || copy.args.words.len() < 2 {
                continue;
            }
            // Inside the closing quote of `"/app"` (shell or JSON form).
            let quoted = cx.text(dest.span).ends_with(['"', '\'']);
            let insert_at = dest.span.end - usize::from(quoted);
            let diagnostic = self
                .meta()
                .diagnostic(
                    dest.span,
                    format!(
                        "{} copies {sources} sources into `{text}`, which is not written as a directory",
                        copy.keyword.as_upper_str()
                    ),
                )
                .with_help(format!(
                    "write `{text}/`: with more than one source the destination must be a directory, and the legacy builder refuses one without a trailing `/`"
                ))
                .with_fix(Fix {
                    message: format!("end the destination with `/`: `{text}/`"),
                    edits: vec![Edit {
                        span: crate::diagnostic::Span::new(insert_at, insert_at),
                        replacement: "/".to_string(),
                    }],
                    applicability: Applicability::Safe,
                });
            out.push(cx.in_stage_of(at, diagnostic));
        }
        // A test fixture may copy this way on purpose, to test the builder's error.
        cx.lower_in_fixtures(&mut out[start..]);
    }
}
