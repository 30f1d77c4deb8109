//! What every rule sees: the parsed file and its model, built once.

use std::sync::OnceLock;

use super::{RuleOptions, Settings};
use crate::diagnostic::{Diagnostic, Severity, Span, StageRole};
use crate::model::shell::{analyze_run_with, RunFacts, ShellCache};
use crate::model::{Stage, StageGraph};
use crate::syntax::{Dockerfile, Instruction, Word};

pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
    /// What `.dockstage.toml` adds: rule options, build tools, trusted registries,
    /// secret patterns, images. Empty without a configuration.
    pub settings: &'a Settings,
    /// The file's path as given (`docker/Dockerfile.dev`), when linting a file.
    pub path: Option<&'a str>,
    /// The shell facts of each instruction, analysed the first time a rule asks.
    runs: Vec<OnceLock<RunFacts>>,
    /// Scripts analysed by earlier lints of the same document (the language server).
    shell_cache: Option<&'a ShellCache>,
}

static NO_SETTINGS: Settings = Settings::new();

impl<'a> Context<'a> {
    /// A context with no configuration.
    pub fn new(file: &'a Dockerfile, graph: &'a StageGraph) -> Self {
        Self::with_settings(file, graph, &NO_SETTINGS)
    }

    pub fn with_settings(
        file: &'a Dockerfile,
        graph: &'a StageGraph,
        settings: &'a Settings,
    ) -> Self {
        Context {
            file,
            graph,
            settings,
            path: None,
            runs: file.instructions.iter().map(|_| OnceLock::new()).collect(),
            shell_cache: None,
        }
    }

    /// The same context for the file at `path`.
    pub fn with_path(self, path: Option<&'a str>) -> Self {
        Context { path, ..self }
    }

    /// The same context, reading shell facts from `cache` where it has them.
    pub fn with_shell_cache(self, cache: Option<&'a ShellCache>) -> Self {
        Context {
            shell_cache: cache,
            ..self
        }
    }

    /// The shell facts of instruction `at` (a RUN, or an ONBUILD RUN), analysed once
    /// per file however many rules read them.
    pub fn run_facts(&self, at: usize) -> &RunFacts {
        self.runs[at].get_or_init(|| {
            analyze_run_with(self.file, &self.file.instructions[at], self.shell_cache)
        })
    }

    /// For rules about bytes in layers: warning where the stage's layers ship (the
    /// target and the stages it is built `FROM`), info in a builder whose files are
    /// only copied from, nothing when the stage is never built.
    pub fn layer_severity(&self, stage: &Stage) -> Option<Severity> {
        if stage.role == StageRole::Unused {
            return None;
        }
        Some(if self.graph.in_target_chain(stage.index) {
            Severity::Warning
        } else {
            Severity::Info
        })
    }

    /// Whether the file builds a development or test image rather than one that ships:
    /// its name says so (`Dockerfile.dev`, `test.Dockerfile`, `.devcontainer/Dockerfile`)
    /// or the target stage is named for it (`dev`, `development`, `app-dev`, `test`).
    /// Such an image is meant to hold compilers, SDKs and development dependencies.
    pub fn is_development_image(&self) -> bool {
        let by_path = self.path.is_some_and(|path| {
            let mut parts = path.rsplit(['/', '\\']);
            let name = parts.next().unwrap_or_default();
            let parent = parts.next().unwrap_or_default();
            development_variant(name) || parent.eq_ignore_ascii_case(".devcontainer")
        });
        let by_stage = self
            .graph
            .final_stage()
            .and_then(|stage| stage.name.as_deref())
            .is_some_and(names_development);
        by_path || by_stage
    }

    /// The configured options of every rule; a rule reads its own with
    /// `cx.options().bool(self.meta().name, "option-name")`.
    pub fn options(&self) -> &'a RuleOptions {
        &self.settings.rule_options
    }

    pub fn text(&self, span: Span) -> &'a str {
        &self.file.source[span.start..span.end]
    }

    /// Every stage with the instructions of its body, FROM excluded.
    pub fn stage_instructions(
        &self,
        stage: &Stage,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        let file = self.file;
        stage
            .body
            .clone()
            .map(move |at| (at, &file.instructions[at]))
    }

    /// Attaches the stage of instruction `at` to a diagnostic.
    pub fn in_stage_of(&self, at: usize, diagnostic: Diagnostic) -> Diagnostic {
        match self.graph.stage_of(at) {
            Some(stage) => diagnostic.with_stage(stage.reference()),
            None => diagnostic,
        }
    }

    pub fn role_of(&self, at: usize) -> Option<StageRole> {
        self.graph.stage_of(at).map(|s| s.role)
    }

    /// The source span of `start..end`, byte offsets into `word.text`.
    ///
    /// A word's text is its source with line continuations (and the comment and blank
    /// lines inside them) removed, and for JSON strings and flags, quotes removed; this
    /// walks both side by side. When they cannot be lined up, the whole word's span.
    pub fn span_in_word(&self, word: &Word, start: usize, end: usize) -> Span {
        self.span_in_text(&word.text, word.span, start, end)
    }

    /// Like [`Context::span_in_word`], for a text read from `source` (e.g. a flag's value).
    pub fn span_in_text(&self, text: &str, source: Span, start: usize, end: usize) -> Span {
        map_offsets(
            &self.file.source,
            source,
            text,
            self.file.escape,
            start,
            end,
        )
        .unwrap_or(source)
    }
}

/// Whether a file or stage name has a word that names a development or test build:
/// `Dockerfile.dev`, `dev.Dockerfile`, `Dockerfile.test`, `server-dev`, `development`.
/// Whether a file name is a development variant of a Dockerfile: `Dockerfile.dev`,
/// `Containerfile.debug.arm64`, `dev.Dockerfile`, `test.dockerfile`. Only the variant
/// part counts, and in `<stem>.Dockerfile` only a stem that is one such word, so that
/// `dev-deps.Dockerfile` or `test-leak.Dockerfile` are linted as shipping images.
fn development_variant(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    for base in ["dockerfile.", "containerfile."] {
        if let Some(variant) = lower.strip_prefix(base) {
            let first = variant.split(['.', '-', '_']).next().unwrap_or_default();
            return is_development_word(first);
        }
    }
    [".dockerfile", ".containerfile"]
        .iter()
        .find_map(|suffix| lower.strip_suffix(suffix))
        .is_some_and(is_development_word)
}

fn names_development(name: &str) -> bool {
    name.split(['.', '-', '_'])
        .any(|word| is_development_word(&word.to_ascii_lowercase()))
}

fn is_development_word(word: &str) -> bool {
    matches!(
        word,
        "dev"
            | "devel"
            | "develop"
            | "development"
            | "devcontainer"
            | "test"
            | "tests"
            | "testing"
            | "debug"
    )
}

fn map_offsets(
    source: &str,
    within: Span,
    text: &str,
    escape: char,
    start: usize,
    end: usize,
) -> Option<Span> {
    if start > end || end > text.len() || within.end > source.len() || within.start > within.end {
        return None;
    }
    let src = source.as_bytes();
    let txt = text.as_bytes();
    let escape = u8::try_from(escape).ok();
    // `positions[j]`: where byte `j` of the text is in the source.
    let mut positions = Vec::with_capacity(end);
    let mut i = within.start;
    let mut j = 0;
    while j < end {
        if i >= within.end {
            return None;
        }
        if Some(src[i]) == escape {
            if let Some(next_line) = continuation_end(src, i + 1) {
                i = skip_ignored_lines(src, next_line, within.end);
                continue;
            }
        }
        if src[i] == txt[j] {
            positions.push(i);
            j += 1;
        }
        i += 1;
    }
    let source_start = if start == end {
        match positions.get(start) {
            Some(&at) => at,
            None => positions.last().map_or(within.start, |&at| at + 1),
        }
    } else {
        positions[start]
    };
    let source_end = if start == end {
        source_start
    } else {
        positions[end - 1] + 1
    };
    let span = Span::new(source_start, source_end);
    (source.is_char_boundary(span.start) && source.is_char_boundary(span.end)).then_some(span)
}

/// After an escape character at `at - 1`: the start of the next line if the escape
/// ends the line (trailing spaces allowed), as a continuation.
fn continuation_end(src: &[u8], mut at: usize) -> Option<usize> {
    while at < src.len() && matches!(src[at], b' ' | b'\t') {
        at += 1;
    }
    match src.get(at) {
        Some(b'\n') => Some(at + 1),
        Some(b'\r') if src.get(at + 1) == Some(&b'\n') => Some(at + 2),
        _ => None,
    }
}

/// Skips the blank and comment lines BuildKit drops inside a continuation.
fn skip_ignored_lines(src: &[u8], mut line: usize, limit: usize) -> usize {
    while line < limit {
        let mut at = line;
        while at < limit && matches!(src[at], b' ' | b'\t') {
            at += 1;
        }
        let ignored = match src.get(at) {
            Some(b'#') | Some(b'\n') | Some(b'\r') => true,
            None => false,
            Some(_) => false,
        };
        if !ignored || at >= limit {
            return line;
        }
        match src[at..limit].iter().position(|&b| b == b'\n') {
            Some(newline) => line = at + newline + 1,
            None => return line,
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StageGraph;
    use crate::syntax::parse;

    #[test]
    fn only_the_variant_part_of_a_file_name_marks_a_development_image() {
        for name in [
            "Dockerfile.dev",
            "Dockerfile.Development",
            "dockerfile.debug.arm64",
            "Containerfile.test",
            "dev.Dockerfile",
            "TEST.dockerfile",
        ] {
            assert!(development_variant(name), "{name}");
        }
        for name in [
            "Dockerfile",
            "Dockerfile.prod",
            "dev-deps.Dockerfile",
            "test_leak.Dockerfile",
            "build-tool-in-final-stage.Dockerfile",
            "Dockerfile.production",
            "devtools",
        ] {
            assert!(!development_variant(name), "{name}");
        }
    }

    fn span_of(source: &str, needle: &str) -> String {
        let file = parse(source);
        let graph = StageGraph::build(&file, None);
        let cx = Context::new(&file, &graph);
        let run = &file.instructions[1];
        let word = &run.args.words[0];
        let at = word.text.find(needle).expect("needle in word");
        let span = cx.span_in_word(word, at, at + needle.len());
        cx.text(span).to_string()
    }

    #[test]
    fn maps_offsets_on_one_line() {
        assert_eq!(span_of("FROM a\nRUN echo $HOME\n", "$HOME"), "$HOME");
    }

    #[test]
    fn maps_offsets_across_continuations_and_comment_lines() {
        let source = "FROM a\nRUN echo a \\\n# $V in a comment\n\n   && echo $V\n";
        assert_eq!(span_of(source, "$V"), "$V");
        let file = parse(source);
        let graph = StageGraph::build(&file, None);
        let cx = Context::new(&file, &graph);
        let word = &file.instructions[1].args.words[0];
        let at = word.text.find("$V").unwrap();
        let span = cx.span_in_word(word, at, at + 2);
        assert_eq!(file.line_of(span.start), 5);
    }

    #[test]
    fn maps_offsets_with_a_backtick_escape() {
        let source = "# escape=`\nFROM a\nRUN echo a `\n  ${V}\n";
        let file = parse(source);
        let graph = StageGraph::build(&file, None);
        let cx = Context::new(&file, &graph);
        let word = &file.instructions[1].args.words[0];
        let at = word.text.find("${V}").unwrap();
        assert_eq!(cx.text(cx.span_in_word(word, at, at + 4)), "${V}");
    }
}
