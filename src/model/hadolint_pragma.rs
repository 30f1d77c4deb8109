//! hadolint's comment pragmas, with its grammar (`Hadolint/Pragma.hs`):
//! `# hadolint ignore=DL3006,DL3008` (the next line), `# hadolint global ignore=...`
//! (the file), `# hadolint stage ignore=...` (the stage whose `FROM` follows), and
//! `# hadolint shell=powershell` (the shell RUN is written in). Spaces or tabs may
//! surround the words, the `=` and the commas, and a `# comment` may follow; a code
//! is a run of `D`, `L`, `S`, `C` and digits, so `dl3008` or a trailing word make the
//! comment no pragma at all, as in hadolint.

use crate::syntax::Dockerfile;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pragma {
    Ignore { scope: Scope, codes: Vec<String> },
    Shell(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The instruction that starts on the next line.
    NextLine,
    /// The instructions after the `FROM` on the next line, up to the next `FROM`.
    Stage,
    File,
}

/// The pragma in a comment's text (what follows `#`).
pub fn parse(comment: &str) -> Option<Pragma> {
    let rest = comment
        .trim_start_matches(is_space)
        .strip_prefix("hadolint")?;
    let after = rest.trim_start_matches(is_space);
    if after.len() == rest.len() {
        return None;
    }
    if let Some(shell) = after.strip_prefix("shell") {
        let shell = equals(shell)?;
        let end = shell.find([' ', '\t', '\n']).unwrap_or(shell.len());
        let (name, tail) = shell.split_at(end);
        return (!name.is_empty() && inline_comment(tail)).then(|| Pragma::Shell(name.to_string()));
    }
    let (scope, rest) = if let Some(rest) = keyword(after, "global") {
        (Scope::File, rest)
    } else if let Some(rest) = keyword(after, "stage") {
        (Scope::Stage, rest)
    } else {
        (Scope::NextLine, after)
    };
    let mut list = equals(rest.strip_prefix("ignore")?)?;
    let mut codes = Vec::new();
    loop {
        let end = list
            .find(|c: char| !matches!(c, 'D' | 'L' | 'S' | 'C' | '0'..='9'))
            .unwrap_or(list.len());
        if end == 0 {
            return None;
        }
        codes.push(list[..end].to_string());
        let tail = list[end..].trim_start_matches(is_space);
        match tail.strip_prefix(',') {
            Some(next) => list = next.trim_start_matches(is_space),
            None if inline_comment(tail) => break,
            None => return None,
        }
    }
    Some(Pragma::Ignore { scope, codes })
}

/// The shell a `# hadolint shell=` pragma anywhere in the file names, if any.
pub fn file_shell(file: &Dockerfile) -> Option<String> {
    file.comments
        .iter()
        .find_map(|c| match parse(file.text(c.text_span)) {
            Some(Pragma::Shell(shell)) => Some(shell),
            _ => None,
        })
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// `word` followed by at least one space.
fn keyword<'a>(text: &'a str, word: &str) -> Option<&'a str> {
    let rest = text.strip_prefix(word)?;
    let after = rest.trim_start_matches(is_space);
    (after.len() < rest.len()).then_some(after)
}

/// What follows `=` (spaces allowed around it).
fn equals(text: &str) -> Option<&str> {
    let rest = text.trim_start_matches(is_space).strip_prefix('=')?;
    Some(rest.trim_start_matches(is_space))
}

/// Nothing, or spaces and a `# comment`.
fn inline_comment(text: &str) -> bool {
    let text = text.trim_start_matches(is_space);
    text.is_empty() || text.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignore(scope: Scope, codes: &[&str]) -> Option<Pragma> {
        Some(Pragma::Ignore {
            scope,
            codes: codes.iter().map(|c| c.to_string()).collect(),
        })
    }

    #[test]
    fn reads_hadolints_grammar() {
        assert_eq!(
            parse("hadolint ignore=DL3006,DL3008"),
            ignore(Scope::NextLine, &["DL3006", "DL3008"])
        );
        assert_eq!(
            parse("hadolint ignore = DL3008 , SC2086 # why"),
            ignore(Scope::NextLine, &["DL3008", "SC2086"])
        );
        assert_eq!(
            parse("hadolint global ignore=DL3059"),
            ignore(Scope::File, &["DL3059"])
        );
        assert_eq!(
            parse("hadolint\tstage  ignore=DL3008"),
            ignore(Scope::Stage, &["DL3008"])
        );
        assert_eq!(
            parse("hadolint shell=powershell"),
            Some(Pragma::Shell("powershell".into()))
        );
    }

    #[test]
    fn what_hadolint_does_not_read_is_no_pragma() {
        // hadolint 2.15.1 keeps reporting DL3015 under each of these.
        for text in [
            "hadolint ignore=DL3015 trailing",
            "hadolint ignore=dl3015",
            "hadolintignore=DL3015",
            "hadolint ignore=",
            "Hadolint ignore=DL3015",
            "hadolint global ignore DL3015",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
