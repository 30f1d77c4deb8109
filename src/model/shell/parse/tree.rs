//! Running tree-sitter-bash: this thread's parser, input it cannot crash on,
//! and questions about the tree it gives (its first syntax error, whether a
//! region holds a command).

use std::cell::RefCell;

use tree_sitter::{Node, Parser, Tree};

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
pub(in super::super) fn parse_tree(text: &str) -> Option<Tree> {
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

/// The first missing token or error region of a tree that has an error:
/// the node and what to say about it.
pub(super) fn first_syntax_error<'t>(root: Node<'t>, text: &str) -> Option<(Node<'t>, String)> {
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        if node.is_missing() {
            return Some((node, format!("missing `{}`", node.kind())));
        }
        if node.is_error() {
            let found = text.get(node.start_byte()..node.end_byte()).unwrap_or("");
            let excerpt: String = found
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
            return Some((node, message));
        }
        let descend = node.has_error() && cursor.goto_first_child();
        if !descend {
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return None;
                }
            }
        }
    }
}

/// Whether a subtree holds a command the parser recognized.
pub(super) fn contains_command(node: Node<'_>) -> bool {
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
