//! The invariants the fuzz targets assert, one function per target. The normal test
//! run includes this file too (`tests/fuzz_regressions.rs`), to replay the inputs the
//! fuzzers found.

use dockstage::diagnostic::{Applicability, Span};
use dockstage::fix::{fix_until_stable, syntax_errors};
use dockstage::lint::{analyze, LintOptions};
use dockstage::syntax::{parse_bytes, Dockerfile, Instruction};

/// Panics unless `span` is inside `source` and on character boundaries.
pub fn check_span(source: &str, what: &str, span: Span) {
    assert!(
        span.start <= span.end && span.end <= source.len(),
        "{what} span {span:?} out of bounds ({} bytes)",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start) && source.is_char_boundary(span.end),
        "{what} span {span:?} not on character boundaries"
    );
}

fn check_file_span(file: &Dockerfile, what: &str, span: Span) {
    check_span(&file.source, what, span);
}

fn check_instruction(file: &Dockerfile, instruction: &Instruction) {
    check_file_span(file, "keyword", instruction.keyword_span);
    check_file_span(file, "instruction", instruction.span);
    check_file_span(file, "line", instruction.line_span);
    check_file_span(file, "arguments", instruction.args.span);
    for flag in &instruction.flags {
        check_file_span(file, "flag", flag.span);
    }
    for word in &instruction.args.words {
        check_file_span(file, "word", word.span);
    }
    for pair in &instruction.args.pairs {
        check_file_span(file, "key", pair.key.span);
        if let Some(value) = &pair.value {
            check_file_span(file, "value", value.span);
        }
    }
    for heredoc in &instruction.heredocs {
        check_file_span(file, "heredoc marker", heredoc.marker_span);
        check_file_span(file, "heredoc body", heredoc.body_span);
        check_file_span(file, "heredoc terminator", heredoc.terminator_span);
        let _ = heredoc.content(&file.source);
    }
    for line in &instruction.empty_continuation_lines {
        check_file_span(file, "empty continuation line", *line);
    }
    if let Some(trigger) = &instruction.trigger {
        check_instruction(file, trigger);
    }
}

/// The parser on arbitrary bytes: no panic, the tokens give back the source byte for
/// byte, and every span is in bounds and on character boundaries.
pub fn parse(data: &[u8]) {
    let file = parse_bytes(data);

    // Lossless: contiguous, non-empty tokens covering the source exactly.
    let mut at = 0;
    let mut text = String::with_capacity(file.source.len());
    for token in &file.tokens() {
        check_file_span(&file, "token", token.span);
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
        check_file_span(&file, "directive", directive.span);
        check_file_span(&file, "directive value", directive.value_span);
    }
    for comment in &file.comments {
        check_file_span(&file, "comment", comment.span);
        check_file_span(&file, "comment text", comment.text_span);
    }
    for error in &file.errors {
        check_file_span(&file, "error", error.span);
    }
    for instruction in &file.instructions {
        check_instruction(&file, instruction);
    }
}

/// Every rule over arbitrary bytes: no panic, and every span a finding carries (its
/// own, its labels', its fix's edits) is inside the file and on character boundaries.
pub fn check(data: &[u8]) {
    // Every rule, the experimental ones too.
    let experimental = dockstage::rules::RULE_METAS
        .iter()
        .filter(|m| m.experimental || m.opt_in)
        .map(|m| m.name.to_string());
    let options = LintOptions {
        selection: dockstage::filter::Selection {
            select: std::iter::once("all".to_string())
                .chain(experimental)
                .collect(),
            ..Default::default()
        },
        ..LintOptions::default()
    };
    let analysis = analyze(data, &options);
    let source = &analysis.file.source;
    for d in &analysis.diagnostics {
        check_span(source, d.rule, d.span);
        for label in &d.labels {
            check_span(source, "label", label.span);
        }
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            check_span(source, "fix edit", edit.span);
        }
    }
}

/// `--fix` (safe, then safe and unsafe fixes) over arbitrary text: the result has no
/// more syntax errors than the input, and fixing it again changes nothing.
pub fn fix(data: &[u8]) {
    // Fixes are written back only to valid UTF-8 files.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The rules `--fix` takes fixes from, and the syntax errors: the others cannot
    // change the text, and skipping them makes each input several times cheaper.
    let select = dockstage::rules::RULE_METAS
        .iter()
        .filter(|m| m.fixable && !m.experimental && !m.opt_in)
        .map(|m| m.name.to_string())
        .chain(std::iter::once("syntax-error".to_string()))
        .collect();
    let options = LintOptions {
        selection: dockstage::filter::Selection {
            select,
            ..Default::default()
        },
        ..LintOptions::default()
    };
    for allowed in [
        &[Applicability::Safe][..],
        &[Applicability::Safe, Applicability::Unsafe][..],
    ] {
        let (fixed, _) = fix_until_stable(text, &options, allowed);
        // Nothing applied: the text is as it was, and a second run is this one again.
        if fixed == text {
            continue;
        }
        assert!(
            syntax_errors(&fixed, &options) <= syntax_errors(text, &options),
            "fixing added a syntax error:\n{fixed}"
        );
        let (again, _) = fix_until_stable(&fixed, &options, allowed);
        assert_eq!(again, fixed, "a second --fix changed the file");
    }
}
