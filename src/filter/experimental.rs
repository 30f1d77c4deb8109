//! Experimental rules (BuildKit's experimental checks) run only when asked for by
//! name: `--select` or configuration naming the rule, the file's
//! `# check=experimental=Name|all`, or such a comment above one instruction (then it
//! reports on that instruction only). `all` and code prefixes do not turn them on.

use super::{next_instruction, Selection};
use crate::diagnostic::{Diagnostic, Span};
use crate::rules::{self, RuleMeta};
use crate::syntax::{check_directive, Dockerfile};

/// Where a file asks for experimental rules with `# check=experimental=`.
#[derive(Debug, Default)]
pub struct ExperimentalAsks {
    /// The file's `check` directive: name lists and `all`.
    file: Option<check_directive::CheckOptions>,
    /// Comments above an instruction, with the instruction they cover.
    instructions: Vec<(check_directive::CheckOptions, Span)>,
}

fn names(options: &check_directive::CheckOptions, meta: &RuleMeta) -> bool {
    options.experimental_all
        || options
            .experimental
            .iter()
            .any(|n| meta.buildkit_name() == Some(n.as_str()) || meta.answers_to(n))
}

impl ExperimentalAsks {
    pub fn collect(file: &Dockerfile) -> ExperimentalAsks {
        let options = |value: &str| {
            check_directive::parse(value)
                .ok()
                .filter(|o| o.experimental_all || !o.experimental.is_empty())
        };
        let mut asks = ExperimentalAsks {
            file: file.directive("check").and_then(|d| options(&d.value)),
            instructions: Vec::new(),
        };
        for comment in &file.comments {
            let Some(value) = check_directive::comment_value(file.text(comment.text_span)) else {
                continue;
            };
            if let (Some(options), Some(span)) =
                (options(value), next_instruction(file, comment.span))
            {
                asks.instructions.push((options, span));
            }
        }
        asks
    }

    fn whole_file(&self, meta: &RuleMeta) -> bool {
        self.file.as_ref().is_some_and(|o| names(o, meta))
    }

    /// Whether rule `meta` runs on this file under `selection`.
    pub fn runs(&self, selection: &Selection, meta: &RuleMeta) -> bool {
        if !meta.experimental {
            return selection.runs(meta);
        }
        let asked = selection.names_exactly(meta)
            || self.whole_file(meta)
            || self.instructions.iter().any(|(o, _)| names(o, meta));
        asked && selection.runs_when_asked(meta)
    }

    /// Whether finding `d` stands: an experimental rule asked for only above some
    /// instructions reports on those alone.
    pub fn keeps(&self, selection: &Selection, d: &Diagnostic) -> bool {
        let Some(meta) = rules::RULE_METAS.iter().find(|m| m.name == d.rule) else {
            return true;
        };
        if !meta.experimental || selection.names_exactly(meta) || self.whole_file(meta) {
            return true;
        }
        self.instructions.iter().any(|(o, span)| {
            names(o, meta) && span.start <= d.span.start && d.span.start <= span.end
        })
    }
}
