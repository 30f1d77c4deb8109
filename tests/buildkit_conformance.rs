//! Compares our parse with BuildKit's own parser test expectations.
//!
//! BuildKit's test files are not ours to ship, so they are read from the directory
//! named by `DOCKSTAGE_BUILDKIT_TESTFILES` (each case: `<case>/Dockerfile` and
//! `<case>/result`). Without them there is nothing to compare, so the test is
//! ignored rather than passed: `scripts/test.sh` runs it (`--ignored`) when the
//! variable is set, and run without it, it fails.

use std::path::Path;

#[test]
#[ignore = "needs BuildKit's parser test files: set DOCKSTAGE_BUILDKIT_TESTFILES, run with --ignored"]
fn parse_matches_buildkit_testfiles() {
    let dir = std::env::var_os("DOCKSTAGE_BUILDKIT_TESTFILES")
        .expect("DOCKSTAGE_BUILDKIT_TESTFILES names the directory of BuildKit's test files");
    let mut failures = Vec::new();
    let mut compared = 0;
    for entry in std::fs::read_dir(Path::new(&dir)).expect("readable test directory") {
        let case = entry.expect("directory entry").path();
        let (Ok(source), Ok(expected)) = (
            std::fs::read(case.join("Dockerfile")),
            std::fs::read_to_string(case.join("result")),
        ) else {
            continue;
        };
        compared += 1;
        let file = dockstage::syntax::parse_bytes(&source);
        let actual = dockstage::syntax::buildkit_dump(&file);
        if actual.trim_end() != expected.trim_end() {
            failures.push(format!(
                "== {}\n-- expected\n{}\n-- actual\n{}",
                case.display(),
                expected.trim_end(),
                actual.trim_end()
            ));
        }
    }
    assert!(compared > 0, "no BuildKit cases found in {dir:?}");
    assert!(
        failures.is_empty(),
        "{} of {compared} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
