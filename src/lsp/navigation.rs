//! Stages as symbols: go to a stage's definition from `FROM name` or `--from=name`,
//! find its references, and list stages (with their instructions) for outlines.

use super::snapshot::Snapshot;
use crate::diagnostic::Span;
use crate::model::{EdgeTarget, Stage};
use crate::syntax::Instruction;
use lsp_types as lsp;

/// Whether a cursor at `offset` is on `span` (its end included: the cursor may sit
/// just after the last character of a word).
pub fn touches(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

/// The stage named under the cursor, and the span of the name there: a reference
/// (`FROM build`, `--from=build`, `from=build`) or the definition (`AS build`).
pub fn stage_at(snapshot: &Snapshot, offset: usize) -> Option<(usize, Span)> {
    let graph = &snapshot.analysis.graph;
    for edge in &graph.edges {
        if let EdgeTarget::Stage(index) = edge.to {
            if touches(edge.span, offset) {
                return Some((index, edge.span));
            }
        }
    }
    graph.stages.iter().find_map(|stage| {
        let span = stage.name_span?;
        touches(span, offset).then_some((stage.index, span))
    })
}

/// Where a stage is defined: its name, or its FROM keyword when it has none.
pub fn stage_anchor(snapshot: &Snapshot, stage: &Stage) -> Span {
    stage
        .name_span
        .unwrap_or_else(|| snapshot.analysis.file.instructions[stage.from_instruction].keyword_span)
}

/// From the FROM keyword to the end of the stage's last instruction.
pub fn stage_span(snapshot: &Snapshot, stage: &Stage) -> Span {
    let instructions = &snapshot.analysis.file.instructions;
    let start = instructions[stage.from_instruction].span;
    let end = stage
        .body
        .clone()
        .last()
        .map_or(start, |last| instructions[last].span);
    start.cover(end)
}

pub fn definition(
    snapshot: &Snapshot,
    position: lsp::Position,
) -> Option<lsp::GotoDefinitionResponse> {
    let text = snapshot.text();
    let (index, _) = stage_at(snapshot, text.offset(position))?;
    let stage = &snapshot.analysis.graph.stages[index];
    Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
        uri: snapshot.uri.clone(),
        range: text.range(stage_anchor(snapshot, stage)),
    }))
}

pub fn references(
    snapshot: &Snapshot,
    position: lsp::Position,
    include_declaration: bool,
) -> Option<Vec<lsp::Location>> {
    let text = snapshot.text();
    let (index, _) = stage_at(snapshot, text.offset(position))?;
    let graph = &snapshot.analysis.graph;
    let mut spans = Vec::new();
    if include_declaration {
        spans.push(stage_anchor(snapshot, &graph.stages[index]));
    }
    spans.extend(
        graph
            .edges
            .iter()
            .filter(|e| e.to == EdgeTarget::Stage(index))
            .map(|e| e.span),
    );
    Some(
        spans
            .into_iter()
            .map(|span| lsp::Location {
                uri: snapshot.uri.clone(),
                range: text.range(span),
            })
            .collect(),
    )
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` has no default.
fn symbol(
    name: String,
    detail: Option<String>,
    kind: lsp::SymbolKind,
    range: lsp::Range,
    selection_range: lsp::Range,
    children: Option<Vec<lsp::DocumentSymbol>>,
) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name,
        detail,
        kind,
        tags: None,
        deprecated: None,
        range,
        selection_range,
        children,
    }
}

fn instruction_symbol(snapshot: &Snapshot, instruction: &Instruction) -> lsp::DocumentSymbol {
    let text = snapshot.text();
    let keyword = snapshot
        .analysis
        .file
        .text(instruction.keyword_span)
        .to_uppercase();
    let args = snapshot.analysis.file.text(instruction.args.span);
    let first_line = args.lines().next().unwrap_or("").trim();
    let detail: String = first_line.chars().take(60).collect();
    symbol(
        keyword,
        (!detail.is_empty()).then_some(detail),
        lsp::SymbolKind::FIELD,
        text.range(instruction.span),
        text.range(instruction.keyword_span),
        None,
    )
}

/// Global ARGs, then one symbol per stage with its instructions as children.
pub fn document_symbols(snapshot: &Snapshot) -> lsp::DocumentSymbolResponse {
    let text = snapshot.text();
    let file = &snapshot.analysis.file;
    let graph = &snapshot.analysis.graph;
    let first_from = graph
        .stages
        .first()
        .map_or(file.instructions.len(), |s| s.from_instruction);
    let mut symbols: Vec<lsp::DocumentSymbol> = file.instructions[..first_from]
        .iter()
        .map(|i| instruction_symbol(snapshot, i))
        .collect();
    for stage in &graph.stages {
        let children = stage
            .body
            .clone()
            .map(|at| instruction_symbol(snapshot, &file.instructions[at]))
            .collect();
        let name = match &stage.name {
            Some(name) => name.clone(),
            None => format!("stage {}", stage.index),
        };
        symbols.push(symbol(
            name,
            Some(format!(
                "FROM {} ({})",
                stage.base_text,
                stage.role.as_str()
            )),
            lsp::SymbolKind::CLASS,
            text.range(stage_span(snapshot, stage)),
            text.range(stage_anchor(snapshot, stage)),
            Some(children),
        ));
    }
    lsp::DocumentSymbolResponse::Nested(symbols)
}
