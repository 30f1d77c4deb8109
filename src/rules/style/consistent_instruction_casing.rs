//! Instruction keywords in mixed case (`Run`), or against the file's majority case.

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword};

pub struct ConsistentInstructionCasing;

impl Rule for ConsistentInstructionCasing {
    fn meta(&self) -> &'static RuleMeta {
        meta("consistent-instruction-casing")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        // As BuildKit counts: the instructions of the stages, not the ARGs before the
        // first FROM; mixed-case keywords count for neither side; a tie is uppercase.
        let Some(first) = cx.graph.stages.first().map(|s| s.from_instruction) else {
            return;
        };
        let instructions = &cx.file.instructions[first..];
        // An unknown instruction (a template placeholder) is a syntax error, not a casing.
        let known = |i: &&Instruction| i.keyword != Keyword::Unknown;
        let (mut lower, mut upper) = (0, 0);
        for instruction in instructions.iter().filter(known) {
            let keyword = cx.text(instruction.keyword_span);
            if keyword == keyword.to_lowercase() {
                lower += 1;
            } else if keyword == keyword.to_uppercase() {
                upper += 1;
            }
        }
        let majority_lower = lower > upper;
        for (offset, instruction) in instructions.iter().enumerate() {
            if instruction.keyword == Keyword::Unknown {
                continue;
            }
            let keyword = cx.text(instruction.keyword_span);
            let wanted = if majority_lower {
                keyword.to_lowercase()
            } else {
                keyword.to_uppercase()
            };
            if keyword == wanted {
                continue;
            }
            let case = if majority_lower { "lowercase" } else { "uppercase" };
            let diagnostic = self
                .meta()
                .diagnostic(
                    instruction.keyword_span,
                    format!("`{keyword}` is not {case} like most instructions in this file"),
                )
                .with_help(format!("write `{wanted}`"))
                .with_fix(Fix {
                    message: format!("write `{wanted}`"),
                    edits: vec![Edit {
                        span: instruction.keyword_span,
                        replacement: wanted.clone(),
                    }],
                    applicability: Applicability::Safe,
                });
            out.push(cx.in_stage_of(first + offset, diagnostic));
        }
    }
}
