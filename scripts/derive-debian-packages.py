#!/usr/bin/env python3
"""Regenerate data/debian-index-<suite>.tsv from Debian's (and Ubuntu's) package index.

Fetch the index with apt (no root changes: every apt directory is redirected):

    mkdir -p $APT/{lists/partial,etc}; cat > $APT/etc/sources.list <<X
    deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
    deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
    deb [signed-by=$KEYRING] http://archive.ubuntu.com/ubuntu noble main
    deb [signed-by=$KEYRING] http://archive.ubuntu.com/ubuntu resolute main
    X
    apt-get update -o Dir::Etc=$APT/etc -o Dir::Etc::sourcelist=$APT/etc/sources.list \
        -o Dir::State::Lists=$APT/lists -o Acquire::Languages=none -o APT::Architectures=amd64
    scripts/derive-debian-packages.py $APT/lists

($KEYRING: ubuntu-archive-keyring.gpg from Debian's `ubuntu-keyring` package,
`apt-get download ubuntu-keyring` then `dpkg-deb -x`.) Ubuntu's `main` only:
names it lacks (universe) are looked up in the trixie index by the estimator.

For each suite it writes one line per package (sorted by name):
    package  installed_kib  depends  recommends  flags
`depends` are Pre-Depends and Depends, `recommends` Recommends: for each
alternative group the first name that exists (or is provided), version
constraints and architecture qualifiers dropped, written as comma-separated
0-based row numbers (data rows, header excluded) to keep the table small.
`flags`: `b` = in the minimal base (Priority required, plus apt, and their
Depends: what debian:<suite>-slim holds); `v` = a virtual name, whose
`depends` is its provider. Which packages are kept: see DROP below.
"""
import os, re, subprocess, sys

def stanzas(path):
    text = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", path],
                          capture_output=True, text=True, check=True).stdout
    for block in text.split("\n\n"):
        fields, key = {}, None
        for line in block.split("\n"):
            if line.startswith((" ", "\t")) and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Package" in fields:
            yield fields

def groups(value):
    out = []
    for group in filter(None, (g.strip() for g in value.split(","))):
        names = [re.sub(r"\s*\(.*?\)|\s*\[.*?\]|\s*<.*?>", "", a).strip().split(":")[0]
                 for a in group.split("|")]
        out.append([n for n in names if n])
    return out

def derive(path):
    packages, provides = {}, {}
    for f in stanzas(path):
        name = f["Package"]
        if name in packages:
            continue
        packages[name] = dict(
            kib=int(f.get("Installed-Size", "0") or 0),
            depends=groups(f.get("Pre-Depends", "")) + groups(f.get("Depends", "")),
            recommends=groups(f.get("Recommends", "")),
            required=f.get("Priority") == "required" or f.get("Essential") == "yes")
        for p in groups(f.get("Provides", "")):
            provides.setdefault(p[0], name)
    def pick(group):
        for n in group:
            if n in packages:
                return n
        for n in group:
            if n in provides:
                return n
        return None
    # The base: required packages and apt, each dependency group satisfied the way
    # an image build (debuerreotype) does: by a required package when one is in the
    # group, else by the smallest (usr-is-merged, not usrmerge).
    def pick_for_base(group):
        real = [n if n in packages else provides.get(n) for n in group]
        real = [n for n in real if n]
        required = [n for n in real if packages[n]["required"]]
        return (required or sorted(real, key=lambda n: packages[n]["kib"]) or [None])[0]
    base, stack = set(), [n for n, r in packages.items() if r["required"]] + ["apt"]
    while stack:
        n = stack.pop()
        if not n or n in base:
            continue
        base.add(n)
        stack.extend(map(pick_for_base, packages[n]["depends"]))
    for row in packages.values():
        row["depends"] = [n for n in map(pick, row["depends"]) if n]
        row["recommends"] = [n for n in map(pick, row["recommends"]) if n]
    # Kept: the base, and every package something else depends on or recommends
    # outside the language-ecosystem families Dockerfiles install with their own
    # tools (pip, npm, gem, cargo, go) or never (docs, translations, kernels),
    # closed over Depends and Recommends so no closure has a hole.
    used = set()
    for row in packages.values():
        used.update(row["depends"]); used.update(row["recommends"])
    seeds = [n for n in packages if n in base or (n in used and not DROP.search(n))]
    keep, stack = set(), seeds
    while stack:
        n = stack.pop()
        n = n if n in packages else provides.get(n)
        if not n or n in keep:
            continue
        keep.add(n)
        stack.extend(packages[n]["depends"] + packages[n]["recommends"])
    virtual = sorted(n for n in provides if n not in packages and provides[n] in keep)
    names = sorted(keep) + virtual
    index = {n: i for i, n in enumerate(names)}
    def refs(list_):
        return ",".join(str(i) for i in sorted({index[n] for n in list_ if n in index}))
    lines = []
    for name in sorted(keep):
        row = packages[name]
        lines.append(f'{name}\t{row["kib"]}\t{refs(row["depends"])}\t{refs(row["recommends"])}\t{"b" if name in base else ""}')
    for name in virtual:
        lines.append(f"{name}\t0\t{index[provides[name]]}\t\tv")
    return lines

DROP = re.compile(
    r"^(librust-|golang-|libghc-|haskell-|r-cran-|r-bioc-|r-other-|texlive|lib.*-ocaml|ocaml-"
    r"|libjs-|node-|elpa-|octave-|linux-image|linux-headers|firmware-|gir1\.2-|lib.*-java$"
    r"|lib.*-cil$|libkf|qml|tryton|tesseract-ocr-|libreoffice-|task-"
    r"|librte|myspell-|hunspell-|aspell-|hyphen-|mythes-)|-(doc|dbg|l10n-.*|i18n|examples|tests?)$")

def main():
    lists = sys.argv[1]
    out = os.path.join(os.path.dirname(__file__), "..", "data")
    for file in sorted(os.listdir(lists)):
        m = re.match(r".*_dists_([a-z]+)_main_binary-amd64_Packages", file)
        if not m:
            continue
        suite = m.group(1)
        release = open(os.path.join(lists, file.split("_main_")[0] + "_InRelease")).read()
        date = re.search(r"^Date: (.*)$", release, re.M).group(1)
        lines = derive(os.path.join(lists, file))
        with open(os.path.join(out, f"debian-index-{suite}.tsv"), "w") as f:
            distribution = "Ubuntu" if "ubuntu" in file else "Debian"
            f.write(f"# {distribution} {suite} main amd64 Packages, InRelease Date: {date}\n")
            f.write("package\tinstalled_kib\tdepends\trecommends\tflags\n")
            f.write("\n".join(lines) + "\n")
        print(suite, date, len(lines), "rows")

if __name__ == "__main__":
    main()
