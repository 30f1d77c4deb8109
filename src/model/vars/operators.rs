//! The `${V<op>word}` forms: defaults, alternatives, required values, trimming
//! and substitution.

use super::expand::Expander;
use super::pattern::{shell_pattern_regex, trim_prefix, trim_suffix};

impl Expander<'_> {
    /// `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}`, `${V:?w}`, `${V?w}`, `${V#p}`,
    /// `${V##p}`, `${V%p}`, `${V%%p}`.
    pub(super) fn modifier(&mut self, start: usize, name: &str, operator: char) -> String {
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
    pub(super) fn substitution(&mut self, start: usize, name: &str) -> String {
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
    pub(super) fn unsupported(&mut self, start: usize, name: &str, shown: &str) -> String {
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
}
