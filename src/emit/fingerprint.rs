//! Stable fingerprints of findings, shared by SARIF and GitLab Code Quality.
//!
//! A finding keeps its fingerprint when unrelated lines are inserted or removed
//! above it, when its line is re-indented, and across runs on other machines. The
//! scheme, version 1:
//!
//! 1. **Line hash**: FNV-1a 64-bit over the UTF-8 bytes of the rule code, one NUL
//!    byte, then the text of the line holding the start of the primary span with
//!    every whitespace character removed. Written as 16 lowercase hex digits.
//! 2. **Occurrence**: among the file's findings sorted by
//!    [`FileReport::sorted_diagnostics`], the 1-based count of findings with the
//!    same line hash up to and including this one (two identical `RUN` lines each
//!    keep their own fingerprint).
//! 3. SARIF's `partialFingerprints.primaryLocationLineHash` is `HASH:OCCURRENCE`
//!    (the form GitHub code scanning uses for that key, so it does not compute its
//!    own). GitLab's `fingerprint` is FNV-1a 128-bit over the path, a NUL byte and
//!    that same `HASH:OCCURRENCE` string, as 32 hex digits.
//!
//! The message is not part of it: rewording a message does not reopen an alert.

use super::FileReport;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

/// The fingerprint of one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub line_hash: u64,
    pub occurrence: usize,
}

impl Fingerprint {
    /// `HASH:OCCURRENCE`, SARIF's `primaryLocationLineHash`.
    pub fn line_hash_key(&self) -> String {
        format!("{:016x}:{}", self.line_hash, self.occurrence)
    }

    /// 32 hex digits, unique per file, path and finding: GitLab's `fingerprint`.
    pub fn with_path(&self, path: &str) -> String {
        let mut bytes = Vec::with_capacity(path.len() + 40);
        bytes.extend_from_slice(path.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(self.line_hash_key().as_bytes());
        format!("{:032x}", fnv1a_128(&bytes))
    }
}

/// The fingerprints of a file's diagnostics, in [`FileReport::sorted_diagnostics`]
/// order.
pub(crate) fn fingerprints<'a>(
    file: &'a FileReport,
    sorted: &[&'a Diagnostic],
) -> Vec<Fingerprint> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    sorted
        .iter()
        .map(|diagnostic| {
            let line_hash = line_hash(
                diagnostic.code,
                file.line_text(file.clamp(diagnostic.span).start),
            );
            let occurrence = seen.entry(line_hash).or_insert(0);
            *occurrence += 1;
            Fingerprint {
                line_hash,
                occurrence: *occurrence,
            }
        })
        .collect()
}

fn line_hash(code: &str, line: &str) -> u64 {
    let mut bytes = Vec::with_capacity(code.len() + 1 + line.len());
    bytes.extend_from_slice(code.as_bytes());
    bytes.push(0);
    for ch in line.chars().filter(|ch| !ch.is_whitespace()) {
        let mut buffer = [0; 4];
        bytes.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
    }
    fnv1a_64(&bytes)
}

fn fnv1a_64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Severity, Span};

    fn fingerprints_of(source: &str, spans: &[Span]) -> Vec<String> {
        let diagnostics = spans
            .iter()
            .map(|&span| Diagnostic::new("rule", "DS999", Severity::Warning, span, "m"))
            .collect();
        let file = FileReport::new("Dockerfile", source, diagnostics);
        let sorted = file.sorted_diagnostics();
        fingerprints(&file, &sorted)
            .iter()
            .map(Fingerprint::line_hash_key)
            .collect()
    }

    #[test]
    fn known_vectors() {
        // Published FNV-1a test vectors.
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a_128(b""), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1a_128(b"a"), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }

    #[test]
    fn stable_when_lines_are_inserted_above_or_reindented() {
        let before = fingerprints_of("FROM a\nRUN make\n", &[Span::new(7, 10)]);
        let after = fingerprints_of("# hi\n\nFROM a\n    RUN   make\n", &[Span::new(17, 20)]);
        assert_eq!(before, after);
    }

    #[test]
    fn identical_lines_are_counted() {
        let source = "RUN make\nRUN make\n";
        let prints = fingerprints_of(source, &[Span::new(9, 12), Span::new(0, 3)]);
        assert!(prints[0].ends_with(":1"));
        assert!(prints[1].ends_with(":2"));
        assert_eq!(prints[0][..16], prints[1][..16]);
    }

    #[test]
    fn the_path_changes_the_gitlab_fingerprint() {
        let print = Fingerprint {
            line_hash: 1,
            occurrence: 1,
        };
        assert_ne!(
            print.with_path("a/Dockerfile"),
            print.with_path("b/Dockerfile")
        );
        assert_eq!(print.with_path("a").len(), 32);
    }
}
