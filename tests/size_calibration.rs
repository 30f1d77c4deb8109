//! Calibration report: estimate versus the measured size of official images.
//!
//! The public Dockerfiles are not in the repository. Put them (or faithful
//! transcriptions) in a folder as `<image>_<tag>.Dockerfile`, the folder also
//! being the build context, and run:
//!
//! ```sh
//! DOCKSTAGE_CALIBRATION_DIR=/path/to/dockerfiles \
//! DOCKSTAGE_CALIBRATION_TSV=../shared/calibration/official-images.tsv \
//! cargo test --release --test size_calibration -- --nocapture
//! ```
//!
//! The test prints one line per case (estimate, range, error, range width and the
//! largest layers with their source), then the median and 90th percentile of
//! |estimate − actual| / actual, the share within ±25 %, the share whose range
//! contains the actual size and the median range width relative to the estimate,
//! over all cases and with `VERSION MISMATCH` rows weighted one half. It asserts
//! nothing about those figures (they are a report, not a gate); without the
//! variables it does nothing. `DOCKSTAGE_CALIBRATION_LAYERS=N` prints N layers
//! per case (default 3).

use std::path::PathBuf;

use dockstage::model::StageGraph;
use dockstage::size::catalog::KnowledgeCatalog;
use dockstage::size::context::ContextIndex;
use dockstage::size::range::human;
use dockstage::size::{estimate, Estimate, SizeInput};
use dockstage::syntax;

/// Weight of a row whose Dockerfile is not the exact one built.
const MISMATCH_WEIGHT: f64 = 0.5;

struct Case {
    name: String,
    error: f64,
    inside: bool,
    /// (high − low) / estimate.
    width: f64,
    weight: f64,
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: u64, b: u64) -> f64 {
    a as f64 / b.max(1) as f64
}

/// The weighted median of `values` (pairs of value and weight).
fn weighted_quantile(values: &mut [(f64, f64)], quantile: f64) -> f64 {
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = values.iter().map(|v| v.1).sum();
    let mut seen = 0.0;
    for (value, weight) in values.iter() {
        seen += weight;
        if seen >= total * quantile {
            return *value;
        }
    }
    values.last().map_or(0.0, |v| v.0)
}

fn largest_layers(result: &Estimate, count: usize) -> String {
    let mut layers: Vec<_> = result.layers.iter().collect();
    layers.sort_by_key(|l| std::cmp::Reverse(l.size.bytes));
    layers
        .iter()
        .take(count)
        .map(|l| {
            let note: String = l.note.chars().take(70).collect();
            format!(
                "      line {:>3} {:>8} ({}..{}) {:<9} {note}",
                l.line,
                human(l.size.bytes),
                human(l.size.low),
                human(l.size.high),
                l.source.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn summary(label: &str, cases: &[Case], weighted: bool) {
    let weight = |c: &Case| if weighted { c.weight } else { 1.0 };
    let total: f64 = cases.iter().map(weight).sum();
    let mut errors: Vec<(f64, f64)> = cases.iter().map(|c| (c.error.abs(), weight(c))).collect();
    let mut widths: Vec<(f64, f64)> = cases.iter().map(|c| (c.width, weight(c))).collect();
    let within: f64 = cases
        .iter()
        .filter(|c| c.error.abs() <= 0.25)
        .map(weight)
        .sum();
    let inside: f64 = cases.iter().filter(|c| c.inside).map(weight).sum();
    println!(
        "{label}: median |error| {:.1} %, p90 {:.1} %, within ±25 %: {:.0} %, range contains actual: {:.0} %, median range width {:.0} % of the estimate",
        weighted_quantile(&mut errors, 0.5) * 100.0,
        weighted_quantile(&mut errors, 0.9) * 100.0,
        within / total * 100.0,
        inside / total * 100.0,
        weighted_quantile(&mut widths, 0.5) * 100.0,
    );
}

#[test]
fn calibration_report() {
    let Ok(dir) = std::env::var("DOCKSTAGE_CALIBRATION_DIR") else {
        eprintln!("DOCKSTAGE_CALIBRATION_DIR not set: calibration skipped");
        return;
    };
    let dir = PathBuf::from(dir);
    let tsv = std::env::var("DOCKSTAGE_CALIBRATION_TSV")
        .map_or_else(|_| dir.join("official-images.tsv"), PathBuf::from);
    let layer_count = std::env::var("DOCKSTAGE_CALIBRATION_LAYERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let table = std::fs::read_to_string(&tsv).expect("calibration table");
    let index = ContextIndex::build(&dir, None).ok();
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (image, tag) = (f[0], f[1]);
        let Some(actual) = f.get(7).and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        let mismatch = f.get(9).is_some_and(|n| n.contains("VERSION MISMATCH"));
        let path = dir.join(format!("{image}_{tag}.Dockerfile"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            missing.push(format!("{image}:{tag}"));
            continue;
        };
        let file = syntax::parse(&text);
        let graph = StageGraph::build(&file, None);
        let result = estimate(&SizeInput {
            file: &file,
            graph: &graph,
            context: index.as_ref(),
            catalog: &KnowledgeCatalog::default(),
        });
        let total = result.total;
        #[allow(clippy::cast_precision_loss)]
        let error = (total.bytes as f64 - actual as f64) / actual as f64;
        let inside = (total.low..=total.high).contains(&actual);
        let case = Case {
            name: format!("{image}:{tag}"),
            error,
            inside,
            width: ratio(total.high - total.low, total.bytes),
            weight: if mismatch { MISMATCH_WEIGHT } else { 1.0 },
        };
        println!(
            "{:<42} actual {:>8}  estimate {:>8} ({:>8}..{:>8}, width {:>4.0} %)  error {:>+6.1} %  {}{}",
            case.name,
            human(actual),
            human(total.bytes),
            human(total.low),
            human(total.high),
            case.width * 100.0,
            error * 100.0,
            if inside { "in range" } else { "OUT of range" },
            if mismatch { "  (version mismatch)" } else { "" },
        );
        if layer_count > 0 {
            println!("{}", largest_layers(&result, layer_count));
        }
        cases.push(case);
    }
    if cases.is_empty() {
        println!("no calibration Dockerfiles found in {}", dir.display());
        return;
    }
    println!("{} cases", cases.len());
    summary("all cases, equal weight", &cases, false);
    summary("version mismatches weighted 1/2", &cases, true);
    if !missing.is_empty() {
        println!("not run (no Dockerfile): {}", missing.join(", "));
    }
}
