//! `data/size-heuristics.tsv`: rules of thumb for what the tables do not cover:
//! toolchain downloads, Alpine/Fedora/PyPI packages, build outputs and caches.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::range::Bytes;

const TABLE: &str = include_str!("../../data/size-heuristics.tsv");

/// One row: a size guess with its interval and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Heuristic {
    pub kind: String,
    pub key: String,
    /// For `cache` rows about pip and npm this is a fraction, not bytes.
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub note: String,
}

impl Heuristic {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn bytes(&self) -> Bytes {
        Bytes::range(self.low as u64, self.value as u64, self.high as u64)
    }
}

/// The embedded heuristics, by kind and key.
#[derive(Debug, Default)]
pub struct Heuristics {
    rows: HashMap<(String, String), Heuristic>,
    /// `download` rows in table order: URL substrings.
    downloads: Vec<Heuristic>,
}

impl Heuristics {
    pub fn embedded() -> &'static Heuristics {
        static CELL: OnceLock<Heuristics> = OnceLock::new();
        CELL.get_or_init(|| Heuristics::parse(TABLE))
    }

    pub fn parse(text: &str) -> Heuristics {
        let mut table = Heuristics::default();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 5 {
                continue;
            }
            let number = |s: &str| s.trim().parse::<f64>().ok();
            let (Some(value), Some(low), Some(high)) =
                (number(fields[2]), number(fields[3]), number(fields[4]))
            else {
                continue;
            };
            let row = Heuristic {
                kind: fields[0].to_string(),
                key: fields[1].to_string(),
                value,
                low,
                high,
                note: fields.get(5).copied().unwrap_or("").to_string(),
            };
            if row.kind == "download" {
                table.downloads.push(row.clone());
            }
            table.rows.insert((row.kind.clone(), row.key.clone()), row);
        }
        table
    }

    /// The row for `kind`/`key`, falling back to the kind's `*` row.
    pub fn get(&self, kind: &str, key: &str) -> Option<&Heuristic> {
        self.rows
            .get(&(kind.to_string(), key.to_string()))
            .or_else(|| self.rows.get(&(kind.to_string(), "*".to_string())))
    }

    /// The typical bytes a package-manager cache left in a layer costs
    /// (`apt-lists`, `apk`, `dnf`); `None` for caches sized relative to what was
    /// installed (`pip`, `npm`) and unknown kinds.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn typical_cache_bytes(&self, cache: &str) -> Option<u64> {
        self.exact("cache", cache)
            .filter(|row| row.value >= 1.0)
            .map(|row| row.value as u64)
    }

    /// The exact row, without the `*` fallback.
    pub fn exact(&self, kind: &str, key: &str) -> Option<&Heuristic> {
        self.rows.get(&(kind.to_string(), key.to_string()))
    }

    /// Download rows whose URL fragment occurs in `text`, each once, in table order.
    /// A `*` in a fragment stands for any run of characters within one word
    /// (`github.com/adoptium/*-jre_`). Rows describing the same thing (two hosts of
    /// one tool, or a specific row before its generic one) count once: the first wins.
    pub fn downloads_in(&self, text: &str) -> Vec<&Heuristic> {
        let lower = text.to_ascii_lowercase();
        let mut found: Vec<&Heuristic> = Vec::new();
        for row in &self.downloads {
            if fragment_occurs(&lower, &row.key)
                && !found
                    .iter()
                    .any(|f| f.note == row.note || same_tool(f, row))
            {
                found.push(row);
            }
        }
        found
    }
}

/// Two download rows for the same tool: same figures, or the same host and path
/// before the first `*` (a specific row and its generic fallback).
fn same_tool(a: &Heuristic, b: &Heuristic) -> bool {
    #[allow(clippy::float_cmp)]
    let same = a.value == b.value && a.low == b.low && a.high == b.high;
    let stem = |key: &str| key.split('*').next().unwrap_or(key).to_string();
    same || stem(&a.key).starts_with(&stem(&b.key)) || stem(&b.key).starts_with(&stem(&a.key))
}

/// `pattern` occurs in `text`, its `*`s matching runs of non-space characters.
fn fragment_occurs(text: &str, pattern: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let rest: Vec<&str> = pieces.collect();
    text.match_indices(first).any(|(start, _)| {
        let mut at = start + first.len();
        rest.iter().all(|piece| {
            let word_end = text[at..]
                .find(char::is_whitespace)
                .map_or(text.len(), |end| at + end);
            match text[at..word_end].find(piece) {
                Some(offset) => {
                    at += offset + piece.len();
                    true
                }
                None => false,
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_loads_with_fallbacks() {
        let table = Heuristics::embedded();
        assert!(table.exact("apk", "build-base").is_some());
        assert_eq!(
            table.get("apk", "no-such").map(|r| r.key.as_str()),
            Some("*")
        );
        assert!(table.get("nothing", "x").is_none());
    }

    #[test]
    fn typical_cache_sizes_are_absolute_rows_only() {
        let table = Heuristics::embedded();
        assert!(table
            .typical_cache_bytes("apt-lists")
            .is_some_and(|b| b > 1_000_000));
        assert_eq!(table.typical_cache_bytes("pip"), None);
        assert_eq!(table.typical_cache_bytes("no-such-cache"), None);
    }

    #[test]
    fn downloads_are_found_by_url_fragment_once_per_tool() {
        let table = Heuristics::embedded();
        let found = table.downloads_in(
            "curl -fsSL https://go.dev/dl/go1.23.linux-amd64.tar.gz https://dl.google.com/go/x",
        );
        assert_eq!(found.len(), 1);
    }

    #[test]
    fn wildcard_fragments_tell_a_jre_from_a_jdk() {
        let table = Heuristics::embedded();
        let jre = table.downloads_in(
            "wget https://github.com/adoptium/temurin21-binaries/releases/download/x/OpenJDK21U-jre_x64_linux.tar.gz",
        );
        assert_eq!(jre.len(), 1);
        assert!(jre[0].note.contains("JRE"), "{:?}", jre[0]);
        let jdk = table.downloads_in(
            "wget https://github.com/adoptium/temurin17-binaries/releases/download/x/OpenJDK17U-jdk_x64_linux.tar.gz",
        );
        assert_eq!(jdk.len(), 1);
        assert!(jdk[0].note.contains("JDK tarball"), "{:?}", jdk[0]);
        // The `*` does not reach across words.
        assert!(!fragment_occurs(
            "github.com/adoptium/x y-jre_",
            "github.com/adoptium/*-jre_"
        ));
    }
}
