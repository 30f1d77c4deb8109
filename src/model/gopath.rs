//! Go's `path/filepath` rules that Docker applies to build-context paths: `Clean`
//! and `Match` (Unix flavour, `/` separator, `\` escapes).
//!
//! Docker validates `.dockerignore` patterns with `filepath.Match` and resolves
//! `COPY`/`ADD` wildcards with it, so the exact corner cases matter: `*` and `?`
//! never match `/`, a bracket class may (`[^a]` matches `/`), only `^` negates a
//! class (`[!a]` is the class of `!` and `a`), and a pattern is rejected as a
//! whole when any part of it is malformed.

/// `filepath.ErrBadPattern`: the pattern is malformed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

/// `filepath.Clean` for `/`-separated paths: collapse repeated slashes, drop `.`
/// elements, resolve `..` against the preceding element (or drop it at the root),
/// remove any trailing slash. The empty path cleans to `.`.
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    }
}

/// Whether a path element contains an unescaped `*`, `?` or `[` (BuildKit's
/// `containsWildcards`, which decides if a COPY source is a glob).
pub fn contains_wildcards(element: &str) -> bool {
    let bytes = element.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// `filepath.Match(pattern, name)`: does `name` match the shell pattern as a
/// whole? `Err(BadPattern)` when the pattern is malformed anywhere, even after
/// the point where matching already failed.
pub fn match_path(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let mut pattern = pattern.as_bytes();
    let mut name = name.as_bytes();
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` matches the rest of the name unless it has a `/`.
            return Ok(!name.contains(&b'/'));
        }
        let attempt = match_chunk(chunk, name);
        if let Ok(Some(remaining)) = attempt {
            // The last chunk must consume the whole name; otherwise a star may
            // still find a later position that does.
            if remaining.is_empty() || !pattern.is_empty() {
                name = remaining;
                continue;
            }
        }
        attempt?;
        if star {
            // Let the star swallow 1, 2, ... bytes, never crossing a `/`.
            let mut skip = 0;
            while skip < name.len() && name[skip] != b'/' {
                if let Some(remaining) = match_chunk(chunk, &name[skip + 1..])? {
                    if pattern.is_empty() && !remaining.is_empty() {
                        skip += 1;
                        continue;
                    }
                    name = remaining;
                    continue 'chunks;
                }
                skip += 1;
            }
        }
        // No match: still reject a malformed remainder, as Go does.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, b"")?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Split off the leading stars and the literal/class chunk that follows them.
fn scan_chunk(pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut pattern = pattern;
    let mut star = false;
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
        star = true;
    }
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // A trailing backslash is reported by `match_chunk`.
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'\\' => {}
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Match one chunk (no unbracketed `*`) at the start of `name`. `Ok(Some(rest))`
/// on success, `Ok(None)` on a mismatch. After a mismatch the rest of the chunk
/// is still parsed so that syntax errors are always reported.
fn match_chunk<'n>(chunk: &[u8], name: &'n [u8]) -> Result<Option<&'n [u8]>, BadPattern> {
    let mut chunk = chunk;
    let mut name = name;
    let mut failed = false;
    while let Some(&first) = chunk.first() {
        if !failed && name.is_empty() {
            failed = true;
        }
        match first {
            b'[' => {
                let mut rune = '\0';
                if !failed {
                    let (decoded, width) = decode_rune(name);
                    rune = decoded;
                    name = &name[width..];
                }
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&b'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut in_class = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&b'-') {
                        let (high, rest) = class_char(&chunk[1..])?;
                        hi = high;
                        chunk = rest;
                    }
                    if lo <= rune && rune <= hi {
                        in_class = true;
                    }
                    ranges += 1;
                }
                if in_class == negated {
                    failed = true;
                }
            }
            b'?' => {
                if !failed {
                    if name[0] == b'/' {
                        failed = true;
                    }
                    let (_, width) = decode_rune(name);
                    name = &name[width..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                if first == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if !failed {
                    if chunk[0] != name[0] {
                        failed = true;
                    }
                    name = &name[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(name) })
}

/// One possibly escaped character inside a bracket class. A class item may not
/// start with `-` or `]`, and the class must continue after it.
fn class_char(chunk: &[u8]) -> Result<(char, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        Some(_) => {}
    }
    let (rune, width) = decode_rune(chunk);
    if rune == char::REPLACEMENT_CHARACTER && width == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[width..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((rune, rest))
}

/// Decode the first UTF-8 character; an invalid byte decodes as U+FFFD with
/// width 1, like Go's `utf8.DecodeRune`.
pub fn decode_rune(bytes: &[u8]) -> (char, usize) {
    let Some(&lead) = bytes.first() else {
        return (char::REPLACEMENT_CHARACTER, 0);
    };
    let width = match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return (char::REPLACEMENT_CHARACTER, 1),
    };
    match bytes
        .get(..width)
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|s| s.chars().next())
    {
        Some(rune) => (rune, width),
        None => (char::REPLACEMENT_CHARACTER, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("/", "/"),
            ("//", "/"),
            ("a/", "a"),
            ("/a/", "/a"),
            ("./a", "a"),
            ("a/./b", "a/b"),
            ("a//b", "a/b"),
            ("a/../b", "b"),
            ("a/..", "."),
            ("../a", "../a"),
            ("../../a/../b", "../../b"),
            ("/../a", "/a"),
            ("/..", "/"),
            ("a/b/../../..", ".."),
            ("!..", "!.."),
            ("**/", "**"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn match_matches_go_table() {
        // Cases from Go's own filepath.Match behaviour.
        let cases: &[(&str, &str, Result<bool, BadPattern>)] = &[
            ("abc", "abc", Ok(true)),
            ("*", "abc", Ok(true)),
            ("*c", "abc", Ok(true)),
            ("a*", "a", Ok(true)),
            ("a*", "abc", Ok(true)),
            ("a*", "ab/c", Ok(false)),
            ("a*/b", "abc/b", Ok(true)),
            ("a*/b", "a/c/b", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", Ok(true)),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", Ok(false)),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", Ok(false)),
            ("a*b?c*x", "abxbbxdbxebxczzx", Ok(true)),
            ("a*b?c*x", "abxbbxdbxebxczzy", Ok(false)),
            ("ab[c]", "abc", Ok(true)),
            ("ab[b-d]", "abc", Ok(true)),
            ("ab[e-g]", "abc", Ok(false)),
            ("ab[^c]", "abc", Ok(false)),
            ("ab[^b-d]", "abc", Ok(false)),
            ("ab[^e-g]", "abc", Ok(true)),
            ("a\\*b", "a*b", Ok(true)),
            ("a\\*b", "ab", Ok(false)),
            ("a?b", "a☺b", Ok(true)),
            ("a[^a]b", "a☺b", Ok(true)),
            ("a???b", "a☺b", Ok(false)),
            ("a[^a][^a][^a]b", "a☺b", Ok(false)),
            ("[a-ζ]*", "α", Ok(true)),
            ("*[a-ζ]", "A", Ok(false)),
            ("a?b", "a/b", Ok(false)),
            ("a*b", "a/b", Ok(false)),
            ("[\\]a]", "]", Ok(true)),
            ("[\\-]", "-", Ok(true)),
            ("[x\\-]", "x", Ok(true)),
            ("[x\\-]", "-", Ok(true)),
            ("[x\\-]", "z", Ok(false)),
            ("[\\-x]", "x", Ok(true)),
            ("[\\-x]", "-", Ok(true)),
            ("[\\-x]", "a", Ok(false)),
            ("[]a]", "]", Err(BadPattern)),
            ("[-]", "-", Err(BadPattern)),
            ("[x-]", "x", Err(BadPattern)),
            ("[x-]", "-", Err(BadPattern)),
            ("[x-]", "z", Err(BadPattern)),
            ("[-x]", "x", Err(BadPattern)),
            ("[-x]", "-", Err(BadPattern)),
            ("[-x]", "a", Err(BadPattern)),
            ("\\", "a", Err(BadPattern)),
            ("[a-b-c]", "a", Err(BadPattern)),
            ("[", "a", Err(BadPattern)),
            ("[^", "a", Err(BadPattern)),
            ("[^bc", "a", Err(BadPattern)),
            ("a[", "a", Err(BadPattern)),
            ("a[", "ab", Err(BadPattern)),
            ("a[", "x", Err(BadPattern)),
            ("a/b[", "x", Err(BadPattern)),
            ("*x", "xxx", Ok(true)),
            // `!` is not a negation in Go: `[!a]` is the class of `!` and `a`.
            ("[!a]", "!", Ok(true)),
            ("[!a]", "b", Ok(false)),
            // A negated class may match the separator.
            ("a[^x]b", "a/b", Ok(true)),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(
                match_path(pattern, name),
                *want,
                "Match({pattern:?}, {name:?})"
            );
        }
    }

    #[test]
    fn wildcard_detection_honours_escapes() {
        assert!(contains_wildcards("*.go"));
        assert!(contains_wildcards("a?"));
        assert!(contains_wildcards("[ab]"));
        assert!(!contains_wildcards("plain"));
        assert!(!contains_wildcards("a\\*b"));
        assert!(contains_wildcards("a\\\\*"));
    }
}
