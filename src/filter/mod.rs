//! Which findings are reported: rule selection, severity overrides, and suppression
//! comments (`# dockstage ignore=RULE`, `# dockstage ignore-stage=RULE`,
//! `# dockstage ignore-file=RULE`, BuildKit's `# check=skip=Name`).

mod experimental;

use crate::syntax::check_directive;
pub use check_directive::{rejected_check_options, CheckOptions, Rejected};
pub use experimental::ExperimentalAsks;

use crate::diagnostic::{Diagnostic, Severity, Span, SYNTAX_ERROR};
use crate::model::hadolint_pragma::{self, Pragma, Scope};
use crate::rules::{self, RuleMeta};
use crate::syntax::{Dockerfile, Keyword};
use std::collections::HashMap;

/// Rules chosen by `--select`/`--ignore` and configuration, by name or code.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Empty: all rules.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: HashMap<String, Severity>,
}

impl Selection {
    fn matches(list: &[String], d: &Diagnostic) -> bool {
        match rules::RULE_METAS.iter().find(|m| m.name == d.rule) {
            Some(meta) => list.iter().any(|r| rules::selects(r, meta)),
            None => list.iter().any(|r| {
                r.eq_ignore_ascii_case(d.rule)
                    || r.eq_ignore_ascii_case(d.code)
                    || r.eq_ignore_ascii_case("all")
            }),
        }
    }

    /// Whether the rule runs at all: selected, and not ignored. Syntax errors cannot
    /// be ignored, only selected away explicitly. An experimental rule runs only when
    /// selected by name, an opt-in rule also when a severity is set for it by name (see [`ExperimentalAsks`] for the file's own asks).
    pub fn runs(&self, meta: &RuleMeta) -> bool {
        let named = self.names_exactly(meta)
            || (meta.opt_in && self.severity.keys().any(|k| meta.answers_to(k)));
        (!(meta.experimental || meta.opt_in) || named) && self.runs_when_asked(meta)
    }

    /// `--select`/`select` names the rule itself (not `all`, not a code prefix).
    pub fn names_exactly(&self, meta: &RuleMeta) -> bool {
        self.select.iter().any(|r| meta.answers_to(r))
    }

    /// [`Selection::runs`] for a rule that is asked for (experimental or not).
    fn runs_when_asked(&self, meta: &RuleMeta) -> bool {
        let selected =
            self.select.is_empty() || self.select.iter().any(|r| rules::selects(r, meta));
        if meta.name == SYNTAX_ERROR.0 {
            return selected;
        }
        selected && !self.ignore.iter().any(|r| rules::selects(r, meta))
    }

    pub fn enabled(&self, d: &Diagnostic) -> bool {
        if d.rule == SYNTAX_ERROR.0 {
            return self.select.is_empty() || Self::matches(&self.select, d);
        }
        (self.select.is_empty() || Self::matches(&self.select, d))
            && !Self::matches(&self.ignore, d)
    }

    pub fn adjust(&self, mut d: Diagnostic) -> Diagnostic {
        let meta = rules::RULE_METAS.iter().find(|m| m.name == d.rule);
        // An exact name, code or alias wins over a family prefix.
        let exact = self.severity.iter().find(|(k, _)| {
            k.eq_ignore_ascii_case(d.rule)
                || k.eq_ignore_ascii_case(d.code)
                || meta.is_some_and(|m| m.answers_to(k))
        });
        let found = exact.or_else(|| {
            let meta = meta?;
            self.severity.iter().find(|(k, _)| rules::selects(k, meta))
        });
        if let Some((_, severity)) = found {
            d.severity = *severity;
        }
        d
    }

    /// Narrows this selection with a more specific one (an `[[overrides]]` entry, or
    /// the CLI's `--select`/`--ignore`): `select` replaces the selection and takes the
    /// rules it names (all of them for `all`) out of the inherited `ignore`; `ignore`
    /// is added; `severity` is merged over.
    pub fn refine(
        &mut self,
        select: Option<&[String]>,
        ignore: &[String],
        severity: &HashMap<String, Severity>,
    ) {
        if let Some(select) = select {
            if select.iter().any(|r| r.eq_ignore_ascii_case("all")) {
                self.ignore.clear();
            } else {
                self.ignore
                    .retain(|i| !select.iter().any(|s| same_rule(s, i)));
            }
            self.select = select.to_vec();
        }
        for rule in ignore {
            if !self.ignore.iter().any(|i| same_rule(i, rule)) {
                self.ignore.push(rule.clone());
            }
        }
        for (rule, level) in severity {
            self.severity.insert(rule.clone(), *level);
        }
    }

    /// Names or codes that are no rule.
    pub fn unknown_rules(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .filter(|r| !rules::is_known(r))
            .cloned()
            .collect()
    }
}

/// Whether two rule references (names or codes) name the same rule.
fn same_rule(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    match (rules::find(a), rules::find(b)) {
        (Some(x), Some(y)) => x.name == y.name,
        _ => false,
    }
}

/// What a suppression names.
#[derive(Debug)]
enum Names {
    /// `# dockstage ignore=`: rule names, codes, aliases or prefixes, in any case.
    Dockstage(Vec<String>),
    /// `# check=skip=`: BuildKit check names as BuildKit reads them (exact case), or
    /// dockstage names and codes; `all` is every rule that mirrors a BuildKit check.
    BuildKit { all: bool, names: Vec<String> },
    /// `# hadolint ignore=`: hadolint codes, exactly as hadolint spells them.
    Hadolint(Vec<String>),
}

impl Names {
    fn covers(&self, meta: &RuleMeta) -> bool {
        match self {
            Names::Dockstage(names) => names.iter().any(|n| rules::selects(n, meta)),
            Names::Hadolint(codes) => codes.iter().any(|c| meta.answers_to(c)),
            Names::BuildKit { all, names } => {
                let buildkit = meta.buildkit_name();
                // As in BuildKit, `skip=all` leaves experimental checks on.
                (*all && buildkit.is_some() && !meta.experimental)
                    || names.iter().any(|n| {
                        buildkit == Some(n.as_str())
                            || n.eq_ignore_ascii_case(meta.name)
                            || n.eq_ignore_ascii_case(meta.code)
                    })
            }
        }
    }
}

#[derive(Debug)]
struct Suppression {
    names: Names,
    /// The comment, for unused-suppression reports.
    span: Span,
    /// Byte range of the instruction it covers; `None` for the whole file.
    covers: Option<Span>,
    used: bool,
}

#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<Suppression>,
    /// `# check=error=true`: BuildKit fails the build on its checks' findings, so
    /// they are errors here too.
    buildkit_errors: bool,
}

impl Suppressions {
    /// The suppressions of `file`; `hadolint_pragmas` false ignores `# hadolint`
    /// comments (hadolint's `disable-ignore-pragma`).
    pub fn collect(file: &Dockerfile, hadolint_pragmas: bool) -> Suppressions {
        let mut out = Suppressions::default();
        for comment in &file.comments {
            let text = file.text(comment.text_span);
            if let Some(Pragma::Ignore { scope, codes }) = hadolint_pragma::parse(text) {
                if hadolint_pragmas {
                    out.push_hadolint(file, comment.span, scope, codes);
                }
                continue;
            }
            if let Some(value) = check_directive::comment_value(text) {
                // BuildKit reads `# check=` comments above an instruction as options
                // for that instruction.
                if let (Ok(options), Some(span)) = (
                    check_directive::parse(value),
                    next_instruction(file, comment.span),
                ) {
                    out.push_buildkit(&options, comment.span, Some(span));
                }
                continue;
            }
            let Some(rest) = text.strip_prefix("dockstage") else {
                continue;
            };
            let rest = rest.trim_start();
            let (scope, list) = if let Some(list) = rest.strip_prefix("ignore-file=") {
                (Scope::File, list)
            } else if let Some(list) = rest.strip_prefix("ignore-stage=") {
                (Scope::Stage, list)
            } else if let Some(list) = rest.strip_prefix("ignore=") {
                (Scope::NextLine, list)
            } else {
                continue;
            };
            let names = list.split_whitespace().next().unwrap_or("");
            let rules: Vec<String> = names
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let covers = match scope {
                Scope::File => None,
                Scope::NextLine => match next_instruction(file, comment.span) {
                    Some(span) => Some(span),
                    None => continue,
                },
                Scope::Stage => match stage_of_next_instruction(file, comment.span) {
                    Some(span) => Some(span),
                    None => continue,
                },
            };
            out.entries.push(Suppression {
                names: Names::Dockstage(rules),
                span: comment.span,
                covers,
                used: false,
            });
        }
        if let Some(check) = file.directive("check") {
            if let Ok(options) = check_directive::parse(&check.value) {
                out.buildkit_errors = options.error;
                out.push_buildkit(&options, check.span, None);
            }
        }
        out
    }

    fn push_hadolint(
        &mut self,
        file: &Dockerfile,
        comment: Span,
        scope: Scope,
        codes: Vec<String>,
    ) {
        let covers = match scope {
            Scope::File => None,
            // hadolint keys the pragma by line: the instruction must start on the next one.
            Scope::NextLine => match on_next_line(file, comment) {
                Some(at) => Some(file.instructions[at].span),
                None => return,
            },
            // The stage whose FROM is on the next line, after that FROM (hadolint 2.15.1
            // still reports the FROM itself).
            Scope::Stage => {
                let Some(at) = on_next_line(file, comment)
                    .filter(|&at| file.instructions[at].is(Keyword::From))
                else {
                    return;
                };
                let start = file.instructions[at].span.end;
                let end = file.instructions[at + 1..]
                    .iter()
                    .find(|i| i.is(Keyword::From))
                    .map_or(file.source.len(), |i| i.span.start.saturating_sub(1));
                Some(Span::new(start, end.max(start)))
            }
        };
        self.entries.push(Suppression {
            names: Names::Hadolint(codes),
            span: comment,
            covers,
            used: false,
        });
    }

    fn push_buildkit(&mut self, options: &CheckOptions, span: Span, covers: Option<Span>) {
        if options.skip_all || !options.skip.is_empty() {
            self.entries.push(Suppression {
                names: Names::BuildKit {
                    all: options.skip_all,
                    names: options.skip.clone(),
                },
                span,
                covers,
                used: false,
            });
        }
    }

    /// Drops suppressed findings; with `warn_unused`, reports `# dockstage ignore=`
    /// comments that matched nothing although every rule they name ran.
    pub fn apply(
        mut self,
        diagnostics: Vec<Diagnostic>,
        warn_unused: bool,
        selection: &Selection,
    ) -> Vec<Diagnostic> {
        let mut kept = Vec::with_capacity(diagnostics.len());
        'next: for mut d in diagnostics {
            let meta = rules::RULE_METAS.iter().find(|m| m.name == d.rule);
            if let Some(meta) = meta.filter(|m| m.name != SYNTAX_ERROR.0) {
                for s in &mut self.entries {
                    let covers = s
                        .covers
                        .is_none_or(|span| span.start <= d.span.start && d.span.start <= span.end);
                    if covers && s.names.covers(meta) {
                        s.used = true;
                        continue 'next;
                    }
                }
                if self.buildkit_errors && meta.buildkit_name().is_some() {
                    d.severity = Severity::Error;
                }
            }
            kept.push(d);
        }
        if warn_unused {
            let meta = rules::meta("unused-suppression");
            for s in self.entries.iter().filter(|s| !s.used) {
                // `# check=` serves the build too; a skipped rule that did not run
                // could not be matched.
                let Names::Dockstage(names) = &s.names else {
                    continue;
                };
                let all_ran = names.iter().all(|n| {
                    rules::RULE_METAS
                        .iter()
                        .filter(|m| rules::selects(n, m))
                        .all(|m| selection.runs(m))
                });
                if !all_ran {
                    continue;
                }
                kept.push(
                    meta.diagnostic(
                        s.span,
                        format!(
                            "this suppression of {} matches no finding",
                            names.join(", ")
                        ),
                    )
                    .with_help("remove the comment"),
                );
            }
        }
        kept
    }
}

/// The index of the instruction that starts on the line after `comment`, if any.
fn on_next_line(file: &Dockerfile, comment: Span) -> Option<usize> {
    let at = file
        .instructions
        .iter()
        .position(|i| i.span.start > comment.start)?;
    let between = &file.source[comment.start..file.instructions[at].span.start];
    (between.matches('\n').count() == 1).then_some(at)
}

/// The stage of the instruction right after a comment, its FROM included: from that
/// FROM to the end of the stage's last instruction.
fn stage_of_next_instruction(file: &Dockerfile, comment: Span) -> Option<Span> {
    let next = file
        .instructions
        .iter()
        .position(|i| i.span.start > comment.start)?;
    let from = file.instructions[..=next]
        .iter()
        .rposition(|i| i.is(Keyword::From))?;
    let last = file.instructions[from + 1..]
        .iter()
        .position(|i| i.is(Keyword::From))
        .map_or(file.instructions.len() - 1, |n| from + n);
    Some(
        file.instructions[from]
            .span
            .cover(file.instructions[last].span),
    )
}

/// The instruction right after a comment.
fn next_instruction(file: &Dockerfile, comment: Span) -> Option<Span> {
    file.instructions
        .iter()
        .find(|i| i.span.start > comment.start)
        .map(|i| i.span)
}
