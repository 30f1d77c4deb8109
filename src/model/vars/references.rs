//! Finding variable references and their spans, without expanding them.

use super::names::{is_name_char, is_name_start, is_special_parameter};
use super::nesting::MAX_NESTING;
use crate::diagnostic::Span;

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
