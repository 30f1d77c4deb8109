//! Translate the Go (RE2) regular expressions that Docker builds from ignore
//! patterns into the `regex` crate's syntax.
//!
//! Docker turns a pattern into a Go regexp by replacing `*`, `?` and `**` and
//! copying everything else almost verbatim: `[`...`]` classes and `\` escapes
//! reach Go's regexp parser untouched. The two dialects disagree on a few
//! points that such text can hit: inside a class Go treats `[`, `&&`, `--` and
//! `~~` literally while Rust nests classes and applies set operations, and
//! `\d`/`\s`/`\w` are ASCII-only in Go but Unicode-aware in Rust. So the Go
//! text is parsed with Go's rules and re-emitted in a form both agree on.
//!
//! Go constructs with no faithful counterpart here (`\pN`, `\b`, `\B`) are
//! reported as unsupported rather than approximated.

use std::fmt::Write as _;
use std::iter::Peekable;
use std::str::Chars;

/// Why Go's regexp text could not be translated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TranslateError {
    /// Go's `regexp.Compile` rejects it (Docker reports a pattern syntax error).
    Invalid(String),
    /// Go accepts it but it is not modelled here.
    Unsupported(String),
}

/// Translate a complete Go regexp (as built by Docker's pattern compiler) into
/// an equivalent `regex` crate pattern.
pub(crate) fn translate(go: &str) -> Result<String, TranslateError> {
    let mut translator = Translator {
        chars: go.chars().peekable(),
        out: String::with_capacity(go.len() * 2),
    };
    translator.sequence()?;
    Ok(translator.out)
}

struct Translator<'a> {
    chars: Peekable<Chars<'a>>,
    out: String,
}

/// What the previous item was, to validate repetition operators as Go does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Previous {
    /// Start of the expression or of a group, or after `|`.
    Nothing,
    /// Something a repetition operator can apply to.
    Operand,
    /// A repetition operator (`*`, `+`, `?`).
    Repetition,
    /// A repetition made non-greedy by a following `?`.
    LazyRepetition,
}

/// One member of a bracket class, kept in a form that can be re-emitted.
enum ClassItem {
    Range(char, char),
    /// `[:name:]` or `[:^name:]` (ASCII classes in both dialects).
    Posix { name: String, negated: bool },
    /// A class written as a nested `[...]` group in the output.
    Nested(&'static str),
}

const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

impl Translator<'_> {
    fn sequence(&mut self) -> Result<(), TranslateError> {
        let mut previous = Previous::Nothing;
        let mut depth = 0usize;
        while let Some(ch) = self.chars.next() {
            previous = match ch {
                '*' | '+' | '?' => self.repetition(ch, previous)?,
                '(' => {
                    if self.chars.peek() == Some(&'?') {
                        return Err(TranslateError::Unsupported(
                            "group flags `(?...)`".to_owned(),
                        ));
                    }
                    depth += 1;
                    self.out.push('(');
                    Previous::Nothing
                }
                ')' => {
                    if depth == 0 {
                        return Err(invalid("unexpected `)`"));
                    }
                    if previous == Previous::Nothing {
                        // An empty group: Rust needs something inside it.
                        self.out.push_str("(?:)");
                    }
                    depth -= 1;
                    self.out.push(')');
                    Previous::Operand
                }
                '|' => {
                    self.out.push('|');
                    Previous::Nothing
                }
                '^' | '$' => {
                    // Go compiles with OneLine: `^`/`$` anchor the whole text,
                    // exactly like Rust without the `m` flag.
                    self.out.push(ch);
                    Previous::Operand
                }
                '.' => {
                    // Neither dialect lets `.` match `\n` by default.
                    self.out.push('.');
                    Previous::Operand
                }
                '[' => {
                    self.class()?;
                    Previous::Operand
                }
                '\\' => {
                    self.escape_outside_class()?;
                    Previous::Operand
                }
                '{' => {
                    // Docker escapes `{`, so this is never a counted repetition.
                    self.literal(ch);
                    Previous::Operand
                }
                other => {
                    self.literal(other);
                    Previous::Operand
                }
            };
        }
        if depth != 0 {
            return Err(invalid("missing closing `)`"));
        }
        Ok(())
    }

    fn repetition(&mut self, op: char, previous: Previous) -> Result<Previous, TranslateError> {
        match previous {
            Previous::Operand => {
                self.out.push(op);
                Ok(Previous::Repetition)
            }
            Previous::Repetition if op == '?' => {
                self.out.push('?');
                Ok(Previous::LazyRepetition)
            }
            Previous::Repetition | Previous::LazyRepetition => {
                Err(invalid("invalid nested repetition operator"))
            }
            Previous::Nothing => Err(invalid("missing argument to repetition operator")),
        }
    }

    fn literal(&mut self, ch: char) {
        let mut buf = [0u8; 4];
        self.out.push_str(&regex::escape(ch.encode_utf8(&mut buf)));
    }

    fn escape_outside_class(&mut self) -> Result<(), TranslateError> {
        let Some(&next) = self.chars.peek() else {
            return Err(invalid("trailing backslash"));
        };
        match next {
            'A' | 'z' => {
                self.chars.next();
                self.out.push('\\');
                self.out.push(next);
            }
            'Q' => {
                // `\Q...\E`: everything up to `\E` (or the end) is literal.
                self.chars.next();
                while let Some(ch) = self.chars.next() {
                    if ch == '\\' && self.chars.peek() == Some(&'E') {
                        self.chars.next();
                        break;
                    }
                    self.literal(ch);
                }
            }
            'b' | 'B' | 'p' | 'P' => {
                return Err(TranslateError::Unsupported(format!("escape `\\{next}`")));
            }
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => {
                self.chars.next();
                self.out.push('[');
                self.out.push_str(perl_class(next));
                self.out.push(']');
            }
            _ => {
                let ch = self.escaped_char()?;
                self.literal(ch);
            }
        }
        Ok(())
    }

    /// Go's `parseEscape` after the backslash: a single escaped character.
    fn escaped_char(&mut self) -> Result<char, TranslateError> {
        let Some(ch) = self.chars.next() else {
            return Err(invalid("trailing backslash"));
        };
        match ch {
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c),
            '0'..='7' => {
                // Octal: `\0` or `\1`..`\7` followed by another octal digit;
                // a lone `\1`..`\7` would be a backreference, which Go rejects.
                let mut value = ch.to_digit(8).unwrap_or(0);
                let mut digits = 1;
                while digits < 3 {
                    match self.chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(digit) => {
                            self.chars.next();
                            value = value * 8 + digit;
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if ch != '0' && digits == 1 {
                    return Err(invalid("backreferences are not supported"));
                }
                char::from_u32(value).ok_or_else(|| invalid("invalid octal escape"))
            }
            'x' => {
                let mut value = 0;
                for _ in 0..2 {
                    let digit = self
                        .chars
                        .next()
                        .and_then(|c| c.to_digit(16))
                        .ok_or_else(|| invalid("invalid hex escape"))?;
                    value = value * 16 + digit;
                }
                char::from_u32(value).ok_or_else(|| invalid("invalid hex escape"))
            }
            'a' => Ok('\u{7}'),
            'f' => Ok('\u{c}'),
            'n' => Ok('\n'),
            'r' => Ok('\r'),
            't' => Ok('\t'),
            'v' => Ok('\u{b}'),
            other => Err(invalid(&format!("invalid escape `\\{other}`"))),
        }
    }

    /// A bracket class, with Go's rules; the opening `[` is already consumed.
    fn class(&mut self) -> Result<(), TranslateError> {
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(&ch) = self.chars.peek() else {
                return Err(invalid("missing closing `]`"));
            };
            if ch == ']' && !first {
                self.chars.next();
                break;
            }
            first = false;
            if ch == '[' {
                if let Some(item) = self.posix_class()? {
                    items.push(item);
                    continue;
                }
            }
            if ch == '\\' {
                let mut lookahead = self.chars.clone();
                lookahead.next();
                match lookahead.peek() {
                    Some(&kind @ ('p' | 'P')) => {
                        return Err(TranslateError::Unsupported(format!("escape `\\{kind}`")));
                    }
                    Some(&kind @ ('d' | 'D' | 's' | 'S' | 'w' | 'W')) => {
                        self.chars = lookahead;
                        self.chars.next();
                        items.push(ClassItem::Nested(perl_class(kind)));
                        continue;
                    }
                    _ => {}
                }
            }
            let lo = self.class_char()?;
            let mut hi = lo;
            let mut lookahead = self.chars.clone();
            if lookahead.next() == Some('-') && lookahead.peek().is_some_and(|c| *c != ']') {
                self.chars.next();
                hi = self.class_char()?;
                if hi < lo {
                    return Err(invalid("invalid character class range"));
                }
            }
            items.push(ClassItem::Range(lo, hi));
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        for item in items {
            match item {
                ClassItem::Range(lo, hi) if lo == hi => {
                    let _ = write!(self.out, "\\x{{{:X}}}", u32::from(lo));
                }
                ClassItem::Range(lo, hi) => {
                    let _ = write!(
                        self.out,
                        "\\x{{{:X}}}-\\x{{{:X}}}",
                        u32::from(lo),
                        u32::from(hi)
                    );
                }
                ClassItem::Posix { name, negated } => {
                    let caret = if negated { "^" } else { "" };
                    let _ = write!(self.out, "[:{caret}{name}:]");
                }
                ClassItem::Nested(body) => {
                    self.out.push('[');
                    self.out.push_str(body);
                    self.out.push(']');
                }
            }
        }
        self.out.push(']');
        Ok(())
    }

    /// `[:name:]` inside a class, when the text has that shape. Go looks for the
    /// closing `:]` anywhere further on and rejects unknown names.
    fn posix_class(&mut self) -> Result<Option<ClassItem>, TranslateError> {
        let rest: String = self.chars.clone().collect();
        let Some(body) = rest.strip_prefix("[:") else {
            return Ok(None);
        };
        let Some(end) = body.find(":]") else {
            return Ok(None);
        };
        let name = &body[..end];
        let (negated, bare) = match name.strip_prefix('^') {
            Some(bare) => (true, bare),
            None => (false, name),
        };
        if !POSIX_CLASSES.contains(&bare) {
            return Err(invalid(&format!("invalid character class `[:{name}:]`")));
        }
        let consumed = 2 + name.chars().count() + 2;
        for _ in 0..consumed {
            self.chars.next();
        }
        Ok(Some(ClassItem::Posix {
            name: bare.to_owned(),
            negated,
        }))
    }

    fn class_char(&mut self) -> Result<char, TranslateError> {
        match self.chars.next() {
            None => Err(invalid("missing closing `]`")),
            Some('\\') => self.escaped_char(),
            Some(ch) => Ok(ch),
        }
    }
}

/// Go's Perl classes are ASCII-only; spell them out so Rust agrees.
fn perl_class(kind: char) -> &'static str {
    match kind {
        'd' => "0-9",
        'D' => "^0-9",
        's' => "\\t\\n\\x0C\\r ",
        'S' => "^\\t\\n\\x0C\\r ",
        'w' => "0-9A-Za-z_",
        _ => "^0-9A-Za-z_",
    }
}

fn invalid(message: &str) -> TranslateError {
    TranslateError::Invalid(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiles_to(go: &str) -> regex::Regex {
        let rust = translate(go).unwrap_or_else(|e| panic!("translate {go:?}: {e:?}"));
        regex::Regex::new(&rust).unwrap_or_else(|e| panic!("compile {rust:?}: {e}"))
    }

    #[test]
    fn classes_keep_go_meaning() {
        // `[` inside a class is literal in Go.
        let re = compiles_to("^[a[b]$");
        assert!(re.is_match("["));
        assert!(re.is_match("b"));
        // `&&` and `--` are literal in Go classes.
        let re = compiles_to("^[a&&b]$");
        assert!(re.is_match("&"));
        // A range ending in `-` (Rust would read `--` as set difference).
        let re = compiles_to("^[+--]$");
        assert!(re.is_match(","));
        assert!(translate("^[a--b]$").is_err(), "Go: reversed range a-'-'");
        // POSIX classes are recognised.
        let re = compiles_to("^[[:digit:]]$");
        assert!(re.is_match("7"));
        assert!(!re.is_match("x"));
        // Perl classes are ASCII-only.
        let re = compiles_to("^\\d$");
        assert!(re.is_match("3"));
        assert!(!re.is_match("٣"));
    }

    #[test]
    fn rejects_what_go_rejects() {
        assert!(matches!(translate("^[z-a]$"), Err(TranslateError::Invalid(_))));
        assert!(matches!(translate("^[ab$"), Err(TranslateError::Invalid(_))));
        assert!(matches!(translate("^\\e$"), Err(TranslateError::Invalid(_))));
        assert!(matches!(translate("^\\é$"), Err(TranslateError::Invalid(_))));
        assert!(matches!(translate("^[[:foo:]]$"), Err(TranslateError::Invalid(_))));
        assert!(matches!(translate("^\\pL$"), Err(TranslateError::Unsupported(_))));
    }

    #[test]
    fn escapes_of_punctuation_are_literal() {
        let re = compiles_to("^a\\<b\\]$");
        assert!(re.is_match("a<b]"));
    }
}
