//! Build-context indexing on 100,000 small files, and source queries on it.
//!
//! The tree is created once per run in a temporary directory: 10 × 10 × 10
//! directories of 100 files each. A `.dockerignore` drops the `*.log` files
//! (10 per directory), excludes `d9` with one literal exception (so part of
//! it is still walked) and keeps the rest.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use dockstage::size::context::{ContextIndex, CopyFilter};
use dockstage::size::dockerignore::DockerIgnore;

const DOCKERIGNORE: &str = "**/*.log\nd9\n!d9/s0/x0/f00.txt\n";

fn create_context(root: &Path) -> std::io::Result<usize> {
    let mut created = 0;
    for top in 0..10 {
        for sub in 0..10 {
            for leaf in 0..10 {
                let dir = root.join(format!("d{top}/s{sub}/x{leaf}"));
                fs::create_dir_all(&dir)?;
                for file in 0..100 {
                    let name = if file % 10 == 9 {
                        format!("f{file:02}.log")
                    } else {
                        format!("f{file:02}.txt")
                    };
                    // Small files of varying size.
                    fs::write(dir.join(name), vec![b'x'; 16 + file])?;
                    created += 1;
                }
            }
        }
    }
    fs::write(root.join(".dockerignore"), DOCKERIGNORE)?;
    Ok(created)
}

fn context_benches(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("cannot create a temporary directory: {e}");
            return;
        }
    };
    match create_context(dir.path()) {
        Ok(created) => eprintln!("created {created} files in {}", dir.path().display()),
        Err(e) => {
            eprintln!("cannot create the benchmark context: {e}");
            return;
        }
    }
    let ignore = match DockerIgnore::parse(DOCKERIGNORE) {
        Ok(ignore) => ignore,
        Err(e) => {
            eprintln!("invalid benchmark .dockerignore: {e}");
            return;
        }
    };

    let mut group = c.benchmark_group("context");
    group.sample_size(10);
    group.bench_function("build_index_100k_files", |b| {
        b.iter(|| ContextIndex::build(black_box(dir.path()), Some(&ignore)))
    });

    let Ok(index) = ContextIndex::build(dir.path(), Some(&ignore)) else {
        eprintln!("indexing failed");
        return;
    };
    let total = index.total();
    eprintln!(
        "indexed {} files, {} bytes, {} dirs",
        total.files, total.bytes, total.dirs
    );
    let Ok(exclude_txt) = CopyFilter::new().exclude(["**/*.txt"]) else {
        return;
    };
    group.bench_function("measure_dir_and_file", |b| {
        b.iter(|| {
            (
                index.measure(black_box(".")),
                index.measure(black_box("d3")),
                index.measure(black_box("d4/s4/x4/f44.txt")),
            )
        })
    });
    group.bench_function("measure_wildcard", |b| {
        b.iter(|| index.measure(black_box("d*/s1/x*/f0?.txt")))
    });
    group.bench_function("measure_dir_with_exclude", |b| {
        b.iter(|| index.measure_with(black_box("d2"), &exclude_txt))
    });
    group.finish();
}

criterion_group!(benches, context_benches);
criterion_main!(benches);
