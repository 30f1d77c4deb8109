//! Splitting a package manager's arguments into options and operands.

use super::super::command::{Arg, ArgReader, ShellWord};
use super::PackageFlag;

/// How a manager's command line is read.
pub(super) struct Grammar {
    /// Long options (or Go's single-dash ones) whose value may be the next word.
    pub(super) long_values: &'static [&'static str],
    /// Short option letters whose value is the rest of the word or the next word.
    pub(super) short_values: &'static str,
    /// Options are `-name` (Go), never clusters of letters.
    pub(super) single_dash_long: bool,
}

/// A command line split into options and operands.
pub(super) struct CommandLine<'w> {
    pub(super) operands: Vec<&'w ShellWord>,
    pub(super) flags: Vec<PackageFlag>,
}

pub(super) fn split_command_line<'w>(args: &'w [ShellWord], grammar: &Grammar) -> CommandLine<'w> {
    let mut operands = Vec::new();
    let mut flags = Vec::new();
    let mut reader = ArgReader::new(args);
    while let Some(arg) = reader.next_arg() {
        let word = match arg {
            Arg::Operand(word) => {
                operands.push(word);
                continue;
            }
            Arg::Option(word) => word,
        };
        let text = word.text.as_str();
        let next = reader.value_word();
        if text.starts_with("--") || grammar.single_dash_long {
            let (name, value) = match text.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (text, None),
            };
            let mut span = word.span;
            let value = match (value, next) {
                (None, Some(next)) if grammar.long_values.contains(&name) => {
                    reader.take_value_word();
                    span = span.cover(next.span);
                    Some(next.text.clone())
                }
                (value, _) => value,
            };
            flags.push(PackageFlag {
                name: name.to_string(),
                value,
                span,
            });
            continue;
        }
        // A cluster of short options; the first that takes a value ends it.
        let cluster = &text[1..];
        let value_at = cluster
            .char_indices()
            .find(|(_, c)| grammar.short_values.contains(*c));
        match value_at {
            Some((at, letter)) => {
                let name_end = 1 + at + letter.len_utf8();
                let rest = &text[name_end..];
                let (value, span) = if !rest.is_empty() {
                    (Some(rest.to_string()), word.span)
                } else if let Some(next) = next {
                    reader.take_value_word();
                    (Some(next.text.clone()), word.span.cover(next.span))
                } else {
                    (None, word.span)
                };
                flags.push(PackageFlag {
                    name: text[..name_end].to_string(),
                    value,
                    span,
                });
            }
            None => flags.push(PackageFlag {
                name: text.to_string(),
                value: None,
                span: word.span,
            }),
        }
    }
    CommandLine { operands, flags }
}
