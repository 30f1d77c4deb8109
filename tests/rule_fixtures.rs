//! Edge cases of each rule: every `fixtures/rules/<rule>/*.Dockerfile` is linted.
//!
//! - Its findings, rendered as text (with the file with fixes applied), are compared with
//!   the reviewed snapshot `fixtures/snapshots/<rule>__<fixture>.snap`.
//! - A comment line `# ^ rule-name` right after an instruction asserts a finding of that
//!   rule on that instruction. For the folder's rule, and for every rule a fixture marks,
//!   the findings must be exactly the marked ones: a fixture without a marker for its
//!   folder's rule asserts that the rule stays silent.
//! - A comment `# fixture-target: NAME` lints the fixture as `--target NAME`.
//! - Comments `# fixture-config: TOML` lint the fixture with those lines as its
//!   `.dockstage.toml` (for rules that are off until configured).
//! - A comment `# fixture-path: PATH` lints the fixture as the file at PATH
//!   (`Dockerfile.dev`), for rules that read the file's name.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dockstage::diagnostic::Applicability;
use dockstage::lint::Analysis;
use dockstage::rules::RULE_METAS;

struct Fixture {
    rule: String,
    path: PathBuf,
    source: String,
}

impl Fixture {
    fn name(&self) -> String {
        let stem = self
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        format!("{}__{}", self.rule, stem)
    }

    fn display(&self) -> String {
        format!("fixtures/rules/{}/{}", self.rule, self.file_name())
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default()
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixtures() -> Vec<Fixture> {
    let dir = root().join("fixtures/rules");
    let mut out = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/rules exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let rule = folder
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .expect("readable fixture folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".Dockerfile"))
            .collect();
        files.sort();
        for path in files {
            let source = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push(Fixture {
                rule: rule.clone(),
                path,
                source,
            });
        }
    }
    out
}

/// The value of a `# fixture-KEY: value` comment.
fn directive(analysis: &Analysis, key: &str) -> Option<String> {
    analysis.file.comments.iter().find_map(|c| {
        analysis
            .file
            .text(c.text_span)
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|t| t.trim().to_string())
    })
}

/// The `--target` a fixture asks for.
fn target_of(analysis: &Analysis) -> Option<String> {
    directive(analysis, "fixture-target")
}

fn lint(fixture: &Fixture) -> Analysis {
    let first = common::lint(&fixture.source);
    let config: Vec<String> = first
        .file
        .comments
        .iter()
        .filter_map(|c| {
            let text = first.file.text(c.text_span);
            text.strip_prefix("fixture-config:")
                .map(|t| t.trim().to_string())
        })
        .collect();
    if !config.is_empty() {
        return common::lint_with_config(&fixture.source, &config.join("\n"));
    }
    let target = target_of(&first);
    let path = directive(&first, "fixture-path");
    if target.is_none() && path.is_none() {
        return first;
    }
    common::lint_as(&fixture.source, path.as_deref(), target.as_deref())
}

/// The instruction holding byte `offset`: the last one starting at or before it.
fn instruction_at(analysis: &Analysis, offset: usize) -> Option<usize> {
    analysis
        .file
        .instructions
        .iter()
        .rposition(|i| i.span.start <= offset)
}

/// `(instruction, rule)` pairs asserted by `# ^ rule-a rule-b` comments.
fn markers(analysis: &Analysis) -> Result<BTreeSet<(usize, String)>, String> {
    let mut out = BTreeSet::new();
    for comment in &analysis.file.comments {
        let Some(list) = analysis.file.text(comment.text_span).strip_prefix('^') else {
            continue;
        };
        let line = analysis.file.line_of(comment.span.start);
        let Some(at) = instruction_at(analysis, comment.span.start) else {
            return Err(format!(
                "line {line}: a `# ^` marker before any instruction"
            ));
        };
        let names: Vec<&str> = list
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect();
        if names.is_empty() {
            return Err(format!("line {line}: a `# ^` marker names no rule"));
        }
        for name in names {
            if !RULE_METAS.iter().any(|m| m.name == name) {
                return Err(format!("line {line}: `# ^ {name}` names no rule"));
            }
            out.insert((at, name.to_string()));
        }
    }
    Ok(out)
}

fn instruction_line(analysis: &Analysis, at: usize) -> usize {
    analysis
        .file
        .line_of(analysis.file.instructions[at].span.start)
}

/// What the snapshot holds: the findings and, when there are fixes, the fixed file.
fn snapshot_text(fixture: &Fixture, analysis: &Analysis) -> String {
    let target = target_of(analysis);
    let mut text = common::render(analysis);
    let levels: [(&str, &[Applicability]); 2] = [
        ("safe fixes", &[Applicability::Safe]),
        (
            "safe and unsafe fixes",
            &[Applicability::Safe, Applicability::Unsafe],
        ),
    ];
    let mut previous = fixture.source.clone();
    for (title, allowed) in levels {
        let (fixed, applied) =
            common::fix_until_stable(&fixture.source, target.as_deref(), allowed);
        if applied > 0 && fixed != previous {
            text.push_str(&format!("\n---- with {title} applied ({applied})\n{fixed}"));
            previous = fixed;
        }
    }
    text
}

#[test]
fn fixture_markers_match_findings() {
    let fixtures = fixtures();
    assert!(!fixtures.is_empty(), "no fixtures under fixtures/rules");
    let mut failures = Vec::new();
    for fixture in &fixtures {
        if !RULE_METAS.iter().any(|m| m.name == fixture.rule) {
            failures.push(format!(
                "fixtures/rules/{}: the folder names no rule",
                fixture.rule
            ));
            continue;
        }
        let analysis = lint(fixture);
        let before = failures.len();
        let expected = match markers(&analysis) {
            Ok(expected) => expected,
            Err(message) => {
                failures.push(format!("{}: {message}", fixture.display()));
                continue;
            }
        };
        let mut checked: BTreeSet<&str> = expected.iter().map(|(_, r)| r.as_str()).collect();
        checked.insert(&fixture.rule);
        let mut found = BTreeSet::new();
        for d in &analysis.diagnostics {
            if !checked.contains(d.rule) {
                continue;
            }
            match instruction_at(&analysis, d.span.start) {
                Some(at) => {
                    found.insert((at, d.rule.to_string()));
                }
                None => failures.push(format!(
                    "{}: `{}` finding before any instruction: {}",
                    fixture.display(),
                    d.rule,
                    d.message
                )),
            }
        }
        for (at, rule) in expected.difference(&found) {
            failures.push(format!(
                "{}:{}: marked `# ^ {rule}`, but the instruction has no such finding",
                fixture.display(),
                instruction_line(&analysis, *at)
            ));
        }
        for (at, rule) in found.difference(&expected) {
            failures.push(format!(
                "{}:{}: unexpected `{rule}` finding (mark it with `# ^ {rule}` if it is right)",
                fixture.display(),
                instruction_line(&analysis, *at)
            ));
        }
        if failures.len() > before {
            failures.push(format!(
                "{}: findings were:\n{}",
                fixture.display(),
                common::render(&analysis)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixture markers and findings disagree:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_rule_has_fixtures_that_fire_and_a_silent_near_miss() {
    let fixtures = fixtures();
    let mut failures = Vec::new();
    for meta in RULE_METAS {
        let own: Vec<_> = fixtures.iter().filter(|f| f.rule == meta.name).collect();
        if own.is_empty() {
            failures.push(format!(
                "{}: no fixtures in fixtures/rules/{}/",
                meta.name, meta.name
            ));
            continue;
        }
        let mut firing = 0;
        let mut silent = 0;
        for fixture in own {
            let analysis = lint(fixture);
            let marks_rule = markers(&analysis)
                .map(|m| m.iter().any(|(_, r)| r == meta.name))
                .unwrap_or(false);
            if marks_rule {
                firing += 1;
            } else {
                silent += 1;
            }
        }
        if firing == 0 {
            failures.push(format!(
                "{}: no fixture marks a finding (`# ^ {}`)",
                meta.name, meta.name
            ));
        }
        if silent == 0 {
            failures.push(format!(
                "{}: no silent near-miss fixture (one without a `# ^ {}` marker)",
                meta.name, meta.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixture_findings_match_snapshots() {
    for fixture in fixtures() {
        let analysis = lint(&fixture);
        let text = snapshot_text(&fixture, &analysis);
        insta::with_settings!({
            snapshot_path => "../fixtures/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{}\n{}", fixture.display(), fixture.source.trim_end()),
        }, {
            insta::assert_snapshot!(fixture.name(), text);
        });
    }
}

#[test]
fn no_snapshot_lacks_its_fixture() {
    let names: BTreeSet<String> = fixtures().iter().map(Fixture::name).collect();
    let dir = root().join("fixtures/snapshots");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut stale = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if file.ends_with(".snap.new") || file.ends_with(".pending-snap") {
            stale.push(format!("{file}: an unreviewed snapshot"));
            continue;
        }
        let Some(name) = file.strip_suffix(".snap") else {
            continue;
        };
        // Only rule fixtures (`rule__fixture`) belong to this test.
        let Some((rule, _)) = name.split_once("__") else {
            continue;
        };
        if RULE_METAS.iter().any(|m| m.name == rule) && !names.contains(name) {
            stale.push(format!("{file}: its fixture is gone"));
        }
    }
    assert!(stale.is_empty(), "stale snapshots:\n{}", stale.join("\n"));
}

/// Every span of every finding, label and edit lies inside the text, on char boundaries.
fn spans_are_valid(analysis: &Analysis) -> Result<(), String> {
    let source = &analysis.file.source;
    let ok = |span: dockstage::diagnostic::Span| {
        span.start <= span.end
            && span.end <= source.len()
            && source.is_char_boundary(span.start)
            && source.is_char_boundary(span.end)
    };
    for d in &analysis.diagnostics {
        let mut spans = vec![d.span];
        spans.extend(d.labels.iter().map(|l| l.span));
        if let Some(fix) = &d.fix {
            spans.extend(fix.edits.iter().map(|e| e.span));
        }
        if let Some(bad) = spans.into_iter().find(|s| !ok(*s)) {
            return Err(format!("{}: span {bad:?} out of bounds", d.rule));
        }
    }
    Ok(())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Mangled fixtures (a slice cut out, text spliced in) never make a rule panic or
    /// point outside the file.
    #[test]
    fn rules_survive_mangled_fixtures(
        pick in 0usize..1000,
        cut_at in 0usize..4000,
        cut_len in 0usize..40,
        insert in "[ -~\\n\\\\`$\\{\\}]{0,12}",
    ) {
        let all = fixtures();
        let source = &all[pick % all.len()].source;
        let mut text: String = source.clone();
        let mut at = cut_at % (text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + cut_len).min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.replace_range(at..end, &insert);
        let analysis = common::lint(&text);
        if let Err(message) = spans_are_valid(&analysis) {
            panic!("{message} in:\n{text}");
        }
    }
}
