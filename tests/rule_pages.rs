//! Every rule page `rules/NAME.md` is a test: each `dockerfile bad` block must produce
//! exactly one finding of the rule, each `dockerfile good` block none, and each
//! `dockerfile fixed` block must equal the `bad` block before it with the safe fixes of
//! that finding applied (what `--fix` does). A page's ```` ```dockerignore ```` block is
//! the build context's `.dockerignore` for its examples, its ```` ```toml config ```` block
//! the `.dockstage.toml` they are linted with.

mod common;

use std::collections::HashSet;

use dockstage::diagnostic::Applicability;
use dockstage::rules::RULE_METAS;

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Kind {
    Bad,
    Good,
    Fixed,
}

struct Block {
    kind: Kind,
    /// 1-based line of the opening fence in the page.
    line: usize,
    text: String,
}

/// The fenced ```` ```dockerfile bad|good|fixed ```` blocks of a page, in order.
fn blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut lines = page.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let Some(info) = line.trim_end().strip_prefix("```") else {
            continue;
        };
        let mut words = info.split_whitespace();
        let kind = match (words.next(), words.next()) {
            (Some("dockerfile"), Some("bad")) => Some(Kind::Bad),
            (Some("dockerfile"), Some("good")) => Some(Kind::Good),
            (Some("dockerfile"), Some("fixed")) => Some(Kind::Fixed),
            _ => None,
        };
        let mut text = String::new();
        for (_, body) in lines.by_ref() {
            if body.trim_end() == "```" {
                break;
            }
            text.push_str(body);
            text.push('\n');
        }
        if let Some(kind) = kind {
            out.push(Block {
                kind,
                line: number + 1,
                text,
            });
        }
    }
    out
}

fn describe(analysis: &dockstage::lint::Analysis) -> String {
    common::render(analysis)
        .lines()
        .map(|l| format!("      {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_page_example_behaves_as_documented() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for meta in RULE_METAS {
        let page = format!("rules/{}.md", meta.name);
        let blocks = blocks(meta.page);
        for kind in [Kind::Bad, Kind::Good] {
            if !blocks.iter().any(|b| b.kind == kind) {
                failures.push(format!("{page}: has no `dockerfile {kind:?}` block (needs at least one bad and one good example)").to_lowercase());
            }
        }
        let mut previous_bad: Option<(usize, String)> = None;
        for block in &blocks {
            checked += 1;
            let analysis = match common::page_dockerignore(meta.page) {
                _ if common::page_config(meta.page).is_some() => common::lint_with_config(
                    &block.text,
                    common::page_config(meta.page).unwrap_or(""),
                ),
                Some(ignore) => {
                    let options = dockstage::lint::LintOptions {
                        warn_unused_ignores: true,
                        ..Default::default()
                    };
                    common::lint_in_context(&block.text, ignore, &options)
                }
                None => common::lint(&block.text),
            };
            let of_rule: Vec<_> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.rule == meta.name)
                .collect();
            match block.kind {
                Kind::Bad => {
                    if !meta.fixable && of_rule.iter().any(|d| d.fix.is_some()) {
                        failures.push(format!(
                            "{page}:{}: the page says `fix = \"none\"`, but the finding carries a fix",
                            block.line
                        ));
                    }
                    if of_rule.len() != 1 {
                        failures.push(format!(
                            "{page}:{}: a `bad` example must produce exactly one `{}` finding, got {}:\n{}",
                            block.line,
                            meta.name,
                            of_rule.len(),
                            describe(&analysis)
                        ));
                    }
                    let safe = [Applicability::Safe];
                    let fixes: Vec<_> = of_rule.iter().map(|d| (*d).clone()).collect();
                    let (fixed, _) = common::apply_fixes(&block.text, &fixes, &safe);
                    previous_bad = Some((block.line, fixed));
                }
                Kind::Good => {
                    if !of_rule.is_empty() {
                        failures.push(format!(
                            "{page}:{}: a `good` example must produce no `{}` finding, got {}:\n{}",
                            block.line,
                            meta.name,
                            of_rule.len(),
                            describe(&analysis)
                        ));
                    }
                }
                Kind::Fixed => match &previous_bad {
                    Some((bad_line, fixed)) if *fixed == block.text => {
                        let _ = bad_line;
                    }
                    Some((bad_line, fixed)) => failures.push(format!(
                        "{page}:{}: the `fixed` example differs from the bad example of line {bad_line} with its safe fix applied, which gives:\n{fixed}",
                        block.line
                    )),
                    None => failures.push(format!(
                        "{page}:{}: a `fixed` example must follow a `bad` one",
                        block.line
                    )),
                },
            }
            for d in &analysis.diagnostics {
                if d.message.ends_with('.') || d.message.contains('\n') || d.message.is_empty() {
                    failures.push(format!(
                        "{page}:{}: `{}` message must be one sentence without a trailing period: {:?}",
                        block.line, d.rule, d.message
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "no examples found in any rule page");
    assert!(
        failures.is_empty(),
        "{} rule page example(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && name.split('-').all(|part| {
            !part.is_empty()
                && part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[test]
fn rule_metadata_is_consistent() {
    let mut failures = Vec::new();
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for meta in RULE_METAS {
        let page = format!("rules/{}.md", meta.name);
        if !codes.insert(meta.code) {
            failures.push(format!(
                "{page}: code {} is used by another rule",
                meta.code
            ));
        }
        if !names.insert(meta.name) {
            failures.push(format!("{page}: name is used by another rule"));
        }
        let code_ok = meta.code.len() == 5
            && meta.code.starts_with("DS")
            && meta.code[2..].bytes().all(|b| b.is_ascii_digit());
        if !code_ok {
            failures.push(format!(
                "{page}: code {:?} is not DS followed by three digits",
                meta.code
            ));
        }
        if !is_kebab_case(meta.name) {
            failures.push(format!("{page}: name {:?} is not kebab-case", meta.name));
        }
        if meta.summary.trim().is_empty() {
            failures.push(format!(
                "{page}: the summary paragraph under the title is empty"
            ));
        }
        if meta.summary.trim_end().ends_with('.') {
            failures.push(format!(
                "{page}: the summary must not end with a period: {:?}",
                meta.summary
            ));
        }
        let body = meta.page.splitn(3, "+++").nth(2).unwrap_or("");
        let title = format!("# {}", meta.name);
        if !body.lines().any(|line| line.trim_end() == title) {
            failures.push(format!("{page}: has no title line `{title}`"));
        }
        for section in ["## Why it matters", "## Examples"] {
            if !body.lines().any(|line| line.trim_end() == section) {
                failures.push(format!("{page}: has no `{section}` section"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rule metadata problems:\n{}",
        failures.join("\n")
    );
}

#[test]
fn kebab_case_check_rejects_other_spellings() {
    assert!(is_kebab_case("unknown-stage"));
    assert!(is_kebab_case("ds2"));
    for name in [
        "Unknown-stage",
        "unknown_stage",
        "-stage",
        "stage-",
        "a--b",
        "",
        "2fa",
    ] {
        assert!(!is_kebab_case(name), "{name:?} should not pass");
    }
}

#[test]
fn example_blocks_are_extracted_with_their_kind() {
    let page = "text\n```dockerfile bad\nFROM a\n```\n\n```dockerfile good\nFROM b\nRUN x\n```\n```text\nignored\n```\n";
    let found = blocks(page);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].kind, Kind::Bad);
    assert_eq!(found[0].line, 2);
    assert_eq!(found[0].text, "FROM a\n");
    assert_eq!(found[1].kind, Kind::Good);
    assert_eq!(found[1].text, "FROM b\nRUN x\n");
}
