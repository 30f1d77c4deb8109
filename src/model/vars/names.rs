//! Which characters make a variable name, by Go's rules as BuildKit applies them.

use std::sync::LazyLock;

use regex::Regex;

/// POSIX special parameters: `$@ $* $# $? $- $$ $! $0`.
pub(super) fn is_special_parameter(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

// Go's unicode.IsLetter / unicode.IsDigit (categories L and Nd), which BuildKit
// uses for names; Rust's is_alphabetic / is_numeric are broader.
static GO_LETTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{L}$").expect("valid regex"));
static GO_DIGIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\p{Nd}$").expect("valid regex"));

fn is_go_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    GO_LETTER.is_match(c.encode_utf8(&mut [0; 4]))
}

pub(super) fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    GO_DIGIT.is_match(c.encode_utf8(&mut [0; 4]))
}

pub(super) fn is_name_char(c: char) -> bool {
    c == '_' || is_go_letter(c) || is_go_digit(c)
}

pub(super) fn is_name_start(c: char) -> bool {
    c == '_' || is_go_letter(c)
}
