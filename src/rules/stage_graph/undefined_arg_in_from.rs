//! A variable in a FROM line (image or `--platform`) that no global ARG declares: it
//! expands to nothing (BuildKit's `UndefinedArgInFrom`).

use crate::diagnostic::{Diagnostic, Span};
use crate::model::scope::AUTOMATIC_PLATFORM_ARGS;
use crate::model::vars;
use crate::rules::{meta, Context, Rule, RuleMeta};

pub struct UndefinedArgInFrom;

/// ARGs BuildKit defines for FROM lines besides the platform ones.
const OTHER_AUTOMATIC_ARGS: [&str; 3] = ["BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE"];

/// The known name `name` misspells, if one is close enough.
fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), *k))
        .filter(|(d, k)| *d <= 2 && *d * 3 <= k.len().max(name.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

impl Rule for UndefinedArgInFrom {
    fn meta(&self) -> &'static RuleMeta {
        meta("undefined-arg-in-from")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        let mut known: Vec<&str> = cx.graph.global_args.iter().map(|d| d.name.as_str()).collect();
        known.extend(AUTOMATIC_PLATFORM_ARGS);
        known.extend(OTHER_AUTOMATIC_ARGS);
        for stage in &cx.graph.stages {
            let from = &cx.file.instructions[stage.from_instruction];
            let mut texts: Vec<(&str, Span)> = Vec::new();
            if let Some(word) = from.args.words.first() {
                texts.push((&word.text, word.span));
            }
            if let Some(flag) = from.flag("platform") {
                texts.push((flag.value.as_deref().unwrap_or(""), cx.flag_value_span(flag)));
            }
            let mut reported: Vec<String> = Vec::new();
            for (text, source) in texts {
                // A word BuildKit cannot expand (a template's `${option:name}`) fails
                // before any variable is looked up.
                if vars::expansion_error(text, cx.file.escape).is_some() {
                    continue;
                }
                for found in vars::references(text, cx.file.escape) {
                    if known.contains(&found.name.as_str()) || reported.contains(&found.name) {
                        continue;
                    }
                    let span = cx.span_in_text(text, source, found.span.start, found.span.end);
                    let name = &found.name;
                    let effect = if found.has_fallback {
                        format!("`{}` always takes its fallback", cx.text(span))
                    } else {
                        "it is empty here".to_string()
                    };
                    let mut diagnostic = self.meta().diagnostic(
                        span,
                        format!("no ARG before the first FROM declares `{name}`, so {effect}"),
                    );
                    diagnostic = match nearest(name, &known) {
                        Some(meant) => diagnostic.with_help(format!("did you mean `{meant}`?")),
                        None => diagnostic.with_help(format!(
                            "declare `ARG {name}=<default>` before the first FROM"
                        )),
                    };
                    reported.push(found.name.clone());
                    out.push(cx.in_stage_of(stage.from_instruction, diagnostic));
                }
            }
        }
        cx.lower_in_fixtures(&mut out[start..]);
    }
}
