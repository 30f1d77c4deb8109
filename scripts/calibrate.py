#!/usr/bin/env python3
"""Size calibration: run `dockstage size` on the official-image builds of
shared/calibration/official-images.tsv and compare with the measured sizes.

Each row's Dockerfile directory is taken from a repository mirror at the row's
commit (`git archive`), cached outside the project under --cache, and sized
with that directory as build context. Rows whose mirror is missing are read
from a cached `Dockerfile` alone (put there by hand with the search tool).

Usage: scripts/calibrate.py [--bin target/debug/dockstage] [--table TSV]
                            [--cache DIR] [--mirrors DIR] [--json OUT]
"""
import argparse, csv, io, json, os, statistics, subprocess, sys, tarfile

def args():
    p = argparse.ArgumentParser()
    p.add_argument("--bin", default="target/debug/dockstage")
    p.add_argument("--table", default="/work/shared/calibration/official-images.tsv")
    p.add_argument("--cache", default="/work/measure/size21/calibration")
    p.add_argument("--mirrors", default="/work/.mirror")
    p.add_argument("--json", help="write per-row results here")
    return p.parse_args()

def context_dir(row, a):
    repo, path, commit = row["dockerfile_repo"], row["dockerfile_path"], row["dockerfile_commit"]
    d = os.path.join(a.cache, repo.replace("/", "+"), commit[:12], os.path.dirname(path))
    dockerfile = os.path.join(a.cache, repo.replace("/", "+"), commit[:12], path)
    if os.path.exists(dockerfile):
        return d, dockerfile
    git = os.path.join(a.mirrors, repo.replace("/", "+"), "repo")
    if not os.path.isdir(git):
        return None, None
    tree = os.path.dirname(path) or "."
    out = subprocess.run(["git", "--git-dir", git, "archive", commit, "--", tree],
                         capture_output=True)
    if out.returncode != 0:
        sys.stderr.write(f"git archive {repo}@{commit[:12]} {tree}: {out.stderr.decode()}")
        return None, None
    root = os.path.join(a.cache, repo.replace("/", "+"), commit[:12])
    with tarfile.open(fileobj=io.BytesIO(out.stdout)) as t:
        t.extractall(root, filter="data")
    return d, dockerfile

def summary(title, results, total):
    n = len(results)
    if not n:
        return
    print(f"\n{title}: {n} of {total}")
    print(f'median abs error      {statistics.median(abs(r["error"]) for r in results):6.1f} %   (target <= 5)')
    print(f'within +-25 %         {100*sum(abs(r["error"]) <= 25 for r in results)/n:6.1f} %   (target >= 90)')
    print(f'range holds           {100*sum(r["held"] for r in results)/n:6.1f} %   (target >= 80)')
    print(f'median half-width     {statistics.median(r["half_width"] for r in results):6.1f} %   (target <= 35)')

def main():
    a = args()
    rows = list(csv.DictReader(open(a.table), delimiter="\t"))
    results = []
    for row in rows:
        ctx, dockerfile = context_dir(row, a)
        name = f'{row["image"]}:{row["tag"]}'
        if not dockerfile or not os.path.exists(dockerfile):
            print(f"{name:40} no Dockerfile"); continue
        run = subprocess.run([a.bin, "size", "--format", "json", "--context", ctx, dockerfile],
                             capture_output=True, text=True)
        try:
            est = json.loads(run.stdout)
        except json.JSONDecodeError:
            print(f"{name:40} failed: {run.stderr.strip()[:100]}"); continue
        actual = int(row["actual_uncompressed_bytes"])
        total, low, high = est["total_bytes"], est["low_bytes"], est["high_bytes"]
        results.append(dict(
            name=name, actual=actual, estimate=total, low=low, high=high,
            error=(total - actual) / actual * 100,
            held=low <= actual <= high,
            half_width=(high - low) / 2 / total * 100 if total else float("inf"),
            mismatch="VERSION MISMATCH" in row["notes"]))
    print(f'{"image":40} {"actual MB":>10} {"est MB":>9} {"error %":>8} {"range MB":>17} {"held":>5} {"half %":>7}')
    for r in results:
        print(f'{r["name"]:40} {r["actual"]/1e6:10.1f} {r["estimate"]/1e6:9.1f} {r["error"]:+8.1f} '
              f'{r["low"]/1e6:8.1f}-{r["high"]/1e6:<8.1f} {"yes" if r["held"] else "NO":>5} {r["half_width"]:7.1f}')
    if not results:
        return
    summary("all cases", results, len(rows))
    summary("without VERSION MISMATCH rows", [r for r in results if not r["mismatch"]], len(rows))
    if a.json:
        json.dump(results, open(a.json, "w"), indent=1)

if __name__ == "__main__":
    main()
