//! The line-oriented parser: directives, continuations, instructions, heredocs.
//!
//! It follows BuildKit's `frontend/dockerfile/parser` step by step, so that what it
//! calls an instruction, a flag or a heredoc body is what the build sees. Errors are
//! collected and the parser carries on at the next line.

use super::ast::*;
use super::logical_line::LogicalLine;
use super::validate::validate;
use super::words::{
    extract_flags_each, find_line_space, heredoc_candidate_words, is_space, leading_line_space,
    parse_json_array, parse_words, split_whitespace, trim_end_blanks, trim_end_space,
    trim_start_space, unquote_shell_word, JsonArgs, RawWord,
};
use crate::diagnostic::{LineIndex, Span};
use compact_str::CompactString;

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
    validate(source, &instructions, &mut errors);
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

    /// Directives: `# name=value` lines at the very top, until the first line that is
    /// not one (a blank line, another comment or an instruction ends them).
    fn parse_directives(&mut self) {
        while self.next < self.lines.len() {
            let line = self.lines[self.next];
            let content = self.content(line);
            let lead = content.len() - trim_start_space(content).len();
            let Some((name, value_range)) = match_directive(&content[lead..]) else {
                return;
            };
            let lower = name.to_ascii_lowercase();
            if !matches!(lower.as_str(), "syntax" | "escape" | "check") {
                return;
            }
            let span = Span::new(line.start + lead, line.content_end);
            let value_span = Span::new(
                line.start + lead + value_range.0,
                line.start + lead + value_range.1,
            );
            let value = self.source[value_span.start..value_span.end].to_string();
            if self.directives.iter().any(|d| d.name == lower) {
                self.error(
                    span,
                    format!("only one {lower} parser directive can be used"),
                );
            } else {
                if lower == "escape" {
                    match value.as_str() {
                        "\\" => self.escape = '\\',
                        "`" => self.escape = '`',
                        _ => self.error(
                            value_span,
                            format!("invalid escape token '{value}' does not match ` or \\"),
                        ),
                    }
                }
                self.directives.push(Directive {
                    name: lower,
                    value,
                    span,
                    value_span,
                });
            }
            self.mark(TokenKind::Directive, span);
            self.next += 1;
        }
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

    /// BuildKit's `newNodeFromLine`: keyword, flags, then the arguments by keyword.
    fn build(&mut self, logical: &LogicalLine<'_>, line_span: Span) -> Option<Instruction> {
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

    fn arguments(
        &mut self,
        keyword: Keyword,
        text: &str,
        offset: usize,
        logical: &LogicalLine<'_>,
    ) -> Arguments {
        let to_word = |w: RawWord| Word {
            span: logical.span(offset + w.start, offset + w.end),
            text: CompactString::from(w.text),
        };
        let whole = || {
            vec![Word {
                text: CompactString::from(text),
                span: logical.span(offset, offset + text.len()),
            }]
        };
        let span = logical.span(offset, offset + text.len());
        let mut pairs = Vec::new();
        let (form, words) = if text.is_empty() {
            (Form::None, Vec::new())
        } else {
            match keyword {
                Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
                    match parse_json_array(text, 0) {
                        JsonArgs::Strings(words) => {
                            (Form::Exec, words.into_iter().map(to_word).collect())
                        }
                        JsonArgs::NotStrings => {
                            self.error(span, "when using JSON array syntax, arrays must be comprised of strings only");
                            (Form::Shell, whole())
                        }
                        JsonArgs::NotJson => (Form::Shell, whole()),
                    }
                }
                Keyword::Add | Keyword::Copy | Keyword::Volume => match parse_json_array(text, 0) {
                    JsonArgs::Strings(words) => {
                        (Form::Exec, words.into_iter().map(to_word).collect())
                    }
                    JsonArgs::NotStrings => {
                        self.error(span, "when using JSON array syntax, arrays must be comprised of strings only");
                        (
                            Form::Shell,
                            split_whitespace(text, 0).into_iter().map(to_word).collect(),
                        )
                    }
                    JsonArgs::NotJson => (
                        Form::Shell,
                        split_whitespace(text, 0).into_iter().map(to_word).collect(),
                    ),
                },
                Keyword::From | Keyword::Expose => (
                    Form::Shell,
                    split_whitespace(text, 0).into_iter().map(to_word).collect(),
                ),
                Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
                    (Form::Shell, whole())
                }
                Keyword::Env | Keyword::Label => {
                    let (words, kv) = self.name_values(keyword, text, span, logical, offset);
                    pairs = kv;
                    (Form::Shell, words)
                }
                Keyword::Arg => {
                    let words: Vec<Word> = parse_words(text, self.escape, 0)
                        .into_iter()
                        .map(to_word)
                        .collect();
                    pairs = words.iter().map(split_pair).collect();
                    (Form::Shell, words)
                }
                Keyword::Healthcheck => {
                    let typ_len = text.find(is_space).unwrap_or(text.len());
                    let typ = Word {
                        text: CompactString::from(&text[..typ_len]),
                        span: logical.span(offset, offset + typ_len),
                    };
                    let cmd = trim_start_space(&text[typ_len..]);
                    let cmd_offset = offset + text.len() - cmd.len();
                    let mut words = vec![typ];
                    let form = if cmd.is_empty() {
                        Form::None
                    } else {
                        match parse_json_array(cmd, 0) {
                            JsonArgs::Strings(ws) => {
                                words.extend(ws.into_iter().map(|w| Word {
                                    span: logical.span(cmd_offset + w.start, cmd_offset + w.end),
                                    text: CompactString::from(w.text),
                                }));
                                Form::Exec
                            }
                            other => {
                                if matches!(other, JsonArgs::NotStrings) {
                                    self.error(span, "when using JSON array syntax, arrays must be comprised of strings only");
                                }
                                words.push(Word {
                                    text: CompactString::from(cmd),
                                    span: logical.span(cmd_offset, cmd_offset + cmd.len()),
                                });
                                Form::Shell
                            }
                        }
                    };
                    (form, words)
                }
                // BuildKit's parser keeps nothing of an unknown instruction.
                Keyword::Unknown | Keyword::Onbuild => (Form::None, Vec::new()),
            }
        };
        Arguments {
            form,
            words,
            pairs,
            span,
        }
    }

    /// BuildKit's `parseNameVal`: `KEY value` (legacy) or `KEY=value ...`.
    fn name_values(
        &mut self,
        keyword: Keyword,
        text: &str,
        span: Span,
        logical: &LogicalLine<'_>,
        offset: usize,
    ) -> (Vec<Word>, Vec<KeyValue>) {
        let raw = parse_words(text, self.escape, 0);
        let name = keyword.as_upper_str();
        let Some(first) = raw.first() else {
            return (Vec::new(), Vec::new());
        };
        let word = |text: &str, start: usize, end: usize| Word {
            text: CompactString::from(text),
            span: logical.span(offset + start, offset + end),
        };
        if find_equals(&first.text).is_none() {
            let key_end = find_line_space(text).unwrap_or(text.len());
            let value_part = &text[key_end..];
            let value_start = key_end + leading_line_space(value_part);
            if value_start >= text.len() {
                self.error(span, format!("{name} must have two arguments"));
                let key = word(&text[..key_end], 0, key_end);
                return (vec![key.clone()], vec![KeyValue { key, value: None }]);
            }
            let key = word(&text[..key_end], 0, key_end);
            let value = word(&text[value_start..], value_start, text.len());
            return (
                vec![key.clone(), value.clone()],
                vec![KeyValue {
                    key,
                    value: Some(value),
                }],
            );
        }
        let mut words = Vec::new();
        let mut pairs = Vec::new();
        for w in raw {
            let Some(eq) = find_equals(&w.text) else {
                self.error(
                    logical.span(offset + w.start, offset + w.end),
                    format!(
                        "Syntax error - can't find = in {:?}. Must be of the form: name=value",
                        w.text
                    ),
                );
                continue;
            };
            let key = word(&w.text[..eq], w.start, w.start + eq);
            let value = word(&w.text[eq + 1..], w.start + eq + 1, w.end);
            words.push(key.clone());
            words.push(value.clone());
            pairs.push(KeyValue {
                key,
                value: Some(value),
            });
        }
        (words, pairs)
    }

    fn read_heredocs(&mut self, instruction: &mut Instruction, logical: &LogicalLine<'_>) {
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

fn split_pair(word: &Word) -> KeyValue {
    match find_equals(&word.text) {
        Some(eq) => KeyValue {
            key: Word {
                text: CompactString::from(&word.text[..eq]),
                span: Span::new(word.span.start, (word.span.start + eq).min(word.span.end)),
            },
            value: Some(Word {
                text: CompactString::from(&word.text[eq + 1..]),
                span: Span::new((word.span.start + eq + 1).min(word.span.end), word.span.end),
            }),
        },
        None => KeyValue {
            key: word.clone(),
            value: None,
        },
    }
}

/// Where the first `=` is. Keys and flag names are short: a byte loop beats the
/// general substring search here.
fn find_equals(text: &str) -> Option<usize> {
    text.bytes().position(|b| b == b'=')
}

/// `# name = value` (BuildKit's `reDirective`); returns the name and the value's range.
fn match_directive(text: &str) -> Option<(&str, (usize, usize))> {
    let rest = text.strip_prefix('#')?;
    let after_hash = 1 + rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let name_len = text[after_hash..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(text.len() - after_hash);
    let name = &text[after_hash..after_hash + name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after_name = &text[after_hash + name_len..];
    let eq_at =
        after_hash + name_len + after_name.len() - after_name.trim_start_matches([' ', '\t']).len();
    if !text[eq_at..].starts_with('=') {
        return None;
    }
    let value_part = &text[eq_at + 1..];
    let value_start =
        eq_at + 1 + value_part.len() - value_part.trim_start_matches([' ', '\t']).len();
    let value_end = trim_end_blanks(text).len();
    if value_end <= value_start {
        return None;
    }
    Some((name, (value_start, value_end)))
}

fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match (&instruction.keyword, &instruction.trigger) {
        (Keyword::Onbuild, Some(trigger)) => trigger.as_ref(),
        _ => instruction,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && target.args.form != Form::Exec
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
}
