//! The size estimator end to end: fixtures on disk (`fixtures/size/`) and small
//! Dockerfiles with temporary build contexts.

use std::path::Path;
use std::process::Command;

use dockstage::model::StageGraph;
use dockstage::size::catalog::KnowledgeCatalog;
use dockstage::size::context::ContextIndex;
use dockstage::size::{estimate, Estimate, SizeInput, Source};
use dockstage::syntax;

const MB: u64 = 1_000_000;

fn estimate_in(dir: &Path, dockerfile: &str) -> Estimate {
    let path = dir.join("Dockerfile");
    std::fs::write(&path, dockerfile).unwrap();
    estimate_file(&path, dir)
}

fn estimate_file(path: &Path, context: &Path) -> Estimate {
    let text = std::fs::read_to_string(path).unwrap();
    let file = syntax::parse(&text);
    let graph = StageGraph::build(&file, None);
    let index = ContextIndex::build_for(path, context).unwrap();
    estimate(&SizeInput {
        file: &file,
        graph: &graph,
        context: Some(&index),
        catalog: &KnowledgeCatalog::default(),
    })
}

/// Estimates `fixtures/size/NAME` and checks the total falls in `expected`.
fn fixture_within(name: &str, expected: std::ops::Range<u64>) -> Estimate {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/size")
        .join(name);
    let result = estimate_file(&dir.join("Dockerfile"), &dir);
    assert!(
        expected.contains(&result.total.bytes),
        "{name}: {:?}",
        result.total
    );
    result
}

fn layer(estimate: &Estimate, line: usize) -> &dockstage::size::Layer {
    estimate
        .layers
        .iter()
        .find(|l| l.line == line)
        .unwrap_or_else(|| panic!("no layer at line {line}: {:#?}", estimate.layers))
}

fn write(dir: &Path, name: &str, bytes: usize) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, vec![b'x'; bytes]).unwrap();
}

#[test]
fn python_app_fixture() {
    let result = fixture_within("python-app", 150 * MB..260 * MB);
    assert!(result.total.low < result.total.bytes && result.total.bytes < result.total.high);
    assert_eq!(result.layers[0].source, Source::Table);
    let copied = layer(&result, 12);
    assert!(copied.note.contains("line 7"), "{}", copied.note);
    assert_eq!(copied.copies_from.as_deref(), Some("build"));
    // .dockerignore: **/*.pyc, tests/ and Dockerfile out, tests/keep.py back in.
    let context = layer(&result, 14);
    assert_eq!(context.source, Source::Measured);
    assert!(
        (23_000..24_000).contains(&context.size.bytes),
        "{}",
        context.size.bytes
    );
    assert!(result.savings.iter().any(|s| s.kind == "caches"));
    // The builder's compiler does not reach the final image.
    assert!(!result.savings.iter().any(|s| s.kind == "build-tools"));
}

#[test]
fn go_app_fixture() {
    let result = fixture_within("go-app", 5 * MB..65 * MB);
    let binary = layer(&result, 9);
    assert_eq!(binary.source, Source::Heuristic);
    assert!(binary.note.contains("line 6"), "{}", binary.note);
    let builder = result
        .stages
        .iter()
        .find(|s| s.name.as_deref() == Some("builder"))
        .unwrap();
    assert!(!builder.in_final_image);
    assert!(builder.total.bytes > 800 * MB);
}

#[test]
fn copy_from_a_stage_costs_what_that_stage_put_there() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "data/big.bin", 3_000_000);
    write(dir.path(), "data/small.bin", 1_000);
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.22 AS a\nCOPY data /data\nCOPY data/small.bin /other/\nFROM scratch\nCOPY --from=a /data/big.bin /big\nCOPY --from=a /other /o\n",
    );
    // A copied directory is recorded per child: only big.bin.
    assert_eq!(layer(&result, 5).size.bytes, 3_000_000);
    assert_eq!(layer(&result, 5).source, Source::Measured);
    assert_eq!(layer(&result, 6).size.bytes, 1_000);
    assert_eq!(layer(&result, 6).source, Source::Measured);
    assert_eq!(result.layers[0].size.bytes, 0, "scratch");
}

#[test]
fn removed_in_a_later_layer_still_costs() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "blob.bin", 2_000_000);
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.22\nCOPY blob.bin /tmp/blob.bin\nRUN rm /tmp/blob.bin\n",
    );
    let base = result.layers[0].size.bytes;
    assert!(result.total.bytes >= base + 2_000_000);
    let saving = result
        .savings
        .iter()
        .find(|s| s.kind == "removed-later")
        .unwrap();
    assert_eq!(saving.bytes, 2_000_000);
}

#[test]
fn caches_count_unless_removed_in_the_same_layer_or_mounted() {
    let dir = tempfile::tempdir().unwrap();
    let kept = estimate_in(dir.path(), "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
    let cleaned = estimate_in(dir.path(), "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n");
    let mounted = estimate_in(dir.path(), "FROM debian:bookworm-slim\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl\n");
    let later = estimate_in(dir.path(), "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN rm -rf /var/lib/apt/lists/*\n");
    assert!(kept.total.bytes > cleaned.total.bytes + 20 * MB);
    assert_eq!(cleaned.total, mounted.total);
    assert!(
        later.total.bytes >= kept.total.bytes,
        "removing later does not help"
    );
    assert!(kept.savings.iter().any(|s| s.kind == "caches"));
    assert!(!cleaned.savings.iter().any(|s| s.kind == "caches"));
    // curl --no-install-recommends: its closure over bookworm-slim in the
    // Debian bookworm index (about 11.7 MiB).
    let curl = layer(&cleaned, 2);
    assert_eq!(curl.source, Source::Table);
    assert!(curl.note.contains("Debian bookworm index"), "{}", curl.note);
    assert!(
        (11 * MB..13 * MB).contains(&curl.size.bytes),
        "{:?}",
        curl.size
    );
}

#[test]
fn recommends_widen_the_apt_closure() {
    let dir = tempfile::tempdir().unwrap();
    let without = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends python3-pip\n",
    );
    let with = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\nRUN apt-get install -y python3-pip\n",
    );
    assert!(with.total.bytes > without.total.bytes + 100 * MB);
}

#[test]
fn unknown_and_digest_pinned_bases_are_unknown_with_wide_ranges() {
    let dir = tempfile::tempdir().unwrap();
    for from in [
        "example.com/team/app:1",
        "node@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        "${NOPE}",
    ] {
        let result = estimate_in(dir.path(), &format!("FROM {from}\nRUN echo hi\n"));
        assert_eq!(result.layers[0].source, Source::Unknown, "{from}");
        assert!(
            result.total.high >= 10 * result.total.low.max(1),
            "{from}: {:?}",
            result.total
        );
        assert!(result.total.bytes > 0, "never silently zero");
    }
}

#[test]
fn unknown_commands_widen_the_range_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.22\nRUN ./install-everything.sh\n",
    );
    let run = layer(&result, 2);
    assert_eq!(run.source, Source::Unknown);
    assert!(run.size.bytes > 0 && run.size.high >= 100 * MB);
    assert!(run.note.contains("install-everything"), "{}", run.note);
}

#[test]
fn apk_virtual_group_removed_in_the_same_layer_costs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.22\nRUN apk add --no-cache --virtual .build-deps build-base && make && apk del .build-deps\n",
    );
    let run = layer(&result, 2);
    assert!(run.size.bytes < 50 * MB, "{:?}", run.size);
}

#[test]
fn missing_copy_source_is_a_warning_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(dir.path(), "FROM alpine:3.22\nCOPY nope.txt /\n");
    assert_eq!(result.warnings.len(), 1);
    assert_eq!(layer(&result, 2).source, Source::Unknown);
}

#[test]
fn npm_ci_reads_the_lock_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("package-lock.json"),
        r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/a":{},"node_modules/b":{},"node_modules/c":{"dev":true}}}"#,
    )
    .unwrap();
    let result = estimate_in(dir.path(), "FROM node:22-slim\nWORKDIR /app\nCOPY package-lock.json ./\nRUN npm ci --omit=dev && npm cache clean --force\n");
    let run = layer(&result, 4);
    assert!(run.note.contains("2 packages"), "{}", run.note);
}

#[test]
fn build_tools_in_the_final_stage_are_a_saving() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(dir.path(), "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n");
    assert!(
        result
            .savings
            .iter()
            .any(|s| s.kind == "build-tools" && s.bytes > 100 * MB),
        "{:#?}",
        result.savings
    );
}

#[test]
fn json_has_the_documented_shape() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/size/python-app");
    let output = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(["size", "--format", "json"])
        .arg(dir.join("Dockerfile"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = [
        "version",
        "file",
        "target",
        "total_bytes",
        "low_bytes",
        "high_bytes",
        "compressed_bytes",
        "range_meaning",
        "stages",
        "layers",
        "savings",
        "warnings",
        "image_role",
    ];
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(sorted, expected);
    let layer = &json["layers"][0];
    let mut layer_keys: Vec<&str> = layer
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    layer_keys.sort_unstable();
    assert_eq!(
        layer_keys,
        [
            "bytes",
            "high_bytes",
            "instruction",
            "line",
            "low_bytes",
            "note",
            "source",
            "stage"
        ]
    );
    let human = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .arg("size")
        .arg(dir.join("Dockerfile"))
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("Estimated size:")
            && text.contains("SOURCE")
            && text.contains("What would save the most"),
        "{text}"
    );
}

#[test]
fn runtime_from_source_fixture() {
    let result = fixture_within("runtime-from-source", 230 * MB..450 * MB);
    // The source build lands at its --prefix, so the COPY finds it.
    let erlang = layer(&result, 30);
    assert!(erlang.note.contains("line 6"), "{}", erlang.note);
    assert!(erlang.size.bytes >= 70 * MB, "{:?}", erlang.size);
    // The JRE lands in JAVA_HOME (tar --directory) and is sized as a JRE, not a JDK.
    let jre = layer(&result, 31);
    assert!(jre.note.contains("line 21"), "{}", jre.note);
    assert!(
        (100 * MB..200 * MB).contains(&jre.size.bytes),
        "{:?}",
        jre.size
    );
    assert_eq!(layer(&result, 32).source, Source::Measured);
}

#[test]
fn installs_in_a_branch_range_from_nothing_to_all() {
    let dir = tempfile::tempdir().unwrap();
    let plain = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends postgresql && rm -rf /var/lib/apt/lists/*\n",
    );
    let branch = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\nRUN apt-get update; case \"$(dpkg --print-architecture)\" in amd64) ;; *) apt-get install -y --no-install-recommends postgresql ;; esac; rm -rf /var/lib/apt/lists/*\n",
    );
    let (plain, branch) = (layer(&plain, 2).size, layer(&branch, 2).size);
    assert_eq!(branch.low, 0);
    assert_eq!(branch.high, plain.high);
    assert!(branch.bytes < plain.bytes, "{branch:?} vs {plain:?}");
}

#[test]
fn a_versioned_debian_package_is_sized_by_another_version() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends postgresql-18 && rm -rf /var/lib/apt/lists/*\n",
    );
    let install = layer(&result, 2);
    assert!(
        install.note.contains("postgresql-18 as postgresql"),
        "{}",
        install.note
    );
    assert!(install.size.bytes > 200 * MB, "{:?}", install.size);
}

#[test]
fn a_tag_missing_from_the_table_says_which_tag_sized_it() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(dir.path(), "FROM golang:1.23\n");
    let base = &result.layers[0];
    assert!(
        base.note.contains("not in the table") && base.note.contains("golang:1."),
        "{}",
        base.note
    );
    // A nearest tag is less certain than an exact one.
    let exact = estimate_in(dir.path(), "FROM golang:1.27\n");
    let width = |e: &Estimate| e.total.high - e.total.low;
    assert!(width(&result) > width(&exact));
}

#[test]
fn a_copy_source_missing_from_the_context_is_reported_not_zero() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM alpine:3.22\nCOPY missing.sh /usr/local/bin/\n",
    )
    .unwrap();
    let result = estimate_file(&dir.path().join("Dockerfile"), dir.path());
    assert!(result
        .warnings
        .iter()
        .any(|w| w.line == 2 && w.message.contains("missing.sh")));
    assert_eq!(layer(&result, 2).source, Source::Unknown);
    assert!(layer(&result, 2).size.high > 0);
    let output = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(["size", "--format", "json"])
        .arg(dir.path().join("Dockerfile"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["warnings"][0]["line"], 2, "{json}");
    let human = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .arg("size")
        .arg(dir.path().join("Dockerfile"))
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(
        text.contains("Warnings:") && text.contains("missing.sh"),
        "{text}"
    );
}

#[test]
fn size_uses_the_images_of_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM registry.example.com/base/python:3.12\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join(".dockstage.toml"),
        "[[images]]\nimage = \"registry.example.com/base/python\"\ntag = \"3.12\"\nuncompressed-bytes = \"182 MB\"\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(["size", "--format", "json"])
        .arg(dir.path().join("Dockerfile"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["total_bytes"], 182_000_000_u64, "{json}");
    assert_eq!(json["layers"][0]["source"], "table", "{json}");
}

#[test]
fn tags_of_another_release_are_not_sized_as_the_nearest_silently() {
    let dir = tempfile::tempdir().unwrap();
    let exact = estimate_in(dir.path(), "FROM golang:1.27-bookworm\n");
    let patch = estimate_in(dir.path(), "FROM golang:1.27.9-bookworm\n");
    let minor = estimate_in(dir.path(), "FROM golang:1.23-bookworm\n");
    let width = |e: &Estimate| e.total.high - e.total.low;
    assert_eq!(exact.layers[0].source, Source::Table);
    assert_eq!(patch.layers[0].source, Source::Table);
    assert!(
        patch.layers[0].note.contains("same release"),
        "{}",
        patch.layers[0].note
    );
    assert!(width(&patch) > width(&exact));
    // Another minor: said so, a heuristic figure, the family's span widened.
    let note = &minor.layers[0].note;
    assert!(note.contains("release not in the table"), "{note}");
    assert_eq!(minor.layers[0].source, Source::Heuristic);
    assert!(width(&minor) > width(&patch));
    for other in ["alpine:3.17", "buildpack-deps:buster", "nginx:1.27"] {
        let result = estimate_in(dir.path(), &format!("FROM {other}\n"));
        let note = &result.layers[0].note;
        assert!(note.contains("release not in the table"), "{other}: {note}");
    }
}

#[test]
fn copy_from_an_image_is_sized_by_what_the_path_holds() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.24\n\
         COPY --from=golang:1.27 /usr/local/go /usr/local/go\n\
         COPY --from=alpine:3.24 / /\n\
         COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/nginx.conf\n\
         COPY --from=example.com/tools/thing:1 /usr/bin/thing /usr/bin/thing\n\
         COPY --from=eclipse-temurin:21-jdk /opt/java/openjdk /opt/java/openjdk\n",
    );
    // The Go SDK, not a few per cent of the image.
    let go = layer(&result, 2).size;
    assert!((150 * MB..350 * MB).contains(&go.bytes), "{go:?}");
    // `/`: the whole image.
    assert_eq!(layer(&result, 3).size.bytes, 8_420_000);
    // One configuration file: kilobytes.
    let conf = layer(&result, 4).size;
    assert!(conf.bytes < 100_000 && conf.high <= MB, "{conf:?}");
    // One executable from an image nobody knows: megabytes, not the image.
    let tool = layer(&result, 5).size;
    assert!(tool.bytes <= 20 * MB && tool.high <= 150 * MB, "{tool:?}");
    // The JDK of a JDK image.
    let jdk = layer(&result, 6).size;
    assert!((200 * MB..450 * MB).contains(&jdk.bytes), "{jdk:?}");
}

#[test]
fn apt_closures_are_taken_against_the_base_and_earlier_layers() {
    let dir = tempfile::tempdir().unwrap();
    // Two -dev packages sharing a library stack, then one overlapping the first layer.
    let result = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\n\
         RUN apt-get install -y --no-install-recommends libxml2-dev libxslt1-dev\n\
         RUN apt-get install -y --no-install-recommends libicu-dev libxml2\n",
    );
    let first = layer(&result, 2);
    let second = layer(&result, 3);
    assert!(first.size.bytes > 5 * MB, "{:?}", first.size);
    assert!(second.size.bytes < MB, "{:?} {}", second.size, second.note);
    assert!(
        second.note.contains("already in the image"),
        "{}",
        second.note
    );
    // A full image built on buildpack-deps already holds its -dev packages.
    let full = estimate_in(
        dir.path(),
        "FROM python:3.13\nRUN apt-get install -y --no-install-recommends libssl-dev gcc make\n",
    );
    assert_eq!(layer(&full, 2).size.bytes, 0, "{}", layer(&full, 2).note);
}

#[test]
fn package_variables_resolve_from_the_run_and_env_or_say_they_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\n\
         ENV BUILD_DEPS=\"gcc make\"\n\
         RUN runDeps=\"curl ca-certificates\"; \\\n\
             apt-get install -y --no-install-recommends $runDeps $BUILD_DEPS $NOWHERE\n\
         RUN libs=\"$(ldd /usr/bin/x | awk '{print $1}')\"; apt-get install -y $libs\n",
    );
    let install = layer(&result, 3);
    // The variables' packages are sized, not the names `$runDeps`.
    assert!(install.note.contains("curl"), "{}", install.note);
    assert!(install.note.contains("gcc"), "{}", install.note);
    assert!(!install.note.contains("$runDeps"), "{}", install.note);
    assert!(
        install.note.contains("$NOWHERE not resolved"),
        "{}",
        install.note
    );
    let computed = layer(&result, 5);
    assert!(
        computed
            .note
            .contains("$libs computed by the script at build time"),
        "{}",
        computed.note
    );
}

#[test]
fn a_url_counts_only_where_a_command_fetches_it_and_stays() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.24\n\
         RUN echo \"get it from https://go.dev/dl/go1.22.0.linux-amd64.tar.gz\" # https://nodejs.org/dist/v20.0.0/node-v20.0.0-linux-x64.tar.xz\n\
         RUN wget -O /tmp/go.tgz https://go.dev/dl/go1.22.0.linux-amd64.tar.gz \\\n\
             && tar -C /tmp -xzf /tmp/go.tgz && rm -rf /tmp/go /tmp/go.tgz\n\
         RUN wget -O go.tgz https://go.dev/dl/go1.22.0.linux-amd64.tar.gz \\\n\
             && tar -C /usr/local -xzf go.tgz && rm go.tgz\n",
    );
    assert!(layer(&result, 2).size.bytes < MB, "{:?}", layer(&result, 2));
    let removed = layer(&result, 3);
    assert!(removed.size.bytes < MB, "{:?}", removed);
    let kept = layer(&result, 5);
    assert!(kept.size.bytes > 150 * MB, "{:?}", kept);
}

#[test]
fn apk_no_network_leaves_no_index() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM alpine:3.24\nRUN apk add --no-network --virtual .rundeps so:libc.musl-x86_64.so.1\n",
    );
    let run = layer(&result, 2);
    assert!(!run.note.contains("apk index"), "{}", run.note);
}

/// The human table of a fixture, as a person reads it in a terminal.
fn human(name: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/size")
        .join(name);
    let result = estimate_file(&dir.join("Dockerfile"), &dir);
    dockstage::size::report::to_human(&format!("{name}/Dockerfile"), &result, None)
}

fn assert_human_snapshot(name: &str) {
    let text = human(name);
    // Notes wrap under their column: no line is cut short with `...`.
    assert!(!text.contains("..."), "{text}");
    insta::with_settings!({
        snapshot_path => "../fixtures/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("size__human_{}", name.replace('-', "_")), text);
    });
}

#[test]
fn human_output_final_stage_on_a_builder() {
    assert_human_snapshot("final-on-builder");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/size/final-on-builder");
    let result = estimate_file(&dir.join("Dockerfile"), &dir);
    // The saving points at `FROM builder AS final`, not at the builder's SDK base.
    let on_builder = result
        .savings
        .iter()
        .find(|s| s.kind == "final-on-builder")
        .expect("final-on-builder saving");
    assert_eq!(on_builder.line, Some(6));
    assert!(!result.savings.iter().any(|s| s.kind == "slim-base"));
    // The builder's Go cache is in the final image and gets its own line.
    assert!(result
        .savings
        .iter()
        .any(|s| s.kind == "caches" && s.message.contains("Go build")));
    // No saving is larger than the image.
    assert!(result.savings.iter().all(|s| s.bytes <= result.total.bytes));
}

#[test]
fn human_output_copies_from_images_and_variables() {
    assert_human_snapshot("copy-from-images");
}

#[test]
fn build_tool_savings_never_exceed_the_layers_that_installed_them() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM python:3.13\nRUN apt-get install -y --no-install-recommends gcc g++ make\nCOPY . /app\n",
    );
    // python:3.13 already holds the compilers: the layer adds nothing, so does the saving.
    assert!(
        result.savings.iter().all(|s| s.kind != "build-tools"),
        "{:#?}",
        result.savings
    );
    let slim = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\nRUN apt-get install -y --no-install-recommends gcc make\n",
    );
    let tools = slim
        .savings
        .iter()
        .find(|s| s.kind == "build-tools")
        .unwrap();
    assert!(tools.bytes <= layer(&slim, 2).size.bytes);
    assert_eq!(tools.line, Some(2));
}

#[test]
fn packages_from_a_repository_the_file_adds_are_an_estimate_that_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let plain = estimate_in(
        dir.path(),
        "FROM oraclelinux:9-slim\nRUN microdnf install -y acme-db-server\n",
    );
    let vendor = estimate_in(
        dir.path(),
        "FROM oraclelinux:9-slim\n\
         RUN printf '[acme]\\nbaseurl=https://repo.example.com/el9\\n' > /etc/yum.repos.d/acme.repo\n\
         RUN microdnf install -y acme-db-server\n",
    );
    let run = layer(&vendor, 3);
    assert!(run.note.contains("repository line 2 adds"), "{}", run.note);
    assert!(run.note.contains("an estimate"), "{}", run.note);
    assert!(run.size.high >= 500 * MB, "{:?}", run.size);
    assert!(run.size.bytes > layer(&plain, 2).size.bytes);
}

#[test]
fn configuration_switches_cost_nothing_of_note() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM httpd:2.4\nRUN a2enmod rewrite headers && a2dissite 000-default\n",
    );
    let run = layer(&result, 2);
    assert!(run.size.high <= MB, "{:?} {}", run.size, run.note);
    assert_ne!(run.source, Source::Unknown);
}

#[test]
fn mirrors_of_official_images_are_sized_as_the_official_release() {
    let dir = tempfile::tempdir().unwrap();
    for mirror in [
        "public.ecr.aws/docker/library/python:3.12-slim",
        "registry.example.com/dockerhub/python:3.12-slim",
        "mirror.gcr.io/library/python:3.12-slim",
    ] {
        let result = estimate_in(dir.path(), &format!("FROM {mirror}\n"));
        let from = &result.layers[0];
        assert_eq!(from.source, Source::Table, "{mirror}");
        assert!(
            from.note.contains("the path names a mirror"),
            "{}",
            from.note
        );
    }
    // Another namespace is another image; another release is not sized as this one.
    for other in [
        "bitnami/python:3.12",
        "registry.example.com/team/python:3.12-slim",
        "registry.example.com/library/python:3.2-slim",
    ] {
        let result = estimate_in(dir.path(), &format!("FROM {other}\n"));
        assert_eq!(result.layers[0].source, Source::Unknown, "{other}");
    }
}

#[test]
fn packages_installed_and_purged_in_a_branch_cost_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(
        dir.path(),
        "FROM debian:bookworm-slim\n\
         RUN case \"$(dpkg --print-architecture)\" in \\\n\
               amd64) apt-get install -y --no-install-recommends gcc make; true; apt-get purge -y gcc make ;; \\\n\
               *) echo other ;; \\\n\
             esac\n",
    );
    let run = layer(&result, 2);
    assert!(run.size.bytes < MB, "{:?} {}", run.size, run.note);
}

#[test]
fn slim_base_savings_name_the_image_without_a_stray_kind() {
    let dir = tempfile::tempdir().unwrap();
    let result = estimate_in(dir.path(), "FROM python:3.13\nCOPY . /app\n");
    let slim = result
        .savings
        .iter()
        .find(|s| s.kind == "slim-base")
        .expect("slim-base saving");
    assert!(!slim.message.contains("(slim)"), "{}", slim.message);
    assert!(
        slim.message.contains("instead of python:3.13"),
        "{}",
        slim.message
    );
    assert_eq!(slim.line, Some(1));
    assert!(slim.bytes < result.total.bytes);
}

#[test]
fn stages_copied_from_list_their_layers_unless_collapsed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM golang:1.27-alpine AS build\nRUN go build -o /app .\nFROM alpine:3.24\nCOPY --from=build /app /app\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
            .arg("size")
            .args(extra)
            .arg(dir.path().join("Dockerfile"))
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let full = run(&[]);
    let collapsed = run(&["--collapse-stages"]);
    assert!(full.contains("RUN go build -o /app ."), "{full}");
    assert!(!collapsed.contains("RUN go build -o /app ."), "{collapsed}");
    assert!(collapsed.contains("build: "), "{collapsed}");
}
