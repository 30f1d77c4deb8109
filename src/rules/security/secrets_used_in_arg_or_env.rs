//! An ARG or ENV in a stage whose name looks like a secret, value or not: the value a
//! build gives it is recorded in the image (BuildKit's `SecretsUsedInArgOrEnv`).

use crate::diagnostic::Diagnostic;
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

/// Whether `name` looks like a secret: BuildKit's test, except that `GPG_KEY` (the
/// fingerprint of a public key, set by many official images) does not.
pub fn looks_secret(name: &str) -> bool {
    let parts: Vec<&str> = name.split('_').collect();
    let is = |part: &str, list: &[&str]| list.iter().any(|w| part.eq_ignore_ascii_case(w));
    let secret = parts.iter().enumerate().any(|(at, part)| {
        let gpg_key = part.eq_ignore_ascii_case("key")
            && at > 0
            && parts[at - 1].eq_ignore_ascii_case("gpg");
        is(part, &SECRET_PARTS) && !gpg_key
    });
    secret && !parts.iter().any(|part| is(part, &HARMLESS_PARTS))
}

/// A written value that cannot be a secret: a switch (`USE_AUTH_PLUGIN=true`) or an
/// absolute path (`CREDENTIALS_CONFIG=/etc/app/creds.json`).
fn is_plainly_not_secret(value: &str) -> bool {
    matches!(value, "true" | "false") || (value.starts_with('/') && !value.contains('$'))
}

impl Rule for SecretsUsedInArgOrEnv {
    fn meta(&self) -> &'static RuleMeta {
        meta("secrets-used-in-arg-or-env")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
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
                    if !looks_secret(name) || is_plainly_not_secret(value) {
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
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn names_are_matched_by_whole_underscore_parts() {
        for name in ["GITHUB_TOKEN", "api_key", "AUTH", "db_Password_x", "GPG_PRIVATE_KEY"] {
            assert!(looks_secret(name), "{name}");
        }
        for name in ["TOKENS", "KEYRING", "PUBLIC_KEY", "TOKEN_FILE", "KEY_VERSION", "GPG_KEY"] {
            assert!(!looks_secret(name), "{name}");
        }
    }
}
