//! Secrets baked into an image: COPY/ADD of secret-looking files, and ARG/ENV with a
//! secret-looking name that hold a value.

use crate::diagnostic::{Diagnostic, Severity, StageRole};
use crate::model::ImageRole;
use crate::knowledge::{secret_files, secret_values, secret_variables};
use crate::size::context::read_source_texts;
use crate::model::Stage;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Instruction, Keyword, Word};

pub struct SecretInImage;

impl Rule for SecretInImage {
    fn meta(&self) -> &'static RuleMeta {
        meta("secret-in-image")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        // A development image is never deployed: one level lower.
        let development = cx.image_role().role == ImageRole::Development;
        for stage in &cx.graph.stages {
            let Some(mut severity) = severity_in(stage) else {
                continue;
            };
            if development {
                severity = lower(severity);
            }
            for (_, instruction) in cx.stage_instructions(stage) {
                match instruction.keyword {
                    Keyword::Copy | Keyword::Add => {
                        self.check_copy(cx, stage, severity, instruction, out);
                    }
                    Keyword::Env => self.check_env(stage, severity, instruction, out),
                    Keyword::Arg => self.check_arg(cx, stage, severity, instruction, out),
                    _ => {}
                }
            }
        }
        cx.lower_in_fixtures(&mut out[start..]);
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
        cx: &Context<'_>,
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
        let sources: Vec<&Word> = sources
            .iter()
            .filter(|s| !s.text.contains("://") && !s.text.starts_with("git@"))
            .collect();
        for source in &sources {
            let path = source.text.as_str();
            if let Some(secret) = secret_files::lookup(path).filter(|_| !harmless_name(path)) {
                let copied = Copied {
                    word: source,
                    path,
                    contents: &[source],
                };
                self.report_file(cx, stage, severity, instruction, copied, secret, out);
                return;
            }
        }
        // A destination that is a secret location (`/root/.ssh/`, `.docker/config.json`):
        // the files copied there are the sources, by their own names in a folder.
        let dest_path = dest.text.as_str();
        let into_folder = dest_path.ends_with('/') || sources.len() > 1;
        let harmless = if into_folder {
            sources.iter().all(|s| harmless_name(&s.text))
        } else {
            harmless_name(dest_path)
        };
        if let Some(secret) = secret_files::lookup(dest_path)
            .filter(|s| s.pattern.contains('/') && !dest_path.contains('$') && !harmless)
        {
            let copied = Copied {
                word: dest,
                path: dest_path,
                contents: &sources,
            };
            self.report_file(cx, stage, severity, instruction, copied, secret, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report_file(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        severity: Severity,
        instruction: &Instruction,
        copied: Copied<'_>,
        secret: &secret_files::SecretFile,
        out: &mut Vec<Diagnostic>,
    ) {
        let path = copied.path;
        let by_name = format!("looks like a secret ({})", secret.kind);
        let (severity, what) = match read_contents(cx, copied.contents) {
            // What the files hold decides: a secret in them, or nothing to report.
            Some(texts) => match texts.iter().find_map(|t| secret_values::secret_in_text(t)) {
                Some(reason) => (severity, format!("holds {reason}")),
                None if needs_content(secret) => return,
                None => (severity, by_name),
            },
            None if needs_content(secret) => (
                lower(severity),
                format!(
                    "has a name that suggests a secret ({}), but its content could not be checked;",
                    secret.kind
                ),
            ),
            None => (severity, by_name),
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
                    copied.word.span,
                    format!(
                        "`{path}` {what}{} `{}` copies it {}",
                        if what.ends_with(';') { "" } else { " and" },
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
            if !holds_value(&value.text)
                || secret_variables::lookup(&pair.key.text).is_none()
                || secret_values::plainly_not_secret(&pair.key.text, &value.text)
            {
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
                Some(value) if secret_values::plainly_not_secret(name, &value.text) => continue,
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
                        g.name == name
                            && g.default.as_deref().is_some_and(|value| {
                                holds_value(value)
                                    && !secret_values::plainly_not_secret(name, value)
                            })
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

/// A copied file that looks like a secret: the word that names it (source or
/// destination), its path, and the sources whose content it has.
struct Copied<'w> {
    word: &'w Word,
    path: &'w str,
    contents: &'w [&'w Word],
}

/// Files that sit beside secrets and hold none: public keys, the ssh client's
/// host options and known hosts.
fn harmless_name(path: &str) -> bool {
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    name.ends_with(".pub")
        || matches!(
            name,
            "authorized_keys" | "authorized_keys2" | "known_hosts" | "ssh_config" | "config"
        ) && (path.contains(".ssh") || name != "config")
}

/// Names that may hold a secret or not (`.env`, `pip.conf`, `.docker/config.json`,
/// `*.key`, `*.pem`, a `.ssh/` folder): only their content says which.
fn needs_content(secret: &secret_files::SecretFile) -> bool {
    matches!(secret.kind.as_str(), "env-file" | "token-config")
        || matches!(
            secret.pattern.as_str(),
            "*.key"
                | "*.pem"
                | ".ssh/"
                | ".aws/config"
                | "credentials.json"
                | "secrets.json"
                | "secrets.yaml"
                | "secrets.yml"
                | "secret.yaml"
                | "*.tfvars"
        )
}

/// The texts of the copied sources, read from the build context (the
/// Dockerfile's folder), when every one of them is there.
fn read_contents(cx: &Context<'_>, sources: &[&Word]) -> Option<Vec<String>> {
    let dockerfile = std::path::Path::new(cx.path.filter(|p| *p != "-")?);
    let root = dockerfile.parent().filter(|p| !p.as_os_str().is_empty());
    let root = root.unwrap_or(std::path::Path::new("."));
    let mut texts = Vec::new();
    for source in sources {
        let files = read_source_texts(root, &source.text)?;
        texts.extend(files.into_iter().map(|(_, text)| text));
    }
    (!texts.is_empty()).then_some(texts)
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
