//! Applying fixes (`--fix`): the chosen edits of a set of diagnostics, then lint again
//! until nothing changes, as ruff does. Fixes whose edits clash with one already taken
//! wait for the next round.

use crate::diagnostic::{Applicability, Diagnostic, Edit, SYNTAX_ERROR};
use crate::lint::{analyze, LintOptions};

/// Applies the fixes of `diagnostics` whose applicability is in `allowed`, skipping a fix
/// that overlaps an edit already chosen. Returns the new text and how many fixes applied.
pub fn apply_fixes(
    source: &str,
    diagnostics: &[Diagnostic],
    allowed: &[Applicability],
) -> (String, usize) {
    let (text, applied) = apply(source, diagnostics, allowed);
    (text, applied.len())
}

/// [`apply_fixes`], returning the diagnostics whose fixes were applied.
fn apply<'a>(
    source: &str,
    diagnostics: &'a [Diagnostic],
    allowed: &[Applicability],
) -> (String, Vec<&'a Diagnostic>) {
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for (diagnostic, fix) in diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref().map(|fix| (d, fix)))
    {
        if !allowed.contains(&fix.applicability) {
            continue;
        }
        let in_bounds = fix.edits.iter().all(|edit| {
            edit.span.start <= edit.span.end
                && edit.span.end <= source.len()
                && source.is_char_boundary(edit.span.start)
                && source.is_char_boundary(edit.span.end)
        });
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
        if !in_bounds || clashes || overlaps_itself {
            continue;
        }
        chosen.extend(&fix.edits);
        applied.push(diagnostic);
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

/// A fix `--fix` applied: its rule, the 1-based line it changed (in the text of its
/// round), and what it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedFix {
    pub rule: &'static str,
    pub line: usize,
    pub message: String,
}

/// Applies allowed fixes, lints again, and repeats until stable (at most 16 rounds, so
/// two fixes that undo each other cannot loop). Returns the text and the fixes applied.
pub fn fix_until_stable(
    source: &str,
    options: &LintOptions,
    allowed: &[Applicability],
) -> (String, usize) {
    let (text, applied) = fix_logged(source, options, allowed);
    (text, applied.len())
}

/// [`fix_until_stable`], saying which fixes were applied.
pub fn fix_logged(
    source: &str,
    options: &LintOptions,
    allowed: &[Applicability],
) -> (String, Vec<AppliedFix>) {
    let mut text = source.to_string();
    let mut log = Vec::new();
    for _ in 0..16 {
        let analysis = analyze(text.as_bytes(), options);
        // Findings for another stage than the one asked for are not fixed.
        if analysis.graph.target_error.is_some() {
            break;
        }
        let (next, applied) = apply(&text, &analysis.diagnostics, allowed);
        if applied.is_empty() || next == text {
            break;
        }
        log.extend(applied.iter().map(|d| {
            AppliedFix {
                rule: d.rule,
                line: analysis.file.line_of(d.span.start),
                message: d
                    .fix
                    .as_ref()
                    .map_or_else(String::new, |f| f.message.clone()),
            }
        }));
        text = next;
    }
    (text, log)
}

/// What `--fix` did to one file, for standard error (standard output carries the
/// report): one line per fix, then how many findings remain. Empty when nothing
/// changed. Text from the input is escaped.
pub fn fix_note(path: &str, applied: &[AppliedFix], remaining: usize) -> String {
    if applied.is_empty() {
        return String::new();
    }
    let path = crate::emit::escape::escape_inline(path);
    let mut note = String::new();
    for fix in applied {
        note.push_str(&format!(
            "{path}:{}: fixed [{}] {}\n",
            fix.line,
            fix.rule,
            crate::emit::escape::escape(&fix.message)
        ));
    }
    let fixes = if applied.len() == 1 { "fix" } else { "fixes" };
    let remain = match remaining {
        0 => "no finding remains".to_string(),
        1 => "1 finding remains".to_string(),
        n => format!("{n} findings remain"),
    };
    note.push_str(&format!(
        "{path}: {} {fixes} applied, {remain}\n",
        applied.len()
    ));
    note
}

/// How many syntax errors a lint of `text` reports: fixing must never add one (the
/// property tests and the `fix` fuzz target check it).
pub fn syntax_errors(text: &str, options: &LintOptions) -> usize {
    analyze(text.as_bytes(), options)
        .diagnostics
        .iter()
        .filter(|d| d.rule == SYNTAX_ERROR.0)
        .count()
}
