//! What every rule sees: the parsed file and its model, built once.

use crate::diagnostic::{Diagnostic, Span, StageRole};
use crate::model::{Stage, StageGraph};
use crate::syntax::{Dockerfile, Instruction, Word};

pub struct Context<'a> {
    pub file: &'a Dockerfile,
    pub graph: &'a StageGraph,
}

impl<'a> Context<'a> {
    pub fn new(file: &'a Dockerfile, graph: &'a StageGraph) -> Self {
        Context { file, graph }
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
