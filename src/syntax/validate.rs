//! Checks BuildKit makes when it turns parsed lines into instructions: known keywords,
//! allowed flags, argument counts, and a stage before the first build instruction.

use super::ast::*;
use super::template::Template;
use crate::diagnostic::Span;

#[derive(Clone, Copy, PartialEq, Eq)]
enum FlagKind {
    Bool,
    Value,
}

/// Flags each instruction accepts (BuildKit's `instructions/parse.go`).
fn allowed_flags(keyword: Keyword) -> &'static [(&'static str, FlagKind)] {
    use FlagKind::*;
    match keyword {
        Keyword::From => &[("platform", Value)],
        Keyword::Run => &[
            ("mount", Value),
            ("network", Value),
            ("security", Value),
            ("device", Value),
        ],
        Keyword::Copy => &[
            ("from", Value),
            ("chown", Value),
            ("chmod", Value),
            ("link", Bool),
            ("parents", Bool),
            ("exclude", Value),
        ],
        Keyword::Add => &[
            ("chown", Value),
            ("chmod", Value),
            ("link", Bool),
            ("keep-git-dir", Bool),
            ("checksum", Value),
            ("exclude", Value),
            ("parents", Bool),
            ("unpack", Bool),
        ],
        Keyword::Healthcheck => &[
            ("interval", Value),
            ("timeout", Value),
            ("start-period", Value),
            ("start-interval", Value),
            ("retries", Value),
        ],
        _ => &[],
    }
}

/// Adds the file's syntax errors; returns where its template syntax starts when the
/// file is a template.
pub(crate) fn validate(
    source: &str,
    instructions: &[Instruction],
    errors: &mut Vec<SyntaxError>,
) -> Option<Span> {
    let mut push = |span: Span, message: String, help: Option<String>| {
        errors.push(SyntaxError {
            message,
            span,
            help,
        })
    };
    if instructions.is_empty() {
        let message = if source.trim().is_empty() {
            "the Dockerfile is empty"
        } else {
            "the Dockerfile has no instructions, only comments"
        };
        push(
            Span::new(
                0,
                source.len().min(source.find('\n').unwrap_or(source.len())),
            ),
            message.to_string(),
            Some("a Dockerfile needs at least a FROM instruction".to_string()),
        );
        return None;
    }
    // A template renders its FROM lines: their absence or order says nothing yet.
    let template = Template::find(source, instructions);
    let mut seen_from = template.is_some();
    for instruction in instructions {
        if instruction.keyword == Keyword::From {
            seen_from = true;
        } else if !seen_from && !matches!(instruction.keyword, Keyword::Arg | Keyword::Unknown) {
            push(
                instruction.keyword_span,
                format!(
                    "{} before the first FROM: there is no build stage yet",
                    instruction.keyword.as_upper_str()
                ),
                Some("only ARG may come before the first FROM".to_string()),
            );
        }
        check_instruction(source, instruction, false, &mut push);
    }
    if !seen_from {
        let first = &instructions[0];
        push(
            first.keyword_span,
            "the Dockerfile has no FROM instruction".to_string(),
            Some("every build stage starts with FROM".to_string()),
        );
    }
    let template = template?;
    template.collapse(source, instructions, errors);
    Some(template.first())
}

fn check_instruction(
    source: &str,
    instruction: &Instruction,
    in_onbuild: bool,
    push: &mut impl FnMut(Span, String, Option<String>),
) {
    let name = instruction.keyword.as_upper_str();
    let args = &instruction.args;
    if instruction.keyword == Keyword::Unknown {
        let written = &source[instruction.keyword_span.start..instruction.keyword_span.end];
        let help = nearest_keyword(written).map(|k| format!("did you mean {}?", k.as_upper_str()));
        push(
            instruction.keyword_span,
            format!("unknown instruction: {written}"),
            help,
        );
        return;
    }
    let allowed = allowed_flags(instruction.keyword);
    for flag in &instruction.flags {
        match allowed.iter().find(|(n, _)| *n == flag.name) {
            None => push(
                flag.span,
                format!("unknown flag --{} for {name}", flag.name),
                (!allowed.is_empty()).then(|| {
                    let names: Vec<String> =
                        allowed.iter().map(|(n, _)| format!("--{n}")).collect();
                    format!("{name} accepts {}", names.join(", "))
                }),
            ),
            Some((_, FlagKind::Value)) if flag.value.is_none() => push(
                flag.span,
                format!("missing a value on flag --{}", flag.name),
                None,
            ),
            Some((_, FlagKind::Bool)) => {
                if let Some(value) = &flag.value {
                    if !matches!(value.to_ascii_lowercase().as_str(), "true" | "false") {
                        push(
                            flag.span,
                            format!(
                                "expecting boolean value for flag --{}, not: {value}",
                                flag.name
                            ),
                            None,
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let count = args.words.len();
    let missing = |what: &str| format!("{name} requires {what}");
    let at = instruction.keyword_span;
    match instruction.keyword {
        Keyword::From => {
            let ok = count == 1 || (count == 3 && args.words[1].text.eq_ignore_ascii_case("as"));
            if !ok {
                push(
                    if count == 0 { at } else { args.span },
                    "FROM requires either one or three arguments: FROM image [AS name]".to_string(),
                    None,
                );
            } else if count == 3 {
                let stage = &args.words[2];
                if !valid_stage_name(&stage.text) {
                    push(
                        stage.span,
                        format!(
                            "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                            stage.text
                        ),
                        None,
                    );
                }
            }
        }
        Keyword::Copy | Keyword::Add => {
            if count < 2 {
                push(
                    if count == 0 { at } else { args.span },
                    format!("{name} requires at least two arguments: a source and a destination"),
                    None,
                );
            }
        }
        Keyword::Env | Keyword::Label | Keyword::Arg => {
            if count == 0 {
                push(at, missing("at least one argument"), None);
            }
            for pair in &args.pairs {
                if pair.key.text.is_empty() {
                    push(
                        pair.key.span,
                        format!("{name} names can not be blank"),
                        None,
                    );
                }
            }
        }
        Keyword::Healthcheck => match args.words.first().map(|w| w.text.to_ascii_uppercase()) {
            None => push(at, missing("an argument: NONE or CMD"), None),
            Some(typ) if typ == "NONE" => {
                if count > 1 || !instruction.flags.is_empty() {
                    push(
                        args.span,
                        "HEALTHCHECK NONE takes no arguments".to_string(),
                        None,
                    );
                }
            }
            Some(typ) if typ == "CMD" => {
                if count < 2 {
                    push(
                        args.span,
                        "missing command after HEALTHCHECK CMD".to_string(),
                        None,
                    );
                }
            }
            Some(typ) => push(
                args.words[0].span,
                format!("unknown type {typ:?} in HEALTHCHECK (try CMD)"),
                None,
            ),
        },
        Keyword::Shell => {
            if args.form != Form::Exec {
                push(
                    if count == 0 { at } else { args.span },
                    "SHELL requires the arguments to be in JSON form".to_string(),
                    Some("write it as SHELL [\"executable\", \"parameters\"]".to_string()),
                );
            } else if count == 0 {
                push(args.span, missing("at least one argument"), None);
            }
        }
        Keyword::Onbuild => match &instruction.trigger {
            None => push(at, missing("an instruction to run later"), None),
            Some(trigger) => {
                if in_onbuild || matches!(trigger.keyword, Keyword::Onbuild) {
                    push(
                        trigger.keyword_span,
                        "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".to_string(),
                        None,
                    );
                } else if matches!(trigger.keyword, Keyword::From | Keyword::Maintainer) {
                    push(
                        trigger.keyword_span,
                        format!(
                            "{} isn't allowed as an ONBUILD trigger",
                            trigger.keyword.as_upper_str()
                        ),
                        None,
                    );
                } else {
                    check_instruction(source, trigger, true, push);
                }
            }
        },
        // A bare RUN builds (BuildKit runs `sh -c ""`): the rule empty-run reports it.
        Keyword::Run => {}
        Keyword::Expose
        | Keyword::Volume
        | Keyword::User
        | Keyword::Workdir
        | Keyword::Stopsignal
        | Keyword::Maintainer => {
            if count == 0 && instruction.heredocs.is_empty() {
                push(at, missing("at least one argument"), None);
            }
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Unknown => {}
    }
}

/// BuildKit's stage name rule, applied case-insensitively.
pub fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn nearest_keyword(written: &str) -> Option<Keyword> {
    // Keywords are at most 11 bytes: anything 3 longer is more than two edits away. A word
    // without letters (`{{`, `|`) is a whole keyword of edits away from every keyword.
    if written.len() > 13 || !written.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut lower = [0u8; 13];
    let lower = &mut lower[..written.len()];
    lower.copy_from_slice(written.as_bytes());
    lower.make_ascii_lowercase();
    Keyword::ALL
        .into_iter()
        .filter_map(|k| {
            let name = k.as_str();
            // A suggestion must keep some of the keyword: not more edits than letters.
            let most = 2.min(name.len() - 1);
            typo_distance_within(lower, name.as_bytes(), most).map(|d| (d, k))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// The optimal string alignment distance (insertions, deletions, substitutions and swaps
/// of neighbours) between two words of at most 13 bytes, if it is at most `most`.
/// Templated files are full of unknown instructions, each compared with every keyword:
/// two cheap lower bounds rule out nearly all pairs before strsim computes the distance.
fn typo_distance_within(a: &[u8], b: &[u8], most: usize) -> Option<usize> {
    const MAX: usize = 14;
    if a.len() >= MAX || b.len() >= MAX || a.len().abs_diff(b.len()) > most {
        return None;
    }
    // Each byte of one word that the other lacks altogether costs an edit.
    let letters = |word: &[u8]| {
        word.iter()
            .fold(0u128, |set, &byte| set | (1u128 << (byte & 0x7f)))
    };
    let missing = |word: &[u8], other: u128| {
        word.iter()
            .filter(|&&byte| other & (1u128 << (byte & 0x7f)) == 0)
            .count()
    };
    if missing(a, letters(b)) > most || missing(b, letters(a)) > most {
        return None;
    }
    let distance = strsim::osa_distance(std::str::from_utf8(a).ok()?, std::str::from_utf8(b).ok()?);
    (distance <= most).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_distance_counts_edits_and_swaps() {
        assert_eq!(typo_distance_within(b"from", b"from", 2), Some(0));
        assert_eq!(typo_distance_within(b"form", b"from", 2), Some(1));
        assert_eq!(typo_distance_within(b"fro", b"from", 2), Some(1));
        assert_eq!(typo_distance_within(b"cpoy", b"copy", 2), Some(1));
        assert_eq!(typo_distance_within(b"xyz", b"run", 3), Some(3));
        assert_eq!(typo_distance_within(b"xyz", b"run", 2), None);
        assert_eq!(typo_distance_within(b"", b"env", 2), None);
        assert_eq!(
            typo_distance_within(b"healthchek", b"healthcheck", 2),
            Some(1)
        );
        assert_eq!(
            typo_distance_within(b"zzzzzzzzzzzzz", b"healthcheck", 2),
            None
        );
    }

    /// The early exit never changes the answer.
    #[test]
    fn typo_distance_agrees_with_strsim() {
        let words = [
            "from",
            "form",
            "rn",
            "rnu",
            "urn",
            "cmdd",
            "entrypiont",
            "workdri",
            "lable",
            "evn",
            "arg",
            "ga",
            "ad",
            "xyz",
            "copyy",
            "stopsinal",
            "heathcheck",
            "onbiuld",
            "if",
            "def",
        ];
        for word in words {
            for keyword in Keyword::ALL {
                let name = keyword.as_str();
                let full = strsim::osa_distance(word, name);
                for most in 0..=3 {
                    let expected = (full <= most).then_some(full);
                    assert_eq!(
                        typo_distance_within(word.as_bytes(), name.as_bytes(), most),
                        expected,
                        "{word} {name} {most}"
                    );
                }
            }
        }
    }

    #[test]
    fn nearest_keyword_suggests_close_typos_only() {
        assert_eq!(nearest_keyword("FORM"), Some(Keyword::From));
        assert_eq!(nearest_keyword("entrypiont"), Some(Keyword::Entrypoint));
        assert_eq!(nearest_keyword("{{"), None);
        assert_eq!(nearest_keyword("a_very_long_unknown_word"), None);
    }
}
