//! Reading a configuration past its unknown keys, so that one typo does not hide the
//! file's other mistakes (serde stops at the first unknown field).

use super::schema::RawConfig;

/// The configuration read from `text` with every unknown key set aside, and the
/// errors naming those keys. Each unknown key (or unknown table, with its keys) is
/// blanked with spaces, so the spans of later errors still point into `text`. Stops
/// at the first other error, or when blanking would leave invalid TOML.
pub(super) fn parse_past_unknown_keys(
    text: &str,
) -> (Result<RawConfig, toml::de::Error>, Vec<toml::de::Error>) {
    let mut current = text.to_string();
    let mut unknown = Vec::new();
    loop {
        let err = match toml::from_str::<RawConfig>(&current) {
            Ok(raw) => return (Ok(raw), unknown),
            Err(err) => err,
        };
        let is_unknown = err.message().starts_with("unknown field");
        let blanked = match (is_unknown, err.span()) {
            (true, Some(span)) if unknown.len() < 64 => blank_entry(&current, span.start),
            _ => None,
        };
        match blanked {
            Some(next) => {
                unknown.push(err);
                current = next;
            }
            // A first error is reported as it is; after unknown keys, an error of our
            // own blanking is not the user's and is dropped.
            None if unknown.is_empty() || current.parse::<toml::Table>().is_ok() => {
                return (Err(err), unknown)
            }
            None => return (Err(err), Vec::new()),
        }
    }
}

/// `text` with the entry at `at` replaced by spaces: its line, or a table header's
/// whole table; more lines while the value goes on (a multi-line array). `None` when
/// no blanking leaves valid TOML.
fn blank_entry(text: &str, at: usize) -> Option<String> {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(start);
    if text[start..].trim_start().starts_with('[') {
        // A table header: its keys go with it, up to the next header.
        while end < text.len() && !text[end + 1..].trim_start().starts_with('[') {
            end = line_end(end + 1);
        }
    }
    loop {
        let blanked: String = text[start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        let candidate = format!("{}{blanked}{}", &text[..start], &text[end..]);
        if candidate.parse::<toml::Table>().is_ok() {
            return Some(candidate);
        }
        if end >= text.len() {
            return None;
        }
        end = line_end(end + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_found_and_the_rest_is_read() {
        let text = "ignroe = [\"x\"]\nfail-level = \"error\"\n[severty]\nunused-stage = \"error\"\nbogus = [\n  1,\n]\n";
        let (raw, unknown) = parse_past_unknown_keys(text);
        let keys: Vec<&str> = unknown
            .iter()
            .map(|e| &text[e.span().expect("span")])
            .collect();
        assert_eq!(keys, ["ignroe", "severty"]);
        assert!(raw.is_ok());
    }

    #[test]
    fn a_syntax_error_is_reported_as_it_is() {
        let (raw, unknown) = parse_past_unknown_keys("fail-level = \n");
        assert!(raw.is_err());
        assert!(unknown.is_empty());
    }
}
