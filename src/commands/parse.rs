//! `dockstage parse`: the parse and the stage graph as JSON.

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::diagnostic::Span;
use crate::emit::escape::{escape, json_for_terminal, shown_path};
use crate::emit::print_stdout;
use crate::model::{EdgeTarget, StageGraph};
use crate::syntax::{self, Dockerfile, Instruction};
use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ParseArgs {
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ParseFormat::Json)]
    pub format: ParseFormat,
    #[arg(long)]
    pub target: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    Json,
}

pub fn run(args: &ParseArgs) -> i32 {
    let mut outputs = Vec::new();
    let mut failed = false;
    for path in &args.files {
        match std::fs::read(path) {
            Ok(bytes) => {
                let file = syntax::parse_bytes(&bytes);
                let graph = StageGraph::build(&file, args.target.as_deref());
                if let Some(error) = &graph.target_error {
                    eprintln!("dockstage: {}: {}", shown_path(path), escape(error));
                    failed = true;
                    continue;
                }
                outputs.push(to_json(&path.display().to_string(), &file, &graph));
            }
            Err(err) => {
                eprintln!("dockstage: cannot read {}: {err}", shown_path(path));
                failed = true;
            }
        }
    }
    let value = if outputs.len() == 1 {
        outputs.remove(0)
    } else {
        Value::Array(outputs)
    };
    let json = serde_json::to_string_pretty(&value).unwrap_or_default();
    if !print_stdout(&(json_for_terminal(&json) + "\n")) {
        return EXIT_ERROR;
    }
    if failed {
        EXIT_ERROR
    } else {
        EXIT_CLEAN
    }
}

/// The parse of one file as JSON: instructions, stages, edges, errors.
pub fn to_json(path: &str, file: &Dockerfile, graph: &StageGraph) -> Value {
    let line = |offset: usize| file.line_of(offset);
    let directives: Vec<Value> = file
        .directives
        .iter()
        .map(|d| json!({"name": d.name, "value": d.value, "line": line(d.span.start)}))
        .collect();
    let instructions: Vec<Value> = file
        .instructions
        .iter()
        .map(|i| instruction_json(file, i))
        .collect();
    let stages: Vec<Value> = graph
        .stages
        .iter()
        .map(|s| {
            json!({
                "index": s.index,
                "name": s.name,
                "base": s.base_expanded,
                "base_kind": s.base.kind(),
                "base_stage": match s.base { crate::model::Base::Stage(i) => Some(i), _ => None },
                "platform": s.platform,
                "line": line(file.instructions[s.from_instruction].span.start),
                "reachable": s.ships(),
                "role": s.role.as_str(),
            })
        })
        .collect();
    let edges: Vec<Value> = graph
        .edges
        .iter()
        .map(|e| {
            let to = match &e.to {
                EdgeTarget::Stage(i) => json!({"stage": i}),
                EdgeTarget::Image(name) => json!({"image": name}),
                EdgeTarget::Unknown(name) => json!({"unknown": name}),
            };
            json!({"from_stage": e.from_stage, "to": to, "kind": e.kind.as_str(), "line": line(e.span.start), "by_index": e.by_index})
        })
        .collect();
    let errors: Vec<Value> = file
        .errors
        .iter()
        .map(|e| {
            let start = file.line_index.line_col(&file.source, e.span.start);
            json!({"message": e.message, "line": start.line, "column": start.column})
        })
        .collect();
    json!({
        "path": path,
        "escape": file.escape.to_string(),
        "directives": directives,
        "instructions": instructions,
        "stages": stages,
        "edges": edges,
        "target": graph.target,
        "errors": errors,
    })
}

fn instruction_json(file: &Dockerfile, instruction: &Instruction) -> Value {
    let end_line = |span: Span| file.line_of(span.end.saturating_sub(1).max(span.start));
    let heredocs: Vec<Value> = instruction
        .heredocs
        .iter()
        .map(|h| {
            json!({
                "delimiter": h.delimiter,
                "body": file.text(h.body_span),
                "chomp": h.chomp,
                "expand": h.expand,
            })
        })
        .collect();
    let mut value = json!({
        "keyword": file.text(instruction.keyword_span).to_lowercase(),
        "line": file.line_of(instruction.span.start),
        "end_line": end_line(instruction.span),
        "flags": instruction.flags.iter().map(|f| f.as_written()).collect::<Vec<_>>(),
        "form": instruction.args.form.as_str(),
        "args": instruction.args.words.iter().map(|w| w.text.clone()).collect::<Vec<_>>(),
        "heredocs": heredocs,
    });
    if let Some(trigger) = &instruction.trigger {
        value["trigger"] = instruction_json(file, trigger);
    }
    value
}
