//! Secrets baked into an image: COPY/ADD of secret-looking files, and ARG/ENV with a
//! secret-looking name that hold a value.

use crate::diagnostic::{Diagnostic, Severity, StageRole};
use crate::knowledge::{secret_files, secret_variables};
use crate::model::Stage;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword, Word};

pub struct SecretInImage;

impl Rule for SecretInImage {
    fn meta(&self) -> &'static RuleMeta {
        meta("secret-in-image")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for stage in &cx.graph.stages {
            let Some(severity) = severity_in(stage) else {
                continue;
            };
            for (_, instruction) in cx.stage_instructions(stage) {
                match instruction.keyword {
                    Keyword::Copy | Keyword::Add => {
                        self.check_copy(stage, severity, instruction, out);
                    }
                    Keyword::Env => self.check_env(stage, severity, instruction, out),
                    Keyword::Arg => self.check_arg(cx, stage, severity, instruction, out),
                    _ => {}
                }
            }
        }
    }
}

/// Error where the stage is the image; warning in a builder (its layers stay in the
/// build cache and can be pushed with `--cache-to`); nothing in a stage never built.
fn severity_in(stage: &Stage) -> Option<Severity> {
    match stage.role {
        StageRole::Final => Some(Severity::Error),
        StageRole::FeedsFinal => Some(Severity::Warning),
        StageRole::Unused => None,
    }
}

fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        _ => Severity::Info,
    }
}

fn where_to(stage: &Stage) -> String {
    match stage.role {
        StageRole::Final => "into the final image".to_string(),
        _ => format!(
            "into {}, whose layers stay in the build cache",
            stage.describe()
        ),
    }
}

/// `RUN --mount=type=secret,id=...`, with an id derived from a name.
fn secret_help(id: &str, env: Option<&str>) -> String {
    let id: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let id = id.trim_matches('_');
    match env {
        Some(env) => format!(
            "pass it at build time instead: `RUN --mount=type=secret,id={id},env={env} ...` with `docker build --secret id={id},env={env}`; it is not stored in any layer"
        ),
        None => format!(
            "mount it only where it is needed: `RUN --mount=type=secret,id={id} ...` with `docker build --secret id={id},src=<file>`; it is not stored in any layer"
        ),
    }
}

impl SecretInImage {
    fn check_copy(
        &self,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        out: &mut Vec<Diagnostic>,
    ) {
        // Files from another stage or image were judged where they came from.
        if instruction.flag("from").is_some() || !instruction.heredocs.is_empty() {
            return;
        }
        let words = &instruction.args.words;
        let Some((dest, sources)) = words.split_last() else {
            return;
        };
        for source in sources {
            let path = source.text.as_str();
            if path.contains("://") || path.starts_with("git@") {
                continue;
            }
            if let Some(secret) = secret_files::lookup(path) {
                self.report_file(stage, severity, instruction, source, path, secret, out);
                return;
            }
        }
        // A destination that is a secret location (`/root/.ssh/`, `.docker/config.json`).
        let dest_path = dest.text.as_str();
        if let Some(secret) = secret_files::lookup(dest_path)
            .filter(|s| s.pattern.contains('/') && !dest_path.contains('$'))
        {
            self.report_file(stage, severity, instruction, dest, dest_path, secret, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report_file(
        &self,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        word: &Word,
        path: &str,
        secret: &secret_files::SecretFile,
        out: &mut Vec<Diagnostic>,
    ) {
        let (severity, what) = if secret.low_confidence() {
            (
                lower(severity),
                "may be a private key (or a certificate)".to_string(),
            )
        } else {
            (severity, format!("looks like a secret ({})", secret.kind))
        };
        let name = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(path);
        out.push(
            self.meta()
                .diagnostic_with(
                    severity,
                    word.span,
                    format!(
                        "`{path}` {what} and `{}` copies it {}",
                        instruction.keyword.as_upper_str(),
                        where_to(stage)
                    ),
                )
                .with_help(secret_help(name, None))
                .with_stage(stage.reference()),
        );
    }

    fn check_env(
        &self,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        out: &mut Vec<Diagnostic>,
    ) {
        for pair in &instruction.args.pairs {
            let Some(value) = &pair.value else {
                continue;
            };
            if !holds_value(&value.text) || secret_variables::lookup(&pair.key.text).is_none() {
                continue;
            }
            let name = &pair.key.text;
            out.push(
                self.meta()
                    .diagnostic_with(
                        severity,
                        pair.key.span,
                        format!(
                            "`ENV {name}` looks like a secret and stores its value {} (`docker inspect` shows it)",
                            where_to(stage).replacen("into", "in", 1)
                        ),
                    )
                    .with_help(secret_help(name, Some(name)))
                    .with_stage(stage.reference()),
            );
        }
    }

    fn check_arg(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        out: &mut Vec<Diagnostic>,
    ) {
        for pair in &instruction.args.pairs {
            let name = &pair.key.text;
            if secret_variables::lookup(name).is_none() {
                continue;
            }
            let mut diagnostic = match &pair.value {
                Some(value) if holds_value(&value.text) => self.meta().diagnostic_with(
                    severity,
                    pair.key.span,
                    format!(
                        "`ARG {name}` looks like a secret and has a default value, which is recorded in the image history {}",
                        where_to(stage).replacen("into", "of", 1)
                    ),
                ),
                Some(_) => continue,
                None => {
                    // `ARG TOKEN` re-declares a global ARG and takes its default.
                    let Some(global) = cx.graph.global_args.iter().rev().find(|g| {
                        g.name == name && g.default.as_deref().is_some_and(holds_value)
                    }) else {
                        continue;
                    };
                    self.meta()
                        .diagnostic_with(
                            severity,
                            pair.key.span,
                            format!(
                                "`ARG {name}` looks like a secret and takes the default value of the global ARG, which is recorded in the image history {}",
                                where_to(stage).replacen("into", "of", 1)
                            ),
                        )
                        .with_label(global.span, "the default value is set here")
                }
            };
            diagnostic = diagnostic
                .with_help(secret_help(name, Some(name)))
                .with_stage(stage.reference());
            out.push(diagnostic);
        }
    }
}

/// A non-empty value that is not just a reference to another variable (`$TOKEN`,
/// `${TOKEN}`, `${TOKEN:-}`).
fn holds_value(value: &str) -> bool {
    let value = value.trim().trim_matches(['"', '\'']);
    if value.is_empty() {
        return false;
    }
    let refs = crate::model::vars::references(value, '\\');
    let only_reference = match refs.as_slice() {
        [only] if only.span.start == 0 && only.span.end == value.len() => {
            // `${TOKEN:-fallback}` holds its fallback; `${TOKEN:-}` holds nothing.
            !only.has_fallback || value.ends_with(":-}") || value.ends_with("-}")
        }
        _ => false,
    };
    !only_reference
}
