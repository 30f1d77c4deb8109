//! Every rule over arbitrary bytes: no panic, and every span a finding carries (its
//! own, its labels', its fix's edits) is inside the file and on character boundaries.
//!
//! `cargo +nightly fuzz run check fuzz/seeds` (see `fuzz/README.md`).

#![no_main]

#[path = "common.rs"]
mod common;

use common::check_span;
use dockstage::lint::{analyze, LintOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let analysis = analyze(data, &LintOptions::default());
    let source = &analysis.file.source;
    for d in &analysis.diagnostics {
        check_span(source, d.rule, d.span);
        for label in &d.labels {
            check_span(source, "label", label.span);
        }
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            check_span(source, "fix edit", edit.span);
        }
    }
});
