//! Exec form: BuildKit's JSON array of strings, with each string's span.

use std::borrow::Cow;

use super::{trim_start_space, RawWord};

/// Outcome of trying to read a JSON array of strings.
pub(crate) enum JsonArgs<'a> {
    Strings(Vec<RawWord<'a>>),
    /// Valid JSON array, but not all strings: an error in BuildKit.
    NotStrings,
    NotJson,
}

/// BuildKit's `parseJSON`: the text (after leading whitespace) must start with `[` and
/// begin with a JSON array; anything after the array is ignored, as Go's decoder does.
pub(crate) fn parse_json_array(text: &str, offset: usize) -> JsonArgs<'_> {
    let trimmed = trim_start_space(text);
    let lead = text.len() - trimmed.len();
    if !trimmed.starts_with('[') {
        return JsonArgs::NotJson;
    }
    if let Some(words) = plain_string_array(trimmed, offset + lead) {
        return JsonArgs::Strings(words);
    }
    // Strings straight into `String`s; only a failure needs the generic parse to tell
    // "not JSON" from "JSON, but not all strings".
    let mut stream = serde_json::Deserializer::from_str(trimmed).into_iter::<Vec<String>>();
    let values = match stream.next() {
        Some(Ok(values)) => values,
        _ => {
            let mut generic =
                serde_json::Deserializer::from_str(trimmed).into_iter::<serde_json::Value>();
            return match generic.next() {
                Some(Ok(serde_json::Value::Array(_))) => JsonArgs::NotStrings,
                _ => JsonArgs::NotJson,
            };
        }
    };
    let array_end = lead + stream.byte_offset();
    let spans = top_level_string_spans(&text[lead..array_end]);
    let words = values
        .into_iter()
        .zip(spans.into_iter().chain(std::iter::repeat((0, 0))))
        .map(|(text, (s, e))| RawWord {
            text: Cow::Owned(text),
            start: offset + lead + s,
            end: offset + lead + e,
        })
        .collect();
    JsonArgs::Strings(words)
}

/// The common exec form, read without a JSON parser: an array of strings whose only
/// escapes are `\"`, `\\`, `\/` and the one-letter controls. Anything else (`\u`
/// escapes, raw control characters, other values, a malformed array) returns `None` and
/// is left to serde_json, which decides exactly as Go's decoder does.
fn plain_string_array(array: &str, offset: usize) -> Option<Vec<RawWord<'_>>> {
    let bytes = array.as_bytes();
    let skip_space = |mut i: usize| {
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    let mut words = Vec::new();
    let mut i = skip_space(1);
    if bytes.get(i) == Some(&b']') {
        return Some(words);
    }
    loop {
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let start = i;
        i += 1;
        let content_start = i;
        let mut unescaped: Option<String> = None;
        let mut run_start = i;
        loop {
            match *bytes.get(i)? {
                b'"' => break,
                b'\\' => {
                    let decoded = match *bytes.get(i + 1)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        _ => return None,
                    };
                    let out = unescaped.get_or_insert_with(String::new);
                    out.push_str(&array[run_start..i]);
                    out.push(decoded);
                    i += 2;
                    run_start = i;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
        let text = match unescaped {
            None => Cow::Borrowed(&array[content_start..i]),
            Some(mut out) => {
                out.push_str(&array[run_start..i]);
                Cow::Owned(out)
            }
        };
        i += 1;
        words.push(RawWord {
            text,
            start: offset + start,
            end: offset + i,
        });
        i = skip_space(i);
        match bytes.get(i)? {
            b',' => i = skip_space(i + 1),
            b']' => return Some(words),
            _ => return None,
        }
    }
}

/// Byte ranges (quotes included) of the strings directly inside a JSON array text.
fn top_level_string_spans(array: &str) -> Vec<(usize, usize)> {
    let bytes = array.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            spans.push((start, (i + 1).min(bytes.len())));
        }
        i += 1;
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::words::texts;

    #[test]
    fn json_arrays_of_strings_are_exec_form() {
        let JsonArgs::Strings(words) = parse_json_array(r#" ["a", "b\"c"] trailing"#, 10) else {
            panic!("expected exec form");
        };
        assert_eq!(texts(&words), ["a", "b\"c"]);
        assert_eq!((words[0].start, words[0].end), (12, 15));
        assert!(matches!(parse_json_array("[1]", 0), JsonArgs::NotStrings));
        assert!(matches!(parse_json_array("[a]", 0), JsonArgs::NotJson));
    }

    /// The hand-read exec form gives what serde_json gives, spans included.
    #[test]
    fn plain_string_arrays_match_serde_json() {
        let cases = [
            r#"[]"#,
            r#"[ ]"#,
            r#"["a"]"#,
            r#"["a", "b c"]"#,
            "[\"a\",\n\t\"b\"] trailing",
            r#"["q\"uote", "back\\slash", "s\/lash", "\b\f\n\r\t"]"#,
            r#"["日本", "🐳"]"#,
            r#"["", ""]"#,
            r#"["a",]"#,
            r#"["a" "b"]"#,
            r#"["\u0041"]"#,
            r#"["\x"]"#,
            "[\"tab\there\"]",
            r#"["a", 1]"#,
            r#"["unterminated"#,
            r#"[["nested"]]"#,
        ];
        for case in cases {
            let Some(fast) = plain_string_array(case, 3) else {
                continue;
            };
            let mut stream = serde_json::Deserializer::from_str(case).into_iter::<Vec<String>>();
            let expected = stream.next().and_then(Result::ok);
            let texts: Vec<&str> = fast.iter().map(|w| w.text.as_ref()).collect();
            assert_eq!(
                Some(texts.iter().map(|t| t.to_string()).collect()),
                expected,
                "{case}"
            );
            let spans = top_level_string_spans(&case[..stream.byte_offset()]);
            let fast_spans: Vec<(usize, usize)> =
                fast.iter().map(|w| (w.start - 3, w.end - 3)).collect();
            assert_eq!(fast_spans, spans, "{case}");
        }
        for declined in [
            r#"["\u0041"]"#,
            r#"["a",]"#,
            r#"["a", 1]"#,
            "[\"tab\there\"]",
        ] {
            assert!(plain_string_array(declined, 0).is_none(), "{declined}");
        }
    }
}
