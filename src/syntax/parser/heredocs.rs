//! Here-documents: the `<<EOF` markers of RUN, COPY and ADD and the body lines after them.

use super::Parser;
use crate::diagnostic::Span;
use crate::syntax::ast::{Heredoc, Instruction, SyntaxError};
use crate::syntax::logical_line::LogicalLine;
use crate::syntax::tokens::TokenKind;
use crate::syntax::words::heredoc::{heredoc_candidate_words, unquote_shell_word};

impl Parser<'_> {
    pub(super) fn read_heredocs(
        &mut self,
        instruction: &mut Instruction,
        logical: &LogicalLine<'_>,
    ) {
        let markers = heredoc_markers(logical.text());
        for marker in markers {
            let marker_span = logical.span(marker.start, marker.end);
            let body_start = self
                .lines
                .get(self.next)
                .map_or(self.source.len(), |l| l.start);
            let mut body_end = body_start;
            let mut terminator_span = None;
            while self.next < self.lines.len() {
                let line = self.lines[self.next];
                self.next += 1;
                let content = self.content(line);
                let candidate = if marker.chomp {
                    content.trim_start_matches('\t')
                } else {
                    content
                };
                if candidate == marker.name {
                    terminator_span = Some(Span::new(line.start, line.content_end));
                    break;
                }
                body_end = line.end;
            }
            let body_span = Span::new(body_start, body_end);
            self.mark(TokenKind::HeredocBody, body_span);
            let terminator_span = match terminator_span {
                Some(span) => {
                    self.mark(TokenKind::HeredocTerminator, span);
                    instruction.span.end = span.end;
                    span
                }
                None => {
                    self.errors.push(SyntaxError {
                        message: format!("unterminated heredoc: no line `{}` ends it", marker.name),
                        span: marker_span,
                        help: Some(format!(
                            "end the here-document with a line containing only `{}`",
                            marker.name
                        )),
                    });
                    instruction.span.end =
                        instruction.span.end.max(body_end.min(self.source.len()));
                    Span::empty(self.source.len())
                }
            };
            instruction.heredocs.push(Heredoc {
                delimiter: marker.name,
                chomp: marker.chomp,
                expand: marker.expand,
                fd: marker.fd,
                marker_span,
                body_span,
                terminator_span,
            });
        }
        if let Some(trigger) = instruction.trigger.as_mut() {
            trigger.heredocs = instruction.heredocs.clone();
        }
    }
}

struct HeredocMarker {
    name: String,
    chomp: bool,
    expand: bool,
    fd: Option<u32>,
    start: usize,
    end: usize,
}

/// BuildKit's `heredocsFromLine` + `ParseHeredoc`: words of the form `[n]<<[-]NAME`.
fn heredoc_markers(line: &str) -> Vec<HeredocMarker> {
    heredoc_candidate_words(line)
        .into_iter()
        .filter_map(|word| {
            let digits = word.text.len()
                - word
                    .text
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            let after = word.text[digits..].strip_prefix("<<")?;
            let (chomp, rest) = match after.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, after),
            };
            if rest.is_empty() || rest.contains('<') {
                return None;
            }
            let name = unquote_shell_word(rest)?;
            if name.is_empty() {
                return None;
            }
            let expand = !rest.contains(['\'', '"']);
            Some(HeredocMarker {
                fd: word.text[..digits].parse().ok(),
                name,
                chomp,
                expand,
                start: word.start,
                end: word.end,
            })
        })
        .collect()
}
