#!/usr/bin/env python3
"""Scaling benchmark: time and peak memory of `dockstage check` on large inputs.

    python3 bench/scale.py [--binary PATH] [--runs N] [--only NAME...]

Builds each input in a temporary directory, runs the release binary on it under
`/usr/bin/time -v` and prints the fastest wall time and the peak resident memory
of N runs (default 3). Inputs:

  chain-1000 .. chain-10000   FROM s0 AS s1, FROM s1 AS s2, ... (one stage each line)
  run-1mb, run-10mb           one RUN line of that many bytes (commands joined by &&)
  continuation-1mb            one RUN of that many bytes over continuation lines
  copies-10000                a glibc build stage, a chain of 10,000 stages on it and an
                              Alpine final stage copying from each (libc-mismatch per edge)
  index-refs-10000            10,000 unnamed stages, each copying `--from=` the previous
                              one by index (stage-index-reference)
  global-args-10000           10,000 global ARGs, each used in a stage that does not
                              declare it (arg-not-in-scope)

The binary defaults to target/release/dockstage (build it with
`cargo build --release --locked`). Findings and exit codes are ignored; a crash
(exit above 2) is reported.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1_000_000  # decimal: a 1 MB input stays under the 1 MiB shell-analysis limit


def chain(stages):
    return "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(stages))


def commands(size, separator):
    """Shell commands joined by `separator` until the text reaches `size` bytes."""
    parts, total, i = [], 0, 0
    while total < size:
        part = f"echo word{i} w{i}b && apt-get install -y pkg{i} && rm -rf /tmp/x{i}"
        parts.append(part)
        total += len(part) + len(separator)
        i += 1
    return separator.join(parts)


def run_line(size):
    return "FROM debian:bookworm\nRUN " + commands(size, " && ") + "\n"


def continuation_lines(size):
    return "FROM debian:bookworm\nRUN " + commands(size, " \\\n    && ") + "\n"


def copies(stages):
    head = "FROM golang:1.23-bookworm AS s0\nRUN go build -o /app .\n"
    chain = "".join(f"FROM s{i} AS s{i + 1}\n" for i in range(stages))
    final = "FROM alpine:3.20\n" + "".join(f"COPY --from=s{i + 1} /app /app{i}\n" for i in range(stages))
    return head + chain + final


def index_refs(stages):
    return "FROM alpine:3.20\n" + "".join(
        f"FROM alpine:3.20\nCOPY --from={i} /a /a\n" for i in range(stages)
    )


def global_args(count):
    args = "".join(f"ARG V{i}=1\n" for i in range(count))
    return args + "FROM alpine:3.20\n" + "".join(f"ENV E{i}=$V{i}\n" for i in range(count))


INPUTS = {
    "chain-1000": lambda: chain(1000),
    "chain-2000": lambda: chain(2000),
    "chain-4000": lambda: chain(4000),
    "chain-10000": lambda: chain(10000),
    "run-1mb": lambda: run_line(MB),
    "run-10mb": lambda: run_line(10 * MB),
    "continuation-1mb": lambda: continuation_lines(MB),
    "copies-10000": lambda: copies(10000),
    "index-refs-10000": lambda: index_refs(10000),
    "global-args-10000": lambda: global_args(10000),
}


def measure(binary, path):
    """(wall seconds, peak RSS in MB, exit code) of one run."""
    # Wall time from here (`time -v` rounds to 10 ms); peak memory from `time -v`.
    start = time.perf_counter()
    p = subprocess.run(
        ["/usr/bin/time", "-v", binary, "check", "--format", "json", "--fail-level", "none", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1))
    code = int(re.search(r"Exit status: (\d+)", p.stderr).group(1)) if "Exit status" in p.stderr else p.returncode
    return seconds, rss_kb / 1024, code


def main():
    repo = Path(__file__).resolve().parent.parent
    target = Path(os.environ.get("CARGO_TARGET_DIR", repo / "target"))
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(target / "release" / "dockstage"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=sorted(INPUTS))
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary}: not found; build it with `cargo build --release --locked`")
    print(f"{'input':<18} {'bytes':>10} {'wall s':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in INPUTS.items():
            if args.only and name not in args.only:
                continue
            path = Path(tmp) / f"{name}.Dockerfile"
            path.write_text(build())
            results = [measure(args.binary, path) for _ in range(args.runs)]
            wall = min(r[0] for r in results)
            peak = max(r[1] for r in results)
            crashed = [r[2] for r in results if r[2] > 2]
            note = f"  exit {crashed[0]}" if crashed else ""
            print(f"{name:<18} {path.stat().st_size:>10} {wall:>8.3f} {peak:>8.1f}{note}", flush=True)


if __name__ == "__main__":
    main()
