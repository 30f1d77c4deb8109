//! Recording simple commands: from `command` and declaration nodes, and
//! from text the grammar rejected.

use tree_sitter::Node;

use super::super::command::{CommandOrigin, PipelinePos, ShellWord, SimpleCommand};
use super::super::fallback;
use super::super::nested;
use super::super::word::{self, Cooked};
use super::{Context, Source, Walker};

impl Walker<'_> {
    pub(super) fn command(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
    ) -> Option<usize> {
        let mut name = None;
        let mut args = Vec::new();
        let mut assignments = Vec::new();
        let mut cursor = node.walk();
        for (i, child) in node.children(&mut cursor).enumerate() {
            match u32::try_from(i)
                .ok()
                .and_then(|i| node.field_name_for_child(i))
            {
                Some("name") => name = Some(LocatedWord::of(child, source.text)),
                Some("argument") => args.push(LocatedWord::of(child, source.text)),
                _ if child.kind() == "variable_assignment" => {
                    assignments.push(assignment(child, source.text))
                }
                _ => {}
            }
        }
        let index = name.map(|name| {
            let parts = CommandParts {
                start: node.start_byte(),
                end: node.end_byte(),
                name,
                args,
                assignments,
            };
            self.add_command(parts, source, context)
        });
        let word_context = Context {
            current_command: index,
            ..context
        };
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.kind() == "herestring_redirect" {
                self.redirect(child, source, context, index, None);
            } else {
                self.visit(child, source, word_context);
            }
        }
        index
    }

    /// `export A=1`, `local x`, `unset Y`: builtins tree-sitter gives their
    /// own node; we keep them as commands named by the keyword.
    pub(super) fn declaration(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        let Some(keyword) = children.first().copied() else {
            return;
        };
        let args = children
            .iter()
            .skip(1)
            .filter(|child| child.is_named() && child.kind() != "comment")
            .map(|child| LocatedWord::of(*child, source.text))
            .collect();
        let parts = CommandParts {
            start: node.start_byte(),
            end: node.end_byte(),
            name: LocatedWord::of(keyword, source.text),
            args,
            assignments: Vec::new(),
        };
        let index = self.add_command(parts, source, context);
        let word_context = Context {
            current_command: Some(index),
            ..context
        };
        for child in children.iter().skip(1) {
            self.visit(*child, source, word_context);
        }
    }

    /// Text the grammar rejected: split it conservatively so its commands
    /// are not lost. Used only for error regions the parser recovered no
    /// command from.
    pub(super) fn unparsed(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
        let text = source
            .text
            .get(node.start_byte()..node.end_byte())
            .unwrap_or("");
        let rough_commands = fallback::split(text, node.start_byte());
        let pipeline_groups = rough_commands
            .iter()
            .filter_map(|rough| rough.pipeline.map(|(group, _, _)| group + 1))
            .max()
            .unwrap_or(0);
        for rough in rough_commands {
            let Some(start) = rough.words.first().map(|word| word.start) else {
                continue;
            };
            let mut words = rough.words.into_iter().map(LocatedWord::from).peekable();
            let mut assignments = Vec::new();
            while let Some(assignment) = words
                .peek()
                .and_then(|word| nested::parse_assignment(&word.cooked.value))
            {
                assignments.push(assignment);
                words.next();
            }
            let Some(name) = words.next() else { continue };
            let args: Vec<LocatedWord> = words.collect();
            let end = args.last().map_or(name.end, |last| last.end);
            let mut inner = context;
            if let Some((group, position, len)) = rough.pipeline {
                inner.pipeline = Some(PipelinePos {
                    index: self.pipelines + group,
                    position,
                    len,
                });
            }
            let parts = CommandParts {
                start,
                end,
                name,
                args,
                assignments,
            };
            self.add_command(parts, source, inner);
        }
        self.pipelines += pipeline_groups;
    }

    /// Records a simple command, then what it runs through its arguments.
    fn add_command(&mut self, parts: CommandParts, source: &Source<'_>, context: Context) -> usize {
        let origin = match context.substitution {
            Some(command) => CommandOrigin::Substitution { command },
            None => source.origin,
        };
        let args = parts
            .args
            .iter()
            .map(|word| self.word(word, source))
            .collect();
        let command = SimpleCommand {
            name: parts.name.cooked.value.clone(),
            name_span: source.span(parts.name.start, parts.name.end),
            args,
            assignments: parts.assignments,
            span: source.span(parts.start, parts.end),
            pipeline: context.pipeline,
            in_condition: context.in_condition,
            conditional: context.conditional,
            nested: source.nested,
            origin,
        };
        let index = self.push(command);
        let cooked_args: Vec<Cooked> = parts.args.into_iter().map(|word| word.cooked).collect();
        self.inner_commands(index, &cooked_args, source, context, source.nesting);
        index
    }

    fn word(&self, word: &LocatedWord, source: &Source<'_>) -> ShellWord {
        let span = source.span(word.start, word.end);
        ShellWord {
            text: word.cooked.value.clone(),
            raw: self
                .script
                .get(span.start..span.end)
                .unwrap_or("")
                .to_string(),
            span,
            is_static: word.cooked.is_static,
        }
    }

    pub(super) fn push(&mut self, command: SimpleCommand) -> usize {
        self.commands.push(command);
        self.commands.len() - 1
    }
}

/// A word with its source range in the text being parsed.
struct LocatedWord {
    cooked: Cooked,
    start: usize,
    end: usize,
}

impl LocatedWord {
    fn of(node: Node<'_>, text: &str) -> Self {
        LocatedWord {
            cooked: word::cook(node, text),
            start: node.start_byte(),
            end: node.end_byte(),
        }
    }
}

impl From<fallback::RoughWord> for LocatedWord {
    fn from(word: fallback::RoughWord) -> Self {
        LocatedWord {
            cooked: word.cooked,
            start: word.start,
            end: word.end,
        }
    }
}

/// A simple command before it is recorded; offsets are in the parsed text.
struct CommandParts {
    start: usize,
    end: usize,
    name: LocatedWord,
    args: Vec<LocatedWord>,
    assignments: Vec<(String, String)>,
}

/// `NAME=value` in front of a command: the name and the value's text.
fn assignment(node: Node<'_>, text: &str) -> (String, String) {
    let name = node
        .child_by_field_name("name")
        .and_then(|name| text.get(name.start_byte()..name.end_byte()))
        .unwrap_or("")
        .to_string();
    let value = node
        .child_by_field_name("value")
        .map(|value| word::cook(value, text).value)
        .unwrap_or_default();
    (name, value)
}
