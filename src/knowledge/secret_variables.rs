//! `data/secret-variables.tsv`: ARG/ENV names that look like secrets
//! (`*_TOKEN`, `*PASSWORD*`, `API_KEY`), with per-row exclusions
//! (`*_FILE`, `AWS_ACCESS_KEY_ID`, `GPG_KEY`).

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use super::tsv;

const TABLE: &str = "secret-variables.tsv";
const TEXT: &str = include_str!("../../data/secret-variables.tsv");

/// One row: names matching `pattern` and not `exclusions` look like secrets.
#[derive(Clone, Debug)]
pub struct SecretVariable {
    /// Case-insensitive regex over the name.
    pub pattern: Regex,
    pub note: String,
    /// Case-insensitive regex; `None` when the row has none.
    pub exclusions: Option<Regex>,
}

impl SecretVariable {
    /// A row from configuration; an error message when a regex is bad.
    pub fn new(pattern: &str, note: &str, exclusions: &str) -> Result<SecretVariable, String> {
        let compile = |text: &str| {
            RegexBuilder::new(text)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("bad regex {text:?}: {e}"))
        };
        Ok(SecretVariable {
            pattern: compile(pattern)?,
            note: note.to_string(),
            exclusions: if exclusions.is_empty() {
                None
            } else {
                Some(compile(exclusions)?)
            },
        })
    }

    pub fn matches(&self, name: &str) -> bool {
        self.pattern.is_match(name) && !self.exclusions.as_ref().is_some_and(|e| e.is_match(name))
    }
}

static ROWS: LazyLock<Vec<SecretVariable>> = LazyLock::new(|| {
    tsv::records(TABLE, TEXT)
        .into_iter()
        .map(|f| {
            SecretVariable::new(f[0], f[1], f[2]).unwrap_or_else(|e| panic!("data/{TABLE}: {e}"))
        })
        .collect()
});

/// Every embedded row.
pub fn all() -> &'static [SecretVariable] {
    &ROWS
}

/// The first row under which `name` looks like a secret.
pub fn lookup(name: &str) -> Option<&'static SecretVariable> {
    lookup_with(&[], name)
}

/// Like [`lookup`], with configured rows first.
pub fn lookup_with<'a>(extra: &'a [SecretVariable], name: &str) -> Option<&'a SecretVariable> {
    extra.iter().chain(all().iter()).find(|v| v.matches(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        assert!(all().len() >= 12);
    }

    #[test]
    fn names() {
        for secret in [
            "GITHUB_TOKEN",
            "NPM_TOKEN",
            "DB_PASSWORD",
            "api_key",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_KEY_BASE",
            "DATABASE_URL",
            "NPM_CONFIG__AUTH",
            "GH_PAT",
            "APP_KEY",
            "client_secret",
        ] {
            assert!(lookup(secret).is_some(), "{secret} looks secret");
        }
        for plain in [
            "NODE_ENV",
            "PATH",
            "PWD",
            "GPG_KEY",
            "AWS_ACCESS_KEY_ID",
            "DB_PASSWORD_FILE",
            "TOKENIZERS_PARALLELISM",
            "PASSWORD_MIN_LENGTH",
            "PYTHON_VERSION",
            "AUTHOR",
            "SECRET_NAME",
        ] {
            assert!(lookup(plain).is_none(), "{plain} is not a secret");
        }
    }

    #[test]
    fn extra_rows() {
        let extra = [SecretVariable::new("^ACME_SIGNATURE$", "", "").unwrap()];
        assert!(lookup_with(&extra, "acme_signature").is_some());
        assert!(SecretVariable::new("(", "", "").is_err());
    }
}
