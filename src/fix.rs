//! Applying fixes (`--fix`): the chosen edits of a set of diagnostics, then lint again
//! until nothing changes, as ruff does. Fixes whose edits clash with one already taken
//! wait for the next round.

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::lint::{analyze, LintOptions};

/// Applies the fixes of `diagnostics` whose applicability is in `allowed`, skipping a fix
/// that overlaps an edit already chosen. Returns the new text and how many fixes applied.
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

/// Applies allowed fixes, lints again, and repeats until stable (at most 16 rounds, so
/// two fixes that undo each other cannot loop). Returns the text and the fixes applied.
pub fn fix_until_stable(
    source: &str,
    options: &LintOptions,
    allowed: &[Applicability],
) -> (String, usize) {
    let mut text = source.to_string();
    let mut total = 0;
    for _ in 0..16 {
        let analysis = analyze(text.as_bytes(), options);
        let (next, applied) = apply_fixes(&text, &analysis.diagnostics, allowed);
        if applied == 0 || next == text {
            break;
        }
        text = next;
        total += applied;
    }
    (text, total)
}
