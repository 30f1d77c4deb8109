//! Property tests of the parser: whatever the bytes, it never panics, the tokens give
//! back the source, and every span is in bounds and on character boundaries.
//!
//! Inputs: arbitrary bytes, arbitrary strings, strings over a Dockerfile-flavoured
//! alphabet, and the parser fixtures mutated (bytes inserted or deleted, lines shuffled,
//! escape directives, heredoc markers and continuation characters spliced in).

mod parser_fixtures;
mod parser_invariants;

use std::sync::OnceLock;

use dockstage::syntax::{parse, parse_bytes};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

fn fixtures() -> &'static [Vec<u8>] {
    static FIXTURES: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        parser_fixtures::fixtures()
            .into_iter()
            .map(|f| f.bytes)
            .collect()
    })
}

/// Pieces that steer the parser into its less travelled paths.
const FRAGMENTS: &[&str] = &[
    "\\\n",
    "\\ \t\n",
    "`\n",
    "\\\\\n",
    "\\",
    "`",
    "\n",
    "\r\n",
    "\r",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "#escape = `\n",
    "# escape=x\n",
    "# syntax=docker/dockerfile:1\n",
    "# check=skip=all\n",
    "<<EOF\n",
    "<<-EOF\n",
    "<<'EOF'\n",
    "<<\"EOF\"\n",
    "3<<EOF ",
    "<<EOF <<END\n",
    "<<",
    "EOF\n",
    "\tEOF\n",
    "END\n",
    "RUN ",
    "COPY ",
    "ADD ",
    "FROM ",
    "ONBUILD ",
    "ENV ",
    "ARG ",
    "LABEL ",
    "HEALTHCHECK ",
    "--mount=type=cache,target=/x ",
    "--from=build ",
    "--\"a b\" ",
    "-- ",
    "[\"a\", \"b\"]",
    "[1, 2]",
    "[\"unterminated",
    "=",
    "\"",
    "'",
    "$",
    "${A:-b}",
    "{{ .Tag }}",
    " ",
    "\t",
    "\u{0b}",
    "\u{0c}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "\u{feff}",
    "é",
    "日本",
    "🐳",
    "\0",
];

#[derive(Clone, Debug)]
enum Mutation {
    InsertByte(usize, u8),
    InsertFragment(usize, usize),
    Delete(usize, usize),
    SwapLines(usize, usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::InsertByte(at, b)),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, f)| Mutation::InsertFragment(at, f)),
        (any::<usize>(), 1usize..8).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match *mutation {
        Mutation::InsertByte(i, b) => {
            let i = at(i, bytes.len());
            bytes.insert(i, b);
        }
        Mutation::InsertFragment(i, f) => {
            let i = at(i, bytes.len());
            bytes.splice(i..i, FRAGMENTS[f].bytes());
        }
        Mutation::Delete(i, n) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                let end = (i + n).min(bytes.len());
                bytes.drain(i..end);
            }
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                let (a, b) = (a % ls.len(), b % ls.len());
                ls.swap(a, b);
                bytes = ls.concat();
            }
        }
        Mutation::DuplicateLine(i) => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                let i = i % ls.len();
                ls.insert(i, ls[i].clone());
                bytes = ls.concat();
            }
        }
        Mutation::DeleteLine(i) => {
            let mut ls = lines(&bytes);
            if !ls.is_empty() {
                ls.remove(i % ls.len());
                bytes = ls.concat();
            }
        }
        Mutation::Truncate(i) => {
            let i = at(i, bytes.len());
            bytes.truncate(i);
        }
    }
    bytes
}

/// A fixture, possibly behind an escape directive, with up to a dozen mutations.
fn mutated_fixture() -> impl Strategy<Value = Vec<u8>> {
    let count = fixtures().len();
    let prefix = prop_oneof![
        Just(""),
        Just("# escape=`\n"),
        Just("# escape=\\\n"),
        Just("# escape = `\n\n"),
        Just("#escape=x\n"),
        Just("\u{feff}# escape=`\n"),
    ];
    (
        0..count,
        prefix,
        proptest::collection::vec(mutation(), 0..12),
    )
        .prop_map(|(index, prefix, mutations)| {
            let mut bytes = prefix.as_bytes().to_vec();
            bytes.extend_from_slice(&fixtures()[index]);
            mutations.iter().fold(bytes, apply)
        })
}

/// Text built from fragments and Dockerfile-ish characters.
fn dockerfile_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => (0..FRAGMENTS.len()).prop_map(|i| FRAGMENTS[i].to_string()),
        2 => "[A-Za-z0-9_./:@-]{1,12}",
        1 => "[ \t\\\\`#=<>\"'$\\[\\]{},\n-]{1,4}",
    ];
    proptest::collection::vec(piece, 0..64).prop_map(|pieces| pieces.concat())
}

fn check(input: &[u8]) -> Result<(), TestCaseError> {
    let file = parse_bytes(input);
    parser_invariants::check_all(input, &file).map_err(TestCaseError::fail)?;
    // Invalid UTF-8 is replaced; everything else is kept byte for byte.
    let tokens = parser_invariants::concat_tokens(&file);
    let expected = String::from_utf8_lossy(input);
    prop_assert_eq!(tokens.as_str(), expected.as_ref());
    Ok(())
}

proptest! {
    // Failures print the shrunk input; there is no `src/lib.rs` next to these tests for
    // proptest's regression files.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(input in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&input)?;
    }

    #[test]
    fn arbitrary_strings_round_trip(input in any::<String>()) {
        let file = parse(&input);
        parser_invariants::check_all(input.as_bytes(), &file).map_err(TestCaseError::fail)?;
        prop_assert_eq!(parser_invariants::concat_tokens(&file), input);
    }

    #[test]
    fn dockerfile_like_text_round_trips(input in dockerfile_like()) {
        check(input.as_bytes())?;
    }

    #[test]
    fn mutated_fixtures_never_panic(input in mutated_fixture()) {
        check(&input)?;
    }
}
