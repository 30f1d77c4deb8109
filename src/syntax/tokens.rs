//! The lossless token stream: known spans from the parser, gaps filled with
//! whitespace, newlines and text, so the tokens always cover the source exactly.

use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A byte-order mark at the start.
    Bom,
    Directive,
    Comment,
    /// Spaces and tabs.
    Whitespace,
    Newline,
    Keyword,
    Flag,
    /// Argument text of an instruction line.
    Text,
    /// The escape character ending a line, with trailing whitespace.
    Continuation,
    HeredocBody,
    HeredocTerminator,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub(crate) fn tokenize(source: &str, mut marks: Vec<Token>) -> Vec<Token> {
    marks.sort_unstable_by_key(|t| (t.span.start, std::cmp::Reverse(t.span.end)));
    // Each mark is usually followed by a gap of whitespace, a newline or text.
    let mut tokens = Vec::with_capacity(marks.len() * 4 + source.len() / 32 + 8);
    let mut at = 0;
    for mark in marks {
        // A mark inside an earlier one (a flag spanning a continuation) adds nothing.
        if mark.span.start < at || mark.span.end > source.len() {
            continue;
        }
        fill_gap(source, at, mark.span.start, &mut tokens);
        tokens.push(mark);
        at = mark.span.end;
    }
    fill_gap(source, at, source.len(), &mut tokens);
    tokens
}

fn fill_gap(source: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let bytes = source.as_bytes();
    let mut i = start;
    while i < end {
        let kind = classify(bytes[i]);
        let mut j = i + 1;
        while j < end && classify(bytes[j]) == kind && kind != TokenKind::Newline {
            j += 1;
        }
        tokens.push(Token {
            kind,
            span: Span::new(i, j),
        });
        i = j;
    }
}

fn classify(byte: u8) -> TokenKind {
    match byte {
        b'\n' => TokenKind::Newline,
        b' ' | b'\t' | b'\r' | 0x0b | 0x0c => TokenKind::Whitespace,
        _ => TokenKind::Text,
    }
}
