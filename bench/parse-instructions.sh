#!/usr/bin/env bash
# Instructions the parser executes per byte of input, counted by callgrind.
#
# Wall-clock and CPU-time throughput swing by 20 % and more on a shared virtual
# machine; the instruction count of one parse does not, so this is the figure to
# compare two versions of the parser with. It counts only what runs inside the parse
# bench's measuring loop (`cpu_throughput`), divided by rounds and bytes.
#
# Usage: bench/parse-instructions.sh [synthetic | DIR]
#   synthetic  the bench's generated 5,000-line Dockerfile (default)
#   DIR        every file directly under DIR, each parsed on its own
# Needs valgrind (`apt-get install valgrind`).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-synthetic}
bench=$(cargo bench --bench parse --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "parse" and m.get("executable"):
        print(m["executable"])')
if [ "$what" = synthetic ]; then
    name=synthetic
    env=()
else
    name=corpus_each
    env=(DOCKSTAGE_CORPUS="$what")
fi
out=$(env "${env[@]}" valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --toggle-collect='*cpu_throughput*' "$bench" --bench "$name" --profile-time 1 2>&1)
rounds=$(grep -o 'over [0-9]* rounds' <<<"$out" | head -1 | grep -o '[0-9]*')
instructions=$(grep 'Collected' <<<"$out" | grep -o '[0-9]*$' | sort -n | tail -1)
if [ "$what" = synthetic ]; then
    bytes=$(grep -o 'synthetic_large: [0-9]* lines, [0-9]* bytes' <<<"$out" | head -1 | awk '{print $4}')
else
    bytes=$(find "$what" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {print s}')
fi
python3 - "$name" "$rounds" "$instructions" "$bytes" <<'PY'
import sys
name, rounds, instructions, bytes_ = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per_round = instructions / rounds
print(f"{name}: {per_round / bytes_:.1f} instructions per byte "
      f"({per_round:,.0f} per round of {bytes_:,} bytes, {rounds} rounds)")
PY
