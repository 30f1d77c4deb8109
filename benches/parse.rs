//! Parser throughput, in bytes per second.
//!
//! - `parse/synthetic_large`: one realistic Dockerfile of 5,000+ lines built in code:
//!   many stages, `RUN` chains with continuations, `--mount` flags, heredocs, exec-form
//!   `CMD`s, `ENV`/`LABEL`/`ARG` pairs and comments.
//! - `parse/fixtures_concatenated`: the parser fixtures (valid UTF-8 ones, except those
//!   with an unterminated heredoc), joined and repeated to about 1 MB.
//! - `parse/fixtures_each`: every parser fixture parsed on its own, as a set (many small
//!   files, where per-file costs show).
//! - `corpus_each` (CPU-time figure only): every file directly under `DOCKSTAGE_CORPUS`,
//!   when set, parsed on its own: real Dockerfiles that cannot live in the repository.
//!
//! Criterion measures wall-clock time, which a loaded machine inflates. On Linux the
//! bench also prints throughput per CPU-second (from `/proc/self/stat`) before
//! criterion starts, which stays meaningful when other processes compete for the cores.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dockstage::syntax::parse;

// The allocator the `dockstage` binary uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One stage of the synthetic file; `n` varies names, versions and paths.
fn stage(out: &mut String, n: usize) {
    let _ = write!(
        out,
        r#"# ---------------------------------------------------------------------------
# Stage {n}: build the service-{n} component
# ---------------------------------------------------------------------------
ARG BASE_VERSION_{n}=1.{minor}
FROM --platform=$BUILDPLATFORM golang:${{BASE_VERSION_{n}}}-bookworm AS build-{n}
ARG TARGETOS TARGETARCH
ENV CGO_ENABLED=0 \
    GOFLAGS="-trimpath -mod=readonly" \
    GOCACHE=/root/.cache/go-build
LABEL org.opencontainers.image.title="service-{n}" \
      org.opencontainers.image.version="1.{minor}.{n}" \
      org.opencontainers.image.source="https://github.com/example/service-{n}"
WORKDIR /src/service-{n}
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update \
 && apt-get install -y --no-install-recommends \
        ca-certificates \
        git \
        build-essential \
        pkg-config \
        libssl-dev \
 && rm -rf /var/lib/apt/lists/*
COPY --link go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    go mod download -x
COPY --link . .
# Build with the version stamped in.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -ldflags "-s -w -X main.version=1.{minor}.{n}" -o /out/service-{n} ./cmd/service-{n}
RUN <<EOF
set -eux
echo "checking service-{n}"
/out/service-{n} --version
test -x /out/service-{n}
EOF
COPY <<-'CONFIG' /out/config-{n}.yaml
	listen: ":80{port}"
	log_level: info
	cache_dir: /var/cache/service-{n}
	CONFIG

FROM gcr.io/distroless/static-debian12:nonroot AS runtime-{n}
COPY --from=build-{n} --chown=65532:65532 /out/service-{n} /usr/local/bin/service-{n}
COPY --from=build-{n} /out/config-{n}.yaml /etc/service-{n}/config.yaml
ENV SERVICE_NAME=service-{n} PORT=80{port}
EXPOSE 80{port}/tcp
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=3s --retries=3 \
    CMD ["/usr/local/bin/service-{n}", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/service-{n}"]
CMD ["--config", "/etc/service-{n}/config.yaml"]

"#,
        minor = 20 + n % 5,
        port = 10 + n % 90,
    );
}

/// The synthetic file: a syntax directive and stages until it has `min_lines` lines.
fn synthetic(min_lines: usize) -> String {
    let mut out = String::from("# syntax=docker/dockerfile:1.7\n# check=error=true\n\n");
    let mut n = 0;
    while out.lines().count() < min_lines {
        stage(&mut out, n);
        n += 1;
    }
    out.push_str("FROM runtime-0 AS final\nONBUILD RUN echo rebuilt\n");
    out
}

/// The parser fixtures that are valid UTF-8, sorted by path.
fn fixtures() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/parser");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("cannot read {}", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// The UTF-8 files directly under `DOCKSTAGE_CORPUS`, if it is set.
fn corpus_files() -> Vec<String> {
    let Some(dir) = std::env::var_os("DOCKSTAGE_CORPUS") else {
        return Vec::new();
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("cannot read DOCKSTAGE_CORPUS={}", Path::new(&dir).display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// User + system CPU seconds of this process, from `/proc/self/stat` (Linux only;
/// assumes the usual 100 clock ticks per second).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (in parentheses): utime and stime are 12th and 13th.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Parses `inputs` repeatedly for about two CPU-seconds; prints MB per CPU-second.
fn cpu_throughput(name: &str, inputs: &[&str]) {
    // Honour a name filter as criterion does (`cargo bench --bench parse -- synthetic`),
    // so a profiler can watch one input alone.
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    if filter.is_some_and(|f| !name.contains(f.as_str())) {
        return;
    }
    let bytes: usize = inputs.iter().map(|s| s.len()).sum();
    let Some(start) = cpu_seconds() else {
        return;
    };
    let mut rounds = 0u64;
    let mut used = 0.0;
    while used < 2.0 {
        for input in inputs {
            black_box(parse(black_box(input)));
        }
        rounds += 1;
        if rounds.is_multiple_of(8) {
            used = cpu_seconds().map_or(f64::INFINITY, |now| now - start);
        }
    }
    let per_second = bytes as f64 * rounds as f64 / used;
    eprintln!(
        "cpu-time {name}: {:.1} MB/s ({:.1} MiB/s) over {rounds} rounds",
        per_second / 1e6,
        per_second / (1024.0 * 1024.0)
    );
}

fn parse_benches(c: &mut Criterion) {
    let large = synthetic(5_000);
    eprintln!(
        "synthetic_large: {} lines, {} bytes",
        large.lines().count(),
        large.len()
    );
    let fixtures = fixtures();
    let fixture_bytes: usize = fixtures.iter().map(String::len).sum();
    // An unterminated heredoc would swallow every later copy as its body.
    let closed: Vec<&String> = fixtures
        .iter()
        .filter(|text| {
            !parse(text)
                .errors
                .iter()
                .any(|e| e.message.starts_with("unterminated heredoc"))
        })
        .collect();
    let mut concatenated = String::new();
    while !closed.is_empty() && concatenated.len() < 1_000_000 {
        for text in &closed {
            concatenated.push_str(text);
            if !text.ends_with('\n') {
                concatenated.push('\n');
            }
        }
    }
    eprintln!(
        "fixtures: {} files, {fixture_bytes} bytes; concatenated: {} bytes",
        fixtures.len(),
        concatenated.len()
    );

    cpu_throughput("synthetic_large", &[&large]);
    cpu_throughput("fixtures_concatenated", &[&concatenated]);
    let each: Vec<&str> = fixtures.iter().map(String::as_str).collect();
    cpu_throughput("fixtures_each", &each);
    // Real Dockerfiles that cannot live in the repository: `DOCKSTAGE_CORPUS=<dir>`.
    let corpus = corpus_files();
    if !corpus.is_empty() {
        let bytes: usize = corpus.iter().map(String::len).sum();
        eprintln!("corpus: {} files, {bytes} bytes", corpus.len());
        let each: Vec<&str> = corpus.iter().map(String::as_str).collect();
        cpu_throughput("corpus_each", &each);
    }

    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(large.len() as u64));
    group.bench_function("synthetic_large", |b| b.iter(|| parse(black_box(&large))));
    group.throughput(Throughput::Bytes(concatenated.len() as u64));
    group.bench_function("fixtures_concatenated", |b| {
        b.iter(|| parse(black_box(&concatenated)))
    });
    group.throughput(Throughput::Bytes(fixture_bytes as u64));
    group.bench_function("fixtures_each", |b| {
        b.iter(|| {
            for text in &fixtures {
                black_box(parse(black_box(text)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse_benches);
criterion_main!(benches);
