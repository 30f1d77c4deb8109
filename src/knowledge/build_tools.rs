//! `data/build-tools.tsv`: compilers, build systems, headers, VCS clients and SDK
//! images that belong in a builder stage, not in the final image.

use std::sync::LazyLock;

use super::tsv;

const TABLE: &str = "build-tools.tsv";
const TEXT: &str = include_str!("../../data/build-tools.tsv");

/// What the row's `name` is matched against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchOn {
    /// A package name in a package-manager install list.
    Package,
    /// The first word of a shell command in `RUN`.
    Command,
    /// The repository of a `FROM` image.
    Image,
}

impl MatchOn {
    pub fn parse(text: &str) -> Option<MatchOn> {
        Some(match text {
            "package" => MatchOn::Package,
            "command" => MatchOn::Command,
            "image" => MatchOn::Image,
            _ => return None,
        })
    }
}

/// One build tool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildTool {
    pub name: String,
    pub match_on: MatchOn,
    /// `compiler`, `build-system`, `headers`, `vcs`, `sdk`, `package-manager-dev`.
    pub kind: String,
    /// Package managers that use this exact name (`apt`, `apk`, `dnf`, `yum`,
    /// `zypper`, `pip`, `npm`), or `any`.
    pub managers: Vec<String>,
    pub typical_bytes: Option<u64>,
    pub note: String,
}

impl BuildTool {
    /// Whether the row applies to `manager` (`any` applies to all).
    pub fn used_by(&self, manager: &str) -> bool {
        self.managers.iter().any(|m| m == "any" || m == manager)
    }
}

static ROWS: LazyLock<Vec<BuildTool>> = LazyLock::new(|| {
    tsv::records(TABLE, TEXT)
        .into_iter()
        .map(|f| BuildTool {
            name: f[0].to_string(),
            match_on: MatchOn::parse(f[1])
                .unwrap_or_else(|| panic!("data/{TABLE}: unknown match {:?}", f[1])),
            kind: f[2].to_string(),
            managers: f[3].split(',').map(str::to_string).collect(),
            typical_bytes: tsv::number(TABLE, f[4]),
            note: f[5].to_string(),
        })
        .collect()
});

/// Every embedded row.
pub fn all() -> &'static [BuildTool] {
    &ROWS
}

fn find<'a>(
    extra: &'a [BuildTool],
    match_on: MatchOn,
    name: &str,
    manager: Option<&str>,
) -> Option<&'a BuildTool> {
    extra
        .iter()
        .chain(all().iter())
        .find(|t| t.match_on == match_on && t.name == name && manager.is_none_or(|m| t.used_by(m)))
}

/// A package installed with `manager` (`apt`, `apk`, `dnf`, `yum`, `zypper`, `pip`,
/// `npm`) that is a build tool. `apt-get` and `apt` are both `apt`; `microdnf` is `dnf`.
pub fn package(manager: &str, name: &str) -> Option<&'static BuildTool> {
    package_with(&[], manager, name)
}

/// Like [`package`], with configured rows first.
pub fn package_with<'a>(
    extra: &'a [BuildTool],
    manager: &str,
    name: &str,
) -> Option<&'a BuildTool> {
    let manager = normalise_manager(manager);
    find(extra, MatchOn::Package, name, Some(manager))
}

/// Whether a package name is a development-headers package by naming convention:
/// `*-dev` for apt and apk, `*-devel` for dnf, yum and zypper.
pub fn is_headers_package(manager: &str, name: &str) -> bool {
    match normalise_manager(manager) {
        "apt" | "apk" => name.len() > 4 && name.ends_with("-dev"),
        "dnf" | "yum" | "zypper" => name.len() > 6 && name.ends_with("-devel"),
        _ => false,
    }
}

/// A command (first word of a shell command) that is a build tool.
pub fn command(name: &str) -> Option<&'static BuildTool> {
    command_with(&[], name)
}

/// Like [`command`], with configured rows first. A path is reduced to its base name.
pub fn command_with<'a>(extra: &'a [BuildTool], name: &str) -> Option<&'a BuildTool> {
    let name = name.rsplit('/').next().unwrap_or(name);
    find(extra, MatchOn::Command, name, None)
}

/// An SDK or build-system image, by repository as the tables write it
/// (`golang`, `mcr.microsoft.com/dotnet/sdk`).
pub fn image(repository: &str) -> Option<&'static BuildTool> {
    image_with(&[], repository)
}

/// Like [`image`], with configured rows first.
pub fn image_with<'a>(extra: &'a [BuildTool], repository: &str) -> Option<&'a BuildTool> {
    find(extra, MatchOn::Image, repository, None)
}

fn normalise_manager(manager: &str) -> &str {
    match manager {
        "apt-get" | "apt" | "aptitude" => "apt",
        "microdnf" | "dnf" => "dnf",
        "pip3" | "pip" | "pipx" | "uv" => "pip",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        assert!(all().len() > 150);
        let kinds = [
            "compiler",
            "build-system",
            "headers",
            "vcs",
            "sdk",
            "package-manager-dev",
        ];
        let managers = ["apt", "apk", "dnf", "yum", "zypper", "pip", "npm", "any"];
        for tool in all() {
            assert!(kinds.contains(&tool.kind.as_str()), "{tool:?}");
            assert!(
                tool.managers.iter().all(|m| managers.contains(&m.as_str())),
                "{tool:?}"
            );
        }
        // One row per (name, match).
        for (i, a) in all().iter().enumerate() {
            assert!(
                !all()[i + 1..]
                    .iter()
                    .any(|b| a.name == b.name && a.match_on == b.match_on),
                "duplicate {a:?}"
            );
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(command("gcc").unwrap().kind, "compiler");
        assert_eq!(command("/usr/bin/make").unwrap().kind, "build-system");
        assert!(command("node").is_none());
        assert_eq!(image("golang").unwrap().kind, "sdk");
        assert!(image("node").is_none());
        assert!(package("apt-get", "build-essential").is_some());
        assert!(package("apk", "build-base").is_some());
        assert!(package("apt", "curl").is_none());
        assert!(is_headers_package("apt-get", "libssl-dev"));
        assert!(is_headers_package("dnf", "openssl-devel"));
        assert!(!is_headers_package("apt", "dev"));
        assert!(!is_headers_package("pip", "pytest-dev"));
    }

    #[test]
    fn extra_rows_win() {
        let extra = [BuildTool {
            name: "mytool".into(),
            match_on: MatchOn::Command,
            kind: "compiler".into(),
            managers: vec!["any".into()],
            typical_bytes: None,
            note: String::new(),
        }];
        assert!(command_with(&extra, "mytool").is_some());
        assert!(command("mytool").is_none());
    }
}
