//! Template sources (Go `{{ }}`, Jinja `{% %}`) named like Dockerfiles: not
//! Dockerfiles until rendered. One finding says so, instead of one syntax error per
//! template line.

use super::ast::{Instruction, Keyword, SyntaxError};
use crate::diagnostic::Span;

const OPENERS: [(&str, &str); 3] = [("{{", "}}"), ("{%", "%}"), ("{#", "#}")];

/// Where a file's template constructs are.
pub(crate) struct Template {
    /// The first delimiter that stands where an instruction should.
    first: Span,
    /// Every `{{ ... }}`, `{% ... %}` and `{# ... #}`, nested ones merged.
    regions: Vec<Span>,
}

impl Template {
    /// The file's template constructs, when one stands where BuildKit expects an
    /// instruction (`{{ if ... }}` on its own line, `FROM {{ .base }}`). Delimiters
    /// inside a command (`docker inspect -f '{{.Id}}'`) do not make a template.
    pub(crate) fn find(source: &str, instructions: &[Instruction]) -> Option<Template> {
        let first = instructions.iter().find_map(|instruction| {
            let keyword = &source[instruction.keyword_span.start..instruction.keyword_span.end];
            if has_delimiter(keyword) {
                return Some(instruction.keyword_span);
            }
            let from_args = &source[instruction.args.span.start..instruction.args.span.end];
            (instruction.keyword == Keyword::From && has_delimiter(from_args))
                .then_some(instruction.args.span)
        })?;
        let text = &source[first.start..first.end];
        let at = OPENERS
            .iter()
            .flat_map(|(open, close)| [text.find(open), text.find(close)])
            .flatten()
            .min()
            .map_or(first.start, |offset| first.start + offset);
        Some(Template {
            first: Span::new(at, (at + 2).min(first.end)),
            regions: regions(source),
        })
    }

    /// Where the first template delimiter stands.
    pub(crate) fn first(&self) -> Span {
        self.first
    }

    /// Drops the errors inside template constructs, or in an instruction that one
    /// breaks (a `{{ if }}` line ends a continuation), and adds the one that says
    /// what the file is.
    pub(crate) fn collapse(
        &self,
        source: &str,
        instructions: &[Instruction],
        errors: &mut Vec<SyntaxError>,
    ) {
        let text = |span: Span| source.get(span.start..span.end).unwrap_or_default();
        errors.retain(|error| {
            let at = error.span.start;
            let inside = self.regions.iter().any(|r| r.start <= at && at < r.end);
            let broken = instructions.iter().any(|i| {
                i.line_span.start <= at
                    && at < i.line_span.end.max(at + 1)
                    && has_delimiter(text(i.line_span))
            });
            !inside && !broken && !has_delimiter(text(error.span))
        });
        errors.push(SyntaxError {
            message: "this file is a template (`{{ }}` or `{% %}`), not a Dockerfile: render it before linting".to_string(),
            span: self.first,
            help: Some(
                "lint the rendered Dockerfile; findings in the template text are not reported".to_string(),
            ),
        });
    }
}

fn has_delimiter(text: &str) -> bool {
    OPENERS
        .iter()
        .any(|(open, close)| text.contains(open) || text.contains(close))
}

/// The spans of template constructs, outermost only; an unclosed one runs to the end.
fn regions(source: &str) -> Vec<Span> {
    let bytes = source.as_bytes();
    let mut regions = Vec::new();
    let mut stack: Vec<(usize, &str)> = Vec::new();
    let mut at = 0;
    while at + 1 < bytes.len() {
        let pair = &source.as_bytes()[at..at + 2];
        if let Some((_, close)) = OPENERS.iter().find(|(open, _)| open.as_bytes() == pair) {
            stack.push((at, close));
            at += 2;
            continue;
        }
        if stack
            .last()
            .is_some_and(|(_, close)| close.as_bytes() == pair)
        {
            let (start, _) = stack.pop().unwrap_or((at, ""));
            if stack.is_empty() {
                regions.push(Span::new(start, at + 2));
            }
            at += 2;
            continue;
        }
        at += 1;
    }
    if let Some(&(start, _)) = stack.first() {
        regions.push(Span::new(start, source.len()));
    }
    regions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_constructs_make_one_region() {
        let source = "{{ if a:\nRUN x\n^else:\n{{b}}\n}}FROM c\n{% if d %}\n";
        let spans: Vec<&str> = regions(source)
            .iter()
            .map(|r| &source[r.start..r.end])
            .collect();
        assert_eq!(spans, ["{{ if a:\nRUN x\n^else:\n{{b}}\n}}", "{% if d %}"]);
    }

    #[test]
    fn an_unclosed_construct_runs_to_the_end() {
        let source = "FROM a\n{{ if x\nRUN y\n";
        let regions = regions(source);
        assert_eq!(regions.len(), 1);
        assert_eq!(regions[0].end, source.len());
    }
}
