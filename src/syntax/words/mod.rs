//! The ways BuildKit splits an instruction line into words. Offsets are byte
//! offsets into the text given, so callers can map them back to the source.

use std::borrow::Cow;

pub(crate) mod heredoc;
pub(crate) mod json;

/// A word and the byte range it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawWord<'a> {
    /// Borrowed from the line when the word is a plain slice of it.
    pub text: Cow<'a, str>,
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `reWhitespace`, `[\t\v\f\r ]+`: its chars are all ASCII.
#[inline]
fn is_line_space_byte(byte: u8) -> bool {
    matches!(byte, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Where the first [`is_line_space_byte`] char is.
pub(crate) fn find_line_space(text: &str) -> Option<usize> {
    text.bytes().position(is_line_space_byte)
}

/// How many bytes of [`is_line_space_byte`] chars `text` starts with.
pub(crate) fn leading_line_space(text: &str) -> usize {
    text.bytes()
        .position(|b| !is_line_space_byte(b))
        .unwrap_or(text.len())
}

/// `text` without trailing spaces and tabs.
pub(crate) fn trim_end_blanks(text: &str) -> &str {
    let keep = text
        .bytes()
        .rposition(|b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    &text[..keep]
}

/// Go's `unicode.IsSpace`.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// [`is_space`] for an ASCII byte.
const fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Byte classes for the word scanners, looked up in one table rather than tested one
/// comparison at a time: the scanners look at nearly every byte of the arguments.
mod class {
    pub const SPACE: u8 = 1;
    pub const QUOTE: u8 = 2;
    pub const BACKSLASH: u8 = 4;
    pub const BACKTICK: u8 = 8;
    pub const NON_ASCII: u8 = 16;

    pub static OF: [u8; 256] = {
        let mut table = [0u8; 256];
        let mut byte = 0;
        while byte < 256 {
            table[byte] = match byte as u8 {
                b if super::is_ascii_space(b) => SPACE,
                b'\'' | b'"' => QUOTE,
                b'\\' => BACKSLASH,
                b'`' => BACKTICK,
                0x80..=0xff => NON_ASCII,
                _ => 0,
            };
            byte += 1;
        }
        table
    };

    /// The class bit of an escape character (`\\` or `` ` ``).
    pub fn of_escape(escape: u8) -> u8 {
        if escape == b'`' {
            BACKTICK
        } else {
            BACKSLASH
        }
    }
}

/// Where the first byte of one of the `classes` is, from `from`.
#[inline]
fn find_class(bytes: &[u8], from: usize, classes: u8) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| class::OF[usize::from(b)] & classes != 0)
        .map(|at| from + at)
}

/// `text.trim_start_matches(is_space)`, walking bytes while they are ASCII: the
/// parser trims every line and argument, and most text is ASCII.
pub(crate) fn trim_start_space(text: &str) -> &str {
    let skip = text
        .bytes()
        .position(|b| !is_ascii_space(b))
        .unwrap_or(text.len());
    let rest = &text[skip..];
    if rest.as_bytes().first().is_some_and(|&b| !b.is_ascii()) {
        rest.trim_start_matches(is_space)
    } else {
        rest
    }
}

/// `text.trim_end_matches(is_space)`, walking bytes while they are ASCII.
pub(crate) fn trim_end_space(text: &str) -> &str {
    let keep = text
        .bytes()
        .rposition(|b| !is_ascii_space(b))
        .map_or(0, |i| i + 1);
    let rest = &text[..keep];
    if rest.as_bytes().last().is_some_and(|&b| !b.is_ascii()) {
        rest.trim_end_matches(is_space)
    } else {
        rest
    }
}

/// The char starting at byte `i` (a char boundary), decoding only non-ASCII.
#[inline]
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        None => None,
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[i..].chars().next(),
    }
}

/// Splits on runs of [`is_line_space_byte`], like `reWhitespace.Split(s, -1)` on a trimmed string.
pub(crate) fn split_whitespace(text: &str, offset: usize) -> Vec<RawWord<'_>> {
    // The separators are ASCII, and no byte of a multi-byte UTF-8 character is ASCII,
    // so walking bytes finds the same boundaries as walking chars.
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i + leading_line_space(&text[i..]);
        if start == bytes.len() {
            break;
        }
        let end = find_line_space(&text[start..]).map_or(bytes.len(), |at| start + at);
        words.push(RawWord {
            text: Cow::Borrowed(&text[start..end]),
            start: offset + start,
            end: offset + end,
        });
        i = end;
    }
    words
}

/// BuildKit's `extractBuilderFlags`: leading `--flag` words, quotes removed, and the
/// offset where the rest of the line starts.
///
/// Walks byte offsets rather than collecting the line's chars: flags sit at the start
/// of a line that may run to kilobytes, and this runs once per instruction.
pub(crate) fn extract_flags_each<'a>(line: &'a str, mut each: impl FnMut(RawWord<'a>)) -> usize {
    let char_at = |i: usize| char_at(line, i);
    let skip_space = |i: usize| line.len() - trim_start_space(&line[i..]).len();
    let mut i = 0;
    loop {
        i = skip_space(i);
        if i >= line.len() {
            return line.len();
        }
        if !line[i..].starts_with("--") {
            return i;
        }
        let start = i;
        // Most flags have no quotes, escapes or non-ASCII: their text is the slice up to
        // the next space, found in one pass.
        let stop = find_class(
            line.as_bytes(),
            i,
            class::SPACE | class::QUOTE | class::BACKSLASH | class::NON_ASCII,
        );
        let plain_len = match stop {
            None => Some(line.len() - i),
            Some(at) if is_ascii_space(line.as_bytes()[at]) => Some(at - i),
            Some(_) => None,
        };
        if let Some(len) = plain_len {
            let raw = &line[i..i + len];
            i += len;
            if raw == "--" {
                return skip_space(i);
            }
            each(RawWord {
                text: Cow::Borrowed(raw),
                start,
                end: i,
            });
            continue;
        }
        let mut word = String::new();
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        while let Some(c) = char_at(i) {
            match quote {
                None if is_space(c) => break,
                None if c == '\'' || c == '"' => {
                    quote = Some(c);
                    blank_ok = true;
                }
                None if c == '\\' => {
                    if let Some(next) = char_at(i + 1) {
                        word.push(next);
                        i += 1 + next.len_utf8();
                        continue;
                    }
                }
                None => word.push(c),
                Some(q) if c == q => quote = None,
                Some(_) if c == '\\' => match char_at(i + 1) {
                    Some(next) => {
                        word.push(next);
                        i += 1 + next.len_utf8();
                        continue;
                    }
                    None => quote = None,
                },
                Some(_) => word.push(c),
            }
            i += c.len_utf8();
        }
        let end = i;
        if word == "--" {
            // `--` ends the flags; the rest of the line starts after it.
            return skip_space(i);
        }
        if blank_ok || !word.is_empty() {
            each(RawWord {
                text: Cow::Owned(word),
                start,
                end,
            });
        }
    }
}

/// [`extract_flags_each`], collected.
#[cfg(test)]
pub(crate) fn extract_flags(line: &str) -> (Vec<RawWord<'_>>, usize) {
    let mut flags = Vec::new();
    let rest = extract_flags_each(line, |flag| flags.push(flag));
    (flags, rest)
}

/// The words' texts, for assertions.
#[cfg(test)]
fn texts<'a>(words: &'a [RawWord<'_>]) -> Vec<&'a str> {
    words.iter().map(|w| w.text.as_ref()).collect()
}

/// BuildKit's `parseWords` (ENV, LABEL, ARG): splits on unquoted whitespace and keeps
/// quotes and escape characters in the words.
///
/// A word's text is its source slice as written (BuildKit copies quotes, escape
/// characters and escaped chars alike), except that an escape character ending the
/// text is dropped; so only the boundaries are computed here.
pub(crate) fn parse_words(text: &str, escape: char, offset: usize) -> Vec<RawWord<'_>> {
    // Quotes, spaces that matter most and the escape character (`\\` or `` ` ``) are ASCII:
    // walk bytes, and decode a char only at a non-ASCII byte, to ask if it is a space.
    debug_assert!(escape.is_ascii());
    let bytes = text.as_bytes();
    let escape = escape as u8;
    let is_space_at = |i: usize| match bytes[i] {
        b if b.is_ascii() => is_ascii_space(b),
        _ => text[i..].chars().next().is_some_and(is_space),
    };
    let outside_quotes = class::SPACE | class::QUOTE | class::NON_ASCII | class::of_escape(escape);
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_space_at(i) {
            i += utf8_len(bytes[i]);
            continue;
        }
        let start = i;
        let mut quote: Option<u8> = None;
        let mut blank_ok = false;
        let mut content_end = None;
        while i < bytes.len() {
            // Skip ordinary bytes in one go: only spaces (outside quotes), quotes and the
            // escape character change anything, and a multi-byte char is neither of the
            // last two.
            i = match quote {
                None => find_class(bytes, i, outside_quotes),
                Some(q) => bytes[i..]
                    .iter()
                    .position(|&b| b == q || b == escape)
                    .map(|at| i + at),
            }
            .unwrap_or(bytes.len());
            if i >= bytes.len() {
                break;
            }
            let b = bytes[i];
            if quote.is_none() && is_space_at(i) {
                break;
            }
            match quote {
                None if b == b'\'' || b == b'"' => {
                    quote = Some(b);
                    blank_ok = true;
                }
                Some(q) if b == q => quote = None,
                _ => {}
            }
            let after = i + utf8_len(b);
            if b == escape && quote != Some(b'\'') {
                match bytes.get(after) {
                    // Dropped at the very end (inside double quotes it also closes them).
                    None => {
                        content_end = Some(i);
                        i = after;
                        break;
                    }
                    Some(&next) => {
                        i = after + utf8_len(next);
                        continue;
                    }
                }
            }
            i = after;
        }
        let content = &text[start..content_end.unwrap_or(i)];
        if blank_ok || !content.is_empty() {
            words.push(RawWord {
                text: Cow::Borrowed(content),
                start: offset + start,
                end: offset + i,
            });
        }
    }
    words
}

/// The length of the UTF-8 sequence that `lead` starts.
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0..=0x7f => 1,
        0x80..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}
/// The first, char-vector implementations, kept to check the faster ones against.
#[cfg(test)]
mod reference {
    use super::{is_space, RawWord};
    use std::borrow::Cow;

    /// BuildKit's `extractBuilderFlags`: leading `--flag` words, quotes removed, and the
    /// offset where the rest of the line starts.
    pub(super) fn extract_flags(line: &str) -> (Vec<RawWord<'_>>, usize) {
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut flags = Vec::new();
        let mut pos = 0;
        loop {
            while pos < chars.len() && is_space(chars[pos].1) {
                pos += 1;
            }
            if pos >= chars.len() {
                return (flags, line.len());
            }
            let starts_flag = chars[pos].1 == '-' && chars.get(pos + 1).is_some_and(|c| c.1 == '-');
            if !starts_flag {
                return (flags, chars[pos].0);
            }
            let start = chars[pos].0;
            let mut word = String::new();
            let mut quote: Option<char> = None;
            let mut blank_ok = false;
            while pos < chars.len() {
                let c = chars[pos].1;
                match quote {
                    None if is_space(c) => break,
                    None if c == '\'' || c == '"' => {
                        quote = Some(c);
                        blank_ok = true;
                    }
                    None if c == '\\' => {
                        if pos + 1 < chars.len() {
                            pos += 1;
                            word.push(chars[pos].1);
                        }
                    }
                    None => word.push(c),
                    Some(q) if c == q => quote = None,
                    Some(_) if c == '\\' => {
                        if pos + 1 < chars.len() {
                            pos += 1;
                            word.push(chars[pos].1);
                        } else {
                            quote = None;
                        }
                    }
                    Some(_) => word.push(c),
                }
                pos += 1;
            }
            let end = chars.get(pos).map_or(line.len(), |c| c.0);
            if word == "--" {
                // `--` ends the flags; the rest of the line starts after it.
                while pos < chars.len() && is_space(chars[pos].1) {
                    pos += 1;
                }
                return (flags, chars.get(pos).map_or(line.len(), |c| c.0));
            }
            if blank_ok || !word.is_empty() {
                flags.push(RawWord {
                    text: Cow::Owned(word),
                    start,
                    end,
                });
            }
        }
    }

    /// BuildKit's `parseWords` (ENV, LABEL, ARG): splits on unquoted whitespace and keeps
    /// quotes and escape characters in the words.
    pub(super) fn parse_words(text: &str, escape: char, offset: usize) -> Vec<RawWord<'_>> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut words = Vec::new();
        let mut word = String::new();
        let mut word_start = 0;
        let mut in_word = false;
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        let mut pos = 0;
        let flush = |word: &mut String, start: usize, end: usize, words: &mut Vec<RawWord<'_>>| {
            words.push(RawWord {
                text: Cow::Owned(std::mem::take(word)),
                start: offset + start,
                end: offset + end,
            });
        };
        while pos < chars.len() {
            let (at, c) = chars[pos];
            if !in_word {
                if is_space(c) {
                    pos += 1;
                    continue;
                }
                in_word = true;
                word_start = at;
            }
            match quote {
                None => {
                    if is_space(c) {
                        if blank_ok || !word.is_empty() {
                            flush(&mut word, word_start, at, &mut words);
                        }
                        word.clear();
                        in_word = false;
                        blank_ok = false;
                        pos += 1;
                        continue;
                    }
                    if c == '\'' || c == '"' {
                        quote = Some(c);
                        blank_ok = true;
                    }
                    if c == escape {
                        if pos + 1 == chars.len() {
                            pos += 1;
                            continue;
                        }
                        word.push(c);
                        pos += 1;
                    }
                    word.push(chars[pos].1);
                }
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                    if c == escape && q != '\'' {
                        if pos + 1 == chars.len() {
                            quote = None;
                            pos += 1;
                            continue;
                        }
                        word.push(c);
                        pos += 1;
                    }
                    word.push(chars[pos].1);
                }
            }
            pos += 1;
        }
        if in_word && (blank_ok || !word.is_empty()) {
            flush(&mut word, word_start, text.len(), &mut words);
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-offset implementations give exactly what the char-vector ones gave.
    #[test]
    fn fast_word_splitters_match_the_reference() {
        const ALPHABET: &[char] = &[
            'a', 'b', 'Z', '0', '-', '-', '-', '=', '\\', '\\', '`', '"', '"', '\'', '\'', ' ',
            ' ', '\t', '\r', '\u{0b}', '\u{85}', '\u{a0}', '\u{3000}', 'é', '日', '🐳', '$', '{',
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut inputs: Vec<String> = [
            "--from=build --chown=\"a b\" src dst",
            "--link -- --notaflag dst",
            "A=\"x y\" B='z' C=a\\ b",
            "--a=\"unterminated \\",
            "--x=\\",
            "k=v\\",
            "k=\"v\\",
            "k='v\\' x",
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        for _ in 0..20_000 {
            let len = next() % 24;
            inputs.push(
                (0..len)
                    .map(|_| ALPHABET[next() % ALPHABET.len()])
                    .collect(),
            );
        }
        for input in &inputs {
            assert_eq!(
                extract_flags(input),
                reference::extract_flags(input),
                "extract_flags({input:?})"
            );
            let words = split_whitespace(input, 7);
            let expected: Vec<&str> = input
                .split(['\t', '\u{0b}', '\u{0c}', '\r', ' '])
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(texts(&words), expected, "split_whitespace({input:?})");
            for word in &words {
                assert_eq!(&input[word.start - 7..word.end - 7], word.text, "{input:?}");
            }
            for escape in ['\\', '`'] {
                assert_eq!(
                    parse_words(input, escape, 7),
                    reference::parse_words(input, escape, 7),
                    "parse_words({input:?}, {escape:?})"
                );
            }
        }
    }

    #[test]
    fn byte_trims_match_char_trims() {
        for text in [
            "",
            " ",
            "\t a \r\n",
            "\u{a0} x \u{3000}",
            " \u{85}é \u{2028}",
            "日本 ",
            "\u{0b}\u{0c}a\u{0b}",
        ] {
            assert_eq!(
                trim_start_space(text),
                text.trim_start_matches(is_space),
                "{text:?}"
            );
            assert_eq!(
                trim_end_space(text),
                text.trim_end_matches(is_space),
                "{text:?}"
            );
        }
    }

    #[test]
    fn flags_stop_at_the_first_plain_word() {
        let (flags, rest) = extract_flags("--from=build --chown=\"a b\" src dst");
        assert_eq!(texts(&flags), ["--from=build", "--chown=a b"]);
        assert_eq!(rest, 27);
    }

    #[test]
    fn double_dash_ends_flags() {
        let line = "--link -- --notaflag dst";
        let (flags, rest) = extract_flags(line);
        assert_eq!(texts(&flags), ["--link"]);
        assert_eq!(&line[rest..], "--notaflag dst");
    }

    #[test]
    fn env_words_keep_quotes() {
        let words = parse_words("A=\"x y\" B='z' C=a\\ b", '\\', 0);
        assert_eq!(texts(&words), ["A=\"x y\"", "B='z'", "C=a\\ b"]);
    }
}
