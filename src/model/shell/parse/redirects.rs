//! Redirections: heredocs and here-strings, the pipelines tree-sitter hides
//! in them, and scripts fed to a shell on its standard input.

use tree_sitter::Node;

use super::super::command::PipelinePos;
use super::super::nested;
use super::super::word;
use super::{children_after_or, pipeline_stages, Context, Source, Walker};

impl Walker<'_> {
    /// `body > file`, `body <<EOF`. tree-sitter puts `cat <<EOF | sh` and
    /// `cat <<EOF && x` inside the heredoc redirect; we restore the pipeline.
    pub(super) fn redirected(&mut self, node: Node<'_>, source: &Source<'_>, context: Context) {
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
            let len = pipeline_stages(tail).len() + 1;
            let body = PipelinePos {
                index: self.new_pipeline(),
                position: 0,
                len,
            };
            body_context.pipeline = Some(body);
            tail_pipeline = Some((
                tail,
                PipelinePos {
                    position: 1,
                    ..body
                },
            ));
        }

        let mut body_command = None;
        for child in &children {
            if node.child_by_field_name("body") == Some(*child) {
                body_command = self.statement(*child, source, body_context);
                break;
            }
        }
        for child in &children {
            if node.child_by_field_name("body") == Some(*child) {
                continue;
            }
            match child.kind() {
                "heredoc_redirect" | "herestring_redirect" => {
                    self.redirect(*child, source, context, body_command, tail_pipeline);
                }
                _ => {
                    let inner = Context {
                        current_command: body_command,
                        ..context
                    };
                    self.visit(*child, source, inner);
                }
            }
        }
    }

    /// The words and heredoc of one redirection; `tail_pipeline` is the
    /// pipeline tree-sitter put in a heredoc redirect and where its first stage sits.
    pub(super) fn redirect(
        &mut self,
        redirect: Node<'_>,
        source: &Source<'_>,
        context: Context,
        body_command: Option<usize>,
        tail_pipeline: Option<(Node<'_>, PipelinePos)>,
    ) {
        let word_context = Context {
            current_command: body_command,
            ..context
        };
        for (child, after_or) in children_after_or(redirect) {
            match child.kind() {
                "pipeline" if tail_pipeline.is_some_and(|(tail, _)| tail == child) => {
                    let Some((_, first)) = tail_pipeline else {
                        continue;
                    };
                    self.visit_stages(pipeline_stages(child), source, context, first);
                }
                "heredoc_body" | "simple_heredoc_body" => {
                    self.visit(child, source, word_context);
                    self.stdin_script(child, source, context, body_command);
                }
                kind if redirect.kind() == "herestring_redirect"
                    && child.is_named()
                    && kind != "file_descriptor" =>
                {
                    self.visit(child, source, word_context);
                    self.stdin_script(child, source, context, body_command);
                }
                _ if child.is_named() => {
                    let inner = Context {
                        conditional: context.conditional || after_or,
                        current_command: if after_or { None } else { body_command },
                        ..context
                    };
                    self.visit(child, source, inner);
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
    ) {
        let Some(index) = command else { return };
        let Some(cmd) = self.commands.get(index) else {
            return;
        };
        if !nested::is_shell(cmd.program()) || !nested::shell_reads_stdin(&cmd.args) {
            return;
        }
        let cooked = word::cook(body, source.text);
        self.nested_script(cooked, source, context, index, source.nesting);
    }
}
