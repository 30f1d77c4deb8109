//! The shell-quoted words in which heredoc markers (`<<EOF`, `<<-"EOF"`) are found.

use std::borrow::Cow;

use super::{is_space, RawWord};

/// Shell-like words for heredoc detection: quotes and escapes kept (BuildKit lexes the
/// line with raw quotes and raw escapes, always with `\`).
pub(crate) fn heredoc_candidate_words(text: &str) -> Vec<RawWord<'_>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    chars.next();
                }
            }
            None => {
                if is_space(c) {
                    if let Some(s) = start.take() {
                        words.push(RawWord {
                            text: Cow::Borrowed(&text[s..i]),
                            start: s,
                            end: i,
                        });
                    }
                    continue;
                }
                if start.is_none() {
                    start = Some(i);
                }
                if c == '\'' || c == '"' {
                    quote = Some(c);
                } else if c == '\\' {
                    chars.next();
                }
            }
        }
    }
    if let Some(s) = start {
        words.push(RawWord {
            text: Cow::Borrowed(&text[s..]),
            start: s,
            end: text.len(),
        });
    }
    words
}

/// Removes shell quotes and backslash escapes from a word; `None` if the quoting is
/// unbalanced or the word splits into several.
pub(crate) fn unquote_shell_word(word: &str) -> Option<String> {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut chars = word.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some('\'') if c == '\'' => quote = None,
            Some('\'') => out.push(c),
            Some(_) if c == '"' => quote = None,
            Some(_) if c == '\\' => match chars.next() {
                Some(next @ ('"' | '\\' | '$' | '`')) => out.push(next),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => return None,
            },
            Some(_) => out.push(c),
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '\\' => out.push(chars.next()?),
            None if is_space(c) => return None,
            None => out.push(c),
        }
    }
    if quote.is_some() {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::words::texts;

    #[test]
    fn heredoc_words_keep_quotes() {
        let words = heredoc_candidate_words("RUN cat <<\"EOF\" 'a b' >x");
        assert_eq!(texts(&words), ["RUN", "cat", "<<\"EOF\"", "'a b'", ">x"]);
        assert_eq!(unquote_shell_word("\"EOF\"").as_deref(), Some("EOF"));
        assert_eq!(unquote_shell_word("E\"O\"F").as_deref(), Some("EOF"));
        assert_eq!(unquote_shell_word("'EOF"), None);
    }
}
