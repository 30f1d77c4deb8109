//! The expander: BuildKit's `ProcessWord` over quotes, escapes, `$V` and `${V...}`.

use super::names::{is_go_digit, is_name_char, is_special_parameter};
use super::nesting::MAX_NESTING;
use super::words::Words;

/// The result of expanding one Dockerfile word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text with quotes and escapes removed (BuildKit's `ProcessWord`).
    pub value: String,
    /// The value split on unquoted whitespace (BuildKit's `ProcessWords`).
    pub words: Vec<String>,
    /// Names that were looked up and are not set, in order of first use.
    ///
    /// Like BuildKit, this includes names used only in a fallback that was not
    /// needed (`${SET:-$UNSET}`), and shell special parameters such as `$1`.
    pub unresolved: Vec<String>,
    /// Every name that was referenced, set or not, in order of first use.
    pub referenced: Vec<String>,
    /// Why BuildKit would reject this word (`${V:?msg}`, `${V`, an unclosed
    /// quote, an unsupported modifier...). The first problem wins.
    pub error: Option<String>,
}

/// Expands one Dockerfile word the way BuildKit does for `FROM`, `ENV`, `WORKDIR`...
///
/// `escape` is the Dockerfile escape character (`\` or `` ` ``). `lookup`
/// returns `None` for an unset variable and `Some("")` for one set to empty;
/// the difference matters for `${V-x}` versus `${V:-x}`.
pub fn expand_word(text: &str, escape: char, lookup: &dyn Fn(&str) -> Option<String>) -> Expansion {
    let mut expander = Expander {
        text,
        pos: 0,
        escape,
        lookup,
        depth: 0,
        referenced: Vec::new(),
        unresolved: Vec::new(),
        error: None,
    };
    let (value, words, _) = expander.process_until(None, false);
    Expansion {
        value,
        words,
        unresolved: expander.unresolved,
        referenced: expander.referenced,
        error: expander.error,
    }
}

/// Why BuildKit rejects `text` as a word (an unsupported modifier such as a template's
/// `${option:name}`, an unclosed `${`...), whatever the variables hold.
pub fn expansion_error(text: &str, escape: char) -> Option<String> {
    expand_word(text, escape, &|_| None).error
}

/// Expands a word and splits it on unquoted whitespace, as BuildKit does for
/// `COPY`, `ADD`, `EXPOSE`, `VOLUME`... Quoted whitespace stays inside a word;
/// whitespace produced by an unquoted `$V` splits.
pub fn expand_words(
    text: &str,
    escape: char,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Vec<String> {
    expand_word(text, escape, lookup).words
}

pub(super) struct Expander<'a> {
    text: &'a str,
    pos: usize,
    escape: char,
    lookup: &'a dyn Fn(&str) -> Option<String>,
    depth: usize,
    referenced: Vec<String>,
    unresolved: Vec<String>,
    error: Option<String>,
}

impl Expander<'_> {
    pub(super) fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    pub(super) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(super) fn fail(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(message.into());
        }
    }

    pub(super) fn raw_since(&self, start: usize) -> String {
        self.text[start..self.pos].to_string()
    }

    pub(super) fn lookup(&mut self, name: &str) -> Option<String> {
        let value = (self.lookup)(name);
        push_unique(&mut self.referenced, name);
        if value.is_none() {
            push_unique(&mut self.unresolved, name);
        }
        value
    }

    /// A name inside an expansion we could not evaluate: referenced, unresolved.
    pub(super) fn mark_unevaluated(&mut self, name: &str) {
        if !name.is_empty() {
            push_unique(&mut self.referenced, name);
            push_unique(&mut self.unresolved, name);
        }
    }

    /// BuildKit's `processStopOn`: reads up to `stop` (consumed) or the end.
    /// Returns the text, its words, and whether `stop` was found (always true
    /// without a stop character).
    pub(super) fn process_until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> (String, Vec<String>, bool) {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.bump();
                return (result, words.finish(), true);
            }
            match c {
                '$' => {
                    let value = self.dollar();
                    words.add_str(&value);
                    result.push_str(&value);
                }
                '\'' => {
                    let value = self.single_quoted();
                    words.add_raw_str(&value);
                    result.push_str(&value);
                }
                '"' => {
                    let value = self.double_quoted(raw_escapes);
                    words.add_raw_str(&value);
                    result.push_str(&value);
                }
                _ => {
                    self.bump();
                    if c == self.escape {
                        // Inside `${V#pat}` and `${V/pat/repl}` the escape stays, so the
                        // pattern can tell `\*` from `*`.
                        if raw_escapes {
                            words.add_raw_char(c);
                            result.push(c);
                        }
                        // A trailing escape is dropped silently, as BuildKit does.
                        let Some(escaped) = self.bump() else { break };
                        words.add_raw_char(escaped);
                        result.push(escaped);
                    } else {
                        words.add_char(c);
                        result.push(c);
                    }
                }
            }
        }
        (result, words.finish(), stop.is_none())
    }

    fn single_quoted(&mut self) -> String {
        self.bump();
        let mut result = String::new();
        loop {
            match self.bump() {
                None => {
                    self.fail("unexpected end of text while looking for matching single quote");
                    return result;
                }
                Some('\'') => return result,
                Some(c) => result.push(c),
            }
        }
    }

    fn double_quoted(&mut self, raw_escapes: bool) -> String {
        self.bump();
        let mut result = String::new();
        loop {
            match self.peek() {
                None => {
                    self.fail("unexpected end of text while looking for matching double quote");
                    return result;
                }
                Some('"') => {
                    self.bump();
                    return result;
                }
                Some('$') => {
                    let value = self.dollar();
                    result.push_str(&value);
                }
                Some(_) => {
                    let mut c = self.bump().unwrap_or_default();
                    if c == self.escape {
                        if raw_escapes {
                            result.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            // Only these can be escaped inside double quotes; any other
                            // escape character is kept as written.
                            Some(next) if next == '"' || next == '$' || next == self.escape => {
                                c = next;
                                self.bump();
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(c);
                }
            }
        }
    }

    fn dollar(&mut self) -> String {
        if self.depth >= MAX_NESTING {
            let start = self.pos;
            self.pos = self.text.len();
            self.fail("variable expansions are nested too deeply");
            return self.raw_since(start);
        }
        self.depth += 1;
        let value = self.dollar_inner();
        self.depth -= 1;
        value
    }

    fn dollar_inner(&mut self) -> String {
        let start = self.pos;
        self.bump();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return "$".to_string();
            }
            return self.lookup(&name).unwrap_or_default();
        }
        self.bump();
        match self.peek() {
            None => {
                self.fail("syntax error: missing '}'");
                return self.raw_since(start);
            }
            Some('{' | '}' | ':') => {
                self.fail("syntax error: bad substitution");
                self.skip_to_closing_brace();
                return self.raw_since(start);
            }
            Some(_) => {}
        }
        let name = self.name();
        let Some(operator) = self.bump() else {
            self.fail("syntax error: missing '}'");
            self.mark_unevaluated(&name);
            return self.raw_since(start);
        };
        match operator {
            '}' => self.lookup(&name).unwrap_or_default(),
            ':' | '-' | '+' | '?' | '#' | '%' => self.modifier(start, &name, operator),
            '/' => self.substitution(start, &name),
            _ => self.unsupported(start, &name, &operator.to_string()),
        }
    }

    pub(super) fn skip_to_closing_brace(&mut self) {
        let mut nested = 0usize;
        while let Some(c) = self.bump() {
            match c {
                '{' => nested += 1,
                '}' if nested == 0 => return,
                '}' => nested -= 1,
                _ => {}
            }
        }
    }

    /// BuildKit's `processName`: a run of digits, one special parameter, or
    /// letters, digits and `_`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && is_go_digit(c) {
                while let Some(digit) = self.peek().filter(|&d| is_go_digit(d)) {
                    self.bump();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_parameter(c) {
                self.bump();
                name.push(c);
                return name;
            }
            if !is_name_char(c) {
                break;
            }
            self.bump();
            name.push(c);
        }
        name
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}
