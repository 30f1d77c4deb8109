//! Where toolchains live: `data/toolchain-paths.tsv` (the programs and directories of
//! the build-tool packages, read from the real Debian packages) and
//! `data/sdk-image-paths.tsv` (where SDK images keep their SDK).

use std::sync::LazyLock;

use regex::Regex;

use super::tsv;

const PACKAGES: &str = "toolchain-paths.tsv";
const PACKAGES_TEXT: &str = include_str!("../../data/toolchain-paths.tsv");
const IMAGES: &str = "sdk-image-paths.tsv";
const IMAGES_TEXT: &str = include_str!("../../data/sdk-image-paths.tsv");

/// The programs and directories a build-tool package installs.
#[derive(Debug)]
pub struct PackagePaths {
    pub package: String,
    /// `debian` (read from the package) or `alpine` (derived from the Debian row).
    pub distro: String,
    pub binaries: Vec<String>,
    pub directories: Vec<String>,
}

impl PackagePaths {
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.binaries
            .iter()
            .chain(&self.directories)
            .map(String::as_str)
    }
}

/// Where an SDK image keeps its toolchain.
#[derive(Debug)]
pub struct ImageToolchain {
    pub image: String,
    /// Tags that do not hold it (`jre`): matched anywhere in the tag.
    tag_excludes: Option<Regex>,
    /// What messages call it: `the Go SDK`, `the JDK`.
    pub toolchain: String,
    pub kind: String,
    /// Absolute paths; a `*` segment stands for a version.
    pub paths: Vec<String>,
    pub bytes: Option<u64>,
}

fn list(field: &str) -> Vec<String> {
    field
        .split(',')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

static PACKAGE_ROWS: LazyLock<Vec<PackagePaths>> = LazyLock::new(|| {
    tsv::records(PACKAGES, PACKAGES_TEXT)
        .into_iter()
        .map(|f| PackagePaths {
            package: f[0].to_string(),
            distro: f[1].to_string(),
            binaries: list(f[2]),
            directories: list(f[3]),
        })
        .collect()
});

static IMAGE_ROWS: LazyLock<Vec<ImageToolchain>> = LazyLock::new(|| {
    tsv::records(IMAGES, IMAGES_TEXT)
        .into_iter()
        .map(|f| ImageToolchain {
            image: f[0].to_string(),
            tag_excludes: (!f[1].is_empty())
                .then(|| Regex::new(f[1]).unwrap_or_else(|e| panic!("data/{IMAGES}: {e}"))),
            toolchain: f[2].to_string(),
            kind: f[3].to_string(),
            paths: list(f[4]),
            bytes: tsv::number(IMAGES, f[5]),
        })
        .collect()
});

/// The paths of a package installed with `manager`: the Alpine row for apk, the
/// Debian row otherwise (Fedora and SUSE use the same `/usr/bin`, `/usr/lib/gcc`).
pub fn package(manager: &str, name: &str) -> Option<&'static PackagePaths> {
    let distro = if manager == "apk" { "alpine" } else { "debian" };
    PACKAGE_ROWS
        .iter()
        .find(|row| row.package == name && row.distro == distro)
}

/// The toolchain an image (repository as the tables write it, and tag) ships.
pub fn image(repository: &str, tag: &str) -> Option<&'static ImageToolchain> {
    IMAGE_ROWS.iter().find(|row| {
        row.image == repository && !row.tag_excludes.as_ref().is_some_and(|re| re.is_match(tag))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses_and_paths_are_absolute() {
        assert!(PACKAGE_ROWS.len() > 50);
        for row in PACKAGE_ROWS.iter() {
            assert!(row.paths().all(|p| p.starts_with('/')), "{row:?}");
            assert!(["debian", "alpine"].contains(&row.distro.as_str()));
        }
        for row in IMAGE_ROWS.iter() {
            assert!(row.paths.iter().all(|p| p.starts_with('/')), "{row:?}");
        }
    }

    #[test]
    fn compilers_and_sdks_are_found_where_the_packages_put_them() {
        let gcc = package("apt", "gcc").unwrap();
        assert!(gcc.binaries.iter().any(|b| b == "/usr/bin/gcc"));
        assert!(gcc.directories.iter().any(|d| d == "/usr/lib/gcc"));
        assert!(package("apk", "build-base").is_some());
        assert_eq!(image("golang", "1.23").unwrap().paths, ["/usr/local/go"]);
        assert!(image("eclipse-temurin", "21-jre").is_none());
        assert!(image("eclipse-temurin", "21-jdk").is_some());
        assert!(image("node", "22").is_none());
    }
}
