//! The parser on arbitrary bytes: it must not panic, the tokens must give back the
//! source byte for byte, and every span must be in bounds and on character boundaries.
//!
//! Run with `cargo +nightly fuzz run parse fuzz/seeds` from the repository root after
//! copying `fixtures/parser/*.Dockerfile` into `fuzz/seeds` (see `fuzz/README.md`).

#![no_main]

#[path = "common.rs"]
mod common;

use dockstage::diagnostic::Span;
use dockstage::syntax::{parse_bytes, Dockerfile, Instruction};
use libfuzzer_sys::fuzz_target;

fn check_span(file: &Dockerfile, what: &str, span: Span) {
    common::check_span(&file.source, what, span);
}

fn check_instruction(file: &Dockerfile, instruction: &Instruction) {
    check_span(file, "keyword", instruction.keyword_span);
    check_span(file, "instruction", instruction.span);
    check_span(file, "line", instruction.line_span);
    check_span(file, "arguments", instruction.args.span);
    for flag in &instruction.flags {
        check_span(file, "flag", flag.span);
    }
    for word in &instruction.args.words {
        check_span(file, "word", word.span);
    }
    for pair in &instruction.args.pairs {
        check_span(file, "key", pair.key.span);
        if let Some(value) = &pair.value {
            check_span(file, "value", value.span);
        }
    }
    for heredoc in &instruction.heredocs {
        check_span(file, "heredoc marker", heredoc.marker_span);
        check_span(file, "heredoc body", heredoc.body_span);
        check_span(file, "heredoc terminator", heredoc.terminator_span);
        let _ = heredoc.content(&file.source);
    }
    for line in &instruction.empty_continuation_lines {
        check_span(file, "empty continuation line", *line);
    }
    if let Some(trigger) = &instruction.trigger {
        check_instruction(file, trigger);
    }
}

fuzz_target!(|data: &[u8]| {
    let file = parse_bytes(data);

    // Lossless: contiguous, non-empty tokens covering the source exactly.
    let mut at = 0;
    let mut text = String::with_capacity(file.source.len());
    for token in &file.tokens() {
        check_span(&file, "token", token.span);
        assert_eq!(token.span.start, at, "gap or overlap before {token:?}");
        assert!(!token.span.is_empty(), "empty token {token:?}");
        text.push_str(&file.source[token.span.start..token.span.end]);
        at = token.span.end;
    }
    assert_eq!(at, file.source.len(), "tokens stop short of the end");
    assert_eq!(text, file.source);
    if let Ok(input) = std::str::from_utf8(data) {
        assert_eq!(file.source, input, "valid UTF-8 must be kept as it is");
    }

    for directive in &file.directives {
        check_span(&file, "directive", directive.span);
        check_span(&file, "directive value", directive.value_span);
    }
    for comment in &file.comments {
        check_span(&file, "comment", comment.span);
        check_span(&file, "comment text", comment.text_span);
    }
    for error in &file.errors {
        check_span(&file, "error", error.span);
    }
    for instruction in &file.instructions {
        check_instruction(&file, instruction);
    }
});
