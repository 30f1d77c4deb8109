//! Words: quote removal with a byte map back to the source.
//!
//! The shell sees `'a'"b"\c` as `abc`. We compute that value for every word,
//! and remember for each byte of it where it came from, so a script nested in
//! a word (`sh -c '...'`) can be parsed and its spans mapped back.

use tree_sitter::Node;

/// Node kinds whose value is only known when the script runs.
const EXPANSIONS: &[&str] = &[
    "simple_expansion",
    "expansion",
    "command_substitution",
    "process_substitution",
    "arithmetic_expansion",
    "brace_expression",
];

/// Node kinds that run commands inside a word.
pub(super) const SUBSTITUTIONS: &[&str] = &["command_substitution", "process_substitution"];

/// A word with its quoting removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Cooked {
    /// Quotes and escapes removed; expansions kept as written.
    pub value: String,
    /// `map[i]` is the source offset of `value`'s byte `i`; one extra entry
    /// holds the offset just past the word.
    pub map: Vec<usize>,
    /// No parameter, command or arithmetic expansion.
    pub is_static: bool,
    /// The source ranges of `$(...)`, backquotes and `<(...)` in the word.
    pub substitutions: Vec<(usize, usize)>,
}

impl Cooked {
    pub(super) fn new(end: usize) -> Self {
        Cooked {
            value: String::new(),
            map: vec![end],
            is_static: true,
            substitutions: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, ch: char, at: usize) {
        let end = self.map.pop().unwrap_or(at);
        let mut buf = [0u8; 4];
        let encoded = ch.encode_utf8(&mut buf);
        for i in 0..encoded.len() {
            self.map.push(at + i);
        }
        self.value.push(ch);
        self.map.push(end);
    }

    /// Copies source text verbatim (each byte maps to itself).
    fn push_verbatim(&mut self, text: &str, at: usize) {
        let end = self.map.pop().unwrap_or(at);
        self.map.extend(at..at + text.len());
        self.value.push_str(text);
        self.map.push(end);
    }

    pub(super) fn append(&mut self, other: Cooked) {
        self.map.pop();
        self.value.push_str(&other.value);
        self.map.extend(other.map);
        self.is_static &= other.is_static;
        self.substitutions.extend(other.substitutions);
    }

    /// The source offset of a byte position in `value` (the end maps past the word).
    pub(super) fn source_offset(&self, index: usize) -> usize {
        self.map
            .get(index)
            .or_else(|| self.map.last())
            .copied()
            .unwrap_or(0)
    }
}

/// Cooks a word node of the tree parsed from `src`.
pub(super) fn cook(node: Node<'_>, src: &str) -> Cooked {
    let mut out = Cooked::new(node.end_byte());
    cook_into(node, src, &mut out);
    out
}

fn node_text<'s>(node: Node<'_>, src: &'s str) -> &'s str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

fn cook_into(node: Node<'_>, src: &str, out: &mut Cooked) {
    let kind = node.kind();
    if EXPANSIONS.contains(&kind) {
        out.is_static = false;
        if SUBSTITUTIONS.contains(&kind) {
            out.substitutions.push((node.start_byte(), node.end_byte()));
        }
        out.push_verbatim(node_text(node, src), node.start_byte());
        return;
    }
    match kind {
        "raw_string" => {
            let text = node_text(node, src);
            let inner = text.strip_prefix('\'').unwrap_or(text);
            let inner = inner.strip_suffix('\'').unwrap_or(inner);
            let at = node.start_byte() + usize::from(text.starts_with('\''));
            out.push_verbatim(inner, at);
        }
        "string" => cook_double_quoted(node, src, out),
        "ansi_c_string" => cook_ansi_c(node, src, out),
        "translated_string" => {
            // `$"..."`: the `$` is dropped, the rest is a double-quoted string.
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                cook_into(child, src, out);
            }
        }
        _ => cook_children(node, src, out, unescape_unquoted),
    }
}

type Unescape = fn(&str, usize, &mut Cooked);

/// Walks a node's children, cooking them, and unescapes the text between them.
fn cook_children(node: Node<'_>, src: &str, out: &mut Cooked, unescape: Unescape) {
    let mut pos = node.start_byte();
    let end = node.end_byte();
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.start_byte() > pos {
            unescape(src.get(pos..child.start_byte()).unwrap_or(""), pos, out);
        }
        cook_into(child, src, out);
        pos = pos.max(child.end_byte());
    }
    if end > pos {
        unescape(src.get(pos..end).unwrap_or(""), pos, out);
    }
}

fn cook_double_quoted(node: Node<'_>, src: &str, out: &mut Cooked) {
    let text = node_text(node, src);
    let start = node.start_byte() + usize::from(text.starts_with('"'));
    let end = if text.len() > 1 && text.ends_with('"') {
        node.end_byte() - 1
    } else {
        node.end_byte()
    };
    let mut pos = start;
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.start_byte() < start || child.end_byte() > end {
            continue;
        }
        if child.start_byte() > pos {
            unescape_double_quoted(src.get(pos..child.start_byte()).unwrap_or(""), pos, out);
        }
        if child.kind() == "string_content" {
            unescape_double_quoted(node_text(child, src), child.start_byte(), out);
        } else {
            cook_into(child, src, out);
        }
        pos = pos.max(child.end_byte());
    }
    if end > pos {
        unescape_double_quoted(src.get(pos..end).unwrap_or(""), pos, out);
    }
}

/// Outside quotes a backslash quotes the next character; before a newline it
/// joins lines.
fn unescape_unquoted(text: &str, at: usize, out: &mut Cooked) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == '\\' {
            match chars.next() {
                Some((_, '\n')) => {}
                Some((j, next)) => out.push(next, at + j),
                None => out.push(ch, at + i),
            }
        } else {
            out.push(ch, at + i);
        }
    }
}

/// Inside double quotes a backslash only quotes `$`, `` ` ``, `"`, `\` and newline.
fn unescape_double_quoted(text: &str, at: usize, out: &mut Cooked) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch == '\\' {
            match chars.peek() {
                Some(&(_, '\n')) => {
                    chars.next();
                }
                Some(&(j, next @ ('$' | '`' | '"' | '\\'))) => {
                    chars.next();
                    out.push(next, at + j);
                }
                _ => out.push(ch, at + i),
            }
        } else {
            out.push(ch, at + i);
        }
    }
}

/// `$'...'`: the common C escapes; each decoded character maps to its backslash.
fn cook_ansi_c(node: Node<'_>, src: &str, out: &mut Cooked) {
    let text = node_text(node, src);
    let inner = text.strip_prefix("$'").unwrap_or(text);
    let inner = inner.strip_suffix('\'').unwrap_or(inner);
    let at = node.start_byte() + if text.starts_with("$'") { 2 } else { 0 };
    let mut chars = inner.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch != '\\' {
            out.push(ch, at + i);
            continue;
        }
        let Some((_, escape)) = chars.next() else {
            out.push(ch, at + i);
            break;
        };
        let decoded = match escape {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'a' => '\u{7}',
            'b' => '\u{8}',
            'e' | 'E' => '\u{1b}',
            'f' => '\u{c}',
            'v' => '\u{b}',
            '0' => '\0',
            other => other,
        };
        out.push(decoded, at + i);
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::tree::parse_tree;
    use super::*;

    /// Cooks the first argument of the single command in `script`.
    fn cook_first_argument(script: &str) -> Cooked {
        let tree = parse_tree(script).expect("tree");
        let mut cursor = tree.walk();
        let mut found = None;
        // Depth-first search for the first `argument` of a `command`.
        'search: loop {
            let node = cursor.node();
            if node.kind() == "command" {
                if let Some(arg) = node.child_by_field_name("argument") {
                    found = Some(cook(arg, script));
                    break 'search;
                }
            }
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    break 'search;
                }
            }
        }
        found.expect("an argument")
    }

    fn assert_map_points_at_source(script: &str, cooked: &Cooked) {
        for (i, ch) in cooked.value.char_indices() {
            let at = cooked.map[i];
            let source_char = script[at..].chars().next().unwrap();
            assert!(
                source_char == ch || source_char == '\\',
                "byte {i} ({ch:?}) maps to {source_char:?} in {script:?}"
            );
        }
    }

    #[test]
    fn removes_single_and_double_quotes() {
        let script = r#"echo 'a b'"c d"e"#;
        let cooked = cook_first_argument(script);
        assert_eq!(cooked.value, "a bc de");
        assert!(cooked.is_static);
        assert_map_points_at_source(script, &cooked);
    }

    #[test]
    fn unescapes_backslashes_by_context() {
        let script = r#"echo \;\ x"\$y \n \"z\"""#;
        let cooked = cook_first_argument(script);
        assert_eq!(cooked.value, r#"; x$y \n "z""#);
        assert!(cooked.is_static);
        assert_map_points_at_source(script, &cooked);
    }

    #[test]
    fn keeps_expansions_as_written_and_marks_them_dynamic() {
        let script = r#"echo "$HOME/x-${V:-1}-$(id -u)""#;
        let cooked = cook_first_argument(script);
        assert_eq!(cooked.value, "$HOME/x-${V:-1}-$(id -u)");
        assert!(!cooked.is_static);
        assert_eq!(cooked.substitutions.len(), 1);
        let (start, end) = cooked.substitutions[0];
        assert_eq!(&script[start..end], "$(id -u)");
    }

    #[test]
    fn decodes_ansi_c_strings() {
        let cooked = cook_first_argument(r"echo $'a\tb\'c'");
        assert_eq!(cooked.value, "a\tb'c");
        assert!(cooked.is_static);
    }

    #[test]
    fn map_has_an_end_entry() {
        let script = "echo 'abc'";
        let cooked = cook_first_argument(script);
        assert_eq!(cooked.map.len(), cooked.value.len() + 1);
        assert_eq!(cooked.source_offset(cooked.value.len()), script.len());
    }

    #[test]
    fn multibyte_text_maps_byte_by_byte() {
        let script = "echo 'héllo'";
        let cooked = cook_first_argument(script);
        assert_eq!(cooked.value, "héllo");
        assert_map_points_at_source(script, &cooked);
    }
}
