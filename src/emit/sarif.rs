//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers,
//! built with `serde-sarif`'s types.
//!
//! One run. `tool.driver.rules` is the whole registry in registry order (plus a
//! descriptor for any rule a finding names that the registry does not know), with
//! each rule's page as its help. Every result has `ruleId` (the code), `ruleIndex`,
//! a level, one location and `relatedLocations` for the labels, a
//! `partialFingerprints.primaryLocationLineHash` (scheme in the `fingerprint`
//! module: stable when unrelated lines are inserted above), `fixes` when the
//! finding has one, and its stage in `properties`.
//!
//! Paths: every `uri` is the report's relative path, percent-encoded, with
//! `uriBaseId` `%SRCROOT%`; `run.originalUriBaseIds` declares `%SRCROOT%` without an
//! absolute location, so no absolute path is written. (A path that is absolute in
//! the report, i.e. a file outside the working directory, becomes a `file:` URI: the
//! only honest way to name it.)
//!
//! Columns are Unicode code points (`columnKind: unicodeCodePoints`), 1-based, end
//! exclusive. `invocations[0]` carries the exit code, whether execution succeeded
//! (no tool errors), and `toolExecutionNotifications` for tool errors and for
//! syntax errors, which also stay results.

use super::fingerprint::fingerprints;
use super::{is_syntax_error, FileReport, Report};
use crate::diagnostic::{Applicability, Diagnostic, Severity, Span};
use crate::rules::RuleMeta;
use serde_json::{json, Value};
use serde_sarif::sarif::{
    Artifact, ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location,
    Message, MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    Replacement, ReportingConfiguration, ReportingDescriptor, ReportingDescriptorReference,
    Result as SarifResult, ResultLevel, Run, Sarif, Tool, ToolComponent,
};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

/// The `$schema` written into every log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The base every relative `uri` is resolved against: the directory dockstage ran in.
pub const SRCROOT: &str = "%SRCROOT%";
/// Regions carry a `snippet` of the text they cover up to this many bytes.
const MAX_SNIPPET: usize = 1000;

/// The SARIF log of a report.
pub fn log(report: &Report) -> Sarif {
    let mut rules = RuleTable::new(report.rules);
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut artifacts = Vec::new();

    for (artifact_index, file) in report.files.iter().enumerate() {
        artifacts.push(
            Artifact::builder()
                .location(artifact_location(&file.path, Some(artifact_index)))
                .length(file.source.len() as i64)
                .source_language("dockerfile")
                .roles(vec![json!("analysisTarget")])
                .build(),
        );
        let sorted = file.sorted_diagnostics();
        let prints = fingerprints(file, &sorted);
        for (diagnostic, print) in sorted.iter().zip(&prints) {
            let rule_index = rules.index_of(diagnostic);
            let location = Location::builder()
                .physical_location(physical_location(
                    file,
                    artifact_index,
                    diagnostic.span,
                    true,
                ))
                .build();
            if is_syntax_error(diagnostic) {
                notifications.push(
                    Notification::builder()
                        .level(json!("error"))
                        .message(text(&diagnostic.message))
                        .locations(vec![location.clone()])
                        .associated_rule(
                            ReportingDescriptorReference::builder()
                                .id(diagnostic.code)
                                .index(rule_index as i64)
                                .build(),
                        )
                        .build(),
                );
            }
            results.push(result(
                file,
                artifact_index,
                diagnostic,
                rule_index,
                location,
                print.line_hash_key(),
            ));
        }
    }

    for error in report.tool_errors {
        let mut notification = Notification::builder()
            .level(json!("error"))
            .message(text(&error.message))
            .build();
        if let Some(path) = &error.path {
            let mut physical = PhysicalLocation::builder()
                .artifact_location(artifact_location(path, None))
                .build();
            if let Some(line) = error.line {
                physical.region = Some(Region::builder().start_line(line.max(1) as i64).build());
            }
            notification.locations = Some(vec![Location::builder()
                .physical_location(physical)
                .build()]);
        }
        notifications.push(notification);
    }

    let mut invocation = Invocation::builder()
        .execution_successful(report.tool_errors.is_empty())
        .exit_code(i64::from(report.exit_code))
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let driver = ToolComponent::builder()
        .name("dockstage")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(env!("CARGO_PKG_HOMEPAGE"))
        .rules(rules.descriptors)
        .build();

    let mut base_ids = BTreeMap::new();
    base_ids.insert(
        SRCROOT.to_owned(),
        ArtifactLocation::builder()
            .description(text(
                "The directory dockstage was run in; every uri is relative to it",
            ))
            .build(),
    );

    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .artifacts(artifacts)
        .invocations(vec![invocation])
        .column_kind(json!("unicodeCodePoints"))
        .original_uri_base_ids(base_ids)
        .build();

    Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The log as pretty-printed JSON, with a final newline.
pub fn render(report: &Report) -> String {
    // Serialising the generated SARIF types cannot fail: every map has string keys.
    let mut text = serde_json::to_string_pretty(&log(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes [`render()`]'s output.
pub fn write(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    out.write_all(render(report).as_bytes())
}

fn text(text: &str) -> Message {
    Message::builder().text(text).build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info | Severity::Style => ResultLevel::Note,
    }
}

fn result(
    file: &FileReport,
    artifact_index: usize,
    diagnostic: &Diagnostic,
    rule_index: usize,
    location: Location,
    line_hash: String,
) -> SarifResult {
    let related: Vec<Location> = diagnostic
        .labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            Location::builder()
                .id(i as i64 + 1)
                .message(text(&label.message))
                .physical_location(physical_location(file, artifact_index, label.span, true))
                .build()
        })
        .collect();

    let mut properties = BTreeMap::new();
    if let Some(stage) = &diagnostic.stage {
        properties.insert("stage".to_owned(), json!(stage.display_name()));
        properties.insert("stageIndex".to_owned(), json!(stage.index));
        properties.insert("stageRole".to_owned(), json!(stage.role.as_str()));
    }
    if let Some(help) = &diagnostic.help {
        properties.insert("help".to_owned(), json!(help));
    }

    let mut fingerprints = BTreeMap::new();
    fingerprints.insert("primaryLocationLineHash".to_owned(), line_hash);

    let mut result = SarifResult::builder()
        .rule_id(diagnostic.code)
        .rule_index(rule_index as i64)
        .level(level(diagnostic.severity))
        .message(text(&diagnostic.message))
        .locations(vec![location])
        .partial_fingerprints(fingerprints)
        .build();
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let replacements = fix
            .edits
            .iter()
            .map(|edit| {
                Replacement::builder()
                    .deleted_region(region(file, edit.span, false))
                    .inserted_content(
                        ArtifactContent::builder()
                            .text(edit.replacement.as_str())
                            .build(),
                    )
                    .build()
            })
            .collect::<Vec<_>>();
        let mut fix_properties = BTreeMap::new();
        fix_properties.insert(
            "applicability".to_owned(),
            json!(match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            }),
        );
        result.fixes = Some(vec![Fix::builder()
            .description(text(&fix.message))
            .artifact_changes(vec![ArtifactChange::builder()
                .artifact_location(artifact_location(&file.path, Some(artifact_index)))
                .replacements(replacements)
                .build()])
            .properties(property_bag(fix_properties))
            .build()]);
    }
    if !properties.is_empty() {
        result.properties = Some(property_bag(properties));
    }
    result
}

fn property_bag(properties: BTreeMap<String, Value>) -> PropertyBag {
    PropertyBag::builder()
        .additional_properties(properties)
        .build()
}

fn physical_location(
    file: &FileReport,
    artifact_index: usize,
    span: Span,
    snippet: bool,
) -> PhysicalLocation {
    PhysicalLocation::builder()
        .artifact_location(artifact_location(&file.path, Some(artifact_index)))
        .region(region(file, span, snippet))
        .build()
}

fn region(file: &FileReport, span: Span, snippet: bool) -> Region {
    let range = file.range(span);
    let mut region = Region::builder()
        .start_line(range.start.line as i64)
        .start_column(range.start.column as i64)
        .end_line(range.end.line as i64)
        .end_column(range.end.column as i64)
        .build();
    let covered = file.text(span);
    if snippet && !covered.is_empty() && covered.len() <= MAX_SNIPPET {
        region.snippet = Some(ArtifactContent::builder().text(covered).build());
    }
    region
}

fn artifact_location(path: &str, index: Option<usize>) -> ArtifactLocation {
    let mut location = match relative_uri(path) {
        Some(uri) => ArtifactLocation::builder()
            .uri(uri)
            .uri_base_id(SRCROOT)
            .build(),
        None => ArtifactLocation::builder().uri(file_uri(path)).build(),
    };
    location.index = index.map(|index| index as i64);
    location
}

/// A relative path as a relative URI reference, or `None` when the path is
/// absolute (`/x`, `C:/x`, `//server/x`).
fn relative_uri(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let has_drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') || has_drive {
        return None;
    }
    let mut trimmed = path.as_str();
    while let Some(rest) = trimmed.strip_prefix("./") {
        trimmed = rest;
    }
    Some(percent_encode(trimmed))
}

fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        format!("file://{}", percent_encode(&path))
    } else {
        format!("file:///{}", percent_encode(&path))
    }
}

/// Percent-encodes everything but unreserved characters and `/` (RFC 3986), so a
/// path can never be read as a scheme, query or fragment.
fn percent_encode(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for &byte in path.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// `tool.driver.rules` and the index of each code in it.
struct RuleTable {
    descriptors: Vec<ReportingDescriptor>,
    index: HashMap<String, usize>,
}

impl RuleTable {
    fn new(rules: &[RuleMeta]) -> Self {
        let mut table = RuleTable {
            descriptors: Vec::with_capacity(rules.len()),
            index: HashMap::new(),
        };
        for rule in rules {
            if table.index.contains_key(rule.code) {
                continue;
            }
            table
                .index
                .insert(rule.code.to_owned(), table.descriptors.len());
            table.descriptors.push(descriptor(rule));
        }
        table
    }

    /// The index of a finding's rule, adding a minimal descriptor for a rule the
    /// registry does not list (so every result still has a valid `ruleIndex`).
    fn index_of(&mut self, diagnostic: &Diagnostic) -> usize {
        if let Some(&index) = self.index.get(diagnostic.code) {
            return index;
        }
        let summary = if is_syntax_error(diagnostic) {
            "The Dockerfile could not be parsed here".to_owned()
        } else {
            format!("dockstage rule {}", diagnostic.rule)
        };
        let index = self.descriptors.len();
        self.descriptors.push(
            ReportingDescriptor::builder()
                .id(diagnostic.code)
                .name(diagnostic.rule)
                .short_description(plain(&summary))
                .full_description(plain(&summary))
                .help(plain(&summary))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(json!(level_name(diagnostic.severity)))
                        .build(),
                )
                .build(),
        );
        self.index.insert(diagnostic.code.to_owned(), index);
        index
    }
}

fn plain(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let page = page_body(rule.page);
    let full = why(rule.page).unwrap_or_else(|| rule.summary.to_owned());
    let help = if page.is_empty() { rule.summary } else { page };
    let mut tags = BTreeMap::new();
    tags.insert("fixable".to_owned(), json!(rule.fixable));
    if !rule.aliases.is_empty() {
        // Other tools' names; `id` stays our code so code scanning groups by it.
        tags.insert("aliases".to_owned(), json!(rule.aliases));
    }
    ReportingDescriptor::builder()
        .id(rule.code)
        .name(rule.name)
        .short_description(plain(rule.summary))
        .full_description(plain(&full))
        .help(
            MultiformatMessageString::builder()
                .text(help)
                .markdown(help)
                .build(),
        )
        .help_uri(rule.help_uri())
        .default_configuration(
            ReportingConfiguration::builder()
                .level(json!(level_name(rule.severity)))
                .build(),
        )
        .properties(
            PropertyBag::builder()
                .tags(vec![rule.category.as_str().to_owned()])
                .additional_properties(tags)
                .build(),
        )
        .build()
}

/// A rule page without its `+++` TOML front matter.
fn page_body(page: &str) -> &str {
    let trimmed = page.trim_start();
    if let Some(rest) = trimmed.strip_prefix("+++") {
        if let Some(end) = rest.find("\n+++") {
            let after = &rest[end + 4..];
            return after.trim();
        }
    }
    page.trim()
}

/// The text under the page's "Why ..." heading, up to the next heading.
fn why(page: &str) -> Option<String> {
    let body = page_body(page);
    let mut lines = body.lines();
    let mut in_fence = false;
    for line in lines.by_ref() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        let heading = line.trim_start_matches('#');
        if !in_fence
            && line.starts_with('#')
            && heading.trim_start().to_ascii_lowercase().starts_with("why")
        {
            break;
        }
    }
    let mut section = Vec::new();
    let mut in_fence = false;
    for line in lines {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence && line.starts_with('#') {
            break;
        }
        section.push(line);
    }
    let text = section.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            relative_uri("./a b/Dockerfile").as_deref(),
            Some("a%20b/Dockerfile")
        );
        assert_eq!(
            relative_uri("x:y#z%.Dockerfile").as_deref(),
            Some("x%3Ay%23z%25.Dockerfile")
        );
        assert_eq!(
            relative_uri("é/Dockerfile").as_deref(),
            Some("%C3%A9/Dockerfile")
        );
        assert_eq!(relative_uri("/abs/Dockerfile"), None);
        assert_eq!(relative_uri("C:/x/Dockerfile"), None);
        assert_eq!(relative_uri("C:\\x\\Dockerfile"), None);
        assert_eq!(relative_uri("c:d").as_deref(), Some("c%3Ad"));
        assert_eq!(file_uri("/abs/Dockerfile"), "file:///abs/Dockerfile");
    }

    #[test]
    fn page_sections() {
        let page = "+++\ncode = \"DS001\"\n+++\n\n# rule\n\nSummary.\n\n## Why\n\nBecause it\nmatters.\n\n```dockerfile\n# not a heading\n```\n\n## Examples\n\nbad\n";
        assert!(page_body(page).starts_with("# rule"));
        assert_eq!(
            why(page).as_deref(),
            Some("Because it\nmatters.\n\n```dockerfile\n# not a heading\n```")
        );
        assert_eq!(why("# rule\n\nNo why here.\n"), None);
    }
}
