//! `data/debian-packages.tsv`: installed sizes of Debian bookworm packages and
//! their dependency closures over `debian:bookworm-slim`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::range::{Bytes, KIB};

const TABLE: &str = include_str!("../../data/debian-packages.tsv");

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebianPackage {
    pub name: String,
    pub installed_kib: u64,
    pub depends: Vec<String>,
    /// The package plus every dependency not already in bookworm-slim, without Recommends.
    pub closure_kib: u64,
    /// The same with Recommends (what a plain `apt-get install` pulls).
    pub closure_with_recommends_kib: u64,
    /// A virtual or transitional name resolved to this real package.
    pub provided_by: Option<String>,
}

/// The embedded table, indexed by package name.
#[derive(Debug, Default)]
pub struct DebianPackages {
    rows: HashMap<String, DebianPackage>,
}

/// The size of a set of packages installed together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AptClosure {
    pub size: Bytes,
    /// Requested names found in the table.
    pub known: Vec<String>,
    /// Requested names the table does not know.
    pub unknown: Vec<String>,
}

impl DebianPackages {
    /// The table embedded in the binary.
    pub fn embedded() -> &'static DebianPackages {
        static TABLE_CELL: OnceLock<DebianPackages> = OnceLock::new();
        TABLE_CELL.get_or_init(|| DebianPackages::parse(TABLE))
    }

    /// Parses the tab-separated table (header line first). Malformed lines are skipped.
    pub fn parse(text: &str) -> DebianPackages {
        let mut rows = HashMap::new();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() < 9 {
                continue;
            }
            let number = |s: &str| s.trim().parse::<u64>().ok();
            let (Some(installed), Some(closure)) = (number(fields[2]), number(fields[6])) else {
                continue;
            };
            let with_recommends = number(fields[8]).unwrap_or(closure).max(closure);
            let row = DebianPackage {
                name: fields[0].to_string(),
                installed_kib: installed,
                depends: fields[3]
                    .split(',')
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect(),
                closure_kib: closure,
                closure_with_recommends_kib: with_recommends,
                provided_by: Some(fields[7].to_string()).filter(|p| !p.is_empty()),
            };
            rows.insert(row.name.clone(), row);
        }
        DebianPackages { rows }
    }

    pub fn get(&self, name: &str) -> Option<&DebianPackage> {
        self.rows.get(name)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Looks a requested name up, dropping an `=version` pin or `:arch` suffix.
    fn lookup(&self, requested: &str) -> Option<&DebianPackage> {
        let name = requested
            .split(['=', ':'])
            .next()
            .unwrap_or(requested)
            .trim();
        self.get(name)
    }

    /// The bytes `apt-get install` adds to `debian:bookworm-slim` for these packages.
    ///
    /// Closures overlap (gcc and g++ share most of theirs) and the table lists
    /// dependencies only partly, so the union is estimated: a requested package that
    /// another requested package depends on (through the table) adds nothing; of
    /// the rest, the largest closure counts whole and the others 85 % (low: the
    /// largest or 60 % of the sum, high: the plain sum).
    pub fn closure(&self, packages: &[String], recommends: bool) -> AptClosure {
        let mut known = Vec::new();
        let mut unknown = Vec::new();
        for requested in packages {
            match self.lookup(requested) {
                Some(row) => {
                    if !known.contains(&row.name) {
                        known.push(row.name.clone());
                    }
                }
                None => unknown.push(requested.clone()),
            }
        }
        // Packages reachable from another requested package.
        let mut covered: HashSet<&str> = HashSet::new();
        for name in &known {
            let mut stack: Vec<&str> = self.rows[name].depends.iter().map(String::as_str).collect();
            let mut seen: HashSet<&str> = HashSet::new();
            while let Some(dep) = stack.pop() {
                if !seen.insert(dep) {
                    continue;
                }
                covered.insert(dep);
                if let Some(row) = self.rows.get(dep) {
                    stack.extend(row.depends.iter().map(String::as_str));
                }
            }
        }
        let mut closures: Vec<u64> = known
            .iter()
            .filter(|name| !covered.contains(name.as_str()))
            .map(|name| {
                let row = &self.rows[name];
                let kib = if recommends {
                    row.closure_with_recommends_kib
                } else {
                    row.closure_kib
                };
                kib * KIB
            })
            .collect();
        closures.sort_unstable_by(|a, b| b.cmp(a));
        let sum: u64 = closures.iter().sum();
        let largest = closures.first().copied().unwrap_or(0);
        let rest = sum - largest;
        let bytes = largest + super::range::scale(rest, 0.85);
        let low = largest.max(super::range::scale(sum, 0.6));
        AptClosure {
            size: Bytes::range(low, bytes, sum),
            known,
            unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_loads() {
        let table = DebianPackages::embedded();
        assert!(table.len() > 400);
        assert_eq!(table.get("make").map(|r| r.closure_kib), Some(1592));
    }

    #[test]
    fn a_package_required_by_another_requested_one_adds_nothing() {
        let table = DebianPackages::embedded();
        let alone = table.closure(&["build-essential".into()], false);
        let both = table.closure(
            &["build-essential".into(), "gcc".into(), "make".into()],
            false,
        );
        assert_eq!(alone.size, both.size);
        assert_eq!(alone.size.bytes, 315_402 * 1024);
    }

    #[test]
    fn recommends_grow_the_closure_and_pins_are_ignored() {
        let table = DebianPackages::embedded();
        let plain = table.closure(&["curl=7.88.1-10".into()], false);
        let with = table.closure(&["curl".into()], true);
        assert!(with.size.bytes > plain.size.bytes);
        assert!(plain.unknown.is_empty());
    }

    #[test]
    fn unknown_packages_are_reported() {
        let table = DebianPackages::embedded();
        let result = table.closure(&["no-such-package".into()], false);
        assert_eq!(result.unknown, vec!["no-such-package".to_string()]);
        assert!(result.size.is_zero());
    }
}
