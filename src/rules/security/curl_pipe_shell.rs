//! Downloaded content is run as code without being checked: `curl ... | sh`,
//! `wget -O- ... | bash`, `sh -c "$(curl ...)"`, `bash <(curl ...)`.

use crate::diagnostic::Diagnostic;
use crate::model::shell::{CommandOrigin, DownloadTool, ShellFacts};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct CurlPipeShell;

impl Rule for CurlPipeShell {
    fn meta(&self) -> &'static RuleMeta {
        meta("curl-pipe-shell")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in cx.graph.stages.iter().filter(|s| s.ships()) {
            for (at, instruction) in cx.stage_instructions(stage) {
                if instruction.keyword != Keyword::Run {
                    continue;
                }
                let facts = &cx.run_facts(at).facts;
                for download in facts.downloads.iter().filter(|d| d.piped_to_shell) {
                    let tool = match download.tool {
                        DownloadTool::Curl => "curl",
                        DownloadTool::Wget => "wget",
                        DownloadTool::Other => facts.commands[download.command_index].program(),
                    };
                    let what = match &download.url {
                        Some(url) => format!("`{url}`"),
                        None => "a download".to_string(),
                    };
                    let mut diagnostic = self
                        .meta()
                        .diagnostic(
                            download.span,
                            format!("{what} is run as code straight from `{tool}`, unverified"),
                        )
                        .with_help(
                            "download to a file, check its checksum (`sha256sum -c`) or signature, then run it; or install the tool from a package manager or a pinned image",
                        );
                    if let Some(runner) = runner(facts, download.command_index) {
                        diagnostic = diagnostic.with_label(
                            facts.commands[runner].name_span,
                            format!(
                                "`{}` runs what the server sends",
                                facts.commands[runner].program()
                            ),
                        );
                    }
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
        }
    }
}

/// The command that runs the download: the last stage of its pipeline, or the command
/// whose argument holds the `$(...)` / `<(...)` it is in.
fn runner(facts: &ShellFacts, download: usize) -> Option<usize> {
    let command = &facts.commands[download];
    if let Some(pos) = command.pipeline {
        return facts.commands.iter().position(|other| {
            other.nested == command.nested
                && other.origin.enclosing() == command.origin.enclosing()
                && other.pipeline.is_some_and(|p| {
                    p.index == pos.index && p.position > pos.position && p.position + 1 == p.len
                })
        });
    }
    match command.origin {
        CommandOrigin::Substitution { command } => command,
        _ => None,
    }
}
