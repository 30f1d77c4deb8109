//! The parser on arbitrary bytes: see `invariants::parse`.
//!
//! `cargo +nightly fuzz run parse fuzz/seeds/parse` (see `fuzz/README.md`).

#![no_main]

#[path = "invariants.rs"]
#[allow(dead_code)] // each target uses one of the invariants
mod invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| invariants::parse(data));
