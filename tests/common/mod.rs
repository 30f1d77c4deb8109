//! Helpers shared by the rule tests: running the pipeline, applying fixes, rendering findings.

#![allow(dead_code)]

use dockstage::diagnostic::{Applicability, Diagnostic, Edit};
use dockstage::lint::{analyze, Analysis, LintOptions};

/// Lints a Dockerfile the way the rule tests do: every rule, unused suppressions reported.
pub fn lint(source: &str) -> Analysis {
    let options = LintOptions {
        warn_unused_ignores: true,
        ..Default::default()
    };
    analyze(source.as_bytes(), &options)
}

/// Like [`lint`], building `target`.
pub fn lint_for_target(source: &str, target: Option<&str>) -> Analysis {
    let options = LintOptions {
        warn_unused_ignores: true,
        target: target.map(str::to_string),
        ..Default::default()
    };
    analyze(source.as_bytes(), &options)
}

/// Applies the fixes of `diagnostics` whose applicability is allowed, in order, skipping a
/// fix any of whose edits touches an edit already applied (as `--fix` would, before it
/// lints again). Returns the new text and how many fixes were applied.
pub fn apply_fixes(
    source: &str,
    diagnostics: &[Diagnostic],
    allowed: &[Applicability],
) -> (String, usize) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
        if !allowed.contains(&fix.applicability) {
            continue;
        }
        let clashes = fix.edits.iter().any(|edit| {
            chosen
                .iter()
                .any(|other| edit.span.start <= other.span.end && other.span.start <= edit.span.end)
        });
        let overlaps_itself = fix.edits.iter().enumerate().any(|(i, a)| {
            fix.edits[i + 1..]
                .iter()
                .any(|b| a.span.start < b.span.end && b.span.start < a.span.end)
        });
        if clashes || overlaps_itself {
            continue;
        }
        chosen.extend(&fix.edits);
        applied += 1;
    }
    chosen.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in chosen {
        out.push_str(&source[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&source[at..]);
    (out, applied)
}

/// One line per finding (`line:col rule severity [stage role] message`), its labels, help
/// and fix indented below it.
pub fn render(analysis: &Analysis) -> String {
    let source = &analysis.file.source;
    let index = &analysis.file.line_index;
    let position = |offset: usize| {
        let at = index.line_col(source, offset);
        format!("{}:{}", at.line, at.column)
    };
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let stage = match &d.stage {
            Some(stage) => format!(" [{} {}]", stage.display_name(), stage.role.as_str()),
            None => String::new(),
        };
        out.push_str(&format!(
            "{} {} {}{} {}\n",
            position(d.span.start),
            d.rule,
            d.severity,
            stage,
            d.message
        ));
        out.push_str(&format!(
            "    at: {:?}\n",
            &source[d.span.start..d.span.end]
        ));
        for label in &d.labels {
            out.push_str(&format!(
                "    label {} {:?}: {}\n",
                position(label.span.start),
                &source[label.span.start..label.span.end],
                label.message
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("    help: {help}\n"));
        }
        if let Some(fix) = &d.fix {
            let applicability = match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            };
            out.push_str(&format!("    fix ({applicability}): {}\n", fix.message));
            for edit in &fix.edits {
                out.push_str(&format!(
                    "      {}..{} {:?} -> {:?}\n",
                    position(edit.span.start),
                    position(edit.span.end),
                    &source[edit.span.start..edit.span.end],
                    edit.replacement
                ));
            }
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// What `--fix` does: applies the allowed fixes, lints again, and repeats until nothing
/// changes (fixes that clashed in one round get their turn in the next). Returns the text
/// and the number of fixes applied.
pub fn fix_until_stable(
    source: &str,
    target: Option<&str>,
    allowed: &[Applicability],
) -> (String, usize) {
    let mut text = source.to_string();
    let mut total = 0;
    for _ in 0..16 {
        let analysis = lint_for_target(&text, target);
        let (next, applied) = apply_fixes(&text, &analysis.diagnostics, allowed);
        if applied == 0 || next == text {
            break;
        }
        total += applied;
        text = next;
    }
    (text, total)
}
