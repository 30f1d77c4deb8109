//! Calibration report: estimate versus the measured size of official images.
//!
//! The public Dockerfiles are not in the repository. Put them (or faithful
//! transcriptions) in a folder as `<image>_<tag>.Dockerfile`, the folder also
//! being the build context, and run:
//!
//! ```sh
//! DOCKSTAGE_CALIBRATION_DIR=/path/to/dockerfiles \
//! DOCKSTAGE_CALIBRATION_TSV=../shared/calibration/official-images.tsv \
//! cargo test --test size_calibration -- --nocapture
//! ```
//!
//! The test prints one line per case and the median / 90th percentile of
//! |estimate − actual| / actual, the share within ±25 % and the share whose range
//! contains the actual size. It asserts nothing about those figures (they are a
//! report, not a gate); without the variables it does nothing.

use std::path::PathBuf;

use dockstage::model::StageGraph;
use dockstage::size::catalog::KnowledgeCatalog;
use dockstage::size::context::ContextIndex;
use dockstage::size::{estimate, SizeInput};
use dockstage::syntax;

#[test]
fn calibration_report() {
    let Ok(dir) = std::env::var("DOCKSTAGE_CALIBRATION_DIR") else {
        eprintln!("DOCKSTAGE_CALIBRATION_DIR not set: calibration skipped");
        return;
    };
    let dir = PathBuf::from(dir);
    let tsv = std::env::var("DOCKSTAGE_CALIBRATION_TSV")
        .map_or_else(|_| dir.join("official-images.tsv"), PathBuf::from);
    let table = std::fs::read_to_string(&tsv).expect("calibration table");
    let mut errors = Vec::new();
    let mut contained = 0;
    let mut missing = Vec::new();
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (image, tag) = (f[0], f[1]);
        let Ok(actual) = f[7].parse::<u64>() else {
            continue;
        };
        let path = dir.join(format!("{image}_{tag}.Dockerfile"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            missing.push(format!("{image}:{tag}"));
            continue;
        };
        let file = syntax::parse(&text);
        let graph = StageGraph::build(&file, None);
        let index = ContextIndex::build(&dir, None).ok();
        let result = estimate(&SizeInput {
            file: &file,
            graph: &graph,
            context: index.as_ref(),
            catalog: &KnowledgeCatalog::default(),
        });
        #[allow(clippy::cast_precision_loss)]
        let error = (result.total.bytes as f64 - actual as f64) / actual as f64;
        let inside = (result.total.low..=result.total.high).contains(&actual);
        contained += usize::from(inside);
        errors.push(error.abs());
        println!(
            "{image}:{tag:<28} actual {:>6.1} MB  estimate {:>6.1} MB ({:>6.1}..{:>6.1})  error {:>+6.1} %  {}",
            actual as f64 / 1e6,
            result.total.bytes as f64 / 1e6,
            result.total.low as f64 / 1e6,
            result.total.high as f64 / 1e6,
            error * 100.0,
            if inside { "in range" } else { "OUT of range" }
        );
    }
    if errors.is_empty() {
        println!("no calibration Dockerfiles found in {}", dir.display());
        return;
    }
    errors.sort_by(f64::total_cmp);
    let n = errors.len();
    let median = errors[n / 2];
    let p90 = errors[((n * 9).div_ceil(10)).saturating_sub(1)];
    let within = errors.iter().filter(|e| **e <= 0.25).count();
    println!(
        "{n} cases: median |error| {:.1} %, p90 {:.1} %, within ±25 %: {within}/{n}, range contains actual: {contained}/{n}",
        median * 100.0,
        p90 * 100.0
    );
    println!("not run (no Dockerfile): {}", missing.join(", "));
}
