//! An ARG or ENV in a stage whose name looks like a secret, value or not: the value a
//! build gives it is recorded in the image (BuildKit's `SecretsUsedInArgOrEnv`).

use crate::diagnostic::Diagnostic;
use crate::knowledge::secret_values;
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::Keyword;

pub struct SecretsUsedInArgOrEnv;

/// Words that make a name look like a secret when one of its `_`-separated parts is
/// exactly one of them (any case), as BuildKit matches.
const SECRET_PARTS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Parts that make such a name harmless (`PUBLIC_KEY`, `TOKEN_FILE`, `KEY_VERSION`).
const HARMLESS_PARTS: [&str; 3] = ["public", "file", "version"];

/// Whether BuildKit calls `name` secret-looking.
pub fn looks_secret(name: &str) -> bool {
    let has = |list: &[&str]| {
        name.split('_')
            .any(|part| list.iter().any(|w| part.eq_ignore_ascii_case(w)))
    };
    has(&SECRET_PARTS) && !has(&HARMLESS_PARTS)
}

/// A value written in the Dockerfile that is plainly something else than a secret (a
/// switch, a path, a key's fingerprint...). An empty value or one taken from another
/// variable still lets a secret in.
fn written_not_secret(name: &str, value: &str) -> bool {
    let written = value.trim_matches(['"', '\'']);
    !written.is_empty() && !written.contains('$') && secret_values::plainly_not_secret(name, value)
}

impl Rule for SecretsUsedInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        meta("secrets-used-in-arg-or-env")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        // Global ARGs (before the first FROM) reach FROM lines only, never the image.
        for stage in &cx.graph.stages {
            for (at, instruction) in cx.stage_instructions(stage) {
                let (kind, kept) = match instruction.keyword {
                    Keyword::Arg => ("ARG", "in the history of every RUN after it"),
                    Keyword::Env => ("ENV", "in the image configuration (`docker inspect`)"),
                    _ => continue,
                };
                for pair in &instruction.args.pairs {
                    let name = pair.key.text.as_str();
                    let value = pair.value.as_ref().map_or("", |v| v.text.as_str());
                    if !looks_secret(name) || written_not_secret(name, value) {
                        continue;
                    }
                    let diagnostic = self
                        .meta()
                        .diagnostic(
                            pair.key.span,
                            format!(
                                "`{kind} {name}` is named like a secret: whatever value it gets is kept {kept}"
                            ),
                        )
                        .with_help(
                            "pass secrets with `RUN --mount=type=secret,id=...`, which stores them nowhere",
                        );
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
        }
        cx.lower_in_fixtures(&mut out[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_are_matched_by_whole_underscore_parts() {
        for name in ["GITHUB_TOKEN", "api_key", "AUTH", "db_Password_x", "GPG_KEY"] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["TOKENS", "KEYRING", "PUBLIC_KEY", "TOKEN_FILE", "KEY_VERSION", "MONKEY"] {
            assert!(!looks_secret(name), "{name}");
        }
    }

    #[test]
    fn written_values_that_are_plainly_not_secrets() {
        use super::written_not_secret;
        assert!(written_not_secret("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"));
        assert!(written_not_secret("USE_AUTH_PLUGIN", "true"));
        assert!(written_not_secret("CREDENTIALS_CONFIG", "/etc/app/creds.json"));
        for value in ["", "\"\"", "$TOKEN", "hunter2"] {
            assert!(!written_not_secret("DB_PASSWORD", value), "{value}");
        }
    }
}
