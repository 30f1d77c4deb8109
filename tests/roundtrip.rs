//! The parser is lossless: for every fixture the tokens, concatenated, give back the
//! input byte for byte, and every node's span is in bounds and on character boundaries.
//!
//! With `DOCKSTAGE_CORPUS=<dir>` set, every file under that directory is checked too
//! (a collection of public Dockerfiles kept outside the repository).

mod parser_fixtures;
mod parser_invariants;

use dockstage::syntax::{parse, parse_bytes};

#[test]
fn every_fixture_round_trips() {
    let mut failures = Vec::new();
    for fixture in parser_fixtures::fixtures() {
        let file = parse_bytes(&fixture.bytes);
        // Invalid UTF-8 is replaced before parsing; the rest is kept as it is.
        let expected = String::from_utf8_lossy(&fixture.bytes);
        if parser_invariants::concat_tokens(&file) != expected {
            failures.push(format!(
                "{}: tokens do not reproduce the input",
                fixture.path
            ));
        }
        if let Ok(text) = std::str::from_utf8(&fixture.bytes) {
            assert_eq!(
                parser_invariants::concat_tokens(&file).as_bytes(),
                text.as_bytes(),
                "{}",
                fixture.path
            );
        }
        if let Err(e) = parser_invariants::check_all(&fixture.bytes, &file) {
            failures.push(format!("{}: {e}", fixture.path));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same fixtures with CRLF line endings and with a byte-order mark added.
#[test]
fn fixture_variants_round_trip() {
    let mut failures = Vec::new();
    for fixture in parser_fixtures::fixtures() {
        let Ok(text) = std::str::from_utf8(&fixture.bytes) else {
            continue;
        };
        let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
        let bom = format!("\u{feff}{text}");
        let no_final_newline = text.trim_end_matches(['\n', '\r']).to_string();
        for (variant, input) in [
            ("crlf", crlf),
            ("bom", bom),
            ("no final newline", no_final_newline),
        ] {
            let file = parse(&input);
            if let Err(e) = parser_invariants::check_all(input.as_bytes(), &file) {
                failures.push(format!("{} ({variant}): {e}", fixture.path));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every file under `DOCKSTAGE_CORPUS`, when it is set; nothing otherwise.
#[test]
fn corpus_round_trips() {
    let files = parser_fixtures::corpus_files();
    if files.is_empty() {
        eprintln!("DOCKSTAGE_CORPUS is not set (or empty): skipping the corpus");
        return;
    }
    let mut failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).expect("readable corpus file");
        let file = parse_bytes(&bytes);
        if let Err(e) = parser_invariants::check_all(&bytes, &file) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    eprintln!(
        "corpus: {} files, {} round-trip or span failures",
        files.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
