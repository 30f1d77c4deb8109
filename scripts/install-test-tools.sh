#!/usr/bin/env bash
# Installs the real tools the test suite drives, when they are missing:
#   - the SARIF Multitool (npm) validates our SARIF output;
#   - pre-commit (PyPI) runs our hooks (tests/pre_commit.rs);
#   - Neovim (Debian) is the real editor the language server is tested with.
# Idempotent: a tool already installed is left alone.
set -euo pipefail

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else "$@"; fi
}

if ! npm ls --global @microsoft/sarif-multitool >/dev/null 2>&1; then
    as_root npm install --global --no-audit --no-fund @microsoft/sarif-multitool@5.7.0
fi

# On PATH, or in $DOCKSTAGE_TOOLS_DIR/venv (where tests/pre_commit.rs also looks) when
# the system Python refuses pip installs (PEP 668).
tools_dir=${DOCKSTAGE_TOOLS_DIR:-$HOME/.cache/dockstage-tools}
if ! command -v pre-commit >/dev/null 2>&1 && [[ ! -x "$tools_dir/venv/bin/pre-commit" ]]; then
    if ! python3 -m pip install --quiet --disable-pip-version-check 'pre-commit>=3.7,<5'; then
        python3 -m venv "$tools_dir/venv"
        "$tools_dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check 'pre-commit>=3.7,<5'
    fi
fi

if ! command -v nvim >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim
fi
