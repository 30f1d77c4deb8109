//! Which findings are reported: rule selection, severity overrides, and suppression
//! comments (`# dockstage ignore=RULE`, `# dockstage ignore-file=RULE`, BuildKit's
//! `# check=skip=Name`).

use crate::diagnostic::{Diagnostic, Severity, Span, SYNTAX_ERROR};
use crate::rules;
use crate::syntax::Dockerfile;
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
        list.iter().any(|r| {
            r.eq_ignore_ascii_case(d.rule)
                || r.eq_ignore_ascii_case(d.code)
                || r.eq_ignore_ascii_case("all")
        })
    }

    pub fn enabled(&self, d: &Diagnostic) -> bool {
        // Syntax errors cannot be ignored, only selected away explicitly.
        if d.rule == SYNTAX_ERROR.0 && !self.select.is_empty() {
            return Self::matches(&self.select, d);
        }
        if d.rule == SYNTAX_ERROR.0 {
            return true;
        }
        (self.select.is_empty() || Self::matches(&self.select, d))
            && !Self::matches(&self.ignore, d)
    }

    pub fn adjust(&self, mut d: Diagnostic) -> Diagnostic {
        let by_key = self
            .severity
            .get(d.rule)
            .or_else(|| self.severity.get(d.code));
        let found = by_key.or_else(|| {
            self.severity
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(d.rule) || k.eq_ignore_ascii_case(d.code))
                .map(|(_, v)| v)
        });
        if let Some(severity) = found {
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
            .filter(|r| !r.eq_ignore_ascii_case("all") && rules::find(r).is_none())
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

/// BuildKit's check names for the rules that mirror one of its checks.
const BUILDKIT_CHECKS: &[(&str, &str)] = &[
    ("DuplicateStageName", "duplicate-stage-name"),
    ("StageNameCasing", "stage-name-casing"),
    ("UndefinedArgInFrom", "arg-not-in-scope"),
    ("UndefinedVar", "arg-not-in-scope"),
    ("SecretsUsedInArgOrEnv", "secret-in-image"),
];

#[derive(Debug)]
struct Suppression {
    rules: Vec<String>,
    /// The comment, for unused-suppression reports.
    span: Span,
    /// Byte range of the instruction it covers; `None` for the whole file.
    covers: Option<Span>,
    used: bool,
}

#[derive(Debug, Default)]
pub struct Suppressions {
    entries: Vec<Suppression>,
}

impl Suppressions {
    pub fn collect(file: &Dockerfile) -> Suppressions {
        let mut entries = Vec::new();
        for comment in &file.comments {
            let Some(rest) = file.text(comment.text_span).strip_prefix("dockstage") else {
                continue;
            };
            let rest = rest.trim_start();
            let (file_wide, list) = if let Some(list) = rest.strip_prefix("ignore-file=") {
                (true, list)
            } else if let Some(list) = rest.strip_prefix("ignore=") {
                (false, list)
            } else {
                continue;
            };
            let names = list.split_whitespace().next().unwrap_or("");
            let rules: Vec<String> = names
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            let covers = if file_wide {
                None
            } else {
                // The next instruction after the comment.
                let next = file
                    .instructions
                    .iter()
                    .find(|i| i.span.start > comment.span.start)
                    .map(|i| i.span);
                match next {
                    Some(span) => Some(span),
                    None => continue,
                }
            };
            entries.push(Suppression {
                rules,
                span: comment.span,
                covers,
                used: false,
            });
        }
        if let Some(check) = file.directive("check") {
            let rules = buildkit_skips(&check.value);
            if !rules.is_empty() {
                entries.push(Suppression {
                    rules,
                    span: check.span,
                    covers: None,
                    used: false,
                });
            }
        }
        Suppressions { entries }
    }

    pub fn apply(
        mut self,
        file: &Dockerfile,
        diagnostics: Vec<Diagnostic>,
        warn_unused: bool,
    ) -> Vec<Diagnostic> {
        let mut kept = Vec::with_capacity(diagnostics.len());
        'next: for d in diagnostics {
            if d.rule != SYNTAX_ERROR.0 {
                for s in &mut self.entries {
                    let covers = s
                        .covers
                        .is_none_or(|span| span.start <= d.span.start && d.span.start <= span.end);
                    if covers
                        && s.rules.iter().any(|r| {
                            r.eq_ignore_ascii_case(d.rule)
                                || r.eq_ignore_ascii_case(d.code)
                                || r == "all"
                        })
                    {
                        s.used = true;
                        continue 'next;
                    }
                }
            }
            kept.push(d);
        }
        if warn_unused {
            let meta = rules::meta("unused-suppression");
            for s in self.entries.iter().filter(|s| !s.used) {
                let _ = file;
                kept.push(
                    meta.diagnostic(
                        s.span,
                        format!(
                            "this suppression of {} matches no finding",
                            s.rules.join(", ")
                        ),
                    )
                    .with_help("remove the comment"),
                );
            }
        }
        kept
    }
}

/// Rule names skipped by `# check=skip=A,B` (or `skip=all`).
fn buildkit_skips(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in value.split(';') {
        let Some(list) = part.trim().strip_prefix("skip=") else {
            continue;
        };
        for name in list.split(',').map(str::trim) {
            if name.eq_ignore_ascii_case("all") {
                out.push("all".to_string());
            }
            for (check, rule) in BUILDKIT_CHECKS {
                if check.eq_ignore_ascii_case(name) {
                    out.push((*rule).to_string());
                }
            }
        }
    }
    out
}
