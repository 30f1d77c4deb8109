//! Shell patterns of `${V#p}`, `${V%p}` and `${V/p/r}`, matched as regular expressions.

use regex::Regex;

/// A shell pattern (`*`, `?`, `\*`, `\?`, `\\`; no bracket expressions, like
/// BuildKit) as a regular expression.
pub(super) fn shell_pattern_regex(
    pattern: &str,
    greedy: bool,
    anchored: bool,
) -> Result<Regex, String> {
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

pub(super) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let regex = shell_pattern_regex(pattern, greedy, true)?;
    Ok(match regex.find(value) {
        Some(found) => value[found.end()..].to_string(),
        None => value.to_string(),
    })
}

/// The shortest rightmost match is found as the shortest leftmost match of the
/// reversed pattern in the reversed value.
pub(super) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let reversed_value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reversed_value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern but keeps each `\x` escape pair in order.
pub(super) fn reverse_pattern(pattern: &str) -> String {
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
