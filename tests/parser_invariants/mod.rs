//! Shared by the parser test suites: the structural promises every parse keeps,
//! whatever the input.
//!
//! - The token stream is lossless: the tokens are non-empty, contiguous, start at 0,
//!   end at the end of the source, and their text concatenated is the source.
//! - Every span of every node is in bounds (`start <= end <= source.len()`) and both
//!   ends fall on UTF-8 character boundaries, so slicing the source with it never panics.

#![allow(dead_code)]

use dockstage::diagnostic::Span;
use dockstage::syntax::{Dockerfile, Instruction};

/// The concatenated text of the tokens.
pub fn concat_tokens(file: &Dockerfile) -> String {
    let mut out = String::with_capacity(file.source.len());
    for token in &file.tokens() {
        out.push_str(&file.source[token.span.start..token.span.end]);
    }
    out
}

/// Checks the token stream covers the source exactly, token after token.
pub fn check_tokens(file: &Dockerfile) -> Result<(), String> {
    let mut at = 0;
    for (i, token) in file.tokens().iter().enumerate() {
        check_span(file, "token", token.span)?;
        if token.span.start != at {
            return Err(format!(
                "token {i} ({:?}) starts at {} but the previous one ended at {at}",
                token.kind, token.span.start
            ));
        }
        if token.span.is_empty() {
            return Err(format!("token {i} ({:?}) is empty at {at}", token.kind));
        }
        at = token.span.end;
    }
    if at != file.source.len() {
        return Err(format!(
            "the tokens end at {at}, the source at {}",
            file.source.len()
        ));
    }
    if concat_tokens(file) != file.source {
        return Err("the tokens' text is not the source".to_string());
    }
    Ok(())
}

fn check_span(file: &Dockerfile, what: &str, span: Span) -> Result<(), String> {
    let len = file.source.len();
    if span.start > span.end || span.end > len {
        return Err(format!(
            "{what} span {}..{} is out of bounds (source is {len} bytes)",
            span.start, span.end
        ));
    }
    if !file.source.is_char_boundary(span.start) || !file.source.is_char_boundary(span.end) {
        return Err(format!(
            "{what} span {}..{} does not fall on character boundaries",
            span.start, span.end
        ));
    }
    Ok(())
}

fn check_instruction(file: &Dockerfile, instruction: &Instruction) -> Result<(), String> {
    let name = instruction.keyword.as_str();
    let span = |what: &str, span: Span| check_span(file, &format!("{name} {what}"), span);
    span("keyword", instruction.keyword_span)?;
    span("instruction", instruction.span)?;
    span("line", instruction.line_span)?;
    span("arguments", instruction.args.span)?;
    for flag in &instruction.flags {
        span("flag", flag.span)?;
    }
    for word in &instruction.args.words {
        span("word", word.span)?;
    }
    for pair in &instruction.args.pairs {
        span("key", pair.key.span)?;
        if let Some(value) = &pair.value {
            span("value", value.span)?;
        }
    }
    for heredoc in &instruction.heredocs {
        span("heredoc marker", heredoc.marker_span)?;
        span("heredoc body", heredoc.body_span)?;
        span("heredoc terminator", heredoc.terminator_span)?;
        // Callers read the body through this; it must not panic.
        let _ = heredoc.content(&file.source);
    }
    for line in &instruction.empty_continuation_lines {
        span("empty continuation line", *line)?;
    }
    if let Some(trigger) = &instruction.trigger {
        check_instruction(file, trigger)?;
    }
    Ok(())
}

/// Checks every span of every node: directives, comments, instructions and their parts,
/// errors and tokens.
pub fn check_spans(file: &Dockerfile) -> Result<(), String> {
    for directive in &file.directives {
        check_span(file, "directive", directive.span)?;
        check_span(file, "directive value", directive.value_span)?;
    }
    for comment in &file.comments {
        check_span(file, "comment", comment.span)?;
        check_span(file, "comment text", comment.text_span)?;
    }
    for error in &file.errors {
        check_span(file, &format!("error {:?}", error.message), error.span)?;
    }
    for token in &file.tokens() {
        check_span(file, "token", token.span)?;
    }
    for instruction in &file.instructions {
        check_instruction(file, instruction)?;
    }
    Ok(())
}

/// Every invariant above, for a file parsed from `input`: when the input is valid UTF-8
/// the source is the input unchanged.
pub fn check_all(input: &[u8], file: &Dockerfile) -> Result<(), String> {
    if let Ok(text) = std::str::from_utf8(input) {
        if file.source != text {
            return Err("the parsed source differs from the input".to_string());
        }
    }
    check_tokens(file)?;
    check_spans(file)
}
