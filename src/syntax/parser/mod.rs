//! The line-oriented parser: directives, continuations, instructions, heredocs.
//!
//! It follows BuildKit's `frontend/dockerfile/parser` step by step, so that what it
//! calls an instruction, a flag or a heredoc body is what the build sees. Errors are
//! collected and the parser carries on at the next line.

use super::ast::*;
use super::logical_line::LogicalLine;
use super::tokens::{Token, TokenKind};
use super::validate::validate;
use super::words::{trim_end_blanks, trim_start_space};
use crate::diagnostic::{LineIndex, Span};

mod arguments;
mod directives;
mod heredocs;
mod instruction;

/// Parses bytes read from a file: invalid UTF-8 is reported and replaced.
pub fn parse_bytes(bytes: &[u8]) -> Dockerfile {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(err) => {
            let at = err.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut file = parse(&text);
            // The bad byte became U+FFFD (three bytes) in `text`: the span covers that char.
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            let span = Span::new(at, end);
            file.errors.insert(
                0,
                SyntaxError {
                    message: format!("the file is not valid UTF-8 (invalid byte at offset {at})"),
                    span,
                    help: Some("save the Dockerfile as UTF-8".to_string()),
                },
            );
            file
        }
    }
}

/// Parses a Dockerfile. Never fails: problems are in [`Dockerfile::errors`].
pub fn parse(source: &str) -> Dockerfile {
    let mut parser = Parser::new(source);
    parser.run();
    let Parser {
        escape,
        directives,
        instructions,
        comments,
        mut errors,
        marks,
        lines,
        ..
    } = parser;
    let line_index = LineIndex::from_line_ends(lines.iter().map(|l| l.end), source);
    let template = validate(source, &instructions, &mut errors);
    errors.sort_by_key(|e| e.span.start);
    Dockerfile {
        source: source.to_string(),
        escape,
        directives,
        instructions,
        comments,
        token_marks: marks,
        errors,
        line_index,
        template,
    }
}

/// A physical line: `content` excludes the line ending.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

struct Parser<'a> {
    source: &'a str,
    lines: Vec<Line>,
    next: usize,
    escape: char,
    directives: Vec<Directive>,
    instructions: Vec<Instruction>,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
    /// Spans with a known token kind; the tokenizer fills the gaps.
    marks: Vec<Token>,
}

impl<'a> Parser<'a> {
    fn new(source: &'a str) -> Self {
        let bytes = source.as_bytes();
        let newlines = memchr::memchr_iter(b'\n', bytes).count();
        let mut lines = Vec::with_capacity(newlines + 1);
        let mut start = 0;
        while start < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
            let mut content_end = end;
            while content_end > start && matches!(bytes[content_end - 1], b'\n' | b'\r') {
                content_end -= 1;
            }
            lines.push(Line {
                start,
                content_end,
                end,
            });
            start = end;
        }
        let lines_len = lines.len();
        Parser {
            source,
            lines,
            next: 0,
            escape: '\\',
            directives: Vec::new(),
            // Growing a vector of these large nodes copies them again and again; few
            // files have more instructions than half their lines.
            instructions: Vec::with_capacity(lines_len / 2 + 1),
            comments: Vec::new(),
            errors: Vec::new(),
            marks: Vec::with_capacity(lines_len * 2),
        }
    }

    fn content(&self, line: Line) -> &'a str {
        &self.source[line.start..line.content_end]
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(SyntaxError {
            message: message.into(),
            span,
            help: None,
        });
    }

    fn mark(&mut self, kind: TokenKind, span: Span) {
        if !span.is_empty() {
            self.marks.push(Token { kind, span });
        }
    }

    fn run(&mut self) {
        if self.source.starts_with('\u{feff}') {
            self.mark(TokenKind::Bom, Span::new(0, 3));
            if let Some(first) = self.lines.first_mut() {
                first.start = 3;
            }
        }
        self.check_nul_bytes();
        self.parse_directives();
        // One logical line, reused for every instruction.
        let mut logical = LogicalLine::default();
        while self.next < self.lines.len() {
            let line = self.lines[self.next];
            let content = self.content(line);
            let trimmed = trim_start_space(content);
            if trimmed.is_empty() {
                self.next += 1;
                continue;
            }
            if trimmed.starts_with('#') {
                self.comment(line);
                self.next += 1;
                continue;
            }
            self.instruction(&mut logical, line.start + (content.len() - trimmed.len()));
        }
    }

    fn check_nul_bytes(&mut self) {
        if let Some(at) = memchr::memchr(0, self.source.as_bytes()) {
            self.error(
                Span::new(at, at + 1),
                "the file contains a NUL byte: it is binary, not a Dockerfile",
            );
        }
    }

    fn comment(&mut self, line: Line) {
        let content = self.content(line);
        let lead = content.len() - trim_start_space(content).len();
        let span = Span::new(line.start + lead, line.content_end);
        let after_hash = &self.source[span.start + 1..span.end];
        let text = after_hash.trim_start();
        let text_start = span.end - text.len();
        let text_span = Span::new(text_start, text_start + text.trim_end().len());
        self.comments.push(Comment { text_span, span });
        self.mark(TokenKind::Comment, span);
    }

    /// Strips a trailing escape character (plus spaces and tabs) from a line; returns
    /// the kept length and whether the line continues.
    /// An escaped escape character (`\\` at the end) does not continue the line.
    fn trim_continuation(&self, text: &str) -> (usize, bool) {
        let without_space = trim_end_blanks(text);
        let Some(before) = without_space.strip_suffix(self.escape) else {
            return (text.len(), false);
        };
        if before.ends_with(self.escape) {
            return (text.len(), false);
        }
        (before.len(), true)
    }

    /// The instruction whose first line is the next one; `start` is where its text starts.
    fn instruction(&mut self, logical: &mut LogicalLine<'a>, start: usize) {
        let first = self.lines[self.next];
        let content = self.content(first);
        let lead = start - first.start;
        logical.clear();
        let mut empty_lines = Vec::new();
        let text = &content[lead..];
        let (keep, mut continues) = self.trim_continuation(text);
        logical.push(&text[..keep], start);
        self.mark_continuation(start + keep, first.content_end, continues);
        let mut last_line_end = first.content_end;
        self.next += 1;
        while continues && self.next < self.lines.len() {
            let line = self.lines[self.next];
            let raw = self.content(line);
            self.next += 1;
            last_line_end = line.content_end;
            let trimmed = trim_start_space(raw);
            if trimmed.starts_with('#') {
                self.comment(line);
                continue;
            }
            if trimmed.is_empty() {
                empty_lines.push(Span::new(line.start, line.content_end));
                continue;
            }
            let (keep, more) = self.trim_continuation(raw);
            logical.push(&raw[..keep], line.start);
            self.mark_continuation(line.start + keep, line.content_end, more);
            continues = more;
        }
        let line_span = Span::new(start, last_line_end);
        if let Some(mut instruction) = self.build(logical, line_span) {
            instruction.empty_continuation_lines = empty_lines;
            if can_contain_heredoc(&instruction) && logical.text().contains("<<") {
                self.read_heredocs(&mut instruction, logical);
            }
            self.instructions.push(instruction);
        }
    }

    fn mark_continuation(&mut self, start: usize, end: usize, continues: bool) {
        if continues {
            self.mark(TokenKind::Continuation, Span::new(start, end));
        }
    }
}

fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match (&instruction.keyword, &instruction.trigger) {
        (Keyword::Onbuild, Some(trigger)) => trigger.as_ref(),
        _ => instruction,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && target.args.form != Form::Exec
}

/// Where the first `=` is. Keys and flag names are short: a byte loop beats the
/// general substring search here.
fn find_equals(text: &str) -> Option<usize> {
    text.bytes().position(|b| b == b'=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(source: &str) -> String {
        super::super::buildkit_dump(&parse(source))
    }

    #[test]
    fn escape_directive_with_spaces_sets_backtick() {
        let file = parse("   #escape = `\n\nFROM image\nENV foo `\nENV bar baz");
        assert_eq!(file.escape, '`');
        assert_eq!(
            dump(&file.source),
            "(from \"image\")\n(env \"foo\" \"ENV bar baz\")\n"
        );
    }

    #[test]
    fn line_index_from_the_parser_matches_a_fresh_scan() {
        for source in [
            "",
            "\n",
            "FROM a",
            "FROM a\n",
            "\u{feff}FROM a\r\nRUN b\r\n\n",
            "FROM a\nRUN x \\\n  y\n\n# c\n",
            "FROM a\rRUN b",
        ] {
            let parsed = parse(source).line_index;
            let fresh = LineIndex::new(source);
            assert_eq!(parsed.line_count(), fresh.line_count(), "{source:?}");
            for line in 0..=fresh.line_count() {
                assert_eq!(
                    parsed.line_start(line),
                    fresh.line_start(line),
                    "{source:?}"
                );
            }
        }
    }

    #[test]
    fn escaped_escape_at_end_does_not_continue() {
        assert_eq!(
            dump("FROM a\nRUN echo \\\\\nRUN b\n"),
            "(from \"a\")\n(run \"echo \\\\\\\\\")\n(run \"b\")\n"
        );
    }

    #[test]
    fn arg_pair_spans_follow_a_word_across_a_continuation() {
        // Found by the parse fuzz target: the key's span was the word's start plus the
        // index of `=` in the joined line, which lands inside the `é` here.
        let source = "FROM a\nARG K\"x \\\n  é\"y=1\n";
        let file = parse(source);
        let arg = &file.instructions[1];
        let pair = &arg.args.pairs[0];
        assert_eq!(
            &source[pair.key.span.start..pair.key.span.end],
            "K\"x \\\n  é\"y"
        );
        let value = pair.value.as_ref().unwrap();
        assert_eq!(&source[value.span.start..value.span.end], "1");
    }
}
