//! `wget` without a quiet or progress option fills the build log with its progress bar.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::model::shell::SimpleCommand;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct WgetProgressBar;

impl Rule for WgetProgressBar {
    fn meta(&self) -> &'static RuleMeta {
        meta("wget-progress-bar")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            for (at, run) in cx.stage_runs(stage) {
                for wget in run.facts.commands.iter().filter(|c| c.program() == "wget") {
                    if quiet(wget)
                        || !wget.args.iter().any(|a| !a.is_option())
                        || run.facts.in_other_shell(wget)
                    {
                        continue;
                    }
                    // The fix inserts after the name as written; a command found inside a
                    // string (`sh -c '...'`) is left without one.
                    let written = cx.text(wget.name_span) == wget.name;
                    let mut diagnostic = self
                        .meta()
                        .diagnostic(
                            wget.name_span,
                            "`wget` without `-q`, `-nv` or `--progress` writes a progress bar into the build log",
                        )
                        .with_help(
                            "add `-q` (GNU and BusyBox wget), or with GNU wget `-nv` or `--progress=dot:giga` to keep a line per file",
                        );
                    if written {
                        diagnostic = diagnostic.with_fix(Fix {
                            message: "add `-q`".to_string(),
                            edits: vec![Edit {
                                span: Span::new(wget.name_span.end, wget.name_span.end),
                                replacement: " -q".to_string(),
                            }],
                            applicability: Applicability::Safe,
                        });
                    }
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
        }
    }
}

/// An option that silences the bar or sends the log elsewhere.
fn quiet(wget: &SimpleCommand) -> bool {
    wget.args.iter().any(|a| short_quiet(&a.text))
        || wget.has_option("--quiet", None)
        || wget.has_option("--progress", None)
        || wget.has_option("--no-verbose", None)
        || wget.has_option("--output-file", None)
        || wget.has_option("--append-output", None)
        || wget.arg_texts().any(|a| a == "-nv" || a == "--show-progress=off")
}

/// `-q`, `-o log`, `-a log` alone or in a cluster (`-qO-`): the letters up to the first
/// option that takes a value (an upper-case one, or `-O`'s attached file name).
fn short_quiet(word: &str) -> bool {
    let Some(cluster) = word.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
        return false;
    };
    for letter in cluster.chars() {
        match letter {
            'q' | 'o' | 'a' => return true,
            'c' | 'd' | 'v' | 'n' | 'r' | 'N' | 'S' | 'k' | 'K' | 'x' | 'm' | 'p' | 'H' | 'E' | 'F' | 'L' => {}
            _ => return false,
        }
    }
    false
}
