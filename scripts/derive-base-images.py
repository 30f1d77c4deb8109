#!/usr/bin/env python3
"""Refresh data/base-images.tsv from docker-library/repo-info.

    scripts/derive-base-images.py --git /work/.mirror/docker-library+repo-info/repo
    scripts/derive-base-images.py --dir /path/to/repo-info-checkout

For every image already in the table, reads each `repos/<image>/local/<tag>.md`
("Virtual Size: ~ 8.3 Mb", decimal units as repo-info's scan-local.sh prints
them; "Created:" the build date) and
- updates the size and source of the row with that tag;
- adds a row for a tag the table lacks, its facts (os, libc, variant, package
  manager, shell, user, SDK) copied from the row of the same image whose tag
  has the same variant words (`slim`, `alpine`, `jdk`...) and shares the most
  leading characters; a tag with no such row is left out and listed on stderr.
The source column names the file, the repo-info commit and the build date.
Rows of images repo-info does not cover (distroless, mcr, estimates) are kept.

Reading files one by one (when the repository cannot be mirrored), and guards:
- `--commits FILE`: TSV `repos/<image>/local/<tag>.md<TAB><commit>`; each file's own
  commit goes into the source column (files read one by one, at different commits).
- `--remote-sizes FILE`: TSV `image tag compressed_bytes commit` (amd64 "Total Size"
  of repos/<image>/remote/<tag>.md); fills compressed_bytes of the row with that tag.
- variant words: an `alpine3.NN` word now counts as `alpine` (it used to be dropped,
  so e.g. `3.11.16-alpine3.24` had the same variant as a Debian-based full tag).
- a row that cites a file of a later x.y.z version than the file read here is kept;
- a row whose source already cites the same file at another commit is kept unless
  the file read here was built later than the date in that source ("built ...");
  such conflicts are listed on stderr (`--on-conflict replace` overrides).
"""
import argparse, csv, os, re, subprocess, sys

UNITS = {"B": 1, "Kb": 10**3, "Mb": 10**6, "Gb": 10**9}
CODENAMES = {"bookworm", "bullseye", "buster", "trixie", "forky", "focal", "jammy", "noble", "resolute"}

def parse_local(text):
    tag = re.search(r"^# `([^`]+)`", text, re.M)
    size = re.search(r"Virtual Size: ~ ([0-9.]+) (B|Kb|Mb|Gb)", text)
    created = re.search(r"Created: `([^`]+)`", text)
    if not (tag and size):
        return None
    return dict(canonical=tag.group(1), bytes=round(float(size.group(1)) * UNITS[size.group(2)]),
                created=created.group(1)[:10] if created else "")

def variant_words(tag):
    words = re.split(r"[-.]", tag.lower())
    words = ["alpine" if re.fullmatch(r"alpine\d.*", w) else w for w in words]
    return tuple(sorted(set(w for w in words if w and not w[0].isdigit() and w not in CODENAMES
                            and w != "latest")))

def read_commits(path):
    out = {}
    if path:
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 2 and f[0]:
                out[f[0]] = f[1]
    return out

def read_remote(path):
    out = {}
    if path and os.path.exists(path):
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            if len(f) >= 3 and f[2].isdigit():
                out[(f[0], f[1])] = (f[2], f[3] if len(f) > 3 else "")
    return out

def cited_commit(source, relpath):
    m = re.search(re.escape(relpath) + r"@([0-9a-f]{7,40})", source or "")
    return m.group(1) if m else None

def version_of(text):
    m = re.search(r"(?<![\w.])(\d+(?:\.\d+)+)", text or "")
    return tuple(int(x) for x in m.group(1).split(".")) if m else None

def cited_version(source, image):
    m = re.search(r"repos/" + re.escape(image) + r"/local/([^@\s]+)\.md@", source or "")
    return version_of(m.group(1)) if m else None

def cited_date(source):
    m = re.search(r"built (\d{4}-\d{2}-\d{2})", source or "")
    return m.group(1) if m else ""

def files(args, image):
    folder = f"repos/{image}/local"
    if args.dir:
        path = os.path.join(args.dir, folder)
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                yield name, open(os.path.join(path, name)).read()
        return
    listing = subprocess.run(["git", "--git-dir", args.git, "ls-tree", "--name-only", "HEAD", folder + "/"],
                             capture_output=True, text=True).stdout.split()
    for path in listing:
        text = subprocess.run(["git", "--git-dir", args.git, "show", f"HEAD:{path}"],
                              capture_output=True, text=True).stdout
        yield os.path.basename(path), text

def main():
    p = argparse.ArgumentParser()
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--git"); src.add_argument("--dir")
    p.add_argument("--table", default=os.path.join(os.path.dirname(__file__), "..", "data", "base-images.tsv"))
    p.add_argument("--commit", help="repo-info commit to name (default: the mirror's HEAD)")
    p.add_argument("--commits", help="TSV: repos/<image>/local/<tag>.md, commit (one commit per file)")
    p.add_argument("--remote-sizes", help="TSV: image, tag, compressed_bytes, commit")
    p.add_argument("--on-conflict", choices=["keep", "replace"], default="keep")
    p.add_argument("--known-dates", help="text file naming 'repos/<image>/local/<tag>.md @ <commit>' "
                   "and 'built YYYY-MM-DD' on one line (e.g. shared/calibration/official-images.tsv)")
    args = p.parse_args()
    per_file = read_commits(args.commits)
    remote = read_remote(args.remote_sizes)
    known = {}
    if args.known_dates and os.path.exists(args.known_dates):
        for line in open(args.known_dates):
            m = re.search(r"(repos/\S+?\.md) ?@ ?([0-9a-f]{7,40})", line)
            d = re.search(r"built (\d{4}-\d{2}-\d{2})", line)
            if m and d:
                known[(m.group(1), m.group(2)[:12])] = d.group(1)
    commit = args.commit or (subprocess.run(["git", "--git-dir", args.git, "rev-parse", "HEAD"],
                                            capture_output=True, text=True).stdout.strip() if args.git else "unknown")
    with open(args.table) as f:
        reader = csv.DictReader(f, delimiter="\t")
        header, rows = reader.fieldnames, list(reader)
    by_key = {(r["image"], r["tag"]): r for r in rows}
    images = sorted({r["image"] for r in rows if "/" not in r["image"] and r["image"] != "scratch"})
    updated = added = kept = 0
    for image in images:
        for name, text in files(args, image):
            if not name.endswith(".md"):
                continue
            tag, info = name[:-3], parse_local(text)
            if not info:
                continue
            relpath = f"repos/{image}/local/{name}"
            file_commit = per_file.get(relpath, commit)
            source = f'repo-info {relpath}@{file_commit[:12]} (built {info["created"]}, {info["canonical"]})'
            row = by_key.get((image, tag))
            if row:
                old = cited_commit(row["source"], relpath)
                if (old and not file_commit.startswith(old) and not old.startswith(file_commit[:len(old)])
                        and args.on_conflict == "keep"
                        and not ((cited_date(row["source"]) or known.get((relpath, old[:12])))
                                 and info["created"] > (cited_date(row["source"]) or known.get((relpath, old[:12]))))):
                    print(f"{image}:{tag}: table cites {relpath}@{old}, read @{file_commit[:12]} "
                          f"(built {info['created']}, {info['bytes']} B vs {row['uncompressed_bytes']} B); kept", file=sys.stderr)
                    kept += 1
                    continue
                ours, theirs = version_of(info["canonical"].split(":", 1)[-1]), cited_version(row["source"], image)
                if (not old and ours and theirs and len(ours) >= 3 and len(theirs) >= 3 and ours < theirs
                        and args.on_conflict == "keep"):
                    print(f"{image}:{tag}: {relpath} is {info['canonical']} (built {info['created']}), older than the "
                          f"version the row cites ({row['source'][:80]}); kept", file=sys.stderr)
                    kept += 1
                    continue
                if row["uncompressed_bytes"] != str(info["bytes"]):
                    row["compressed_bytes"] = ""  # another build: the old download size no longer applies
                row["uncompressed_bytes"] = str(info["bytes"])
                row["source"] = source
                updated += 1
                continue
            siblings = [r for r in rows if r["image"] == image and variant_words(r["tag"]) == variant_words(tag)]
            if not siblings:
                print(f"{image}:{tag}: no row of its variant to take facts from; left out", file=sys.stderr)
                continue
            best = max(siblings, key=lambda r: len(os.path.commonprefix([r["tag"], tag])))
            row = dict(best, tag=tag, uncompressed_bytes=str(info["bytes"]), compressed_bytes="", source=source)
            rows.append(row); by_key[(image, tag)] = row; added += 1
    filled = 0
    for r in rows:
        hit = remote.get((r["image"], r["tag"]))
        if hit and not r["compressed_bytes"]:
            r["compressed_bytes"] = hit[0]
            filled += 1
    rows.sort(key=lambda r: (r["image"], r["tag"]))
    with open(args.table, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r[h] or "" for h in header) + "\n")
    src = f"{len(per_file)} per-file commits" if per_file else f"repo-info {commit[:12]}"
    print(f"{updated} rows updated, {added} added, {kept} kept on commit conflict, "
          f"{filled} compressed sizes filled, from {src}", file=sys.stderr)

if __name__ == "__main__":
    main()
