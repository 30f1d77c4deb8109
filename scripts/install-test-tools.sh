#!/usr/bin/env bash
# Installs the real tools the test suite drives, when they are missing:
#   - the SARIF Multitool (npm) validates our SARIF output;
# Idempotent: a tool already installed is left alone.
set -euo pipefail

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else "$@"; fi
}

if ! npm ls --global @microsoft/sarif-multitool >/dev/null 2>&1; then
    as_root npm install --global --no-audit --no-fund @microsoft/sarif-multitool@5.7.0
fi
