//! From shell text to simple commands, with tree-sitter-bash.
//!
//! We walk the concrete syntax tree once, keeping the context each command
//! runs in (pipeline, condition, branch, substitution), and descend into the
//! scripts that commands hand to other shells (`sh -c`, `eval`, heredocs
//! fed to `sh`) and the commands wrappers run (`sudo`, `xargs`,
//! `find -exec`). Docs: `docs/shell-parser.md` says why tree-sitter-bash.

mod commands;
mod inner;
mod order;
mod redirects;
pub(super) mod tree;

use tree_sitter::Node;

use super::command::{CommandOrigin, PipelinePos, SimpleCommand};
use super::ShellParseError;
use crate::diagnostic::Span;

/// Deepest syntax tree we walk; deeper input is reported, not recursed into,
/// so hostile input cannot overflow the stack.
const MAX_TREE_DEPTH: usize = 200;
/// How many script strings deep we follow `sh -c "sh -c '...'"`.
const MAX_SCRIPT_NESTING: usize = 8;

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
        nesting: 0,
        origin: CommandOrigin::Direct,
    };
    walker.script(&source, Context::default());
    Parsed {
        commands: order::in_source_order(walker.commands),
        error: walker.error,
    }
}

/// One text we parse: the script itself, or a script string nested in it.
struct Source<'t> {
    text: &'t str,
    /// For nested text: the script offset of each byte (plus one past the end).
    map: Option<&'t [usize]>,
    nested: bool,
    /// How many script strings deep the text is (0 for the script).
    nesting: usize,
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
    /// How many syntax-tree levels deep the node is in its text.
    depth: usize,
}

struct Walker<'s> {
    script: &'s str,
    commands: Vec<SimpleCommand>,
    pipelines: usize,
    error: Option<ShellParseError>,
}

impl Walker<'_> {
    fn script(&mut self, source: &Source<'_>, context: Context) {
        let Some(tree) = tree::parse_tree(source.text) else {
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
            if let Some((node, message)) = tree::first_syntax_error(root, source.text) {
                self.record_error(source, node.start_byte(), node.end_byte(), message);
            }
        }
        self.visit(
            root,
            source,
            Context {
                depth: 0,
                ..context
            },
        );
    }

    fn record_error(&mut self, source: &Source<'_>, start: usize, end: usize, message: String) {
        if self.error.is_none() {
            self.error = Some(ShellParseError {
                message,
                span: source.span(start, end),
            });
        }
    }

    fn visit(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
        if context.depth > MAX_TREE_DEPTH {
            self.record_error(
                source,
                node.start_byte(),
                node.end_byte(),
                "shell text nested too deeply to analyze".to_string(),
            );
            return;
        }
        let context = Context {
            depth: context.depth + 1,
            ..context
        };
        match node.kind() {
            "comment" => {}
            "ERROR" if !tree::contains_command(node) => self.unparsed(node, source, context),
            "command" => {
                self.command(node, source, context);
            }
            "declaration_command" | "unset_command" => {
                self.declaration(node, source, context);
            }
            "pipeline" => self.pipeline(node, source, context),
            "list" => {
                for (child, after_or) in children_after_or(node) {
                    let mut inner = context;
                    inner.conditional |= after_or;
                    self.visit(child, source, inner);
                }
            }
            "if_statement" | "elif_clause" => self.branches(node, source, context),
            "else_clause" | "case_item" | "function_definition" | "c_style_for_statement" => {
                let inner = Context {
                    conditional: true,
                    ..context
                };
                self.visit_children(node, source, inner);
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
                    self.visit(child, source, inner);
                }
            }
            "redirected_statement" => self.redirected(node, source, context),
            "command_substitution" | "process_substitution" => {
                let inner = Context {
                    substitution: Some(context.current_command),
                    pipeline: None,
                    current_command: None,
                    ..context
                };
                self.visit_children(node, source, inner);
            }
            _ => self.visit_children(node, source, context),
        }
    }

    fn visit_children(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            self.visit(child, source, context);
        }
    }

    /// `if`/`elif`: the statements before `then` are the condition, the
    /// others a branch.
    fn branches(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
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
            self.visit(child, source, inner);
        }
    }

    fn pipeline(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
        let stages = pipeline_stages(node);
        let first = PipelinePos {
            index: self.new_pipeline(),
            position: 0,
            len: stages.len(),
        };
        self.visit_stages(stages, source, context, first);
    }

    /// Numbers a new pipeline.
    fn new_pipeline(&mut self) -> usize {
        self.pipelines += 1;
        self.pipelines - 1
    }

    /// Visits pipeline stages, the first at `first`, the others after it.
    fn visit_stages(
        &mut self,
        stages: Vec<Node<'_>>,
        source: &Source<'_>,
        context: Context,
        first: PipelinePos,
    ) {
        for (offset, stage) in stages.into_iter().enumerate() {
            let inner = Context {
                pipeline: Some(PipelinePos {
                    position: first.position + offset,
                    ..first
                }),
                ..context
            };
            self.visit(stage, source, inner);
        }
    }

    /// Visits a statement and returns the index of the command it is, if it
    /// is a simple command.
    fn statement(
        &mut self,
        node: Node<'_>,
        source: &Source<'_>,
        context: Context,
    ) -> Option<usize> {
        match node.kind() {
            "command" => {
                let deeper = Context {
                    depth: context.depth + 1,
                    ..context
                };
                self.command(node, source, deeper)
            }
            _ => {
                self.visit(node, source, context);
                None
            }
        }
    }
}

/// The stages of a pipeline node: its named children but comments.
fn pipeline_stages(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    let stages = node
        .named_children(&mut cursor)
        .filter(|child| child.kind() != "comment")
        .collect();
    stages
}

/// A node's children but `&&` and `||`, each with whether it comes after
/// `||` (and so may not run).
fn children_after_or(node: Node<'_>) -> Vec<(Node<'_>, bool)> {
    let mut after_or = false;
    let mut children = Vec::new();
    let mut cursor = node.walk();
    for child in node.children(&mut cursor) {
        match child.kind() {
            "||" => after_or = true,
            "&&" => after_or = false,
            _ => children.push((child, after_or)),
        }
    }
    children
}
