#!/usr/bin/env python3
"""Regenerates data/toolchain-paths.tsv: where the build-tool catalogue's packages put
their programs and directories, read from the real Debian packages.

For every `package` row of data/build-tools.tsv that apt uses, the package and the
packages it pulls in (Depends, recursively, no Recommends) are fetched with
`apt-get download` into a temporary directory and listed with `dpkg-deb -c`. Only the parts
of the tool are kept: the package, the catalogue packages and `-dev` packages among its
dependencies, and those named like one of them (gcc -> gcc-12, cpp-12); shared
libraries, runtimes (`*-jre*`, perl, python3) and everything else it pulls in are not
the tool. From the file lists the table keeps:

- binaries: programs in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin;
- directories: the directories the packages add beneath a shared system directory
  (/usr/lib/gcc, /usr/libexec/gcc, /usr/include/openssl, /usr/lib/jvm/<jdk>/jmods),
  and /usr/include itself when they put headers directly in it.

Alpine rows are derived from the Debian rows of the same names (apk uses the same
package names for these tools and the same /usr/bin, /usr/lib/gcc, /usr/include
layout), with Debian's multiarch and version parts removed; they are marked `derived`.

Usage: scripts/derive-toolchain-paths.py [PACKAGE...] > data/toolchain-paths.tsv  (needs apt,
dpkg-deb); with package names, only their rows (to refresh a few).
"""

import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_DIRS = {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin"}
# Directories many packages share: a package's own directory is a child of one of these.
SHARED = {
    "/", "/lib", "/lib64", "/usr", "/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/libexec", "/usr/share",
    "/usr/include", "/usr/include/x86_64-linux-gnu", "/usr/lib/jvm", "/usr/share/java",
    "/usr/lib/python3", "/usr/lib/python3/dist-packages", "/usr/share/perl5", "/usr/lib/ruby",
    "/usr/lib/ruby/vendor_ruby", "/usr/share/ruby", "/usr/lib/x86_64-linux-gnu/pkgconfig",
    "/usr/share/pkgconfig", "/usr/local", "/opt", "/usr/lib/go-1.19", "/usr/share/go-1.19",
}
# Documentation, configuration and package metadata: never what a COPY takes as a tool.
IGNORED = (
    "/usr/share/doc", "/usr/share/man", "/usr/share/info", "/usr/share/lintian", "/usr/share/bug",
    "/usr/share/menu", "/usr/share/bash-completion", "/usr/share/zsh", "/usr/share/locale",
    "/usr/share/applications", "/usr/share/icons", "/usr/share/pixmaps", "/usr/share/mime",
    "/usr/share/gdb", "/usr/share/emacs", "/usr/share/vim", "/usr/share/metainfo", "/etc", "/var",
    "/usr/share/aclocal", "/usr/share/pkgconfig", "/usr/lib/x86_64-linux-gnu/pkgconfig",
    "/usr/share/perl5", "/usr/share/java", "/usr/lib/python3", "/usr/share/mime", "/usr/lib/systemd",
    "/usr/share/binfmts", "/usr/share/gcc", "/usr/lib/debug", "/lib/",
)
RUNTIME = re.compile(r"^(lib(?!.*-dev$).*|.*-jre(-headless)?|perl.*|python3(\.\d+)?(-minimal)?"
                     r"|.*-common|.*-data|.*-doc|ca-certificates.*|java-common|tzdata|sensible-utils)$")
TOOL_RUNTIME_EXCEPTIONS = {"libc6-dev", "libgcc-12-dev", "libstdc++-12-dev", "libtool", "libc-dev-bin"}


def run(*args, cwd=None):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False).stdout


def catalogue(only=()):
    rows = []
    with open(os.path.join(ROOT, "data", "build-tools.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            name, match, _kind, managers = line.rstrip("\n").split("\t")[:4]
            if match == "package" and (not only or name in only or
                                       (name == "build-base" and "build-essential" in only)):
                rows.append((name, managers.split(",")))
    return rows


SHOWN = {}


def show(package):
    if package not in SHOWN:
        SHOWN[package] = run("apt-cache", "show", "--no-all-versions", package)
    return SHOWN[package]


def closure(package):
    out = run("apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
              "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", package)
    names = []
    for line in out.splitlines():
        if line.startswith(" ") or line.startswith("<"):
            continue
        names.append(line.strip())
    return names


def stem(name):
    """`gcc-12` -> `gcc`, `binutils-x86-64-linux-gnu` -> `binutils`, `g++` -> `g++`."""
    return re.split(r"[-0-9.]", name, maxsplit=1)[0] or name


def tool_parts(root, members, catalogued):
    """The packages of `members` (root's Depends closure) that are part of the tool:
    the root, catalogue packages, `-dev` packages, and packages named like one of
    those (`gcc` -> `gcc-12`, `binutils` -> `binutils-x86-64-linux-gnu`)."""
    # A headers package is its own headers: the -dev packages it pulls in are other libraries'.
    headers = root.endswith("-dev") and root not in TOOL_RUNTIME_EXCEPTIONS
    kept = [m for m in members if m == root or (not headers and (
        m in catalogued or m.endswith("-dev") or m in TOOL_RUNTIME_EXCEPTIONS))]
    stems = {stem(m) for m in kept}
    for m in members:
        if m not in kept and stem(m) in stems and not RUNTIME.match(m) and not essential(m):
            kept.append(m)
    return kept


def essential(package):
    """In every Debian image already (dpkg beside dpkg-dev): priority required."""
    text = show(package)
    return "Essential: yes" in text or "Priority: required" in text


def version(package):
    for line in show(package).splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "?"


def files(package, workdir, cache):
    if package in cache:
        return cache[package]
    run("apt-get", "download", "-q", package, cwd=workdir)
    debs = [d for d in os.listdir(workdir) if d.startswith(package + "_") and d.endswith(".deb")]
    listed = []
    for deb in debs:
        for line in run("dpkg-deb", "-c", os.path.join(workdir, deb)).splitlines():
            parts = line.split(None, 5)
            if len(parts) < 6:
                continue
            mode, path = parts[0], parts[5].split(" -> ")[0]
            path = "/" + path.lstrip("./").rstrip("/")
            listed.append((mode.startswith("d"), path))
        os.remove(os.path.join(workdir, deb))
    cache[package] = listed
    return listed


def summarise(listed):
    binaries, directories = set(), set()
    for is_dir, path in listed:
        if path.startswith(IGNORED) or any(path == i for i in IGNORED):
            continue
        parent = os.path.dirname(path)
        if not is_dir and parent in BIN_DIRS:
            # Multiarch aliases (x86_64-linux-gnu-gcc) name the same programs.
            if not os.path.basename(path).startswith("x86_64-linux-gnu-"):
                binaries.add(path)
        elif not is_dir and parent == "/usr/include":
            directories.add("/usr/include")
        elif is_dir and path not in SHARED and path not in BIN_DIRS and parent in SHARED:
            directories.add(path)
    return sorted(binaries), sorted(directories)


def alpine(paths):
    out = set()
    for path in paths:
        path = path.replace("/x86_64-linux-gnu", "")
        path = re.sub(r"^(/usr/bin/[a-z+]+)-1[0-9]$", r"\1", path)  # gcc-12 -> gcc
        path = re.sub(r"/jvm/java-(\d+)-openjdk-amd64", r"/jvm/java-\1-openjdk", path)
        out.add(path)
    return sorted(out)


def main():
    print("package\tdistro\tbinaries\tdirectories\tsource")
    cache = {}
    debian_rows = {}
    catalogued = {name for name, managers in catalogue() if "apt" in managers}
    only = set(sys.argv[1:])
    with tempfile.TemporaryDirectory() as workdir:
        for name, managers in catalogue(only):
            if "apt" not in managers:
                continue
            parts = tool_parts(name, closure(name), catalogued)
            if not parts:
                continue
            listed = []
            for part in parts:
                listed.extend(files(part, workdir, cache))
            binaries, directories = summarise(listed)
            if not binaries and not directories:
                continue
            debian_rows[name] = (binaries, directories)
            described = ", ".join(f"{p} {version(p)}" for p in sorted(set(parts)))
            print(f"{name}\tdebian\t{','.join(binaries)}\t{','.join(directories)}\t"
                  f"dpkg-deb -c, bookworm amd64: {described}")
            sys.stdout.flush()
    derived = {"build-essential": "build-base"}
    for name, managers in catalogue(only):
        if "apk" not in managers:
            continue
        source = next((d for d, a in derived.items() if a == name), name)
        if source not in debian_rows:
            continue
        binaries, directories = debian_rows[source]
        print(f"{name}\talpine\t{','.join(alpine(binaries))}\t{','.join(alpine(directories))}\t"
              f"derived: layout of the debian row {source}")


if __name__ == "__main__":
    main()
