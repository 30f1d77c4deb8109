//! Package-manager caches a `RUN` leaves in its layer (not removed, not on a cache mount).

use super::run::RunContext;
use super::state::StageState;
use super::{unknown_part, Runner};
use crate::size::heuristics::Heuristics;
use crate::size::range::{scale, Bytes, Part, Source};
use crate::size::script::Manager;

impl Runner<'_, '_> {
    pub(super) fn caches_part(
        &self,
        state: &mut StageState,
        run: &RunContext<'_>,
        installed: &[Part],
        parts: &mut Vec<Part>,
    ) {
        let facts = run.facts;
        let heuristics = Heuristics::embedded();
        let removes = |prefix: &str| {
            facts.removals.iter().any(|r| {
                let r = r.trim_end_matches("/*").trim_end_matches('/');
                prefix.starts_with(r) && !r.is_empty() || r.starts_with(prefix)
            })
        };
        let mounted = |prefix: &str| {
            run.mounts
                .iter()
                .any(|m| prefix.starts_with(m.trim_end_matches('/')) || m.starts_with(prefix))
        };
        let mut add = |key: &str, size: Bytes, what: String, state: &mut StageState| {
            if size.is_zero() {
                return;
            }
            state.cache_bytes.push((run.line, size.bytes, what.clone()));
            parts.push(Part::new(
                size,
                Source::Heuristic,
                format!("{what} left in the layer"),
            ));
            let _ = key;
        };
        if facts.apt_update && !removes("/var/lib/apt/lists") && !mounted("/var/lib/apt/lists") {
            let size = heuristics
                .get("cache", "apt-lists")
                .map_or(unknown_part(), |r| r.bytes());
            add(
                "apt-lists",
                size,
                "apt lists (/var/lib/apt/lists)".into(),
                state,
            );
        }
        let apk_cached = facts
            .installs
            .iter()
            .any(|r| r.manager == Some(Manager::Apk) && !r.no_cache)
            || facts.apk_update;
        if apk_cached
            && !removes("/var/cache/apk")
            && !mounted("/var/cache/apk")
            && !facts.cleaned.contains(&"apk")
        {
            let size = heuristics
                .get("cache", "apk")
                .map_or(unknown_part(), |r| r.bytes());
            add("apk", size, "apk index (/var/cache/apk)".into(), state);
        }
        let pip_env_off = state.lookup("PIP_NO_CACHE_DIR").is_some_and(|v| {
            !matches!(
                v.to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "off" | "no"
            )
        });
        let pip_installed: Bytes = facts
            .installs
            .iter()
            .zip(installed.iter())
            .filter(|(r, _)| r.manager == Some(Manager::Pip) && !r.no_cache)
            .map(|(_, p)| p.size)
            .sum();
        if !pip_installed.is_zero()
            && !pip_env_off
            && !removes("/root/.cache/pip")
            && !mounted("/root/.cache/pip")
            && !facts.cleaned.contains(&"pip")
        {
            if let Some(row) = heuristics.get("cache", "pip") {
                let size = Bytes::range(
                    scale(pip_installed.low, row.low),
                    scale(pip_installed.bytes, row.value),
                    scale(pip_installed.high, row.high),
                );
                add("pip", size, "pip cache (/root/.cache/pip)".into(), state);
            }
        }
        let npm_installed: Bytes = facts
            .installs
            .iter()
            .zip(installed.iter())
            .filter(|(r, _)| r.manager == Some(Manager::Npm))
            .map(|(_, p)| p.size)
            .sum();
        if !npm_installed.is_zero()
            && !removes("/root/.npm")
            && !mounted("/root/.npm")
            && !facts.cleaned.contains(&"npm")
        {
            if let Some(row) = heuristics.get("cache", "npm") {
                let size = Bytes::range(
                    scale(npm_installed.low, row.low),
                    scale(npm_installed.bytes, row.value),
                    scale(npm_installed.high, row.high),
                );
                add("npm", size, "npm cache (/root/.npm)".into(), state);
            }
        }
        let dnf_used = facts
            .installs
            .iter()
            .any(|r| r.manager == Some(Manager::Dnf));
        if dnf_used
            && !facts.cleaned.contains(&"dnf")
            && !removes("/var/cache/dnf")
            && !removes("/var/cache/yum")
            && !mounted("/var/cache/dnf")
            && !facts.commands.iter().any(|c| c == "microdnf")
        {
            let size = heuristics
                .get("cache", "dnf")
                .map_or(unknown_part(), |r| r.bytes());
            add("dnf", size, "dnf/yum cache (/var/cache)".into(), state);
        }
    }
}
