//! `ADD` of local files that are no archives: `COPY` does the same without ADD's
//! download and extraction.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct AddInsteadOfCopy;

/// Endings of files ADD unpacks (tar, maybe compressed); ADD decides by content, so a
/// compressed single file is counted too.
const ARCHIVE_ENDINGS: [&str; 17] = [
    ".tar", ".tgz", ".tbz", ".tbz2", ".tb2", ".txz", ".tzst", ".tlz", ".tpz", ".tz", ".gz", ".bz2",
    ".xz", ".zst", ".lz", ".lzma", ".z",
];

/// Flags only ADD has.
const ADD_ONLY_FLAGS: [&str; 3] = ["checksum", "keep-git-dir", "unpack"];

impl Rule for AddInsteadOfCopy {
    fn meta(&self) -> &'static RuleMeta {
        meta("add-instead-of-copy")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (at, add) in cx.file.instructions.iter().enumerate() {
            if !add.is(Keyword::Add) || !add.heredocs.is_empty() {
                continue;
            }
            if add.flags.iter().any(|f| ADD_ONLY_FLAGS.contains(&f.name.as_str())) {
                continue;
            }
            let Some((_, sources)) = add.args.words.split_last() else {
                continue;
            };
            let sources: Vec<&str> = sources
                .iter()
                .map(|w| w.text.trim_matches(['"', '\'']))
                .collect();
            if sources.is_empty() || !sources.iter().all(|s| is_plain_local(s)) {
                continue;
            }
            // ADD unpacks a tar archive whatever its name: certain only for directories
            // and files whose name says what they are.
            let certain = sources.iter().all(|s| is_directory(s) || has_plain_extension(s));
            let keyword = cx.text(add.keyword_span);
            let copy = if keyword.chars().all(|c| c.is_ascii_lowercase()) {
                "copy"
            } else {
                "COPY"
            };
            let diagnostic = self
                .meta()
                .diagnostic(
                    add.keyword_span,
                    "ADD copies local files here; COPY does the same without ADD's URL download and archive unpacking",
                )
                .with_help("write COPY: it says that the files are copied as they are")
                .with_fix(Fix {
                    message: "replace ADD with COPY".to_string(),
                    edits: vec![Edit {
                        span: add.keyword_span,
                        replacement: copy.to_string(),
                    }],
                    applicability: if certain {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                });
            out.push(cx.in_stage_of(at, diagnostic));
        }
    }
}

/// A local path that is no archive, URL, git repository or variable.
fn is_plain_local(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    !source.is_empty()
        && !source.contains('$')
        && !lower.contains("://")
        && !lower.starts_with("git@")
        && !ARCHIVE_ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn is_directory(source: &str) -> bool {
    source == "." || source.ends_with('/') || source.ends_with("/.")
}

/// A file name with an extension that is not a compression format (`app.conf`, `*.py`).
fn has_plain_extension(source: &str) -> bool {
    let name = source.rsplit('/').next().unwrap_or(source);
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && !ext.is_empty() && !ext.contains('*'))
}
