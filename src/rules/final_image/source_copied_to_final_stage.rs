//! `COPY . ...` (the whole build context) into the final stage of a multi-stage build
//! whose builder stage already builds from the whole context.

use crate::diagnostic::{Diagnostic, StageRole};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword, Word};

pub struct SourceCopiedToFinalStage;

impl Rule for SourceCopiedToFinalStage {
    fn meta(&self) -> &'static RuleMeta {
        meta("source-copied-to-final-stage")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let Some(target) = cx.graph.final_stage() else {
            return;
        };
        // Only when a builder stage already builds from the whole context: a builder
        // that only takes the dependency manifest (`COPY requirements.txt .`, to build
        // wheels) leaves the final stage to bring the sources an interpreter runs.
        let Some(builder) = cx.graph.stages.iter().find(|s| {
            s.role == StageRole::FeedsFinal
                && cx
                    .stage_instructions(s)
                    .any(|(_, i)| whole_context_source(i).is_some())
        }) else {
            return;
        };
        for (_, instruction) in cx.stage_instructions(target) {
            let Some(whole) = whole_context_source(instruction) else {
                continue;
            };
            let keyword = instruction.keyword.as_upper_str();
            out.push(
                self.meta()
                    .diagnostic(
                        whole.span,
                        format!(
                            "`{keyword} {}` copies the whole build context into the final image of a multi-stage build, where {} already builds from it",
                            whole.text,
                            builder.describe()
                        ),
                    )
                    .with_label(
                        builder.name_span.unwrap_or(builder.base_span),
                        format!("{} feeds the final stage", builder.describe()),
                    )
                    .with_help(
                        "copy only what the application needs to run: the build outputs (`COPY --from=<builder> /out /app`) or named files and folders; `.dockerignore` narrows what `.` means",
                    )
                    .with_stage(target.reference()),
            );
        }
    }
}

/// The source of a `COPY`/`ADD` from the build context that is the whole context.
fn whole_context_source(instruction: &Instruction) -> Option<&Word> {
    if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
        || instruction.flag("from").is_some()
        || !instruction.heredocs.is_empty()
    {
        return None;
    }
    let (_, sources) = instruction.args.words.split_last()?;
    sources.iter().find(|w| is_whole_context(&w.text))
}

/// `.`, `./`, `./.`: the root of the build context.
fn is_whole_context(source: &str) -> bool {
    let mut path = source;
    loop {
        let trimmed = path
            .trim_end_matches('/')
            .trim_start_matches("./")
            .trim_end_matches("/.");
        if trimmed == path {
            break;
        }
        path = trimmed;
    }
    path == "." || (path.is_empty() && !source.is_empty())
}

#[cfg(test)]
mod tests {
    use super::is_whole_context;

    #[test]
    fn whole_context() {
        for yes in [".", "./", "./.", ".//", "/"] {
            assert!(is_whole_context(yes), "{yes}");
        }
        for no in ["src", "./src", "..", "*", "package.json", ".env"] {
            assert!(!is_whole_context(no), "{no}");
        }
    }
}
