//! Text taken from the input, made safe to print to a terminal.
//!
//! A Dockerfile, a file name or a configuration value can hold escape sequences that
//! rewrite the terminal of whoever lints it (colours, cursor moves, window titles,
//! hyperlinks). Text formats read on a terminal pass every such text through here;
//! JSON and SARIF keep it exact (their encoders escape it).
//!
//! C0 controls become their Unicode control pictures (ESC is `␛`), one column wide,
//! so a snippet keeps its shape; DEL is `␡`; C1 controls and the bidirectional
//! overrides ("Trojan source") are written `<U+XXXX>`.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether `ch` must not reach a terminal as it is. Tab and line feed are left to the
/// caller: they are layout in a snippet or a message.
fn is_unsafe(ch: char) -> bool {
    (ch.is_control() && ch != '\t' && ch != '\n')
        || matches!(ch, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, ch: char) {
    match ch {
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + ch as u32).unwrap_or('?')),
        '\u{7f}' => out.push('\u{2421}'),
        _ => {
            let _ = write!(out, "<U+{:04X}>", ch as u32);
        }
    }
}

/// `text` with every control character escaped except tab and line feed (and the
/// carriage return of a CRLF line ending).
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_mapped(text).0
}

/// `text` on one line: line feeds and tabs are escaped too (file names).
pub fn escape_inline(text: &str) -> Cow<'_, str> {
    if !text.contains(['\n', '\t']) {
        return escape(text);
    }
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if is_unsafe(ch) || ch == '\n' || ch == '\t' {
            push_escaped(&mut out, ch);
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

/// A path as messages show it, escaped.
pub fn shown_path(path: &std::path::Path) -> String {
    escape_inline(&path.display().to_string()).into_owned()
}

/// Escaped text, and where it grew: for each escaped character, its offset in the
/// original and the bytes added up to and including it. Spans into the original are
/// moved with [`OffsetMap::map`].
pub fn escape_mapped(text: &str) -> (Cow<'_, str>, OffsetMap) {
    // Built only once a character needs escaping: most text is clean.
    let mut out: Option<String> = None;
    let mut grown = Vec::new();
    let mut added = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        let crlf = ch == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n');
        if is_unsafe(ch) && !crlf {
            let out = out.get_or_insert_with(|| {
                let mut out = String::with_capacity(text.len() + 16);
                out.push_str(&text[..at]);
                out
            });
            let before = out.len();
            push_escaped(out, ch);
            added += out.len() - before - ch.len_utf8();
            grown.push((at, added));
        } else if let Some(out) = &mut out {
            out.push(ch);
        }
    }
    match out {
        Some(out) => (Cow::Owned(out), OffsetMap { grown }),
        None => (Cow::Borrowed(text), OffsetMap::default()),
    }
}

/// JSON with the characters a terminal would obey and serde_json leaves as they are
/// (DEL, C1 controls, bidirectional overrides) written as `\uXXXX`: the same values,
/// safe to print. Such characters can only be inside strings, where `\u` is valid.
pub fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for ch in json.chars() {
        if is_unsafe(ch) {
            let _ = write!(out, "\\u{:04x}", ch as u32);
        } else {
            out.push(ch);
        }
    }
    out
}

/// Moves offsets of the original text to the escaped text.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    grown: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The offset in the escaped text of `offset` in the original.
    pub fn map(&self, offset: usize) -> usize {
        let before = self.grown.partition_point(|&(at, _)| at < offset);
        offset + before.checked_sub(1).map_or(0, |i| self.grown[i].1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible() {
        assert_eq!(escape("a\u{1b}[31mb\u{7}"), "a␛[31mb␇");
        assert_eq!(escape("x\u{9b}2Jy\u{7f}"), "x<U+009B>2Jy␡");
        assert_eq!(escape("bidi \u{202e}txt"), "bidi <U+202E>txt");
        assert_eq!(escape("tab\tline\r\nnext\rover"), "tab\tline\r\nnext␍over");
        assert_eq!(escape_inline("a\nb\tc"), "a␊b␉c");
        assert!(matches!(escape("plain ünïcode 🐳"), Cow::Borrowed(_)));
        assert_eq!(
            json_for_terminal("[\"a\u{9b}b\u{7f}\"]"),
            "[\"a\\u009bb\\u007f\"]"
        );
    }

    #[test]
    fn offsets_follow_the_growth() {
        let text = "ab\u{1b}cd\u{9b}ef";
        let (escaped, map) = escape_mapped(text);
        assert_eq!(escaped, "ab␛cd<U+009B>ef");
        for (original, expected) in [(0, 0), (2, 2), (3, 5), (5, 7), (7, 15), (9, 17)] {
            assert_eq!(map.map(original), expected, "{original}");
        }
        assert_eq!(&escaped[map.map(3)..map.map(5)], "cd");
        assert_eq!(&escaped[map.map(7)..map.map(9)], "ef");
    }
}
