//! Code actions: each finding's fix, "ignore RULE for this line", and
//! `source.fixAll.dockstage` (every safe fix at once).

use super::diagnostics::to_lsp;
use super::snapshot::Snapshot;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Span, SYNTAX_ERROR};
use lsp_types as lsp;
use std::collections::HashMap;

/// The code-action kind of "fix everything dockstage can fix safely".
pub const FIX_ALL_KIND: &str = "source.fixAll.dockstage";

/// Whether the client wants actions of `kind` (`only` lists kinds or their parents).
fn wanted(only: Option<&[lsp::CodeActionKind]>, kind: &str) -> bool {
    only.is_none_or(|only| {
        only.iter().any(|k| {
            let k = k.as_str();
            kind == k
                || kind
                    .strip_prefix(k)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    })
}

fn workspace_edit(snapshot: &Snapshot, edits: &[Edit]) -> lsp::WorkspaceEdit {
    let text = snapshot.text();
    let edits = edits
        .iter()
        .map(|e| lsp::TextEdit {
            range: text.range(e.span),
            new_text: e.replacement.clone(),
        })
        .collect();
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(snapshot.uri.clone(), edits)])),
        ..lsp::WorkspaceEdit::default()
    }
}

pub fn code_actions(
    snapshot: &Snapshot,
    params: &lsp::CodeActionParams,
) -> lsp::CodeActionResponse {
    let text = snapshot.text();
    let only = params.context.only.as_deref();
    let requested = text.span(params.range);
    let mut actions = Vec::new();

    let quickfix = wanted(only, lsp::CodeActionKind::QUICKFIX.as_str());
    for d in snapshot
        .analysis
        .diagnostics
        .iter()
        .filter(|d| quickfix && overlaps(d.span, requested))
    {
        let lsp_diagnostic = to_lsp(d, &snapshot.uri, &text);
        if let Some(fix) = &d.fix {
            let title = match fix.applicability {
                Applicability::Safe => fix.message.clone(),
                Applicability::Unsafe => format!("{} (unsafe)", fix.message),
            };
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(workspace_edit(snapshot, &fix.edits)),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..lsp::CodeAction::default()
            }));
        }
        if let Some(edit) = ignore_edit(snapshot, d) {
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: format!("Ignore {} for this line", d.rule),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic]),
                edit: Some(workspace_edit(snapshot, &[edit])),
                ..lsp::CodeAction::default()
            }));
        }
    }

    if wanted(only, FIX_ALL_KIND) {
        let edits = fix_all_edits(&snapshot.analysis.diagnostics);
        if !edits.is_empty() {
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: "Fix all auto-fixable dockstage problems".to_string(),
                kind: Some(lsp::CodeActionKind::from(FIX_ALL_KIND)),
                edit: Some(workspace_edit(snapshot, &edits)),
                ..lsp::CodeAction::default()
            }));
        }
    }
    actions
}

/// Spans meet, counting a cursor (empty range) at either end.
fn overlaps(a: Span, b: Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The safe fixes' edits, skipping any fix that overlaps one already taken.
pub fn fix_all_edits(diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut taken: Vec<Edit> = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.applicability != Applicability::Safe {
            continue;
        }
        let clashes = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                (e.span.start < t.span.end && t.span.start < e.span.end) || e.span == t.span
            })
        });
        if !clashes {
            taken.extend(fix.edits.iter().cloned());
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    taken
}

/// `# dockstage ignore=RULE` on its own line above the instruction holding the
/// finding, indented like it; added to an existing ignore comment there instead.
fn ignore_edit(snapshot: &Snapshot, d: &Diagnostic) -> Option<Edit> {
    if d.rule == SYNTAX_ERROR.0 {
        return None;
    }
    let file = &snapshot.analysis.file;
    let instruction = file
        .instructions
        .iter()
        .find(|i| i.span.start <= d.span.start && d.span.start <= i.span.end)?;
    let index = &file.line_index;
    let line = index.line_of(instruction.span.start);
    let line_start = index.line_start(line);
    // An ignore comment right above (between the previous instruction and this one).
    if line > 0 {
        let previous_start = index.line_start(line - 1);
        if let Some(comment) = file.comments.iter().find(|c| {
            c.span.start >= previous_start
                && c.span.start < line_start
                && file
                    .text(c.text_span)
                    .strip_prefix("dockstage")
                    .is_some_and(|rest| rest.trim_start().starts_with("ignore="))
        }) {
            let written = file.text(comment.span);
            let at = written.find("ignore=")? + "ignore=".len();
            let list_len = written[at..]
                .find(char::is_whitespace)
                .unwrap_or(written.len() - at);
            let list = &written[at..at + list_len];
            if list
                .split(',')
                .any(|r| r.eq_ignore_ascii_case(d.rule) || r.eq_ignore_ascii_case(d.code))
            {
                return None;
            }
            let end = comment.span.start + at + list_len;
            return Some(Edit {
                span: Span::empty(end),
                replacement: format!(",{}", d.rule),
            });
        }
    }
    let indent: String = file.source[line_start..instruction.span.start]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    Some(Edit {
        span: Span::empty(line_start),
        replacement: format!("{indent}# dockstage ignore={}\n", d.rule),
    })
}
