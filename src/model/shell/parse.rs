//! From shell text to simple commands, with tree-sitter-bash.
//!
//! We walk the concrete syntax tree once, keeping the context each command
//! runs in (pipeline, condition, branch, substitution), and descend into the
//! scripts that commands hand to other shells (`sh -c`, `eval`, heredocs
//! fed to `sh`) and the commands wrappers run (`sudo`, `xargs`,
//! `find -exec`). Docs: `docs/shell-parser.md` says why tree-sitter-bash.

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

use super::command::{CommandOrigin, PipelinePos, ShellWord, SimpleCommand};
use super::fallback;
use super::nested::{self, Inner};
use super::word::{self, Cooked};
use super::ShellParseError;
use crate::diagnostic::Span;

/// Deepest syntax tree we walk; deeper input is reported, not recursed into,
/// so hostile input cannot overflow the stack.
const MAX_TREE_DEPTH: usize = 200;
/// How many script strings deep we follow `sh -c "sh -c '...'"`.
const MAX_SCRIPT_NESTING: usize = 8;

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

fn new_parser() -> Option<Parser> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .ok()?;
    Some(parser)
}

/// Parses shell text, reusing this thread's parser.
///
/// tree-sitter-bash 0.25's scanner crashes (SIGSEGV) on some characters
/// above U+E0000 after `{` (found by the property test), so the grammar only
/// ever sees ASCII: each other character is replaced by as many `x` bytes
/// as it takes. Offsets stay the same and such characters are word
/// characters to the shell anyway; values are read from the original text.
pub(super) fn parse_tree(text: &str) -> Option<Tree> {
    let ascii;
    let text = if text.is_ascii() {
        text
    } else {
        ascii = ascii_placeholders(text);
        ascii.as_str()
    };
    PARSER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            if slot.is_none() {
                *slot = new_parser();
            }
            slot.as_mut()?.parse(text, None)
        }
        // Re-entered: use a fresh parser rather than fail.
        Err(_) => new_parser()?.parse(text, None),
    })
}

/// `text` with every non-ASCII character replaced by `x`s of the same byte length.
fn ascii_placeholders(text: &str) -> String {
    text.chars()
        .flat_map(|ch| {
            let (ch, count) = if ch.is_ascii() {
                (ch, 1)
            } else {
                ('x', ch.len_utf8())
            };
            std::iter::repeat_n(ch, count)
        })
        .collect()
}

/// The commands of a script, in source order, and the first syntax error.
pub(super) struct Parsed {
    pub commands: Vec<SimpleCommand>,
    pub error: Option<ShellParseError>,
}

pub(super) fn parse(script: &str) -> Parsed {
    let mut walker = Walker {
        script,
        commands: Vec::new(),
        pipelines: 0,
        error: None,
    };
    let source = Source {
        text: script,
        map: None,
        nested: false,
        origin: CommandOrigin::Direct,
    };
    walker.script(&source, Context::default(), 0);
    Parsed {
        commands: in_source_order(walker.commands),
        error: walker.error,
    }
}

/// One text we parse: the script itself, or a script string nested in it.
struct Source<'t> {
    text: &'t str,
    /// For nested text: the script offset of each byte (plus one past the end).
    map: Option<&'t [usize]>,
    nested: bool,
    /// The origin of the commands written directly in this text.
    origin: CommandOrigin,
}

impl Source<'_> {
    fn offset(&self, at: usize) -> usize {
        match self.map {
            None => at,
            Some(map) => map.get(at).or(map.last()).copied().unwrap_or(0),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let mapped_start = self.offset(start);
        let mapped_end = if end > start {
            self.offset(end - 1) + 1
        } else {
            mapped_start
        };
        Span::new(mapped_start, mapped_end.max(mapped_start))
    }
}

/// What holds for the commands under a node.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    in_condition: bool,
    conditional: bool,
    pipeline: Option<PipelinePos>,
    /// Set inside `$(...)`: the command whose word holds it, if any.
    substitution: Option<Option<usize>>,
    /// The command whose words we are in.
    current_command: Option<usize>,
}

struct Walker<'s> {
    script: &'s str,
    commands: Vec<SimpleCommand>,
    pipelines: usize,
    error: Option<ShellParseError>,
}

impl Walker<'_> {
    fn script(&mut self, source: &Source<'_>, context: Context, nesting: usize) {
        let Some(tree) = parse_tree(source.text) else {
            self.record_error(
                source,
                0,
                source.text.len(),
                "the shell parser gave up".to_string(),
            );
            return;
        };
        let root = tree.root_node();
        if root.has_error() {
            self.report_first_error(root, source);
        }
        self.visit(root, source, context, nesting, 0);
    }

    fn record_error(&mut self, source: &Source<'_>, start: usize, end: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(ShellParseError {
                message,
                span: source.span(start, end),
            });
        }
    }

    fn report_first_error(&mut self, root: Node<'_>, source: &Source<'_>) {
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            if node.is_missing() {
                let message = format!("missing `{}`", node.kind());
                self.record_error(source, node.start_byte(), node.end_byte(), message);
                return;
            }
            if node.is_error() {
                let text = source
                    .text
                    .get(node.start_byte()..node.end_byte())
                    .unwrap_or("");
                let excerpt: String = text
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(20)
                    .collect();
                let message = if excerpt.is_empty() {
                    "shell syntax error".to_string()
                } else {
                    format!("shell syntax error near `{excerpt}`")
                };
                self.record_error(source, node.start_byte(), node.end_byte(), message);
                return;
            }
            let descend = node.has_error() && cursor.goto_first_child();
            if !descend {
                while !cursor.goto_next_sibling() {
                    if !cursor.goto_parent() {
                        return;
                    }
                }
            }
        }
    }

    fn visit(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
        if depth > MAX_TREE_DEPTH {
            self.record_error(
                source,
                node.start_byte(),
                node.end_byte(),
                "shell text nested too deeply to analyze".to_string(),
            );
            return;
        }
        let depth = depth + 1;
        match node.kind() {
            "comment" => {}
            "ERROR" if !contains_command(node) => self.unparsed(node, source, context, nesting),
            "command" => {
                self.command(node, source, context, nesting, depth);
            }
            "declaration_command" | "unset_command" => {
                self.declaration(node, source, context, nesting, depth);
            }
            "pipeline" => self.pipeline(node, source, context, nesting, depth),
            "list" => {
                let mut after_or = false;
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    match child.kind() {
                        "||" => after_or = true,
                        "&&" => after_or = false,
                        _ => {
                            let mut inner = context;
                            inner.conditional |= after_or;
                            self.visit(child, source, inner, nesting, depth);
                        }
                    }
                }
            }
            "if_statement" | "elif_clause" => self.branches(node, source, context, nesting, depth),
            "else_clause" | "case_item" | "function_definition" | "c_style_for_statement" => {
                let inner = Context {
                    conditional: true,
                    ..context
                };
                self.visit_children(node, source, inner, nesting, depth);
            }
            "while_statement" => {
                let mut cursor = node.walk();
                for child in node.children(&mut cursor) {
                    let mut inner = context;
                    if child.kind() == "do_group" {
                        inner.conditional = true;
                    } else {
                        inner.in_condition = true;
                    }
                    self.visit(child, source, inner, nesting, depth);
                }
            }
            "redirected_statement" => self.redirected(node, source, context, nesting, depth),
            "command_substitution" | "process_substitution" => {
                let inner = Context {
                    substitution: Some(context.current_command),
                    pipeline: None,
                    current_command: None,
                    ..context
                };
                self.visit_children(node, source, inner, nesting, depth);
            }
            _ => self.visit_children(node, source, context, nesting, depth),
        }
    }

    fn visit_children(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            self.visit(child, source, context, nesting, depth);
        }
    }

    /// `if`/`elif`: the statements before `then` are the condition, the
    /// others a branch.
    fn branches(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
        let in_elif = node.kind() == "elif_clause";
        let mut in_body = false;
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.kind() == "then" {
                in_body = true;
                continue;
            }
            let mut inner = context;
            if matches!(child.kind(), "elif_clause" | "else_clause") || in_body {
                inner.conditional = true;
            } else {
                inner.in_condition = true;
                inner.conditional |= in_elif;
            }
            self.visit(child, source, inner, nesting, depth);
        }
    }

    fn pipeline(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
        let mut cursor = node.walk();
        let stages: Vec<Node<'_>> = node
            .named_children(&mut cursor)
            .filter(|child| child.kind() != "comment")
            .collect();
        let index = self.pipelines;
        self.pipelines += 1;
        for (position, stage) in stages.iter().enumerate() {
            let inner = Context {
                pipeline: Some(PipelinePos {
                    index,
                    position,
                    len: stages.len(),
                }),
                ..context
            };
            self.visit(*stage, source, inner, nesting, depth);
        }
    }

    /// `body > file`, `body <<EOF`. tree-sitter puts `cat <<EOF | sh` and
    /// `cat <<EOF && x` inside the heredoc redirect; we restore the pipeline.
    fn redirected(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
        let heredoc_pipeline = children
            .iter()
            .filter(|child| child.kind() == "heredoc_redirect")
            .find_map(|redirect| {
                let mut cursor = redirect.walk();
                let found = redirect
                    .named_children(&mut cursor)
                    .find(|c| c.kind() == "pipeline");
                found
            });
        let mut body_context = context;
        let mut tail_pipeline = None;
        if let Some(tail) = heredoc_pipeline {
            let mut cursor = tail.walk();
            let tail_stages = tail
                .named_children(&mut cursor)
                .filter(|c| c.kind() != "comment")
                .count();
            let index = self.pipelines;
            self.pipelines += 1;
            let len = tail_stages + 1;
            body_context.pipeline = Some(PipelinePos {
                index,
                position: 0,
                len,
            });
            tail_pipeline = Some((tail, index, len));
        }

        let mut body_command = None;
        for child in &children {
            if node.child_by_field_name("body") == Some(*child) {
                body_command = self.statement(*child, source, body_context, nesting, depth);
                break;
            }
        }
        for child in &children {
            if node.child_by_field_name("body") == Some(*child) {
                continue;
            }
            match child.kind() {
                "heredoc_redirect" | "herestring_redirect" => {
                    self.redirect(
                        *child,
                        source,
                        context,
                        body_command,
                        tail_pipeline,
                        nesting,
                        depth,
                    );
                }
                _ => {
                    let inner = Context {
                        current_command: body_command,
                        ..context
                    };
                    self.visit(*child, source, inner, nesting, depth);
                }
            }
        }
    }

    /// Visits a statement and returns the index of the command it is, if it
    /// is a simple command.
    fn statement(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) -> Option<usize> {
        match node.kind() {
            "command" => self.command(node, source, context, nesting, depth + 1),
            _ => {
                self.visit(node, source, context, nesting, depth);
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn redirect(
        &mut self,
        redirect: Node<'_>,
        source: &Source<'_>,
        context: Context,
        body_command: Option<usize>,
        tail_pipeline: Option<(Node<'_>, usize, usize)>,
        nesting: usize,
        depth: usize,
    ) {
        let word_context = Context {
            current_command: body_command,
            ..context
        };
        let mut after_or = false;
        let mut cursor = redirect.walk();
        for child in redirect.children(&mut cursor) {
            match child.kind() {
                "||" => after_or = true,
                "&&" => after_or = false,
                "pipeline" if tail_pipeline.is_some_and(|(tail, _, _)| tail == child) => {
                    let Some((_, index, len)) = tail_pipeline else {
                        continue;
                    };
                    let mut stages = child.walk();
                    let stages: Vec<Node<'_>> = child
                        .named_children(&mut stages)
                        .filter(|c| c.kind() != "comment")
                        .collect();
                    for (offset, stage) in stages.into_iter().enumerate() {
                        let inner = Context {
                            pipeline: Some(PipelinePos {
                                index,
                                position: offset + 1,
                                len,
                            }),
                            ..context
                        };
                        self.visit(stage, source, inner, nesting, depth);
                    }
                }
                "heredoc_body" | "simple_heredoc_body" => {
                    self.visit(child, source, word_context, nesting, depth);
                    self.stdin_script(child, source, context, body_command, nesting);
                }
                kind if redirect.kind() == "herestring_redirect"
                    && child.is_named()
                    && kind != "file_descriptor" =>
                {
                    self.visit(child, source, word_context, nesting, depth);
                    self.stdin_script(child, source, context, body_command, nesting);
                }
                _ if child.is_named() => {
                    let inner = Context {
                        conditional: context.conditional || after_or,
                        current_command: if after_or { None } else { body_command },
                        ..context
                    };
                    self.visit(child, source, inner, nesting, depth);
                }
                _ => {}
            }
        }
    }

    /// A heredoc or here-string fed to `sh`/`bash`: its text is a script.
    fn stdin_script(
        &mut self,
        body: Node<'_>,
        source: &Source<'_>,
        context: Context,
        command: Option<usize>,
        nesting: usize,
    ) {
        let Some(index) = command else { return };
        let Some(cmd) = self.commands.get(index) else {
            return;
        };
        if !nested::is_shell(cmd.program()) || !nested::shell_reads_stdin(&cmd.args) {
            return;
        }
        let cooked = word::cook(body, source.text);
        self.nested_script(cooked, source, context, index, nesting);
    }

    fn command(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
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
            self.add_command(parts, source, context, nesting)
        });
        let word_context = Context {
            current_command: index,
            ..context
        };
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.kind() == "herestring_redirect" {
                self.redirect(child, source, context, index, None, nesting, depth);
            } else {
                self.visit(child, source, word_context, nesting, depth);
            }
        }
        index
    }

    /// `export A=1`, `local x`, `unset Y`: builtins tree-sitter gives their
    /// own node; we keep them as commands named by the keyword.
    fn declaration(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
        depth: usize,
    ) {
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
        let index = self.add_command(parts, source, context, nesting);
        let word_context = Context {
            current_command: Some(index),
            ..context
        };
        for child in children.iter().skip(1) {
            self.visit(*child, source, word_context, nesting, depth);
        }
    }

    /// Text the grammar rejected: split it conservatively so its commands
    /// are not lost. Used only for error regions the parser recovered no
    /// command from.
    fn unparsed(&mut self, node: Node<'_>, source: &Source<'_>, context: Context, nesting: usize) {
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
            self.add_command(parts, source, inner, nesting);
        }
        self.pipelines += pipeline_groups;
    }

    /// Records a simple command, then what it runs through its arguments.
    fn add_command(
        &mut self,
        parts: CommandParts,
        source: &Source<'_>,
        context: Context,
        nesting: usize,
    ) -> usize {
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
        self.inner_commands(index, &cooked_args, source, context, nesting);
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

    fn push(&mut self, command: SimpleCommand) -> usize {
        self.commands.push(command);
        self.commands.len() - 1
    }

    /// The scripts and commands that command `index` runs through its arguments.
    fn inner_commands(
        &mut self,
        index: usize,
        cooked_args: &[Cooked],
        source: &Source<'_>,
        context: Context,
        nesting: usize,
    ) {
        let Some(command) = self.commands.get(index) else {
            return;
        };
        let found = nested::inner(command.program(), &command.args);
        for inner in found {
            match inner {
                Inner::Script { args, skip } => {
                    let Some(words) = cooked_args.get(args) else {
                        continue;
                    };
                    let Some(script) = join_script(words, skip) else {
                        continue;
                    };
                    self.nested_script(script, source, context, index, nesting);
                }
                Inner::Command { args, env } => {
                    self.delegated(index, args, env, cooked_args, source, context, nesting);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn delegated(
        &mut self,
        outer: usize,
        args: std::ops::Range<usize>,
        env: Vec<(String, String)>,
        cooked_args: &[Cooked],
        source: &Source<'_>,
        context: Context,
        nesting: usize,
    ) {
        let Some(outer_command) = self.commands.get(outer) else {
            return;
        };
        let Some(words) = outer_command.args.get(args.clone()) else {
            return;
        };
        let Some((name, rest)) = words.split_first() else {
            return;
        };
        let span = rest
            .last()
            .map_or(name.span, |last| name.span.cover(last.span));
        let mut assignments = outer_command.assignments.clone();
        assignments.extend(env);
        let command = SimpleCommand {
            name: name.text.clone(),
            name_span: name.span,
            args: rest.to_vec(),
            assignments,
            span,
            pipeline: outer_command.pipeline,
            in_condition: outer_command.in_condition,
            conditional: outer_command.conditional,
            nested: true,
            origin: CommandOrigin::Delegated { command: outer },
        };
        let index = self.push(command);
        if nesting < MAX_SCRIPT_NESTING {
            let inner_cooked = cooked_args.get(args.start + 1..args.end).unwrap_or(&[]);
            self.inner_commands(index, inner_cooked, source, context, nesting + 1);
        }
    }

    /// Parses a script held in a word and adds its commands, with spans
    /// mapped back to the analyzed script.
    fn nested_script(
        &mut self,
        script: Cooked,
        source: &Source<'_>,
        context: Context,
        command: usize,
        nesting: usize,
    ) {
        if nesting >= MAX_SCRIPT_NESTING {
            return;
        }
        let Some(text) = without_substitutions(&script) else {
            return;
        };
        if !has_literal_command_text(&text) {
            return;
        }
        let map: Vec<usize> = script.map.iter().map(|&at| source.offset(at)).collect();
        let inner_source = Source {
            text: &text,
            map: Some(&map),
            nested: true,
            origin: CommandOrigin::ScriptString { command },
        };
        let inner_context = Context {
            pipeline: None,
            substitution: None,
            current_command: None,
            ..context
        };
        self.script(&inner_source, inner_context, nesting + 1);
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

/// The words of `eval a b` joined by spaces into one script (each space
/// mapped to the gap before the next word).
fn join_script(words: &[Cooked], skip: usize) -> Option<Cooked> {
    let (first, rest) = words.split_first()?;
    let mut script = Cooked {
        value: first.value.get(skip..)?.to_string(),
        map: first.map.get(skip..)?.to_vec(),
        is_static: first.is_static,
        substitutions: first.substitutions.clone(),
    };
    for word in rest {
        let gap = script.source_offset(script.value.len());
        script.push(' ', gap);
        script.append(word.clone());
    }
    Some(script)
}

/// The script text with each `$(...)` of the outer word replaced by a
/// same-length `$___` placeholder: the outer walk already found its commands,
/// and the inner shell only sees its output.
fn without_substitutions(script: &Cooked) -> Option<String> {
    if script.substitutions.is_empty() {
        return Some(script.value.clone());
    }
    let mut bytes = script.value.clone().into_bytes();
    let mut previous_inside = false;
    for (i, byte) in bytes.iter_mut().enumerate() {
        let at = script.map.get(i).copied().unwrap_or(usize::MAX);
        let inside = script
            .substitutions
            .iter()
            .any(|&(start, end)| start <= at && at < end);
        if inside {
            *byte = if previous_inside { b'_' } else { b'$' };
        }
        previous_inside = inside;
    }
    String::from_utf8(bytes).ok()
}

/// Whether a subtree holds a command the parser recognized.
fn contains_command(node: Node<'_>) -> bool {
    let mut cursor = node.walk();
    loop {
        if matches!(
            cursor.node().kind(),
            "command" | "declaration_command" | "unset_command"
        ) {
            return true;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == node {
                return false;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

/// Whether a script string has anything but expansions, e.g. not `sh -c "$CMD"`.
fn has_literal_command_text(text: &str) -> bool {
    let mut in_expansion = false;
    for ch in text.chars() {
        match ch {
            '$' => in_expansion = true,
            c if c.is_alphanumeric() || c == '_' || c == '{' || c == '}' => {
                if !in_expansion {
                    return true;
                }
            }
            c if c.is_whitespace() => in_expansion = false,
            _ => {
                in_expansion = false;
                if !ch.is_ascii_punctuation() {
                    return true;
                }
            }
        }
    }
    false
}

/// Sorts commands by where they start (a command before those nested in it)
/// and renumbers the indices commands refer to each other by.
fn in_source_order(commands: Vec<SimpleCommand>) -> Vec<SimpleCommand> {
    let mut order: Vec<usize> = (0..commands.len()).collect();
    order.sort_by_key(|&i| commands[i].span.start);
    let mut new_index = vec![0; commands.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = new;
    }
    let remap = |index: usize| new_index.get(index).copied().unwrap_or(index);
    let mut slots: Vec<Option<SimpleCommand>> = commands.into_iter().map(Some).collect();
    let mut pipeline_numbers: Vec<(usize, usize)> = Vec::new();
    let mut sorted = Vec::with_capacity(slots.len());
    for old in order {
        let Some(mut command) = slots.get_mut(old).and_then(Option::take) else {
            continue;
        };
        command.origin = match command.origin {
            CommandOrigin::Direct => CommandOrigin::Direct,
            CommandOrigin::Substitution { command } => CommandOrigin::Substitution {
                command: command.map(remap),
            },
            CommandOrigin::ScriptString { command } => CommandOrigin::ScriptString {
                command: remap(command),
            },
            CommandOrigin::Delegated { command } => CommandOrigin::Delegated {
                command: remap(command),
            },
        };
        // Number pipelines in order of appearance.
        if let Some(pipeline) = command.pipeline.as_mut() {
            let number = match pipeline_numbers
                .iter()
                .find(|(old, _)| *old == pipeline.index)
            {
                Some(&(_, number)) => number,
                None => {
                    let number = pipeline_numbers.len();
                    pipeline_numbers.push((pipeline.index, number));
                    number
                }
            };
            pipeline.index = number;
        }
        sorted.push(command);
    }
    sorted
}
