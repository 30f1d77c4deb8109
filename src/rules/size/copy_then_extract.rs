//! A local tar archive is COPYed, then unpacked by a later RUN of the stage: the
//! archive stays in the COPY's layer, where `ADD` would have unpacked it in one.

use crate::diagnostic::Diagnostic;
use crate::model::shell::SimpleCommand;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct CopyThenExtract;

/// Names of tar archives, which ADD unpacks (it does not unpack zip files).
const TAR_ENDINGS: [&str; 10] = [
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".tzst",
];

impl Rule for CopyThenExtract {
    fn meta(&self) -> &'static RuleMeta {
        meta("copy-then-extract")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let Some(severity) = cx.layer_severity(stage) else {
                continue;
            };
            // (COPY's index, archive file name) of the archives copied so far.
            let mut copied: Vec<(usize, String)> = Vec::new();
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.is(Keyword::Copy) && instruction.flag("from").is_none() {
                    copied.extend(archive_names(instruction).into_iter().map(|n| (at, n)));
                    continue;
                }
                if !instruction.is(Keyword::Run) || copied.is_empty() {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for command in facts.commands.iter().filter(|c| is_tar_extract(c)) {
                    let operands: Vec<&str> = command
                        .args
                        .iter()
                        .filter(|a| !a.is_option())
                        .map(|a| basename(&a.text))
                        .collect();
                    let Some(found) = copied.iter().position(|(_, name)| operands.contains(&name.as_str())) else {
                        continue;
                    };
                    let (copy_at, name) = copied.remove(found);
                    let copy = &cx.file.instructions[copy_at];
                    let diagnostic = self
                        .meta()
                        .diagnostic_with(
                            severity,
                            copy.keyword_span,
                            format!("`{name}` is copied in, then unpacked by a later RUN: the archive stays in this layer"),
                        )
                        .with_label(command.span, "unpacked here")
                        .with_help(format!(
                            "`ADD {name} <dir>` unpacks it in one layer without keeping the archive, or unpack it from a bind mount: `RUN --mount=type=bind,source={name},target=/tmp/{name} tar -xf /tmp/{name}`"
                        ));
                    out.push(cx.in_stage_of(copy_at, diagnostic));
                }
            }
        }
    }
}

/// The tar archives a COPY brings in, by file name: the destination's when it names an
/// archive, else the sources'.
fn archive_names(copy: &crate::syntax::Instruction) -> Vec<String> {
    let Some((dest, sources)) = copy.args.words.split_last() else {
        return Vec::new();
    };
    let is_tar = |t: &str| TAR_ENDINGS.iter().any(|e| t.to_ascii_lowercase().ends_with(e));
    let dest = basename(&dest.text);
    if is_tar(dest) {
        return vec![dest.to_string()];
    }
    sources
        .iter()
        .map(|s| basename(&s.text))
        .filter(|s| is_tar(s) && !s.contains(['*', '?', '$']))
        .map(str::to_string)
        .collect()
}

fn basename(path: &str) -> &str {
    let path = path.trim_matches(['"', '\'']);
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `tar -xf`, `tar xzf`, `tar --extract`.
fn is_tar_extract(command: &SimpleCommand) -> bool {
    if command.program() != "tar" {
        return false;
    }
    let mut args = command.args.iter().map(|a| a.text.as_str());
    let first = args.next().unwrap_or("");
    // The old style: the first word is a cluster without a dash (`tar xzf a.tgz`).
    let old_style = !first.starts_with('-') && first.contains('x') && first.chars().all(|c| c.is_ascii_alphabetic());
    old_style
        || command.args.iter().any(|a| {
            let t = a.text.as_str();
            t == "--extract" || t == "--get" || (t.starts_with('-') && !t.starts_with("--") && t.contains('x'))
        })
}
