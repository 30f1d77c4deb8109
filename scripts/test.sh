#!/usr/bin/env bash
# The test command from the README: installs the tools the tests use, then runs every
# test with those tools required (a missing tool fails instead of skipping).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-tools.sh
export DOCKSTAGE_REQUIRE_TOOLS=1
cargo test --locked --all-targets
# Ignored unless its input is here: a comparison with nothing to compare never passes.
if [[ -n "${DOCKSTAGE_BUILDKIT_TESTFILES:-}" ]]; then
    cargo test --locked --test buildkit_conformance -- --ignored
fi
cargo test --locked --doc
