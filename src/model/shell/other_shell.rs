//! Package-manager statements in a PowerShell or cmd script.
//!
//! A stage whose `SHELL` is PowerShell or cmd is not analysed as POSIX shell. One kind
//! of statement reads the same in all three languages: a language package manager run
//! with plain words (`pip install --no-cache-dir virtualenv`, `npm install -g yarn`),
//! and so does `cd dir`. Those statements are picked out, so that the package rules
//! (pins, caches) and cd-in-run see them as hadolint does; everything else in the
//! script stays unread.

use super::source_map::MappedText;

/// Programs whose command lines mean the same in PowerShell, cmd and sh when written
/// with plain words: language package managers, and `cd` (PowerShell's alias of
/// Set-Location). System package managers are left out: they do not run on Windows.
const PLAIN_PROGRAMS: &[&str] = &["pip", "pip3", "npm", "yarn", "pnpm", "gem", "cd"];

/// Characters that make a statement more than plain words in one of the languages:
/// pipes, blocks, variables (`$x`, `%x%`), escapes (`` ` ``, `^`, `\`), redirections.
const NOT_PLAIN: &[char] = &[
    '|', '{', '}', '(', ')', '$', '`', '<', '>', '%', '^', '\\', '@', '#',
];

/// The plain statements of `line` (see [`PLAIN_PROGRAMS`]), one per line, mapped to
/// the source.
pub(super) fn plain_statements(line: &MappedText) -> MappedText {
    let mut script = MappedText::default();
    for range in statements(&line.text) {
        let text = &line.text[range.clone()];
        if !is_plain_command(text) {
            continue;
        }
        let end = line
            .span(crate::diagnostic::Span::new(range.end, range.end))
            .start;
        script.push_part(line, range);
        script.push_synthetic("\n", end);
    }
    script
}

/// Byte ranges of the statements: split at `;`, `&` (cmd's `&`, `&&`; PowerShell 7's
/// `&&`), `||` and line ends outside quotes.
fn statements(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (i, ch) in text.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, ';' | '&' | '\n' | '\r') => {
                ranges.push(start..i);
                start = i + 1;
            }
            (None, '|') if text[i + 1..].starts_with('|') || text[..i].ends_with('|') => {
                ranges.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
    }
    ranges.push(start..text.len());
    ranges
        .into_iter()
        .filter_map(|range| {
            let piece = &text[range.clone()];
            let lead = piece.len() - piece.trim_start().len();
            let trail = piece.len() - piece.trim_end().len();
            (lead + trail < piece.len()).then(|| range.start + lead..range.end - trail)
        })
        .collect()
}

/// `pip install x==1`, `cd dir`: a known program, then words without variables, blocks, pipes
/// or escapes, and balanced quotes.
fn is_plain_command(statement: &str) -> bool {
    let program = statement.split_whitespace().next().unwrap_or("");
    let program = program.to_ascii_lowercase();
    let program = program.strip_suffix(".exe").unwrap_or(&program);
    PLAIN_PROGRAMS.contains(&program)
        && !statement.contains(NOT_PLAIN)
        && statement.matches('"').count().is_multiple_of(2)
        && statement.matches('\'').count().is_multiple_of(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Vec<&str> {
        statements(text)
            .into_iter()
            .map(|r| &text[r])
            .filter(|s| is_plain_command(s))
            .collect()
    }

    #[test]
    fn picks_plain_plain_statements_out_of_a_script() {
        assert_eq!(
            plain("$ErrorActionPreference = 'Stop'; npm install -g yarn ; Remove-Item x"),
            ["npm install -g yarn"]
        );
        assert_eq!(
            plain("pip install tox==2.1.1 virtualenv==13.1.2 && echo done"),
            ["pip install tox==2.1.1 virtualenv==13.1.2"]
        );
        assert_eq!(plain("pip.exe install 'a b'"), ["pip.exe install 'a b'"]);
        assert_eq!(plain("cd node ; git pull"), ["cd node"]);
    }

    #[test]
    fn leaves_statements_with_variables_pipes_or_blocks() {
        assert!(plain("pip install $env:PKG").is_empty());
        assert!(plain("npm install -g yarn | Out-Null").is_empty());
        assert!(plain("if ($x) { pip install a }").is_empty());
        assert!(plain("pip install %PKG%").is_empty());
        assert!(plain("Invoke-WebRequest https://x; choco install git").is_empty());
        assert!(plain("pip install \"a;b").is_empty());
        assert!(plain("cd src\\github.com").is_empty());
    }
}
