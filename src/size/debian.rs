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

/// What recommended packages add to an install.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecommendsExtra {
    pub bytes: u64,
    /// Every requested package is in the table: a zero is known to be zero.
    pub all_known: bool,
}

/// Packages that are the Recommends of many others (`wget`, `curl`'s and
/// `ldap`'s libraries, `git`, `nodejs`): the ones an image that already holds
/// them saves. Kept short: the table does not say which packages recommend them.
const OFTEN_RECOMMENDED: &[&str] = &[
    "ca-certificates",
    "openssl",
    "publicsuffix",
    "libsasl2-modules",
    "libldap-common",
    "krb5-locales",
];

/// Virtual package names apt resolves to one real package on Debian.
const VIRTUAL_PACKAGES: &[(&str, &str)] = &[
    ("libc-dev", "libc6-dev"),
    ("libz-dev", "zlib1g-dev"),
    ("libncursesw-dev", "libncurses-dev"),
];

/// The size of a set of packages installed together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AptClosure {
    pub size: Bytes,
    /// Requested names found in the table.
    pub known: Vec<String>,
    /// Requested names the table does not know.
    pub unknown: Vec<String>,
    /// Versioned names sized by another version of the same package
    /// (`postgresql-18 as postgresql`, `openjdk-21-jdk as openjdk-17-jdk`).
    pub stand_ins: Vec<String>,
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
    /// A virtual name (`libc-dev`) is its real package.
    fn lookup(&self, requested: &str) -> Option<&DebianPackage> {
        let name = plain_name(requested);
        self.get(name).or_else(|| {
            VIRTUAL_PACKAGES
                .iter()
                .find(|(virtual_name, _)| *virtual_name == name)
                .and_then(|(_, real)| self.get(real))
        })
    }

    /// Another version of a versioned package: the same name with other numbers
    /// (the highest the table has), else the name without its version suffix.
    fn stand_in(&self, requested: &str) -> Option<&DebianPackage> {
        let name = plain_name(requested);
        let shape = digits_masked(name);
        if shape == name {
            return None;
        }
        let same_shape = self
            .rows
            .values()
            .filter(|row| digits_masked(&row.name) == shape)
            .max_by(|a, b| version_key(&a.name).cmp(&version_key(&b.name)));
        same_shape.or_else(|| {
            let unversioned = name
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim_end_matches('-');
            (unversioned != name && !unversioned.is_empty())
                .then(|| self.get(unversioned))
                .flatten()
        })
    }

    /// What installing recommended packages too adds for these packages (the
    /// closure with Recommends less the closure without), on an image that
    /// already holds `held` (packages of the base image or installed before):
    /// a held package that is often recommended and that the difference can
    /// hold is taken to be among the recommended ones and adds nothing (the
    /// table does not list Recommends). `None` when the table knows none of them.
    pub fn recommends_bytes(
        &self,
        packages: &[String],
        held: &[String],
    ) -> Option<RecommendsExtra> {
        let without = self.closure(packages, false);
        if without.known.is_empty() {
            return None;
        }
        let with = self.closure(packages, true);
        let mut bytes = with.size.bytes.saturating_sub(without.size.bytes);
        let needed = self.reachable(&without.known);
        let mut counted: HashSet<&str> = HashSet::new();
        for name in held {
            if !OFTEN_RECOMMENDED.contains(&plain_name(name)) {
                continue;
            }
            let Some(row) = self.lookup(name) else {
                continue;
            };
            if needed.contains(row.name.as_str()) || !counted.insert(row.name.as_str()) {
                continue;
            }
            let kib = row.closure_kib * KIB;
            if kib > 0 && kib <= bytes {
                bytes -= kib;
            }
        }
        Some(RecommendsExtra {
            bytes,
            all_known: without.unknown.is_empty(),
        })
    }

    /// The packages and everything they depend on, as far as the table knows.
    fn reachable<'a>(&'a self, names: &'a [String]) -> HashSet<&'a str> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = names.iter().map(String::as_str).collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            if let Some(row) = self.rows.get(name) {
                stack.extend(row.depends.iter().map(String::as_str));
            }
        }
        seen
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
        let mut stand_ins = Vec::new();
        for requested in packages {
            let found = self.lookup(requested).or_else(|| {
                let row = self.stand_in(requested)?;
                stand_ins.push(format!("{} as {}", plain_name(requested), row.name));
                Some(row)
            });
            match found {
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
        // Another version of a package differs in size: widen the interval.
        let (low, high) = if stand_ins.is_empty() {
            (low, sum)
        } else {
            (super::range::scale(low, 0.7), super::range::scale(sum, 1.3))
        };
        AptClosure {
            size: Bytes::range(low, bytes, high),
            known,
            unknown,
            stand_ins,
        }
    }
}

/// `curl=7.88.1-10` → `curl`, `libc6:amd64` → `libc6`.
fn plain_name(requested: &str) -> &str {
    requested
        .split(['=', ':'])
        .next()
        .unwrap_or(requested)
        .trim()
}

/// The name with every run of digits replaced by `#` (`gcc-12` → `gcc-#`).
fn digits_masked(name: &str) -> String {
    let mut masked = String::with_capacity(name.len());
    for c in name.chars() {
        if !c.is_ascii_digit() {
            masked.push(c);
        } else if !masked.ends_with('#') {
            masked.push('#');
        }
    }
    masked
}

/// The numbers in a name, for picking the highest version (`python3.11` → [3, 11]).
fn version_key(name: &str) -> Vec<u64> {
    name.split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect()
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
    fn recommends_bytes_is_the_difference_of_the_closures() {
        let table = DebianPackages::embedded();
        let curl = ["curl".to_string()];
        let extra = table.recommends_bytes(&curl, &[]).unwrap();
        assert_eq!(
            extra.bytes,
            table.closure(&curl, true).size.bytes - table.closure(&curl, false).size.bytes
        );
        assert_eq!(
            table.recommends_bytes(&["no-such-package".into()], &[]),
            None
        );
        let none = RecommendsExtra {
            bytes: 0,
            all_known: true,
        };
        for quiet in ["make", "locales", "ca-certificates", "libargon2-dev"] {
            assert_eq!(
                table.recommends_bytes(&[quiet.into()], &[]),
                Some(none),
                "{quiet}"
            );
        }
        let partly = table.recommends_bytes(&["locales".into(), "zz-unknown".into()], &[]);
        assert_eq!(partly.map(|e| e.all_known), Some(false));
    }

    #[test]
    fn recommends_the_image_already_holds_add_nothing() {
        let table = DebianPackages::embedded();
        let wget = ["wget".to_string()];
        let on_slim = table.recommends_bytes(&wget, &[]).unwrap().bytes;
        let held = ["ca-certificates".to_string(), "netbase".to_string()];
        let on_python_slim = table.recommends_bytes(&wget, &held).unwrap().bytes;
        assert!(on_slim > 9_000 * KIB, "{on_slim}");
        assert!(on_python_slim < 1_000 * KIB, "{on_python_slim}");
    }

    #[test]
    fn virtual_packages_resolve_to_their_real_package() {
        let table = DebianPackages::embedded();
        let virtual_name = table.closure(&["libc-dev".into()], false);
        assert_eq!(virtual_name.known, vec!["libc6-dev".to_string()]);
        assert!(
            table
                .recommends_bytes(&["libc-dev".into()], &[])
                .unwrap()
                .bytes
                > 0
        );
    }

    #[test]
    fn versioned_names_fall_back_to_another_version() {
        let table = DebianPackages::embedded();
        let other = table.closure(&["postgresql-18=18.2-1.pgdg13+1".into()], false);
        assert_eq!(other.known, vec!["postgresql".to_string()]);
        assert_eq!(
            other.stand_ins,
            vec!["postgresql-18 as postgresql".to_string()]
        );
        let same = table.closure(&["postgresql".into()], false);
        assert_eq!(other.size.bytes, same.size.bytes);
        assert!(other.size.high > same.size.high && other.size.low < same.size.low);
        let jdk = table.closure(&["openjdk-21-jdk-headless".into()], false);
        assert_eq!(jdk.known, vec!["openjdk-17-jdk-headless".to_string()]);
        assert!(table.closure(&["zz-9".into()], false).unknown.len() == 1);
    }

    #[test]
    fn unknown_packages_are_reported() {
        let table = DebianPackages::embedded();
        let result = table.closure(&["no-such-package".into()], false);
        assert_eq!(result.unknown, vec!["no-such-package".to_string()]);
        assert!(result.size.is_zero());
    }
}
