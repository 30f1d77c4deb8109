use super::*;
use crate::model::shell::analyze_run;
use crate::syntax::parse;

fn filesystems(source: &str) -> (Dockerfile, Filesystems) {
    let file = parse(source);
    let graph = StageGraph::build(&file, None);
    let facts: Vec<RunFacts> = file
        .instructions
        .iter()
        .map(|i| analyze_run(&file, i))
        .collect();
    let built = Filesystems::build(&file, &graph, |at| &facts[at]);
    (file, built)
}

fn names(fs: &Filesystems, stage: usize) -> Vec<String> {
    fs.of(stage)
        .unwrap()
        .toolchains
        .iter()
        .map(|t| t.name.clone())
        .collect()
}

#[test]
fn installs_are_inherited_through_from_and_removed_by_later_purges() {
    let (_, fs) = filesystems(
        "FROM debian:bookworm AS build\nRUN apt-get install -y gcc make libpq-dev\nFROM build AS more\nRUN apt-get purge -y make\n",
    );
    assert_eq!(names(&fs, 0), ["gcc", "make", "libpq-dev"]);
    assert_eq!(names(&fs, 1), ["gcc", "libpq-dev"]);
}

#[test]
fn sdk_images_provide_their_sdk_and_runtime_tags_do_not() {
    let (_, fs) = filesystems(
        "FROM golang:1.23 AS a\nFROM eclipse-temurin:21-jre AS b\nFROM eclipse-temurin:21-jdk\n",
    );
    assert_eq!(names(&fs, 0), ["the Go SDK"]);
    assert!(names(&fs, 1).is_empty());
    assert_eq!(names(&fs, 2), ["the JDK"]);
}

#[test]
fn go_archives_rustup_and_copies_land_where_they_are_put() {
    let (_, fs) = filesystems(concat!(
        "FROM debian AS go\n",
        "RUN curl -fsSL https://go.dev/dl/go1.23.0.linux-amd64.tar.gz | tar -C /opt -xz\n",
        "FROM debian AS rust\nENV CARGO_HOME=/cargo\n",
        "RUN curl https://sh.rustup.rs -sSf | sh -s -- -y\n",
        "FROM debian\nCOPY --from=go /opt/go /usr/local/go\nCOPY --from=rust /app /app\n",
    ));
    assert_eq!(fs.of(0).unwrap().toolchains[0].paths, ["/opt/go"]);
    assert!(fs.of(1).unwrap().toolchains[0]
        .paths
        .contains(&"/cargo/bin/cargo".to_string()));
    let copied = &fs.of(2).unwrap().toolchains[0];
    assert_eq!(copied.paths, ["/usr/local/go"]);
    assert!(matches!(copied.origin, Origin::Copy { stage: 2, .. }));
}

#[test]
fn sources_take_a_toolchain_when_at_or_above_its_paths() {
    let (_, fs) = filesystems("FROM golang:1.23\n");
    let toolchains = &fs.of(0).unwrap().toolchains;
    for source in ["/", "/usr", "/usr/local/go", "/usr/local/g*"] {
        assert_eq!(shipped_by(toolchains, source).len(), 1, "{source}");
    }
    for source in [
        "/usr/local/go/lib/time/zoneinfo.zip",
        "/go/bin/app",
        "/etc/ssl/certs",
    ] {
        assert!(shipped_by(toolchains, source).is_empty(), "{source}");
    }
}

#[test]
fn build_outputs_are_named() {
    let (_, fs) = filesystems(concat!(
        "FROM golang AS build\nWORKDIR /src\nRUN go build -o bin/app ./cmd/app\n",
        "RUN jlink --add-modules java.base --output /opt/jre\n",
    ));
    let paths: Vec<&str> = fs
        .of(0)
        .unwrap()
        .artefacts
        .iter()
        .map(|a| a.path.as_str())
        .collect();
    assert_eq!(paths, ["/src/bin/app", "/opt/jre/"]);
}

#[test]
fn stages_the_target_does_not_use_are_not_followed() {
    let (_, fs) = filesystems("FROM debian AS unused\nRUN apt-get install -y gcc\nFROM debian\n");
    assert!(names(&fs, 0).is_empty());
}

#[test]
fn whole_copies_make_a_stage_ship_whole() {
    let (_, fs) = filesystems(
        "FROM debian AS a\nFROM debian AS b\nFROM debian AS c\nFROM debian\nCOPY --from=a / /\nCOPY --from=b /app /app\n",
    );
    assert!(fs.ships_whole(0));
    assert!(!fs.ships_whole(1));
    assert!(!fs.ships_whole(2));
    assert!(fs.ships_whole(3));
}
