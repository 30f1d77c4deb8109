//! Invariants of linting over edited Dockerfiles (the rule fixtures and a multi-stage
//! file, with characters typed and deleted at random places):
//!
//! - the language server re-lints with the shell facts of unchanged scripts taken from
//!   a cache kept across edits; its diagnostics equal a fresh lint's (`dockstage check`);
//! - every span a finding carries (its own, its labels', its fix's edits) is inside the
//!   file and on character boundaries;
//! - `--fix` gives a file with no more syntax errors than before, and fixing again
//!   changes nothing.
//!
//! The span and fix invariants are the fuzz targets' own (`fuzz/fuzz_targets/invariants.rs`),
//! which check the same on arbitrary bytes, for longer.

#[path = "../fuzz/fuzz_targets/invariants.rs"]
mod invariants;

use std::sync::OnceLock;

use dockstage::lint::{analyze, analyze_cached, LintOptions};
use dockstage::model::shell::ShellCache;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

const START: &str = "# syntax=docker/dockerfile:1
ARG BASE=debian:bookworm
FROM ${BASE} AS build
RUN apt-get update \\
    && apt-get install -y curl build-essential \\
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/install.sh | sh
COPY . /src
RUN cd /src && make && rm -rf /src/.git
FROM build AS test
RUN pip install pytest && pytest
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y ca-certificates
COPY --from=build /src/out /usr/local/bin/app
CMD [\"app\"]
";

/// What an edit types: characters that open and close shell and Dockerfile syntax.
const TYPED: &[&str] = &[
    "x",
    " ",
    "\\\n",
    "\n",
    "&&",
    "'",
    "\"",
    "$",
    "${",
    "}",
    "(",
    ")",
    ";",
    "|",
    "#",
    "RUN ",
    "FROM alpine AS x\n",
    "apt-get install -y gcc ",
    "rm -rf /var/cache/apt ",
    "<<EOF\necho hi\nEOF\n",
    "é",
];

#[derive(Clone, Debug)]
struct Edit {
    /// Where, as a fraction of the text.
    at: f64,
    deleted: usize,
    typed: &'static str,
}

fn edit() -> impl Strategy<Value = Edit> {
    (0.0..1.0f64, 0..4usize, prop::sample::select(TYPED)).prop_map(|(at, deleted, typed)| Edit {
        at,
        deleted,
        typed,
    })
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &str, edit: &Edit) -> String {
    let start = floor_boundary(text, (edit.at * text.len() as f64) as usize);
    let end = floor_boundary(text, (start + edit.deleted).min(text.len())).max(start);
    format!("{}{}{}", &text[..start], edit.typed, &text[end..])
}

/// The multi-stage file above and every rule fixture.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut seeds = vec![START.to_string()];
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .expect("fixtures/rules")
            .flatten()
            .flat_map(|rule| {
                std::fs::read_dir(rule.path())
                    .into_iter()
                    .flatten()
                    .flatten()
            })
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
            .collect();
        paths.sort();
        seeds.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
        seeds
    })
}

fn edited(seed: usize, edits: &[Edit]) -> String {
    let seeds = seeds();
    edits
        .iter()
        .fold(seeds[seed % seeds.len()].clone(), |text, edit| {
            apply(&text, edit)
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    })]

    #[test]
    fn cached_relints_equal_fresh_lints(edits in prop::collection::vec(edit(), 1..12)) {
        let options = LintOptions::default();
        let cache = ShellCache::default();
        let mut text = START.to_string();
        analyze_cached(None, text.as_bytes(), &options, Some(&cache));
        for edit in &edits {
            text = apply(&text, edit);
            let cached = analyze_cached(None, text.as_bytes(), &options, Some(&cache));
            let fresh = analyze(text.as_bytes(), &options);
            prop_assert_eq!(&cached.diagnostics, &fresh.diagnostics, "text:\n{}", text);
        }
    }

    #[test]
    fn every_span_of_a_finding_is_inside_the_file(
        seed in any::<usize>(),
        edits in prop::collection::vec(edit(), 0..6),
    ) {
        let text = edited(seed, &edits);
        invariants::parse(text.as_bytes());
        invariants::check(text.as_bytes());
    }

    #[test]
    fn fixing_adds_no_syntax_error_and_a_second_fix_changes_nothing(
        seed in any::<usize>(),
        edits in prop::collection::vec(edit(), 0..4),
    ) {
        invariants::fix(edited(seed, &edits).as_bytes());
    }
}

#[test]
fn the_cache_holds_the_scripts_of_the_latest_text_only() {
    let options = LintOptions::default();
    let cache = ShellCache::default();
    analyze_cached(None, START.as_bytes(), &options, Some(&cache));
    let runs = cache.len();
    assert!(runs >= 4, "{runs}");
    // One RUN changes: its old script is forgotten, the others are kept.
    let edited = START.replace("ca-certificates", "ca-certificates curl");
    analyze_cached(None, edited.as_bytes(), &options, Some(&cache));
    assert_eq!(cache.len(), runs);
}
