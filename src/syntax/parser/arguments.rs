//! The arguments of an instruction, split the way BuildKit splits them for its keyword.

use compact_str::CompactString;

use super::{find_equals, Parser};
use crate::diagnostic::Span;
use crate::syntax::ast::{Arguments, Form, KeyValue, Keyword, Word};
use crate::syntax::logical_line::LogicalLine;
use crate::syntax::words::json::{parse_json_array, JsonArgs};
use crate::syntax::words::{
    find_line_space, is_space, leading_line_space, parse_words, split_whitespace, trim_start_space,
    RawWord,
};

impl Parser<'_> {
    pub(super) fn arguments(
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
                    let raw = parse_words(text, self.escape, 0);
                    // The `=` is found in the logical line and mapped back: a word can
                    // cross a line continuation, so word start + index is not its place.
                    pairs = raw
                        .iter()
                        .map(|w| {
                            split_pair(&w.text, |from, to| {
                                logical.span(offset + w.start + from, offset + w.start + to)
                            })
                        })
                        .collect();
                    (Form::Shell, raw.into_iter().map(to_word).collect())
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
}

/// `NAME=value` or a bare `NAME`; `span_of` maps a byte range of the word's text to the file.
fn split_pair(text: &str, span_of: impl Fn(usize, usize) -> Span) -> KeyValue {
    let whole = Word {
        text: CompactString::from(text),
        span: span_of(0, text.len()),
    };
    match find_equals(text) {
        Some(eq) => KeyValue {
            key: Word {
                text: CompactString::from(&text[..eq]),
                span: span_of(0, eq),
            },
            value: Some(Word {
                text: CompactString::from(&text[eq + 1..]),
                span: span_of(eq + 1, text.len()),
            }),
        },
        None => KeyValue {
            key: whole,
            value: None,
        },
    }
}
