//! `FROM --platform=linux/amd64` with a constant: the stage ignores the platform the
//! build targets (BuildKit's `FromPlatformFlagConstDisallowed`).

use crate::diagnostic::Diagnostic;
use crate::model::vars;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct FromPlatformFlagConstDisallowed;

/// Operating systems a one-part platform may name.
const KNOWN_OS: [&str; 18] = [
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
    "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
];

/// Architectures a one-part platform may name (after normalising).
const KNOWN_ARCH: [&str; 11] = [
    "386", "amd64", "arm", "arm64", "loong64", "mips64le", "ppc64", "ppc64le", "riscv64",
    "s390x", "wasm",
];

/// The architecture a platform names, normalised as containerd does; `None` when the
/// text is not a platform (BuildKit then fails elsewhere and reports nothing here).
fn normalized_arch(arch: &str) -> Option<&str> {
    Some(match arch {
        "i386" | "386" => "386",
        "x86_64" | "x86-64" | "amd64" => "amd64",
        "aarch64" | "arm64" => "arm64",
        "armhf" | "armel" | "arm" => "arm",
        "" => return None,
        other => other,
    })
}

/// `(os, architecture)` of a constant platform such as `linux/arm64/v8`.
fn parse_platform(text: &str) -> Option<(String, String)> {
    let valid = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    let lower = text.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    if parts.len() > 3 || !parts.iter().all(|p| valid(p)) {
        return None;
    }
    let os = |p: &str| if p == "macos" { "darwin".to_string() } else { p.to_string() };
    match parts.as_slice() {
        // One part: an OS (the architecture is the builder's), or an architecture.
        [one] if KNOWN_OS.contains(one) => Some((os(one), "amd64".to_string())),
        [one] => {
            let arch = normalized_arch(one)?;
            KNOWN_ARCH
                .contains(&arch)
                .then(|| ("linux".to_string(), arch.to_string()))
        }
        [system, arch, ..] => Some((os(system), normalized_arch(arch)?.to_string())),
        [] => None,
    }
}

impl Rule for FromPlatformFlagConstDisallowed {
    fn meta(&self) -> &'static RuleMeta {
        meta("from-platform-flag-const-disallowed")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let from = &cx.file.instructions[stage.from_instruction];
            let Some(flag) = from.flag("platform") else {
                continue;
            };
            let value = flag.value.as_deref().unwrap_or("");
            if !vars::references(value, cx.file.escape).is_empty() {
                continue;
            }
            let Some((os, arch)) = parse_platform(value) else {
                continue;
            };
            // A stage named for its platform (`build-arm64`) is meant to be pinned.
            let name = stage.name.as_deref().unwrap_or("");
            if name.contains(&os) || name.contains(&arch) {
                continue;
            }
            let diagnostic = self
                .meta()
                .diagnostic(
                    cx.flag_value_span(flag),
                    format!(
                        "`--platform={value}` builds {} for {value} whatever platform the build targets",
                        stage.describe()
                    ),
                )
                .with_help(
                    "use `--platform=$BUILDPLATFORM` for a stage that runs build tools, or drop the flag; if the stage is meant for one platform, say so in its name",
                );
            out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_platform;

    #[test]
    fn platforms_are_read_and_normalised() {
        let p = |t: &str| parse_platform(t).map(|(o, a)| format!("{o}/{a}"));
        assert_eq!(p("linux/amd64").as_deref(), Some("linux/amd64"));
        assert_eq!(p("linux/aarch64").as_deref(), Some("linux/arm64"));
        assert_eq!(p("linux/arm/v7").as_deref(), Some("linux/arm"));
        assert_eq!(p("arm64").as_deref(), Some("linux/arm64"));
        assert_eq!(p("windows").as_deref(), Some("windows/amd64"));
        assert_eq!(p("not a platform"), None);
        assert_eq!(p("a/b/c/d"), None);
    }
}
