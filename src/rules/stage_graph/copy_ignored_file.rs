//! COPY/ADD of a path the build context's `.dockerignore` leaves out: the file is not
//! there at build time (BuildKit's `CopyIgnoredFile`).

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::size::dockerignore::DockerIgnore;
use crate::syntax::Keyword;

pub struct CopyIgnoredFile;

/// Patterns that leave out everything at the root, so `COPY . .` copies nothing.
const WHOLE_CONTEXT: [&str; 3] = ["*", "**", "**/*"];

/// The ignore file BuildKit reads for the Dockerfile at `path`: `<Dockerfile>.dockerignore`
/// beside it, else the context's `.dockerignore`. The context is the one the user gave
/// (`check --context`), else the Dockerfile's directory (the usual `docker build .`).
fn ignore_file_for(path: &str, context: Option<&Path>) -> Option<DockerIgnore> {
    let dockerfile = Path::new(path);
    let beside = dockerfile
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    DockerIgnore::load_for(dockerfile, context.unwrap_or(beside))
        .ok()
        .flatten()
}

impl Rule for CopyIgnoredFile {
    fn meta(&self) -> &'static RuleMeta {
        meta("copy-ignored-file")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let copies_from_context = cx.file.instructions.iter().any(|i| {
            matches!(i.keyword, Keyword::Copy | Keyword::Add) && i.flag("from").is_none()
        });
        if !copies_from_context {
            return;
        }
        // Standard input and editors have no file on disk: only a given context counts.
        let ignore = match (cx.path, cx.build_context) {
            (Some(path), context) => ignore_file_for(path, context),
            (None, Some(context)) => DockerIgnore::load_for(Path::new(""), context)
                .ok()
                .flatten(),
            (None, None) => None,
        };
        let Some(ignore) = ignore else {
            return;
        };
        // With `!` exceptions a path inside an excluded directory may be re-included;
        // BuildKit does not judge those either.
        if ignore.patterns().any(|(_, exception)| exception) {
            return;
        }
        let whole_context = ignore
            .patterns()
            .any(|(pattern, _)| WHOLE_CONTEXT.contains(&pattern));
        let origin = ignore
            .origin()
            .and_then(Path::file_name)
            .map_or(".dockerignore".to_string(), |n| n.to_string_lossy().to_string());
        for (at, instruction) in cx.file.instructions.iter().enumerate() {
            if !matches!(instruction.keyword, Keyword::Copy | Keyword::Add)
                || instruction.flag("from").is_some()
            {
                continue;
            }
            let Some((_, sources)) = instruction.args.words.split_last() else {
                continue;
            };
            for source in sources {
                let text = source.text.as_str();
                if text.contains('$')
                    || text.starts_with("<<")
                    || text.contains("://")
                    || text.starts_with("git@")
                {
                    continue;
                }
                let root = matches!(text.trim_start_matches("./"), "" | "." | "/");
                let ignored = if root {
                    whole_context
                } else {
                    ignore.is_excluded(text, false)
                };
                if !ignored {
                    continue;
                }
                let keyword = instruction.keyword.as_upper_str();
                let diagnostic = self
                    .meta()
                    .diagnostic(
                        source.span,
                        format!(
                            "`{text}` is excluded by {origin}, so {keyword} does not find it in the build context"
                        ),
                    )
                    .with_help(format!(
                        "remove the pattern that matches `{text}` from {origin}, or do not {keyword} it"
                    ));
                out.push(cx.in_stage_of(at, diagnostic));
            }
        }
    }
}
