//! Variable expansion and variable references, with BuildKit's semantics.
//!
//! [`expand_word`] and [`expand_words`] behave like BuildKit's Dockerfile lexer
//! (`ProcessWord` / `ProcessWords`): they remove quotes, honour the escape
//! character and expand `$V`, `${V}` and the `${V<op>word}` forms. Where BuildKit
//! would fail the build, they still return their best effort and say why in
//! [`Expansion::error`]; they never panic.
//!
//! [`references`] and [`shell_references`] only *find* references (with their
//! byte spans), for rules that check whether a variable is in scope.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::Span;

/// Deeper nesting than this is reported as an error instead of recursing, so a
/// hostile input cannot overflow the stack.
const MAX_NESTING: usize = 64;

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

struct Expander<'a> {
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
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn fail(&mut self, message: impl Into<String>) {
        if self.error.is_none() {
            self.error = Some(message.into());
        }
    }

    fn raw_since(&self, start: usize) -> String {
        self.text[start..self.pos].to_string()
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        let value = (self.lookup)(name);
        push_unique(&mut self.referenced, name);
        if value.is_none() {
            push_unique(&mut self.unresolved, name);
        }
        value
    }

    /// A name inside an expansion we could not evaluate: referenced, unresolved.
    fn mark_unevaluated(&mut self, name: &str) {
        if !name.is_empty() {
            push_unique(&mut self.referenced, name);
            push_unique(&mut self.unresolved, name);
        }
    }

    /// BuildKit's `processStopOn`: reads up to `stop` (consumed) or the end.
    /// Returns the text, its words, and whether `stop` was found (always true
    /// without a stop character).
    fn process_until(
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

    /// `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?w}`, `${V?w}`, `${V#p}`,
    /// `${V##p}`, `${V%p}`, `${V%%p}`.
    fn modifier(&mut self, start: usize, name: &str, operator: char) -> String {
        let null_is_unset = operator == ':';
        let modifier = if null_is_unset {
            self.bump()
        } else {
            Some(operator)
        };
        let modifier = match modifier {
            None => {
                self.fail("syntax error: missing '}'");
                self.mark_unevaluated(name);
                return self.raw_since(start);
            }
            // `${V:}`: BuildKit would read on to a later `}`; stop here instead.
            Some('}') => {
                self.fail(format!(
                    "unsupported modifier (:) in substitution of {name}"
                ));
                self.mark_unevaluated(name);
                return self.raw_since(start);
            }
            Some(m @ ('-' | '+' | '?' | '#' | '%')) => m,
            Some(other) => {
                let shown = if null_is_unset {
                    format!(":{other}")
                } else {
                    other.to_string()
                };
                return self.unsupported(start, name, &shown);
            }
        };
        let raw_escapes = matches!(modifier, '#' | '%');
        let (word, _, closed) = self.process_until(Some('}'), raw_escapes);
        if !closed {
            self.fail("syntax error: missing '}'");
            self.mark_unevaluated(name);
            return self.raw_since(start);
        }
        let value = self.lookup(name);
        let is_null = |value: &Option<String>| match value {
            None => true,
            Some(v) => null_is_unset && v.is_empty(),
        };
        match modifier {
            '-' => {
                if is_null(&value) {
                    word
                } else {
                    value.unwrap_or_default()
                }
            }
            '+' => {
                if is_null(&value) {
                    String::new()
                } else {
                    word
                }
            }
            '?' => {
                let problem = match &value {
                    None => Some("is not allowed to be unset"),
                    Some(v) if null_is_unset && v.is_empty() => Some("is not allowed to be empty"),
                    Some(_) => None,
                };
                if let Some(problem) = problem {
                    let message = if word.is_empty() {
                        problem
                    } else {
                        word.as_str()
                    };
                    self.fail(format!("{name}: {message}"));
                }
                value.unwrap_or_default()
            }
            _ => {
                // `#`/`%` remove the shortest match, `##`/`%%` the longest.
                let (greedy, pattern) = match word.strip_prefix(modifier) {
                    Some(rest) => (true, rest),
                    None => (false, word.as_str()),
                };
                let value = value.unwrap_or_default();
                let trimmed = if modifier == '%' {
                    trim_suffix(pattern, &value, greedy)
                } else {
                    trim_prefix(pattern, &value, greedy)
                };
                match trimmed {
                    Ok(trimmed) => trimmed,
                    Err(reason) => {
                        self.fail(format!(
                            "invalid pattern ({pattern}) in substitution: {reason}"
                        ));
                        self.raw_since(start)
                    }
                }
            }
        }
    }

    /// `${V/pattern/replacement}` and `${V//pattern/replacement}`.
    fn substitution(&mut self, start: usize, name: &str) -> String {
        let replace_all = self.peek() == Some('/');
        if replace_all {
            self.bump();
        }
        let (pattern, _, closed) = self.process_until(Some('/'), true);
        if !closed {
            self.fail("syntax error: missing '/' in ${}");
            self.mark_unevaluated(name);
            return self.raw_since(start);
        }
        let (replacement, _, closed) = self.process_until(Some('}'), true);
        if !closed {
            self.fail("syntax error: missing '}'");
            self.mark_unevaluated(name);
            return self.raw_since(start);
        }
        let value = self.lookup(name).unwrap_or_default();
        let regex = match shell_pattern_regex(&pattern, true, false) {
            Ok(regex) => regex,
            Err(reason) => {
                self.fail(format!(
                    "invalid pattern ({pattern}) in substitution: {reason}"
                ));
                return self.raw_since(start);
            }
        };
        if replace_all {
            // Like Go's ReplaceAllString, `$1`/`${name}` in the replacement refer to groups.
            regex.replace_all(&value, replacement.as_str()).into_owned()
        } else if let Some(found) = regex.find(&value) {
            format!(
                "{}{}{}",
                &value[..found.start()],
                replacement,
                &value[found.end()..]
            )
        } else {
            value
        }
    }

    /// An operator BuildKit does not support (`${V=x}`, `${V:x}`...): keep the
    /// text as written, through its closing brace.
    fn unsupported(&mut self, start: usize, name: &str, shown: &str) -> String {
        if name.is_empty() {
            self.fail("syntax error: bad substitution");
        } else {
            self.fail(format!(
                "unsupported modifier ({shown}) in substitution of {name}"
            ));
        }
        self.mark_unevaluated(name);
        self.skip_to_closing_brace();
        self.raw_since(start)
    }

    fn skip_to_closing_brace(&mut self) {
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

/// BuildKit's word splitter: unquoted whitespace ends a word; quoted or escaped
/// characters never do.
#[derive(Default)]
struct Words {
    done: Vec<String>,
    current: String,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if !c.is_whitespace() {
            self.add_raw_char(c);
        } else if self.in_word && !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
            self.in_word = false;
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.current.push(c);
        self.in_word = true;
    }

    fn add_str(&mut self, text: &str) {
        text.chars().for_each(|c| self.add_char(c));
    }

    fn add_raw_str(&mut self, text: &str) {
        self.current.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.done.push(self.current);
        }
        self.done
    }
}

fn push_unique(list: &mut Vec<String>, name: &str) {
    if !list.iter().any(|n| n == name) {
        list.push(name.to_string());
    }
}

/// POSIX special parameters: `$@ $* $# $? $- $$ $! $0`.
fn is_special_parameter(c: char) -> bool {
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

fn is_go_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    GO_DIGIT.is_match(c.encode_utf8(&mut [0; 4]))
}

fn is_name_char(c: char) -> bool {
    c == '_' || is_go_letter(c) || is_go_digit(c)
}

fn is_name_start(c: char) -> bool {
    c == '_' || is_go_letter(c)
}

/// A shell pattern (`*`, `?`, `\*`, `\?`, `\\`; no bracket expressions, like
/// BuildKit) as a regular expression.
fn shell_pattern_regex(pattern: &str, greedy: bool, anchored: bool) -> Result<Regex, String> {
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let mut chars = pattern.chars().peekable();
    let mut buf = [0u8; 4];
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push_str(if greedy { ".*" } else { ".*?" }),
            '?' => out.push('.'),
            '\\' => match chars.peek().copied() {
                // `\}` and `\/` only protect the `${}` delimiters; the backslash
                // is not part of the pattern.
                Some('}' | '/') => {}
                Some(literal @ ('*' | '?' | '\\')) => {
                    chars.next();
                    out.push_str(&regex::escape(literal.encode_utf8(&mut buf)));
                }
                Some(other) => return Err(format!("invalid escape '\\{other}'")),
                None => return Err("escape character at the end of the pattern".to_string()),
            },
            _ => out.push_str(&regex::escape(c.encode_utf8(&mut buf))),
        }
    }
    Regex::new(&out).map_err(|e| e.to_string())
}

fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let regex = shell_pattern_regex(pattern, greedy, true)?;
    Ok(match regex.find(value) {
        Some(found) => value[found.end()..].to_string(),
        None => value.to_string(),
    })
}

/// The shortest rightmost match is found as the shortest leftmost match of the
/// reversed pattern in the reversed value.
fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` escape pair in order.
fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pairs: Vec<&[char]> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let len = if chars[i] == '\\' && i + 1 < chars.len() {
            2
        } else {
            1
        };
        pairs.push(&chars[i..i + len]);
        i += len;
    }
    pairs.iter().rev().flat_map(|pair| pair.iter()).collect()
}

/// One variable reference found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole reference: `$V`, or `${...}` through its closing brace (to the
    /// end of the text when it is not closed).
    pub span: Span,
    /// Just the name inside the reference.
    pub name_span: Span,
    /// `${V:-x}`, `${V-x}`, `${V:+x}`, `${V+x}`, `${V:=x}`, `${V=x}`: the text
    /// does not depend on `V` being set.
    pub has_fallback: bool,
}

/// Every variable reference in a Dockerfile word or a shell script, in order.
///
/// Single-quoted text and escaped `$` are skipped. Shell special parameters
/// (`$$ $0..$9 $@ $* $# $? $! $-`) are not references; `$(...)`, `$((...))`
/// and (when `escape` is `\`) backticks are scanned inside, each with its own
/// quoting. `${#V}` and `${!V}` refer to `V`.
pub fn references(text: &str, escape: char) -> Vec<VarRef> {
    RefScanner::new(text, escape, false).run()
}

/// Like [`references`], for the text of a shell-form `RUN` (or `CMD`,
/// `ENTRYPOINT`, `HEALTHCHECK`): the escape is the shell's `\`, and `#`
/// at the start of a word comments out the rest of the line.
pub fn shell_references(script: &str) -> Vec<VarRef> {
    RefScanner::new(script, '\\', true).run()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Top,
    DoubleQuote,
    /// Inside `${...}`, after the name.
    Brace,
    /// Inside `$(...)`; the depth counts unmatched `(` seen inside.
    Paren(usize),
    Backtick,
}

struct RefScanner<'a> {
    text: &'a str,
    pos: usize,
    escape: char,
    shell_comments: bool,
    depth: usize,
    found: Vec<VarRef>,
}

impl<'a> RefScanner<'a> {
    fn new(text: &'a str, escape: char, shell_comments: bool) -> Self {
        RefScanner {
            text,
            pos: 0,
            escape,
            shell_comments,
            depth: 0,
            found: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<VarRef> {
        self.scan(Context::Top);
        // A `${V:-$W}` is recorded after the `$W` inside it.
        self.found.sort_by_key(|r| r.span.start);
        self.found
    }

    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.text[self.pos..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn backticks_substitute(&self) -> bool {
        self.escape != '`'
    }

    fn scan(&mut self, context: Context) {
        if self.depth >= MAX_NESTING {
            // Too deep to be a real script: stop rather than risk the stack.
            self.pos = self.text.len();
            return;
        }
        self.depth += 1;
        self.scan_inner(context);
        self.depth -= 1;
    }

    fn scan_inner(&mut self, context: Context) {
        let mut paren_depth = match context {
            Context::Paren(depth) => depth,
            _ => 0,
        };
        let mut at_word_start = true;
        while let Some(c) = self.peek() {
            let word_start = std::mem::replace(&mut at_word_start, false);
            if c == self.escape {
                self.bump();
                self.bump();
                continue;
            }
            if context == Context::DoubleQuote {
                match c {
                    '"' => {
                        self.bump();
                        return;
                    }
                    '$' => self.dollar(),
                    '`' if self.backticks_substitute() => {
                        self.bump();
                        self.scan(Context::Backtick);
                    }
                    _ => {
                        self.bump();
                    }
                }
                continue;
            }
            match c {
                '\'' => self.skip_single_quoted(),
                '"' => {
                    self.bump();
                    self.scan(Context::DoubleQuote);
                }
                '$' => self.dollar(),
                '`' if self.backticks_substitute() => {
                    self.bump();
                    if context == Context::Backtick {
                        return;
                    }
                    self.scan(Context::Backtick);
                }
                '}' if context == Context::Brace => {
                    self.bump();
                    return;
                }
                '(' if matches!(context, Context::Paren(_)) => {
                    paren_depth += 1;
                    self.bump();
                    at_word_start = true;
                }
                ')' if matches!(context, Context::Paren(_)) => {
                    self.bump();
                    if paren_depth == 0 {
                        return;
                    }
                    paren_depth -= 1;
                }
                '#' if self.shell_comments && word_start && context != Context::Brace => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                _ => {
                    self.bump();
                    at_word_start = c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')');
                }
            }
        }
    }

    fn skip_single_quoted(&mut self) {
        self.bump();
        while let Some(c) = self.bump() {
            if c == '\'' {
                return;
            }
        }
    }

    fn read_name(&mut self) -> Span {
        let start = self.pos;
        while self.peek().is_some_and(is_name_char) {
            self.bump();
        }
        Span::new(start, self.pos)
    }

    fn dollar(&mut self) {
        let start = self.pos;
        self.bump();
        match self.peek() {
            Some('{') => self.braced(start),
            Some('(') => {
                self.bump();
                if self.peek() == Some('(') {
                    // `$((...))`: the closing `))` ends it.
                    self.bump();
                    self.scan(Context::Paren(1));
                } else {
                    self.scan(Context::Paren(0));
                }
            }
            // `$$`, `$?`, `$1`...: the shell's own parameters, never in scope questions.
            Some(c) if is_special_parameter(c) || c.is_ascii_digit() => {
                self.bump();
            }
            Some(c) if is_name_start(c) => {
                let name_span = self.read_name();
                self.record(start, name_span, false);
            }
            _ => {}
        }
    }

    fn braced(&mut self, start: usize) {
        self.bump();
        // `${#V}` is V's length and `${!V}` an indirection through V; alone,
        // `${#}` and `${!}` are special parameters.
        let prefix = match (self.peek(), self.peek_second()) {
            (Some(p @ ('#' | '!')), Some(next)) if is_name_start(next) => {
                self.bump();
                Some(p)
            }
            _ => None,
        };
        let name_span = match self.peek() {
            Some(c) if is_name_start(c) => Some(self.read_name()),
            Some(c) if c.is_ascii_digit() => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
                None
            }
            Some(c) if is_special_parameter(c) => {
                self.bump();
                None
            }
            _ => None,
        };
        let has_fallback = prefix.is_none()
            && match self.peek() {
                Some(':') => matches!(self.peek_second(), Some('-' | '+' | '=')),
                Some('-' | '+' | '=') => true,
                _ => false,
            };
        // `${!PREFIX*}` and `${!PREFIX@}` list variable names; they use none.
        let lists_names = prefix == Some('!')
            && matches!(self.peek(), Some('*' | '@'))
            && self.peek_second() == Some('}');
        self.scan(Context::Brace);
        if let Some(name_span) = name_span.filter(|_| !lists_names) {
            self.record(start, name_span, has_fallback);
        }
    }

    fn record(&mut self, start: usize, name_span: Span, has_fallback: bool) {
        self.found.push(VarRef {
            name: self.text[name_span.start..name_span.end].to_string(),
            span: Span::new(start, self.pos),
            name_span,
            has_fallback,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn expand_with(text: &str, vars: &[(&str, &str)]) -> Expansion {
        let vars = env(vars);
        expand_word(text, '\\', &|name| vars.get(name).cloned())
    }

    fn value(text: &str, vars: &[(&str, &str)]) -> String {
        let expansion = expand_with(text, vars);
        assert_eq!(expansion.error, None, "unexpected error expanding {text:?}");
        expansion.value
    }

    fn words(text: &str, vars: &[(&str, &str)]) -> Vec<String> {
        let vars = env(vars);
        expand_words(text, '\\', &|name| vars.get(name).cloned())
    }

    fn error(text: &str, vars: &[(&str, &str)]) -> String {
        expand_with(text, vars)
            .error
            .unwrap_or_else(|| panic!("expected an error expanding {text:?}"))
    }

    fn names(refs: &[VarRef]) -> Vec<&str> {
        refs.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn from_line_default_applies_when_unset() {
        let expansion = expand_with("node:${NODE_VERSION:-20}-alpine", &[]);
        assert_eq!(expansion.value, "node:20-alpine");
        assert_eq!(expansion.unresolved, ["NODE_VERSION"]);
        assert_eq!(expansion.referenced, ["NODE_VERSION"]);
        assert_eq!(expansion.error, None);
        assert_eq!(
            value("node:${NODE_VERSION:-20}-alpine", &[("NODE_VERSION", "22")]),
            "node:22-alpine"
        );
    }

    #[test]
    fn plain_and_braced_variables() {
        let vars = [("A", "x"), ("B", "y y")];
        assert_eq!(value("$A/${A}/$A_b/${B}", &vars), "x/x//y y");
        assert_eq!(value("pre$A.post", &vars), "prex.post");
        let expansion = expand_with("$UNSET-end", &vars);
        assert_eq!(expansion.value, "-end");
        assert_eq!(expansion.unresolved, ["UNSET"]);
    }

    #[test]
    fn lone_dollar_is_literal() {
        assert_eq!(value("$", &[]), "$");
        assert_eq!(value("a$ b$/c", &[]), "a$ b$/c");
        assert_eq!(value("cost: 5$", &[]), "cost: 5$");
    }

    #[test]
    fn colon_forms_treat_empty_as_unset() {
        let vars = [("SET", "xxx"), ("EMPTY", "")];
        assert_eq!(value("${SET-a} ${EMPTY-b} ${UNSET-c}", &vars), "xxx  c");
        assert_eq!(value("${SET:-a} ${EMPTY:-b} ${UNSET:-c}", &vars), "xxx b c");
        assert_eq!(value("${SET+a} ${EMPTY+b} ${UNSET+c}", &vars), "a b ");
        assert_eq!(value("${SET:+a} ${EMPTY:+b} ${UNSET:+c}", &vars), "a  ");
        assert_eq!(value("${UNSET:-}", &vars), "");
    }

    #[test]
    fn fallback_words_are_expanded_and_unquoted() {
        let vars = [("B", "bee")];
        assert_eq!(value("${A:-$B}", &vars), "bee");
        assert_eq!(value("${A:-${B}-x}", &vars), "bee-x");
        assert_eq!(value("${A:-'a }b'}", &vars), "a }b");
        assert_eq!(value(r#"${A:-"q $B"}"#, &vars), "q bee");
        // Like BuildKit, a name used only in an unneeded fallback still counts.
        let expansion = expand_with("${B:-$C}", &vars);
        assert_eq!(expansion.value, "bee");
        assert_eq!(expansion.unresolved, ["C"]);
        assert_eq!(expansion.referenced, ["C", "B"]);
    }

    #[test]
    fn platform_style_optional_suffix() {
        let text =
            "app-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let all = [
            ("VERSION", "v1"),
            ("TARGETOS", "linux"),
            ("TARGETARCH", "arm"),
            ("TARGETVARIANT", "v7"),
        ];
        assert_eq!(value(text, &all), "app-v1.linux-arm-v7.tar.gz");
        assert_eq!(value(text, &all[..3]), "app-v1.linux-arm.tar.gz");
    }

    #[test]
    fn required_variables_report_their_message() {
        let set = [("VAR", "plain"), ("ARG", "x")];
        let empty = [("VAR", ""), ("ARG", "x")];
        let unset = [("ARG", "x")];
        assert_eq!(value("${VAR:?message here$ARG}", &set), "plain");
        assert_eq!(
            error("${VAR:?message here$ARG}", &empty),
            "VAR: message herex"
        );
        assert_eq!(
            error("${VAR:?message here$ARG}", &unset),
            "VAR: message herex"
        );
        assert_eq!(value("${VAR?message}", &set), "plain");
        assert_eq!(value("${VAR?message}", &empty), "");
        assert_eq!(error("${VAR?message}", &unset), "VAR: message");
        assert_eq!(error("${VAR:?}", &unset), "VAR: is not allowed to be unset");
        assert_eq!(error("${VAR:?}", &empty), "VAR: is not allowed to be empty");
    }

    #[test]
    fn prefix_and_suffix_removal() {
        let path = [("P", "/usr/local/lib/libfoo.so.1")];
        assert_eq!(value("${P#*/}", &path), "usr/local/lib/libfoo.so.1");
        assert_eq!(value("${P##*/}", &path), "libfoo.so.1");
        assert_eq!(value("${P%.*}", &path), "/usr/local/lib/libfoo.so");
        assert_eq!(value("${P%%.*}", &path), "/usr/local/lib/libfoo");
        assert_eq!(value("${P#nomatch}", &path), "/usr/local/lib/libfoo.so.1");

        let foo = [("FOO", "xxyy")];
        assert_eq!(value("${FOO#*x*y}", &foo), "y");
        assert_eq!(value("${FOO#*}", &foo), "xxyy");
        assert_eq!(value("${FOO##*x}", &foo), "yy");
        assert_eq!(value("${FOO#}", &foo), "xxyy");
        assert_eq!(value("${FOO##}", &foo), "xxyy");
        assert_eq!(value("${FOO%}", &foo), "xxyy");
        assert_eq!(value("${FOO%y}", &foo), "xxy");
        assert_eq!(
            value("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")]),
            "xyy"
        );
        assert_eq!(value("${ABC:-.}${FOO%x}${ABC:-.}", &foo), ".xxyy.");
        assert_eq!(value("${V#v}", &[("V", "v1.2.3")]), "1.2.3");
    }

    #[test]
    fn patterns_escape_wildcards_and_regex_characters() {
        assert_eq!(value(r"${FOO%%\**}", &[("FOO", "xx**")]), "xx");
        assert_eq!(value(r"${FOO%%\**\*}", &[("FOO", "a***yy*")]), "a");
        assert_eq!(value(r"${FOO#?\?}", &[("FOO", "???y")]), "?y");
        assert_eq!(
            value(r"${FOO#()[]{\}^$.\*\?|\\}", &[("FOO", r"()[]{}^$.*?|\x")]),
            "x"
        );
        assert_eq!(value("${FOO#??}", &[("FOO", "한국어")]), "어");
        assert_eq!(value("${FOO%?}", &[("FOO", "👽🚀🖖")]), "👽🚀");
        let bad = error(r"${FOO#\x}", &[("FOO", "x")]);
        assert!(bad.contains("invalid escape"), "{bad}");
    }

    #[test]
    fn pattern_substitution() {
        let wild = [("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")];
        assert_eq!(
            value("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", &wild),
            "/foo.*/*.txt - /foo..*.txt"
        );
        let tmp = [("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")];
        assert_eq!(
            value("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", &tmp),
            "/tmp/bar.txt - /bar.txt"
        );
        let any = [("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("R", "/")];
        assert_eq!(
            value("${FOO/$NEEDLE/$R} - ${FOO//$NEEDLE/$R}", &any),
            "/foo/b/c.txt - /foo/c.txt"
        );
        let url = [
            ("U", "http://example.com"),
            ("N", "http://"),
            ("R", "https://"),
        ];
        assert_eq!(value("${U/$N/$R}", &url), "https://example.com");
        // Escaped separators: the replacement keeps its escape, as in BuildKit.
        assert_eq!(
            value(r"${FOO//\//\/}", &[("FOO", "/tmp/foo.txt")]),
            r"\/tmp\/foo.txt"
        );
        assert_eq!(
            value("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")]),
            "wwxxyy"
        );
        assert_eq!(value("${FOO///}", &[("FOO", "xxyy")]), "xxyy");
        assert_eq!(value("${FOO///}", &[]), "");
        assert!(error("${FOO//ww}", &[("FOO", "xxyy")]).contains("missing '/'"));
        assert!(expand_with("${FOO//}", &[("FOO", "xxyy")]).error.is_some());
    }

    #[test]
    fn unsupported_modifiers_stay_as_written() {
        let expansion = expand_with("a-${FOO=aaa}-b", &[("FOO", "xxx")]);
        assert_eq!(expansion.value, "a-${FOO=aaa}-b");
        assert!(expansion
            .error
            .unwrap()
            .contains("unsupported modifier (=)"));
        assert_eq!(expansion.unresolved, ["FOO"]);
        let colon = expand_with("${FOO:=x}", &[]);
        assert_eq!(colon.value, "${FOO:=x}");
        assert!(colon.error.unwrap().contains("(:=)"));
        assert_eq!(expand_with("${FOO:}", &[]).value, "${FOO:}");
        assert_eq!(error("${}", &[]), "syntax error: bad substitution");
        assert_eq!(error("${:x}", &[]), "syntax error: bad substitution");
        assert_eq!(error("${ X}", &[]), "syntax error: bad substitution");
    }

    #[test]
    fn malformed_input_is_best_effort() {
        let open = expand_with("node:${VERSION", &[("VERSION", "20")]);
        assert_eq!(open.value, "node:${VERSION");
        assert_eq!(open.error.as_deref(), Some("syntax error: missing '}'"));
        assert_eq!(open.unresolved, ["VERSION"]);

        let bare = expand_with("x${", &[]);
        assert_eq!(bare.value, "x${");
        assert!(bare.error.is_some());

        let default_open = expand_with("${A:-b", &[]);
        assert_eq!(default_open.value, "${A:-b");
        assert!(default_open.error.is_some());

        let quote = expand_with("'abc", &[]);
        assert_eq!(quote.value, "abc");
        assert!(quote.error.unwrap().contains("single quote"));
        let dquote = expand_with("\"a $X", &[("X", "1")]);
        assert_eq!(dquote.value, "a 1");
        assert!(dquote.error.unwrap().contains("double quote"));

        // BuildKit drops a trailing escape without complaint.
        let trailing = expand_with("abc\\", &[]);
        assert_eq!(trailing.value, "abc");
        assert_eq!(trailing.error, None);
    }

    #[test]
    fn quotes_are_removed() {
        let vars = [("X", "ex")];
        assert_eq!(value("'$X'", &vars), "$X");
        assert_eq!(value("\"$X\"", &vars), "ex");
        assert_eq!(value("he'll'o", &vars), "hello");
        assert_eq!(value("\"it's\"", &vars), "it's");
        assert_eq!(value("'say \"hi\"'", &vars), "say \"hi\"");
        assert_eq!(value("a\"\"b''c", &vars), "abc");
    }

    #[test]
    fn escapes_outside_and_inside_double_quotes() {
        let vars = [("X", "ex")];
        assert_eq!(value(r"\$X", &vars), "$X");
        assert_eq!(value(r"a\ b", &vars), "a b");
        assert_eq!(value(r"\'$X\'", &vars), "'ex'");
        assert_eq!(value(r#""\$X \" \\ \n""#, &vars), r#"$X " \ \n"#);
        assert_eq!(value(r"C:\path", &vars), "C:path");
    }

    #[test]
    fn backtick_escape() {
        let vars = [("X", "ex")];
        let tick = |text: &str| {
            let expansion = expand_word(text, '`', &|name: &str| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            });
            expansion.value
        };
        assert_eq!(tick(r"C:\path\$X"), r"C:\path\ex");
        assert_eq!(tick("`$X"), "$X");
        assert_eq!(tick("\"a`\"b\""), "a\"b");
    }

    #[test]
    fn special_parameters_and_digits_are_names_to_buildkit() {
        let expansion = expand_with("$1$@x$#", &[]);
        assert_eq!(expansion.value, "x");
        assert_eq!(expansion.unresolved, ["1", "@", "#"]);
        assert_eq!(value("$12a", &[("12", "n")]), "na");
    }

    #[test]
    fn unicode_names() {
        assert_eq!(value("$KOREAN", &[("KOREAN", "한국어")]), "한국어");
        assert_eq!(value("${이름}", &[("이름", "v")]), "v");
        assert_eq!(value("$Ωmega!", &[("Ωmega", "w")]), "w!");
    }

    #[test]
    fn words_split_on_unquoted_whitespace_only() {
        assert_eq!(words("a b  c", &[]), ["a", "b", "c"]);
        assert_eq!(words("  lead trail  ", &[]), ["lead", "trail"]);
        assert_eq!(words("\"a b\" 'c d' e\\ f", &[]), ["a b", "c d", "e f"]);
        let vars = [("FILES", "one two")];
        assert_eq!(words("$FILES /dst/", &vars), ["one", "two", "/dst/"]);
        assert_eq!(words("\"$FILES\" /dst/", &vars), ["one two", "/dst/"]);
        assert_eq!(words("x${FILES}y", &vars), ["xone", "twoy"]);
        assert_eq!(words("${PORT:-80}/tcp 443", &[]), ["80/tcp", "443"]);
        assert!(words("\"\" ''", &[]).is_empty());
        assert!(words("$UNSET", &[]).is_empty());
    }

    #[test]
    fn value_keeps_inner_whitespace() {
        assert_eq!(value("a  b", &[]), "a  b");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "${A:-".repeat(10_000);
        let expansion = expand_with(&deep, &[]);
        assert!(expansion.error.is_some());
        let refs = references(&"\"$(".repeat(10_000), '\\');
        assert!(refs.is_empty());
    }

    #[test]
    fn references_find_names_and_spans() {
        let text = "node:${NODE_VERSION:-20} $HOME ${X}";
        let refs = references(text, '\\');
        assert_eq!(names(&refs), ["NODE_VERSION", "HOME", "X"]);
        assert_eq!(
            &text[refs[0].span.start..refs[0].span.end],
            "${NODE_VERSION:-20}"
        );
        assert_eq!(
            &text[refs[0].name_span.start..refs[0].name_span.end],
            "NODE_VERSION"
        );
        assert!(refs[0].has_fallback);
        assert_eq!(&text[refs[1].span.start..refs[1].span.end], "$HOME");
        assert!(!refs[1].has_fallback);
        assert_eq!(&text[refs[2].span.start..refs[2].span.end], "${X}");
    }

    #[test]
    fn references_know_which_forms_have_fallbacks() {
        let fallback = |text: &str| references(text, '\\')[0].has_fallback;
        assert!(fallback("${V:-x}"));
        assert!(fallback("${V-x}"));
        assert!(fallback("${V:+x}"));
        assert!(fallback("${V+x}"));
        assert!(fallback("${V:=x}"));
        assert!(!fallback("${V:?x}"));
        assert!(!fallback("${V#x}"));
        assert!(!fallback("${V/a/b}"));
        assert!(!fallback("${#V}"));
    }

    #[test]
    fn references_inside_fallbacks_are_found_in_order() {
        let text = "${A:-${B:-$C}}";
        let refs = references(text, '\\');
        assert_eq!(names(&refs), ["A", "B", "C"]);
        assert_eq!(refs[0].span, Span::new(0, text.len()));
        assert_eq!(&text[refs[2].span.start..refs[2].span.end], "$C");
        assert!(!refs[2].has_fallback);
    }

    #[test]
    fn references_skip_single_quotes_and_escapes() {
        let refs = references(r#"'$A' "$B '$C'" \$D $E"#, '\\');
        assert_eq!(names(&refs), ["B", "C", "E"]);
        assert_eq!(names(&references("`$A $B", '`')), ["B"]);
        assert_eq!(names(&references(r"\${A} $\{B}", '\\')), Vec::<&str>::new());
    }

    #[test]
    fn references_ignore_shell_special_parameters() {
        let refs = shell_references("echo $$ $0 $1 $9 $@ $* $# $? $! $- ${1} ${#} ${@} $ done");
        assert!(refs.is_empty(), "{refs:?}");
    }

    #[test]
    fn references_scan_command_substitution() {
        let text = r#"echo "$(cat '$NOPE' $FILE)" `basename $DIR` $((COUNT + $STEP))"#;
        let refs = shell_references(text);
        assert_eq!(names(&refs), ["FILE", "DIR", "STEP"]);
        let nested =
            shell_references(r#"x="$(printf '%s' "$(id -u $USER_NAME)")" && echo '$Y' $Z"#);
        assert_eq!(names(&nested), ["USER_NAME", "Z"]);
        // A parenthesised group inside a substitution does not end it.
        let group = shell_references("$( (cd $A) ) $B");
        assert_eq!(names(&group), ["A", "B"]);
    }

    #[test]
    fn references_length_and_indirection() {
        assert_eq!(
            names(&references("${#LIST} ${!REF} ${!PRE*}", '\\')),
            ["LIST", "REF"]
        );
    }

    #[test]
    fn shell_comments_hide_references() {
        let script = "apt-get install $PKG # not $THIS\n  # nor $THAT\n  && echo a#$REAL";
        assert_eq!(names(&shell_references(script)), ["PKG", "REAL"]);
        // Outside shell text `#` is ordinary.
        assert_eq!(names(&references("a #$X", '\\')), ["X"]);
    }

    #[test]
    fn unterminated_references_still_count() {
        let text = "${VERSION";
        let refs = references(text, '\\');
        assert_eq!(names(&refs), ["VERSION"]);
        assert_eq!(refs[0].span, Span::new(0, text.len()));
        assert!(references("${", '\\').is_empty());
        assert!(references("$", '\\').is_empty());
        assert!(references("\\", '\\').is_empty());
    }

    #[test]
    fn pattern_reversal_keeps_escape_pairs() {
        assert_eq!(reverse_pattern(r"a\*c"), r"c\*a");
        assert_eq!(reverse_pattern(r"\\\ab"), r"b\a\\");
        assert_eq!(reverse_pattern(r"ab\"), r"\ba");
        assert_eq!(reverse_pattern(r"\\b"), r"b\\");
        assert_eq!(reverse_pattern("👽\\🚀🖖"), "🖖\\🚀👽");
    }

    proptest! {
        #[test]
        fn expansion_never_panics(
            text in "\\PC*",
            escape in prop::sample::select(vec!['\\', '`']),
        ) {
            let expansion = expand_word(&text, escape, &|name: &str| {
                name.len().is_multiple_of(2).then(|| format!("<{name}>"))
            });
            for word in &expansion.words {
                prop_assert!(!word.is_empty());
            }
            for name in &expansion.unresolved {
                prop_assert!(expansion.referenced.contains(name));
            }
        }

        #[test]
        fn dollar_heavy_text_never_panics(text in "[${}:#%/?+\\-=*'\"\\\\`()a-c0-9 ]{0,40}") {
            let lookup = |name: &str| (name != "b").then(|| "x y".to_string());
            for escape in ['\\', '`'] {
                let expansion = expand_word(&text, escape, &lookup);
                if !text.contains('$') {
                    prop_assert!(expansion.referenced.is_empty());
                }
            }
            let refs = references(&text, '\\').into_iter().chain(shell_references(&text));
            for found in refs {
                prop_assert!(text[found.span.start..found.span.end].starts_with('$'));
                prop_assert!(!found.name.is_empty());
                prop_assert!(found.name.chars().all(is_name_char));
            }
        }

        #[test]
        fn references_have_valid_spans(text in "\\PC*") {
            let refs = references(&text, '\\').into_iter().chain(shell_references(&text));
            for found in refs {
                prop_assert!(found.span.start < found.name_span.start);
                prop_assert!(found.name_span.end <= found.span.end);
                prop_assert!(found.span.end <= text.len());
                prop_assert!(text.is_char_boundary(found.span.start));
                prop_assert!(text.is_char_boundary(found.span.end));
            }
        }

        #[test]
        fn text_without_specials_is_unchanged(text in "[a-zA-Z0-9_./:@ -]{0,40}") {
            let expansion = expand_word(&text, '\\', &|_: &str| None);
            prop_assert_eq!(expansion.value, text.clone());
            let split: Vec<String> = text.split_whitespace().map(String::from).collect();
            prop_assert_eq!(expansion.words, split);
            prop_assert!(references(&text, '\\').is_empty());
        }
    }
}
