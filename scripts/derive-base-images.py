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
    return tuple(sorted(w for w in words if w and not w[0].isdigit() and w not in CODENAMES
                        and not re.fullmatch(r"alpine\d.*", w) and w != "latest"))

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
    args = p.parse_args()
    commit = args.commit or (subprocess.run(["git", "--git-dir", args.git, "rev-parse", "HEAD"],
                                            capture_output=True, text=True).stdout.strip() if args.git else "unknown")
    with open(args.table) as f:
        reader = csv.DictReader(f, delimiter="\t")
        header, rows = reader.fieldnames, list(reader)
    by_key = {(r["image"], r["tag"]): r for r in rows}
    images = sorted({r["image"] for r in rows if "/" not in r["image"] and r["image"] != "scratch"})
    updated = added = 0
    for image in images:
        for name, text in files(args, image):
            if not name.endswith(".md"):
                continue
            tag, info = name[:-3], parse_local(text)
            if not info:
                continue
            source = f'repo-info repos/{image}/local/{name}@{commit[:12]} (built {info["created"]}, {info["canonical"]})'
            row = by_key.get((image, tag))
            if row:
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
    rows.sort(key=lambda r: (r["image"], r["tag"]))
    with open(args.table, "w") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r[h] or "" for h in header) + "\n")
    print(f"{updated} rows updated, {added} added from repo-info {commit[:12]}", file=sys.stderr)

if __name__ == "__main__":
    main()
