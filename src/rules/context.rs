//! What every rule sees: the parsed file and its model, built once.

use std::sync::OnceLock;

use super::shipped_tools::shipped_build_tools;
use super::{RuleOptions, Settings};
use crate::diagnostic::{Diagnostic, Severity, Span, StageRole};
use crate::filesystem::Filesystems;
use crate::knowledge::{base_images, build_tools, table_repository};
use crate::model::image_role::{self, ImageRole, RoleEvidence, RoleInference};
use crate::model::shell::{analyze_run_with, RunFacts, ShellCache};
use crate::model::{Base, Stage, StageGraph};
use crate::syntax::{Dockerfile, Flag, Instruction, Keyword, Word};

pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
    /// What `.dockstage.toml` adds: rule options, build tools, trusted registries,
    /// secret patterns, images. Empty without a configuration.
    pub settings: &'a Settings,
    /// The file's path as given (`docker/Dockerfile.dev`), when linting a file.
    pub path: Option<&'a str>,
    /// The build context given by the user; `None`: the Dockerfile's directory.
    pub build_context: Option<&'a std::path::Path>,
    /// The shell facts of each instruction, analysed the first time a rule asks.
    runs: Vec<OnceLock<RunFacts>>,
    /// Scripts analysed by earlier lints of the same document (the language server).
    shell_cache: Option<&'a ShellCache>,
    /// `role` from `.dockstage.toml` for this file, if set.
    configured_role: Option<ImageRole>,
    image_role: OnceLock<RoleInference>,
    filesystems: OnceLock<Filesystems>,
}

/// Under this many bytes, a finding about bytes in a layer is info, not a warning:
/// a few megabytes do not change how an image is pulled or stored.
pub const SMALL_LAYER_BYTES: u64 = 10_000_000;

/// What a finding about the shipped image is about, for [`Context::shipped_severity`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shipped {
    /// Compilers, headers, VCS clients in the final image.
    BuildTools,
    /// A full or SDK base image where a slim one exists.
    FullBase,
    /// The final image runs as root.
    RootUser,
    /// Development dependencies of the application.
    DevDependencies,
    /// Bytes left in a layer: caches, recommended packages, files deleted later.
    LayerBytes,
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
            build_context: None,
            runs: file.instructions.iter().map(|_| OnceLock::new()).collect(),
            shell_cache: None,
            configured_role: None,
            image_role: OnceLock::new(),
            filesystems: OnceLock::new(),
        }
    }

    /// The same context for the file at `path`.
    pub fn with_path(self, path: Option<&'a str>) -> Self {
        Context { path, ..self }
    }

    /// The same context with the build context the user gave.
    pub fn with_build_context(self, build_context: Option<&'a std::path::Path>) -> Self {
        Context {
            build_context,
            ..self
        }
    }

    /// The same context, reading shell facts from `cache` where it has them.
    pub fn with_shell_cache(self, cache: Option<&'a ShellCache>) -> Self {
        Context {
            shell_cache: cache,
            ..self
        }
    }

    /// The same context with the image role `.dockstage.toml` sets for this file.
    pub fn with_role(self, configured_role: Option<ImageRole>) -> Self {
        Context {
            configured_role,
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

    /// What each stage's filesystem holds (toolchains, build outputs), built once.
    pub fn filesystems(&self) -> &Filesystems {
        self.filesystems
            .get_or_init(|| Filesystems::build(self.file, self.graph, |at| self.run_facts(at)))
    }

    /// For rules about what a stage's filesystem holds (caches, recommended packages):
    /// warning where it ships (the target, the stages it is built `FROM`, stages copied
    /// whole into those), info in a builder whose files are only copied from, nothing
    /// when the stage is never built or the image is a development image, which is
    /// never deployed.
    pub fn layer_severity(&self, stage: &Stage) -> Option<Severity> {
        let ships = self.filesystems().ships_whole(stage.index);
        self.severity_if(stage, ships)
    }

    /// For bytes a later layer deletes: they ship only in the layers of the target and
    /// the stages it is built `FROM`; a whole-filesystem copy leaves them behind.
    pub fn removed_bytes_severity(&self, stage: &Stage) -> Option<Severity> {
        self.severity_if(stage, self.graph.in_target_chain(stage.index))
    }

    fn severity_if(&self, stage: &Stage, ships: bool) -> Option<Severity> {
        if stage.role == StageRole::Unused {
            return None;
        }
        let severity = if ships {
            Severity::Warning
        } else {
            Severity::Info
        };
        self.shipped_severity(Shipped::LayerBytes, severity)
    }

    /// What the image is for: set by `.dockstage.toml` (`role`), else inferred once
    /// per file from what the file shows.
    pub fn image_role(&self) -> &RoleInference {
        self.image_role.get_or_init(|| match self.configured_role {
            Some(role) => RoleInference::configured(role),
            None => image_role::infer(&self.role_evidence()),
        })
    }

    /// The severity of a finding about what the final image ships, given the image's
    /// role; `None` when the role makes it no finding. The one place this policy lives:
    /// a toolchain image ships compilers on purpose, a base image leaves the user to
    /// the images built on it, a development image is never deployed.
    pub fn shipped_severity(&self, concern: Shipped, severity: Severity) -> Option<Severity> {
        use ImageRole::*;
        match (self.image_role().role, concern) {
            (Application, _) => Some(severity),
            // Never deployed: what its layers hold is style, as hadolint still reports it.
            (Development, Shipped::LayerBytes) => Some(Severity::Style),
            (Development, _) => None,
            (Toolchain, Shipped::BuildTools | Shipped::FullBase | Shipped::DevDependencies) => None,
            (Toolchain, Shipped::RootUser) => Some(Severity::Info),
            (Base, Shipped::BuildTools | Shipped::FullBase | Shipped::RootUser) => {
                Some(Severity::Info)
            }
            (Base, Shipped::DevDependencies) | (Toolchain | Base, Shipped::LayerBytes) => {
                Some(severity)
            }
        }
    }

    /// The severity of a finding about how stages are laid out (a stage referred to by
    /// position, a stage never built): a file for development (a test fixture, a dev
    /// container, by its path or `role` in .dockstage.toml) is often laid out that way
    /// on purpose, so there it is info.
    pub fn stage_layout_severity(&self, severity: Severity) -> Severity {
        // A target stage named `dev` makes the image, not the file's other stages, development.
        let inference = self.image_role();
        let file_is_development = inference.role == ImageRole::Development
            && (inference.configured
                || !image_role::development_path_reasons(self.path).is_empty()
                || image_role::is_image_list(self.graph));
        if file_is_development {
            severity.min(Severity::Info)
        } else {
            severity
        }
    }

    /// Findings about how a file is written (its syntax, stage names, ARGs, secrets)
    /// in a test fixture (`tests/`, `testdata/`) or a vendored file (`vendor/`): test
    /// files exercise odd shapes on purpose, often for another builder, and vendored
    /// ones are another project's; there they are info.
    pub fn lower_in_fixtures(&self, findings: &mut [Diagnostic]) {
        if image_role::fixture_or_vendored(self.path) {
            for finding in findings {
                finding.severity = finding.severity.min(Severity::Info);
            }
        }
    }

    /// A warning about bytes becomes info when the bytes measured are few (under
    /// [`SMALL_LAYER_BYTES`]) or not measured at all: severity follows measured impact.
    pub fn severity_for_bytes(&self, severity: Severity, bytes: Option<u64>) -> Severity {
        match bytes {
            Some(bytes) if bytes >= SMALL_LAYER_BYTES => severity,
            _ => severity.min(Severity::Info),
        }
    }

    fn role_evidence(&self) -> RoleEvidence<'a> {
        let extra = &self.settings.rows.build_tools;
        let tools = shipped_build_tools(self);
        let shipped_toolchains = tools
            .iter()
            .filter(|t| matches!(t.kind.as_str(), "compiler" | "sdk"))
            .count();
        let shipped_tools = tools.into_iter().map(|t| t.name).collect();
        let mut sdk_base = false;
        if let Some(target) = self.graph.final_stage() {
            let chain = self.graph.base_chain(target.index);
            let root = &self.graph.stages[*chain.last().unwrap_or(&target.index)];
            if let Base::Image(image) = &root.base {
                sdk_base = base_images::lookup_with(&self.settings.rows.base_images, image)
                    .is_some_and(|m| m.row.is_sdk)
                    || build_tools::image_with(extra, &table_repository(image)).is_some();
            }
        }
        RoleEvidence {
            file: self.file,
            graph: self.graph,
            path: self.path,
            shipped_tools,
            shipped_toolchains,
            sdk_base,
        }
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

    /// The RUN instructions of a stage with their shell facts.
    pub fn stage_runs(&self, stage: &Stage) -> impl Iterator<Item = (usize, &RunFacts)> + '_ {
        self.stage_instructions(stage)
            .filter(|(_, i)| i.is(Keyword::Run))
            .map(|(at, _)| (at, self.run_facts(at)))
    }

    /// Per stage: whether a stage it is built `FROM` (in this file) has a `keyword`
    /// instruction: BuildKit carries WORKDIR and SHELL over from base stages.
    pub fn in_base_stages(&self, keyword: Keyword) -> Vec<bool> {
        self.graph.bases_any(|base| {
            self.stage_instructions(&self.graph.stages[base])
                .any(|(_, i)| i.is(keyword))
        })
    }

    /// The EXPOSE ports written without variables, with their instruction's index.
    pub fn literal_expose_ports(&self) -> impl Iterator<Item = (usize, &'a Word)> + 'a {
        self.file
            .instructions
            .iter()
            .enumerate()
            .filter(|(_, i)| i.is(Keyword::Expose))
            .flat_map(|(at, i)| i.args.words.iter().map(move |w| (at, w)))
            .filter(|(_, w)| !w.text.contains('$'))
    }

    /// Attaches the stage of instruction `at` to a diagnostic.
    /// Whether a fix stands on what the file says. An edit inside the script of a RUN
    /// the shell grammar rejects (a template, a stray `((`) rests on a guessed reading
    /// of it, such as a heredoc's body taken for commands, so it is not offered.
    pub fn fix_is_certain(&self, fix: &crate::diagnostic::Fix) -> bool {
        fix.edits.iter().all(|edit| {
            let after = self
                .file
                .instructions
                .partition_point(|i| i.span.start <= edit.span.start);
            let Some(at) = after.checked_sub(1) else {
                return true;
            };
            // `span` runs to the end of the heredocs too.
            let instruction = &self.file.instructions[at];
            let in_script = instruction.is(Keyword::Run)
                && edit.span.start >= instruction.args.span.start
                && edit.span.end <= instruction.span.end;
            !in_script || self.run_facts(at).facts.parse_error.is_none()
        })
    }

    pub fn in_stage_of(&self, at: usize, diagnostic: Diagnostic) -> Diagnostic {
        match self.graph.stage_of(at) {
            Some(stage) => diagnostic.with_stage(stage.reference()),
            None => diagnostic,
        }
    }

    pub fn role_of(&self, at: usize) -> Option<StageRole> {
        self.graph.stage_of(at).map(|s| s.role)
    }

    /// The source span of a flag's value (after `=`); the flag's span without one.
    pub fn flag_value_span(&self, flag: &Flag) -> Span {
        let written = self.text(flag.span);
        let start = written
            .find('=')
            .map_or(flag.span.start, |at| flag.span.start + at + 1);
        Span::new(start, flag.span.end)
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
