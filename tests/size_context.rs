//! Docker's build-context rules, pinned on real files on disk: `.dockerignore`
//! semantics as BuildKit applies them, and `COPY`/`ADD` source measurement.

use std::fs;
use std::path::Path;

use dockstage::size::context::{ContextIndex, CopyFilter, EntryKind, SourceMeasure};
use dockstage::size::dockerignore::{DockerIgnore, IgnoreErrorKind};
use tempfile::TempDir;

/// Create `files` (path, size in bytes) under a fresh temporary directory.
fn context_with(files: &[(&str, usize)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, size) in files {
        write_file(dir.path(), path, *size);
    }
    dir
}

fn write_file(root: &Path, path: &str, size: usize) {
    let full = root.join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).expect("create parent dirs");
    }
    fs::write(full, vec![b'x'; size]).expect("write file");
}

fn index(dir: &TempDir, dockerignore: &str) -> ContextIndex {
    let ignore = DockerIgnore::parse(dockerignore).expect("valid .dockerignore");
    ContextIndex::build(dir.path(), Some(&ignore)).expect("index")
}

/// The included non-directory paths, in index order.
fn files(index: &ContextIndex) -> Vec<&str> {
    index
        .entries()
        .iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| e.path.as_str())
        .collect()
}

fn measured(bytes: u64, files: u64) -> (u64, u64, bool) {
    (bytes, files, true)
}

fn summary(m: SourceMeasure) -> (u64, u64, bool) {
    (m.bytes, m.files, m.matched)
}

#[test]
fn comments_only_in_column_one() {
    let dir = context_with(&[("# notes", 1), ("keep.txt", 2), ("secret", 3)]);
    let idx = index(&dir, "# secret\nsecret\n  # notes\n");
    // `# secret` is a comment; `  # notes` is the pattern `# notes`.
    assert_eq!(files(&idx), ["keep.txt"]);
}

#[test]
fn later_patterns_override_earlier_ones() {
    let dir = context_with(&[("README.md", 10), ("CHANGES.md", 20), ("main.go", 30)]);
    let keep_readme = index(&dir, "*.md\n!README.md\n");
    assert_eq!(files(&keep_readme), ["README.md", "main.go"]);
    let drop_all_md = index(&dir, "!README.md\n*.md\n");
    assert_eq!(files(&drop_all_md), ["main.go"]);
}

#[test]
fn double_star_spans_directories() {
    let dir = context_with(&[
        ("main.go", 1),
        ("cmd/tool/main.go", 2),
        ("cmd/tool/README", 3),
        ("docs/a.md", 4),
        ("docs/deep/b.md", 5),
        ("docsite/index.html", 6),
    ]);
    let idx = index(&dir, "**/*.go\ndocs/**\n");
    assert_eq!(files(&idx), ["cmd/tool/README", "docsite/index.html"]);
    // `docs/**` matches below `docs`, not `docs` itself: the directory stays.
    assert!(idx.entries().iter().any(|e| e.path == "docs" && e.kind == EntryKind::Dir));
    assert_eq!(summary(idx.measure("docs")), measured(0, 0));
}

#[test]
fn trailing_slash_leading_slash_and_dotdot_are_cleaned() {
    let dir = context_with(&[
        ("build/out.o", 1),
        ("sub/build/out.o", 2),
        ("tmp/x", 3),
        ("logs/today.log", 4),
        ("src/app.rs", 5),
    ]);
    // `build/` = `build` (top level only), `/tmp` = `tmp`,
    // `src/../logs` = `logs`.
    let idx = index(&dir, "build/\n/tmp\nsrc/../logs\n");
    assert_eq!(files(&idx), ["src/app.rs", "sub/build/out.o"]);
}

#[test]
fn excluded_directory_with_child_exception() {
    let dir = context_with(&[
        ("docs/keep.md", 7),
        ("docs/drop.md", 100),
        ("docs/sub/drop.md", 100),
        ("app.py", 1),
    ]);
    let idx = index(&dir, "docs\n!docs/keep.md\n");
    assert_eq!(files(&idx), ["app.py", "docs/keep.md"]);
    // The excluded directory is still sent as the parent of what is kept.
    assert_eq!(summary(idx.measure("docs")), measured(7, 1));
    assert_eq!(summary(idx.measure("docs/sub")), (0, 0, false));
}

#[test]
fn wildcard_exception_inside_excluded_directory() {
    let dir = context_with(&[("vendor/a/lib.go", 5), ("vendor/a/lib.c", 50), ("main.go", 1)]);
    let idx = index(&dir, "vendor\n!**/*.go\n");
    assert_eq!(files(&idx), ["main.go", "vendor/a/lib.go"]);
}

#[test]
fn character_classes_and_escapes() {
    let dir = context_with(&[
        ("filea.txt", 1),
        ("fileb.txt", 1),
        ("filed.txt", 1),
        ("star*", 1),
        ("starry", 1),
        ("q?", 1),
        ("qx", 1),
        ("!bang", 1),
        ("xbang", 1),
    ]);
    let idx = index(&dir, "file[a-c].txt\nstar\\*\nq\\?\n[!]bang\n");
    // Go has no `!` negation in classes: `[!]bang` matches only `!bang`.
    assert_eq!(files(&idx), ["filed.txt", "qx", "starry", "xbang"]);
    let negated = index(&dir, "file[^a-c].txt\n");
    assert!(!files(&negated).contains(&"filed.txt"));
    assert!(files(&negated).contains(&"filea.txt"));
}

#[test]
fn gitignore_is_not_read() {
    let dir = context_with(&[("a.log", 3), ("b.txt", 4)]);
    fs::write(dir.path().join(".gitignore"), "*.log\n").expect("write .gitignore");
    let idx = ContextIndex::build(dir.path(), None).expect("index");
    assert_eq!(files(&idx), [".gitignore", "a.log", "b.txt"]);
}

#[test]
fn dockerfile_specific_ignore_file_wins() {
    let dir = context_with(&[("a.txt", 1), ("b.txt", 2), ("build/app.Dockerfile", 0)]);
    fs::write(dir.path().join(".dockerignore"), "a.txt\n").expect("write");
    let dockerfile = dir.path().join("build/app.Dockerfile");

    let generic = DockerIgnore::load_for(&dockerfile, dir.path()).expect("load");
    let generic = generic.expect("context .dockerignore is found");
    assert_eq!(generic.origin(), Some(dir.path().join(".dockerignore").as_path()));
    assert!(generic.is_excluded("a.txt", false));

    fs::write(dir.path().join("build/app.Dockerfile.dockerignore"), "b.txt\n").expect("write");
    let specific = DockerIgnore::load_for(&dockerfile, dir.path()).expect("load");
    let specific = specific.expect("Dockerfile-specific ignore is found");
    assert!(specific.is_excluded("b.txt", false));
    assert!(!specific.is_excluded("a.txt", false));

    let idx = ContextIndex::build_for(&dockerfile, dir.path()).expect("index");
    assert_eq!(summary(idx.measure("a.txt")), measured(1, 1));
    assert_eq!(summary(idx.measure("b.txt")), (0, 0, false));

    let none = context_with(&[("Dockerfile", 0)]);
    let loaded = DockerIgnore::load_for(&none.path().join("Dockerfile"), none.path());
    assert!(loaded.expect("load").is_none());
}

#[test]
fn ignore_file_errors_carry_line_numbers() {
    let dir = context_with(&[("Dockerfile", 0)]);
    fs::write(dir.path().join(".dockerignore"), "ok\n# fine\n!\n").expect("write");
    let error = ContextIndex::build_for(&dir.path().join("Dockerfile"), dir.path())
        .expect_err("a lone `!` is an error");
    assert!(error.to_string().contains("line 3"), "{error}");
    let error = DockerIgnore::parse("a\nb[\n").expect_err("bad class");
    assert_eq!((error.line, error.kind), (2, IgnoreErrorKind::Syntax));
}

#[cfg(unix)]
#[test]
fn symlinks_are_sized_as_links_and_never_followed() {
    let outside = context_with(&[("huge.bin", 1 << 20)]);
    let dir = context_with(&[("app.txt", 5)]);
    let target = outside.path().join("huge.bin");
    std::os::unix::fs::symlink(&target, dir.path().join("link")).expect("symlink");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("dirlink")).expect("symlink");
    let idx = ContextIndex::build(dir.path(), None).expect("index");

    let link_len = target.as_os_str().len() as u64;
    let link = idx.entries().iter().find(|e| e.path == "link").expect("link indexed");
    assert_eq!((link.kind, link.size), (EntryKind::Symlink, link_len));
    assert_eq!(summary(idx.measure("link")), measured(link_len, 1));
    // The directory symlink is not descended into.
    assert!(!idx.entries().iter().any(|e| e.path.starts_with("dirlink/")));
    let dir_link_len = outside.path().as_os_str().len() as u64;
    assert_eq!(
        summary(idx.total()),
        measured(5 + link_len + dir_link_len, 3)
    );
}

#[test]
fn missing_sources_are_reported() {
    let dir = context_with(&[("src/main.rs", 10), ("secret.key", 3)]);
    let idx = index(&dir, "secret.key\n");
    assert_eq!(summary(idx.measure("nope.txt")), (0, 0, false));
    assert_eq!(summary(idx.measure("src/nope")), (0, 0, false));
    // Excluded by .dockerignore: Docker cannot see it either.
    assert_eq!(summary(idx.measure("secret.key")), (0, 0, false));
    let empty_glob = idx.measure("*.none");
    assert_eq!(summary(empty_glob), (0, 0, false));
    assert!(empty_glob.wildcard);
}

#[test]
fn sources_as_written() {
    let dir = context_with(&[("src/main.rs", 10), ("src/lib/mod.rs", 20), ("Cargo.toml", 5)]);
    let idx = ContextIndex::build(dir.path(), None).expect("index");
    assert_eq!(summary(idx.measure(".")), measured(35, 3));
    assert_eq!(summary(idx.measure("./")), measured(35, 3));
    assert_eq!(summary(idx.measure("/src")), measured(30, 2));
    assert_eq!(summary(idx.measure("./src/")), measured(30, 2));
    assert_eq!(summary(idx.measure("src/lib/../main.rs")), measured(10, 1));
    assert_eq!(summary(idx.measure("../../Cargo.toml")), measured(5, 1));
    assert_eq!(idx.measure("src").dirs, 1);
}

#[test]
fn wildcard_sources_match_per_segment() {
    let dir = context_with(&[
        ("home.txt", 1),
        ("homer.md", 2),
        ("homedir/a", 4),
        ("homedir/b/c", 8),
        ("other/home.txt", 16),
        ("src/x/app.go", 32),
        ("src/y/app.go", 64),
        ("src/y/deep/app.go", 128),
        ("file1", 256),
        ("file2", 512),
        ("file9", 1024),
    ]);
    let idx = ContextIndex::build(dir.path(), None).expect("index");
    // A matched directory is copied whole.
    assert_eq!(summary(idx.measure("hom*")), measured(1 + 2 + 4 + 8, 4));
    // `*` does not cross `/`.
    assert_eq!(summary(idx.measure("src/*/app.go")), measured(32 + 64, 2));
    // Without --parents, `**` is just `*` (Go's filepath.Match).
    assert_eq!(summary(idx.measure("src/**/app.go")), measured(32 + 64, 2));
    assert_eq!(summary(idx.measure("file[1-2]")), measured(256 + 512, 2));
    assert_eq!(summary(idx.measure("file?")), measured(256 + 512 + 1024, 3));
    assert!(idx.measure("file?").wildcard);
}

#[test]
fn copy_exclude_applies_on_top() {
    let dir = context_with(&[
        ("home.txt", 1),
        ("homer.md", 2),
        ("homedir/a.txt", 4),
        ("homedir/b.md", 8),
        ("homedir/sub/c.txt", 16),
    ]);
    let idx = ContextIndex::build(dir.path(), None).expect("index");
    let txt = CopyFilter::new().exclude(["*.txt"]).expect("valid");
    // Top-level matches are tested by name; inside a directory, paths are
    // relative to it, so `*.txt` does not reach `homedir/sub/c.txt`.
    assert_eq!(summary(idx.measure_with("hom*", &txt)), measured(2 + 8 + 16, 3));
    assert_eq!(summary(idx.measure_with("homedir", &txt)), measured(8 + 16, 2));
    let deep = CopyFilter::new().exclude(["**/*.txt"]).expect("valid");
    assert_eq!(summary(idx.measure_with("homedir", &deep)), measured(8, 1));
    // Exceptions work as in .dockerignore.
    let except = CopyFilter::new()
        .exclude(["*"])
        .and_then(|f| f.exclude(["!b.md"]))
        .expect("valid");
    assert_eq!(summary(idx.measure_with("homedir", &except)), measured(8, 1));
    // A source whose files are all excluded still exists.
    assert_eq!(summary(idx.measure_with("home.txt", &txt)), measured(0, 0));
    let error = CopyFilter::new().exclude(["ok", "[x"]).expect_err("bad pattern");
    assert_eq!(error.line, 2);
}

#[test]
fn copy_parents_selects_the_same_bytes() {
    let dir = context_with(&[("x/a.txt", 1), ("y/a.txt", 2), ("y/b/c.txt", 4), ("z.md", 8)]);
    let idx = ContextIndex::build(dir.path(), None).expect("index");
    let parents = CopyFilter::new().parents(true);
    for source in ["x/a.txt", "y", "*/a.txt", "./y/./b", "."] {
        assert_eq!(
            summary(idx.measure_with(source, &parents)),
            summary(idx.measure(source)),
            "{source}"
        );
    }
    // With --parents the source is a pattern, so `**` spans directories.
    assert_eq!(summary(idx.measure_with("**/*.txt", &parents)), measured(7, 3));
    assert_eq!(summary(idx.measure_with("nope", &parents)), (0, 0, false));
    // ... and --exclude is relative to the context root (or the pivot).
    let parents_exclude = parents.clone().exclude(["y/b"]).expect("valid");
    assert_eq!(summary(idx.measure_with("y", &parents_exclude)), measured(2, 1));
}

#[test]
fn directory_skipping_does_not_change_results() {
    let dir = context_with(&[
        ("node_modules/a/index.js", 100),
        ("node_modules/keep/x.js", 3),
        ("build/out", 100),
        ("src/app.js", 1),
    ]);
    // Literal exception: BuildKit reads `node_modules` but skips `build`.
    let idx = index(&dir, "node_modules\nbuild\n!node_modules/keep\n");
    assert_eq!(files(&idx), ["node_modules/keep/x.js", "src/app.js"]);
}

#[cfg(unix)]
#[test]
fn odd_names_and_unreadable_directories_do_not_crash() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;

    let dir = context_with(&[("ok.txt", 1), ("locked/inner.txt", 2)]);
    let bad_name = OsStr::from_bytes(b"bad\xffname");
    fs::write(dir.path().join(bad_name), b"abc").expect("write non-UTF-8 name");
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable_anyway = fs::read_dir(&locked).is_ok(); // true when running as root

    let idx = ContextIndex::build(dir.path(), None).expect("index");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");

    assert!(idx.entries().iter().any(|e| e.path == "bad\u{fffd}name" && e.size == 3));
    assert!(idx.warnings().iter().any(|w| w.message.contains("UTF-8")));
    if !readable_anyway {
        assert!(idx.warnings().iter().any(|w| w.path == "locked"));
        assert_eq!(summary(idx.measure("locked/inner.txt")), (0, 0, false));
    }
}

#[test]
fn context_root_errors() {
    let dir = context_with(&[("file", 1)]);
    assert!(ContextIndex::build(&dir.path().join("missing"), None).is_err());
    assert!(ContextIndex::build(&dir.path().join("file"), None).is_err());
}
