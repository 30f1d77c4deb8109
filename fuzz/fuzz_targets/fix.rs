//! `--fix` (safe and unsafe fixes) over arbitrary text: the result has no more syntax
//! errors than the input, and fixing it again changes nothing.
//!
//! `cargo +nightly fuzz run fix fuzz/seeds` (see `fuzz/README.md`).

#![no_main]

use dockstage::diagnostic::Applicability;
use dockstage::fix::{fix_until_stable, syntax_errors};
use dockstage::lint::LintOptions;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Fixes are written back only to valid UTF-8 files.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = LintOptions::default();
    for allowed in [
        &[Applicability::Safe][..],
        &[Applicability::Safe, Applicability::Unsafe][..],
    ] {
        let (fixed, _) = fix_until_stable(text, &options, allowed);
        assert!(
            syntax_errors(&fixed, &options) <= syntax_errors(text, &options),
            "fixing added a syntax error:\n{fixed}"
        );
        let (again, _) = fix_until_stable(&fixed, &options, allowed);
        assert_eq!(again, fixed, "a second --fix changed the file");
    }
});
