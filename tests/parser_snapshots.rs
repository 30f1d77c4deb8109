//! One reviewed snapshot of `dockstage parse --format json` per parser fixture.
//!
//! Each snapshot was read and checked against BuildKit's parser (see
//! `fixtures/parser/README.md`); a change in one is a change in what users see.

mod parser_fixtures;

use dockstage::commands::parse::to_json;
use dockstage::model::StageGraph;
use dockstage::syntax::parse_bytes;

fn snapshot(name: &str, value: &serde_json::Value) {
    insta::with_settings!({
        snapshot_path => "../fixtures/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_json_snapshot!(format!("parse__{name}"), value);
    });
}

#[test]
fn every_fixture_matches_its_snapshot() {
    for fixture in parser_fixtures::fixtures() {
        let file = parse_bytes(&fixture.bytes);
        let graph = StageGraph::build(&file, None);
        snapshot(&fixture.name, &to_json(&fixture.path, &file, &graph));
    }
}

/// `--target` picks the stage that ships; the others feed it or are unused.
#[test]
fn target_flag_changes_the_final_stage() {
    let path = parser_fixtures::fixture_dir().join("stages-target.Dockerfile");
    let file = parse_bytes(&std::fs::read(path).expect("fixture"));
    for target in ["build", "TEST", "missing"] {
        let graph = StageGraph::build(&file, Some(target));
        assert_eq!(graph.target_error.is_some(), target == "missing");
        let value = to_json("fixtures/parser/stages-target.Dockerfile", &file, &graph);
        snapshot(
            &format!("stages-target--target-{}", target.to_lowercase()),
            &value,
        );
    }
}
