//! Shell words without a shell parser: a quote-aware split of a script into
//! simple commands, wrappers dropped, options read, `$NAME` expanded.

/// Arguments that are not options.
pub(super) fn positional(args: &[&str]) -> Vec<String> {
    args.iter()
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .map(|a| (*a).to_string())
        .collect()
}

/// `-o out` or `-o=out`.
pub(super) fn flag_value(args: &[&str], flag: &str) -> Option<String> {
    for (index, arg) in args.iter().enumerate() {
        if *arg == flag {
            return args.get(index + 1).map(|v| (*v).to_string());
        }
        if let Some(value) = arg.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// Drops `VAR=value` assignments and wrappers (`sudo`, `env`, `exec`, `time`, `xargs`,
/// `command`) in front of a command.
pub(super) fn strip_prefixes(words: &[String]) -> Vec<String> {
    let mut start = 0;
    while start < words.len() {
        let word = &words[start];
        let is_assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let is_wrapper = matches!(
            word.as_str(),
            "sudo"
                | "env"
                | "exec"
                | "time"
                | "command"
                | "nohup"
                | "!"
                | "then"
                | "do"
                | "else"
                | "{"
                | "("
        ) || (word == "xargs"
            || word.starts_with('-') && start > 0 && words[start - 1] == "xargs");
        if is_assignment || is_wrapper {
            start += 1;
        } else {
            break;
        }
    }
    words[start..].to_vec()
}

/// Splits a script into simple commands (lists of words with quotes removed).
/// Separators: newline, `;`, `&&`, `||`, `|`, `&`, `(`, `)` outside quotes.
/// Comments (`#` at a word start) run to the end of the line.
pub fn split_commands(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let finish_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(&n) = chars.peek() {
                                if matches!(n, '"' | '\\' | '$' | '`') {
                                    word.push(n);
                                    chars.next();
                                } else if n == '\n' {
                                    chars.next();
                                } else {
                                    word.push('\\');
                                }
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '#' if !in_word => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            ' ' | '\t' | '\r' => finish_word(&mut word, &mut in_word, &mut words),
            '\n' | ';' | '&' | '|' | '(' | ')' | '`' => {
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                // Command substitution: its commands are commands too.
                chars.next();
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    finish_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// Replaces `$NAME` and `${NAME}` with values from `lookup`; other forms and
/// unknown names are left as written.
pub fn expand_simple(script: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(script.len());
    let bytes = script.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'$' {
            let (name_start, braced) = if bytes.get(index + 1) == Some(&b'{') {
                (index + 2, true)
            } else {
                (index + 1, false)
            };
            let mut end = name_start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let closed = !braced || bytes.get(end) == Some(&b'}');
            if end > name_start && closed {
                if let Some(value) = lookup(&script[name_start..end]) {
                    out.push_str(&value);
                    index = if braced { end + 1 } else { end };
                    continue;
                }
            }
        }
        let ch = script[index..].chars().next().unwrap_or('\0');
        out.push(ch);
        index += ch.len_utf8().max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_expansion() {
        let lookup = |n: &str| (n == "V").then(|| "1.2".to_string());
        assert_eq!(
            expand_simple("a-$V-${V}-$W-${V:-x}", &lookup),
            "a-1.2-1.2-$W-${V:-x}"
        );
    }
}
