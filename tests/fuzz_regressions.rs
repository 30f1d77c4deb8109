//! Replays the inputs the fuzz targets found (`fuzz/regressions/<target>-*`) through
//! the same invariants the targets assert (`fuzz/fuzz_targets/invariants.rs`), so a
//! fixed finding stays fixed without running the fuzzers.

#[path = "../fuzz/fuzz_targets/invariants.rs"]
mod invariants;

#[test]
fn every_found_input_keeps_the_invariants() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let data = std::fs::read(&path).unwrap();
        // Every input goes through every invariant: a parse case is a check case too.
        if name.ends_with(".md") {
            continue;
        }
        invariants::parse(&data);
        invariants::check(&data);
        invariants::fix(&data);
        replayed += 1;
    }
    assert!(replayed > 0, "no inputs in {}", dir.display());
}
