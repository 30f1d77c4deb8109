//! One instruction from its logical line: keyword, flags, then the arguments (or the
//! `ONBUILD` trigger).

use compact_str::CompactString;

use super::{find_equals, Parser};
use crate::diagnostic::Span;
use crate::syntax::ast::{Arguments, Flag, Form, Instruction, Keyword};
use crate::syntax::logical_line::LogicalLine;
use crate::syntax::tokens::TokenKind;
use crate::syntax::words::{
    extract_flags_each, find_line_space, leading_line_space, trim_end_space, trim_start_space,
};

impl Parser<'_> {
    /// BuildKit's `newNodeFromLine`: keyword, flags, then the arguments by keyword.
    pub(super) fn build(
        &mut self,
        logical: &LogicalLine<'_>,
        line_span: Span,
    ) -> Option<Instruction> {
        let text = logical.text();
        let trimmed_start = text.len() - trim_start_space(text).len();
        let body = trim_end_space(&text[trimmed_start..]);
        if body.is_empty() {
            return None;
        }
        let keyword_len = find_line_space(body).unwrap_or(body.len());
        let keyword_text = &body[..keyword_len];
        let keyword_span = logical.span(trimmed_start, trimmed_start + keyword_len);
        self.mark(TokenKind::Keyword, keyword_span);
        let after_keyword = &body[keyword_len..];
        let rest_offset = trimmed_start + keyword_len + leading_line_space(after_keyword);
        let rest = &text[rest_offset..trimmed_start + body.len()];
        let mut flags = Vec::new();
        let args_at = extract_flags_each(rest, |w| {
            let span = logical.span(rest_offset + w.start, rest_offset + w.end);
            self.mark(TokenKind::Flag, span);
            flags.push(flag_from_word(&w.text, span));
        });
        let args_text = trim_end_space(trim_start_space(&rest[args_at..]));
        let args_offset = rest_offset + args_at;
        let keyword = Keyword::from_word(keyword_text);
        let mut trigger = None;
        let args = match keyword {
            Keyword::Onbuild => {
                if !args_text.is_empty() {
                    let sub = remap(logical, args_offset, args_text);
                    trigger = self.build(&sub, line_span).map(Box::new);
                }
                Arguments {
                    form: Form::None,
                    words: Vec::new(),
                    pairs: Vec::new(),
                    span: logical.span(args_offset, args_offset + args_text.len()),
                }
            }
            _ => self.arguments(keyword, args_text, args_offset, logical),
        };
        Some(Instruction {
            keyword,
            keyword_span,
            span: line_span,
            line_span,
            flags,
            args,
            heredocs: Vec::new(),
            trigger,
            empty_continuation_lines: Vec::new(),
        })
    }
}

/// The trigger text of `ONBUILD`, as its own logical line mapped to the source.
fn remap<'t>(outer: &LogicalLine<'_>, offset: usize, text: &'t str) -> LogicalLine<'t> {
    let mut line = LogicalLine::default();
    // Map char runs that are contiguous in the source into one segment each.
    let mut run_start = 0;
    let mut run_source = outer.source_start(offset);
    for (i, _) in text.char_indices() {
        let expected = run_source + (i - run_start);
        let actual = outer.source_start(offset + i);
        if actual != expected {
            line.push(&text[run_start..i], run_source);
            run_start = i;
            run_source = actual;
        }
    }
    line.push(&text[run_start..], run_source);
    line
}

fn flag_from_word(text: &str, span: Span) -> Flag {
    let body = text.strip_prefix("--").unwrap_or(text);
    match find_equals(body) {
        Some(eq) => Flag {
            name: CompactString::from(&body[..eq]),
            value: Some(CompactString::from(&body[eq + 1..])),
            span,
        },
        None => Flag {
            name: CompactString::from(body),
            value: None,
            span,
        },
    }
}
