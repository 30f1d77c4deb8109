//! `data/debian-index-<suite>.tsv`: every Debian package a Dockerfile is likely
//! to install, with its Installed-Size and Depends/Recommends, derived from the
//! suite's package index by `scripts/derive-debian-packages.py`.
//!
//! Closures are taken once per layer against what the image already holds (the
//! base's packages and earlier layers'), so packages shared by several requested
//! ones (the library stack under `-dev` packages) count once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::range::KIB;

const BOOKWORM: &str = include_str!("../../data/debian-index-bookworm.tsv");
const TRIXIE: &str = include_str!("../../data/debian-index-trixie.tsv");
const NOBLE: &str = include_str!("../../data/debian-index-noble.tsv");
const RESOLUTE: &str = include_str!("../../data/debian-index-resolute.tsv");

/// A Debian or Ubuntu release with an embedded index (Ubuntu: `main` only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suite {
    Bookworm,
    Trixie,
    Noble,
    Resolute,
}

impl Suite {
    pub fn as_str(self) -> &'static str {
        match self {
            Suite::Bookworm => "bookworm",
            Suite::Trixie => "trixie",
            Suite::Noble => "noble",
            Suite::Resolute => "resolute",
        }
    }

    pub fn is_ubuntu(self) -> bool {
        matches!(self, Suite::Noble | Suite::Resolute)
    }

    /// `Debian bookworm`, `Ubuntu noble`.
    pub fn describe(self) -> String {
        let distribution = if self.is_ubuntu() { "Ubuntu" } else { "Debian" };
        format!("{distribution} {}", self.as_str())
    }

    /// The suite an image reference names (`bookworm`, `debian:12`), if any.
    pub fn named_in(reference: &str) -> Option<Suite> {
        let lower = reference.to_ascii_lowercase();
        let (repository, tag) = lower.rsplit_once(':').unwrap_or((&lower, "latest"));
        let words: Vec<&str> = tag.split(['-', '.', '_']).collect();
        if words.contains(&"bookworm") {
            return Some(Suite::Bookworm);
        }
        if words.contains(&"trixie") {
            return Some(Suite::Trixie);
        }
        if words.contains(&"noble") {
            return Some(Suite::Noble);
        }
        if words.contains(&"resolute") {
            return Some(Suite::Resolute);
        }
        match (repository.rsplit('/').next(), words.first().copied()) {
            (Some("debian"), Some("12")) => Some(Suite::Bookworm),
            (Some("debian"), Some("13")) => Some(Suite::Trixie),
            (Some("ubuntu"), Some("24")) => Some(Suite::Noble),
            (Some("ubuntu"), Some("26")) => Some(Suite::Resolute),
            _ => None,
        }
    }
}

/// One row: a package, or a virtual name (`provider` set, no size).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    name: String,
    kib: u64,
    depends: Vec<u32>,
    recommends: Vec<u32>,
    in_base: bool,
    is_virtual: bool,
}

/// One suite's index.
#[derive(Debug, Default)]
pub struct DebianIndex {
    rows: Vec<Row>,
    by_name: HashMap<String, u32>,
    /// The `Date:` of the suite's InRelease the table was derived from.
    pub date: String,
}

/// Packages held by an image, as row numbers of one index.
pub type Held = HashSet<u32>;

/// What one layer's install adds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerClosure {
    /// Installed-Size of every package new to the image, in bytes.
    pub bytes: u64,
    /// Rows new to the image.
    pub added: Vec<u32>,
    /// Requested names found.
    pub known: Vec<String>,
    /// Requested names not in the index (another repository, or a name dropped
    /// from the table).
    pub unknown: Vec<String>,
    /// Requested names already held (by the base or an earlier layer).
    pub already_held: Vec<String>,
}

impl DebianIndex {
    pub fn embedded(suite: Suite) -> &'static DebianIndex {
        static CELLS: [OnceLock<DebianIndex>; 4] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        let (cell, text) = match suite {
            Suite::Bookworm => (&CELLS[0], BOOKWORM),
            Suite::Trixie => (&CELLS[1], TRIXIE),
            Suite::Noble => (&CELLS[2], NOBLE),
            Suite::Resolute => (&CELLS[3], RESOLUTE),
        };
        cell.get_or_init(|| DebianIndex::parse(text))
    }

    /// Parses the table: a `#` comment line with the source date, a header line,
    /// then one row per package. Malformed lines are skipped.
    pub fn parse(text: &str) -> DebianIndex {
        let mut index = DebianIndex::default();
        let refs = |field: &str| -> Vec<u32> {
            field
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        };
        for line in text.lines() {
            if let Some(comment) = line.strip_prefix('#') {
                if let Some((_, date)) = comment.split_once("Date:") {
                    index.date = date.trim().to_string();
                }
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 5 || fields[0] == "package" {
                continue;
            }
            let Ok(kib) = fields[1].parse() else {
                continue;
            };
            let row = Row {
                name: fields[0].to_string(),
                kib,
                depends: refs(fields[2]),
                recommends: refs(fields[3]),
                in_base: fields[4].contains('b'),
                is_virtual: fields[4].contains('v'),
            };
            // Row numbers index every data row in order, so keep them aligned.
            let at = u32::try_from(index.rows.len()).unwrap_or(u32::MAX);
            index.by_name.insert(row.name.clone(), at);
            index.rows.push(row);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The packages of the suite's minimal base (`debian:<suite>-slim`).
    pub fn base(&self) -> Held {
        (0..self.rows.len())
            .filter(|&i| self.rows[i].in_base)
            .filter_map(|i| u32::try_from(i).ok())
            .collect()
    }

    /// The row of a requested name (version pins and architecture dropped;
    /// a virtual name resolves to its provider).
    fn find(&self, requested: &str) -> Option<u32> {
        let name = requested
            .split(['=', ':'])
            .next()
            .unwrap_or(requested)
            .trim();
        let at = *self.by_name.get(name)?;
        let row = self.rows.get(at as usize)?;
        if row.is_virtual {
            return row.depends.first().copied();
        }
        Some(at)
    }

    /// Adds `names` and what they need to `held`, without Recommends.
    pub fn hold(&self, held: &mut Held, names: &[&str]) {
        let names: Vec<String> = names.iter().map(|n| (*n).to_string()).collect();
        let closure = self.closure(&names, false, held);
        held.extend(closure.added);
    }

    /// What installing `names` adds to an image holding `held`: the union of
    /// their Depends (and Recommends when `recommends`), each package once.
    pub fn closure(&self, names: &[String], recommends: bool, held: &Held) -> LayerClosure {
        let mut result = LayerClosure::default();
        let mut stack = Vec::new();
        for requested in names {
            match self.find(requested) {
                Some(at) if held.contains(&at) => result.already_held.push(requested.clone()),
                Some(at) => {
                    result.known.push(requested.clone());
                    stack.push(at);
                }
                None => result.unknown.push(requested.clone()),
            }
        }
        let mut seen: HashSet<u32> = HashSet::new();
        while let Some(at) = stack.pop() {
            let Some(row) = self.rows.get(at as usize) else {
                continue;
            };
            let at = if row.is_virtual {
                match row.depends.first() {
                    Some(provider) => *provider,
                    None => continue,
                }
            } else {
                at
            };
            if held.contains(&at) || !seen.insert(at) {
                continue;
            }
            let Some(row) = self.rows.get(at as usize) else {
                continue;
            };
            result.bytes += row.kib * KIB;
            result.added.push(at);
            stack.extend(&row.depends);
            if recommends {
                stack.extend(&row.recommends);
            }
        }
        result
    }

    /// The name of a row.
    pub fn name(&self, at: u32) -> &str {
        self.rows.get(at as usize).map_or("", |r| r.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_string()).collect()
    }

    #[test]
    fn every_suite_loads_with_its_base() {
        for suite in [
            Suite::Bookworm,
            Suite::Trixie,
            Suite::Noble,
            Suite::Resolute,
        ] {
            let index = DebianIndex::embedded(suite);
            let least = if suite.is_ubuntu() { 4_000 } else { 20_000 };
            assert!(index.len() > least, "{suite:?}");
            assert!(!index.date.is_empty());
            let base = index.base();
            let names: HashSet<&str> = base.iter().map(|&i| index.name(i)).collect();
            for essential in ["libc6", "dpkg", "apt", "bash", "coreutils"] {
                assert!(names.contains(essential), "{suite:?}: {essential}");
            }
            // The slim base is small: no perl beyond perl-base, no usrmerge.
            assert!(!names.contains("usrmerge") && !names.contains("perl"));
            assert!((70..110).contains(&base.len()), "{}", base.len());
        }
    }

    #[test]
    fn a_shared_library_stack_counts_once() {
        let index = DebianIndex::embedded(Suite::Bookworm);
        let base = index.base();
        let one = |name: &str| index.closure(&strings(&[name]), false, &base).bytes;
        let both = index
            .closure(&strings(&["libxml2-dev", "libxslt1-dev"]), false, &base)
            .bytes;
        // libxslt1-dev depends on libxml2-dev: together they cost what it costs.
        assert_eq!(both, one("libxslt1-dev"));
        assert!(both < one("libxml2-dev") + one("libxslt1-dev"));
    }

    #[test]
    fn what_the_image_holds_costs_nothing() {
        let index = DebianIndex::embedded(Suite::Trixie);
        let mut held = index.base();
        let curl = index.closure(&strings(&["curl"]), false, &held);
        assert!(curl.bytes > 1_000_000);
        held.extend(curl.added);
        let again = index.closure(&strings(&["curl", "bash"]), false, &held);
        assert_eq!(again.bytes, 0);
        assert_eq!(again.already_held, strings(&["curl", "bash"]));
        // A pin and an architecture qualifier name the same package.
        let pinned = index.closure(&strings(&["curl=8.0-1", "curl:amd64"]), false, &held);
        assert_eq!(pinned.bytes, 0);
    }

    #[test]
    fn recommends_only_when_asked_and_unknown_names_are_reported() {
        let index = DebianIndex::embedded(Suite::Bookworm);
        let base = index.base();
        let names = strings(&["git", "mysql-community-server"]);
        let plain = index.closure(&names, false, &base);
        let with = index.closure(&names, true, &base);
        assert!(with.bytes > plain.bytes);
        assert_eq!(plain.unknown, strings(&["mysql-community-server"]));
    }

    #[test]
    fn suites_named_by_images() {
        assert_eq!(
            Suite::named_in("debian:bookworm-slim"),
            Some(Suite::Bookworm)
        );
        assert_eq!(
            Suite::named_in("python:3.13-slim-trixie"),
            Some(Suite::Trixie)
        );
        assert_eq!(Suite::named_in("debian:12.8"), Some(Suite::Bookworm));
        assert_eq!(Suite::named_in("node:22.1.0"), None);
        assert_eq!(Suite::named_in("ubuntu:24.04"), Some(Suite::Noble));
        assert_eq!(
            Suite::named_in("eclipse-temurin:21-jdk-resolute"),
            Some(Suite::Resolute)
        );
        assert_eq!(Suite::named_in("ubuntu:latest"), None);
    }
}
