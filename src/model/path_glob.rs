//! Paths inside the image as components: resolved against a working directory,
//! matched with `*`/`?` globs one component at a time, and compared for containment.

/// `path` (which may end in glob components) is the added path or holds it.
pub fn covers(removed: &[String], added: &[String]) -> bool {
    !removed.is_empty()
        && removed.len() <= added.len()
        && removed
            .iter()
            .zip(added)
            .all(|(pattern, name)| glob_match(pattern, name))
}

pub fn strictly_under(path: &[String], dir: &[String]) -> bool {
    path.len() > dir.len() && path.iter().zip(dir).all(|(a, b)| a == b)
}

pub fn strictly_under_text(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Components of `path` resolved against `cwd`; `None` when it climbs above `/`
/// in a way we cannot follow.
pub fn resolve(cwd: &[String], path: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = if path.starts_with('/') {
        Vec::new()
    } else {
        cwd.to_vec()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            other => out.push(other.to_string()),
        }
    }
    Some(out)
}

pub fn has_glob(text: &str) -> bool {
    text.contains(['*', '?', '['])
}

/// `*` and `?` globbing within one path component.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|skip| go(rest, &t[skip..])),
            Some((b'?', rest)) => !t.is_empty() && go(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && go(rest, &t[1..]),
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}
