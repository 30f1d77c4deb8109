//! `--fix` over arbitrary text: see `invariants::fix`.
//!
//! `cargo +nightly fuzz run fix fuzz/seeds/fix` (see `fuzz/README.md`).

#![no_main]

#[path = "invariants.rs"]
#[allow(dead_code)] // each target uses one of the invariants
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::fix(data));
