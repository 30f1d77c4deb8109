//! Every rule over arbitrary bytes: see `invariants::check`.
//!
//! `cargo +nightly fuzz run check fuzz/seeds/check` (see `fuzz/README.md`).

#![no_main]

#[path = "invariants.rs"]
#[allow(dead_code)] // each target uses one of the invariants
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::check(data));
