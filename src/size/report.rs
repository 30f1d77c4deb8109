//! Rendering an [`Estimate`]: a table for people, JSON for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::estimate::{Estimate, Layer};
use super::range::human;
use crate::model::RoleInference;

/// `range_meaning` of the JSON document.
const RANGE_MEANING: &str = "low_bytes..high_bytes is where the size is expected to fall: each layer's bounds come from the uncertainty of its parts (an exact table row +-3 %, another patch of the release +-8 %, a release not in the table the span of its family, Debian Installed-Size -30/+10 %, heuristics their own rows, unknowns wide on purpose); a stage's and the image's bounds are the sums";

/// The JSON document's format version.
pub const JSON_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    file: &'a str,
    target: Option<&'a str>,
    total_bytes: u64,
    low_bytes: u64,
    high_bytes: u64,
    compressed_bytes: u64,
    /// What `low_bytes` and `high_bytes` mean, for readers of the document.
    range_meaning: &'static str,
    stages: Vec<JsonStage<'a>>,
    layers: Vec<JsonLayer<'a>>,
    savings: Vec<JsonSaving<'a>>,
    /// COPY sources missing from the context and other problems met while sizing.
    warnings: Vec<JsonWarning<'a>>,
    /// What the image is for, and why.
    image_role: Option<JsonRole<'a>>,
}

#[derive(Serialize)]
struct JsonRole<'a> {
    role: &'static str,
    reasons: &'a [String],
    configured: bool,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    line: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonStage<'a> {
    index: usize,
    name: Option<&'a str>,
    role: &'static str,
    in_final_image: bool,
    base: &'a str,
    base_bytes: u64,
    base_source: &'static str,
    bytes: u64,
    low_bytes: u64,
    high_bytes: u64,
    copies_from: &'a [String],
    layers: Vec<JsonLayer<'a>>,
}

#[derive(Serialize)]
struct JsonLayer<'a> {
    stage: &'a str,
    line: usize,
    instruction: &'a str,
    bytes: u64,
    low_bytes: u64,
    high_bytes: u64,
    source: &'static str,
    note: &'a str,
}

#[derive(Serialize)]
struct JsonSaving<'a> {
    kind: &'static str,
    bytes: u64,
    message: &'a str,
    line: Option<usize>,
}

fn json_layer(layer: &Layer) -> JsonLayer<'_> {
    JsonLayer {
        stage: &layer.stage_name,
        line: layer.line,
        instruction: &layer.instruction,
        bytes: layer.size.bytes,
        low_bytes: layer.size.low,
        high_bytes: layer.size.high,
        source: layer.source.as_str(),
        note: &layer.note,
    }
}

/// `{"version", "file", "target", "total_bytes", "low_bytes", "high_bytes",
/// "compressed_bytes", "range_meaning", "stages", "layers", "savings", "warnings",
/// "image_role"}`.
pub fn to_json(file: &str, estimate: &Estimate, role: Option<&RoleInference>) -> String {
    let report = JsonReport {
        version: JSON_VERSION,
        file,
        target: estimate.target.as_deref(),
        total_bytes: estimate.total.bytes,
        low_bytes: estimate.total.low,
        high_bytes: estimate.total.high,
        compressed_bytes: estimate.compressed_bytes,
        range_meaning: RANGE_MEANING,
        stages: estimate
            .stages
            .iter()
            .map(|s| JsonStage {
                index: s.index,
                name: s.name.as_deref(),
                role: s.role.as_str(),
                in_final_image: s.in_final_image,
                base: &s.base,
                base_bytes: s.base_size.bytes,
                base_source: s.base_source.as_str(),
                bytes: s.total.bytes,
                low_bytes: s.total.low,
                high_bytes: s.total.high,
                copies_from: &s.copies_from,
                layers: s.layers.iter().map(json_layer).collect(),
            })
            .collect(),
        layers: estimate.layers.iter().map(json_layer).collect(),
        savings: estimate
            .savings
            .iter()
            .map(|s| JsonSaving {
                kind: s.kind,
                bytes: s.bytes,
                message: &s.message,
                line: s.line,
            })
            .collect(),
        warnings: estimate
            .warnings
            .iter()
            .map(|w| JsonWarning {
                line: w.line,
                message: &w.message,
            })
            .collect(),
        image_role: role.map(|r| JsonRole {
            role: r.role.as_str(),
            reasons: &r.reasons,
            configured: r.configured,
        }),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// The table for a terminal, with the layers of the stages copied from.
pub fn to_human(file: &str, estimate: &Estimate, role: Option<&RoleInference>) -> String {
    to_human_with(file, estimate, role, true)
}

/// The table for a terminal; `stage_layers` lists the layers of each stage
/// copied from under its summary line.
pub fn to_human_with(
    file: &str,
    estimate: &Estimate,
    role: Option<&RoleInference>,
    stage_layers: bool,
) -> String {
    let mut out = String::new();
    let total = estimate.total;
    let target = estimate.target.as_deref().unwrap_or("-");
    let _ = writeln!(out, "{file} (target: {target})");
    if let Some(role) = role {
        let _ = writeln!(out, "Image role: {}", role.describe());
    }
    let _ = writeln!(
        out,
        "Estimated size: {} (range {} – {}), about {} compressed",
        human(total.bytes),
        human(total.low),
        human(total.high),
        human(estimate.compressed_bytes)
    );
    let _ = writeln!(out);
    let header = [
        "STAGE",
        "LINE",
        "INSTRUCTION",
        "SIZE",
        "RANGE",
        "SOURCE",
        "NOTE",
    ];
    let feeders: Vec<_> = estimate
        .stages
        .iter()
        .filter(|s| !s.in_final_image)
        .collect();
    let mut rows: Vec<[String; 7]> = estimate.layers.iter().map(row).collect();
    let feeder_rows: Vec<Vec<[String; 7]>> = feeders
        .iter()
        .map(|stage| {
            let layers = if stage_layers { &stage.layers[..] } else { &[] };
            layers.iter().map(row).collect()
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in rows.iter().chain(feeder_rows.iter().flatten()) {
        for (width, cell) in widths.iter_mut().zip(row.iter()).take(6) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let note_at: usize = widths.iter().take(6).map(|w| w + 2).sum();
    let line = |cells: &[String; 7]| {
        let mut text = String::new();
        for (index, cell) in cells.iter().enumerate() {
            if index == 6 {
                // Notes wrap under their column instead of being cut.
                let wrapped = wrap(cell, NOTE_WIDTH);
                let indent = format!("\n{}", " ".repeat(note_at));
                text.push_str(&wrapped.join(&indent));
            } else if index == 1 || index == 3 {
                let _ = write!(text, "{cell:>width$}  ", width = widths[index]);
            } else {
                let _ = write!(text, "{cell:<width$}  ", width = widths[index]);
            }
        }
        text.trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&header.map(str::to_string)));
    for row in &mut rows {
        let _ = writeln!(out, "{}", line(row));
    }
    if !feeders.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Stages copied from (not in the final image):");
        for (stage, rows) in feeders.iter().zip(&feeder_rows) {
            let name = stage
                .name
                .clone()
                .unwrap_or_else(|| stage.index.to_string());
            let _ = writeln!(
                out,
                "  {name}: {} (range {} – {}) on {}",
                human(stage.total.bytes),
                human(stage.total.low),
                human(stage.total.high),
                stage.base
            );
            for row in rows {
                let _ = writeln!(out, "{}", line(row));
            }
        }
    }
    if !estimate.savings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "What would save the most:");
        for saving in &estimate.savings {
            let at = saving
                .line
                .map(|l| format!(" (line {l})"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  -{:<8} {}: {}{at}",
                human(saving.bytes),
                saving.kind,
                saving.message
            );
        }
    }
    if !estimate.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings:");
        for warning in &estimate.warnings {
            let _ = writeln!(out, "  line {}: {}", warning.line, warning.message);
        }
    }
    out
}

/// Width of the note column before it wraps.
const NOTE_WIDTH: usize = 72;

/// Splits `text` into lines of at most `width` characters at spaces (a longer
/// word gets a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.push(current);
    lines
}

fn row(layer: &Layer) -> [String; 7] {
    let mut note = layer.note.clone();
    if let Some(from) = &layer.copies_from {
        if !note.contains(from.as_str()) {
            note = format!("from {from}: {note}");
        }
    }
    [
        layer.stage_name.clone(),
        layer.line.to_string(),
        layer.instruction.chars().take(44).collect(),
        human(layer.size.bytes),
        format!("{} – {}", human(layer.size.low), human(layer.size.high)),
        layer.source.as_str().to_string(),
        note,
    ]
}
