//! `data/secret-files.tsv`: file names and paths that look like secrets
//! (`id_rsa`, `*.pem`, `.env`, `.aws/`, kubeconfig).
//!
//! Patterns are globs (`*` any run of characters within one path component, `?`
//! one character). Without `/` a pattern matches a path's base name; with a `/`
//! inside it matches a path suffix on a component boundary (`.aws/credentials`
//! matches `/root/.aws/credentials`); ending in `/` it matches a directory
//! anywhere in the path (`.ssh/`).

use std::sync::LazyLock;

use super::tsv;

const TABLE: &str = "secret-files.tsv";
const TEXT: &str = include_str!("../../data/secret-files.tsv");

/// Words that mark a file as a template, not a secret (`.env.example`).
const TEMPLATE_WORDS: &[&str] = &["example", "sample", "template", "dist", "tmpl", "defaults"];

/// One pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretFile {
    pub pattern: String,
    /// `private-key`, `credentials`, `env-file`, `token-config`, `cloud-config`, `kubeconfig`.
    pub kind: String,
    pub note: String,
}

impl SecretFile {
    /// Whether this pattern matches `path` (a COPY/ADD source or a file path).
    pub fn matches(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        let components: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        let Some(name) = components.last() else {
            return false;
        };
        if let Some(dir) = self.pattern.strip_suffix('/') {
            let wanted: Vec<&str> = dir.split('/').collect();
            return components
                .windows(wanted.len())
                .any(|w| w.iter().zip(&wanted).all(|(c, p)| glob(p, c)));
        }
        if !self.pattern.contains('/') {
            return glob(&self.pattern, name) && !is_template(name);
        }
        let wanted: Vec<&str> = self.pattern.split('/').collect();
        components.len() >= wanted.len()
            && components[components.len() - wanted.len()..]
                .iter()
                .zip(&wanted)
                .all(|(c, p)| glob(p, c))
            && !is_template(name)
    }

    /// `*.pem` is often a public certificate or CA bundle.
    pub fn low_confidence(&self) -> bool {
        self.pattern == "*.pem"
    }
}

fn is_template(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower
        .split(['.', '-', '_'])
        .any(|word| TEMPLATE_WORDS.contains(&word))
}

/// Glob match of one path component: `*` any run, `?` one character.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

static ROWS: LazyLock<Vec<SecretFile>> = LazyLock::new(|| {
    tsv::records(TABLE, TEXT)
        .into_iter()
        .map(|f| SecretFile {
            pattern: f[0].to_string(),
            kind: f[1].to_string(),
            note: f[2].to_string(),
        })
        .collect()
});

/// Every embedded pattern.
pub fn all() -> &'static [SecretFile] {
    &ROWS
}

/// The first pattern that matches `path`.
pub fn lookup(path: &str) -> Option<&'static SecretFile> {
    lookup_with(&[], path)
}

/// Like [`lookup`], with configured patterns first.
pub fn lookup_with<'a>(extra: &'a [SecretFile], path: &str) -> Option<&'a SecretFile> {
    extra.iter().chain(all().iter()).find(|s| s.matches(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_parses() {
        assert!(all().len() > 70);
        let kinds = [
            "private-key",
            "credentials",
            "env-file",
            "token-config",
            "cloud-config",
            "kubeconfig",
        ];
        for row in all() {
            assert!(kinds.contains(&row.kind.as_str()), "{row:?}");
            assert!(!row.pattern.is_empty());
        }
    }

    #[test]
    fn globs() {
        assert!(glob("*.pem", "server.pem"));
        assert!(glob("ssh_host_*_key", "ssh_host_rsa_key"));
        assert!(!glob("ssh_host_*_key", "ssh_host_rsa_key.pub"));
        assert!(glob("id_rsa", "id_rsa"));
        assert!(!glob("id_rsa", "id_rsa.pub"));
        assert!(glob("a?c", "abc"));
        assert!(glob("*", ""));
    }

    #[test]
    fn lookups() {
        let kind = |p: &str| lookup(p).map(|s| s.kind.as_str());
        assert_eq!(kind("id_rsa"), Some("private-key"));
        assert_eq!(kind("./keys/id_ed25519"), Some("private-key"));
        assert_eq!(kind("certs/server.key"), Some("private-key"));
        assert_eq!(kind(".env"), Some("env-file"));
        assert_eq!(kind(".env.production"), Some("env-file"));
        assert_eq!(kind(".env.example"), None);
        assert_eq!(kind(".env.sample"), None);
        assert_eq!(kind(".npmrc"), Some("token-config"));
        assert_eq!(kind(".pypirc"), Some("token-config"));
        assert_eq!(kind(".git-credentials"), Some("credentials"));
        assert_eq!(kind(".aws"), Some("cloud-config"));
        assert_eq!(kind(".aws/"), Some("cloud-config"));
        assert_eq!(kind("/root/.aws/credentials"), Some("cloud-config"));
        assert_eq!(kind("home/.ssh/config"), Some("private-key"));
        assert_eq!(kind("kubeconfig"), Some("kubeconfig"));
        assert_eq!(kind("id_rsa.pub"), None);
        assert_eq!(kind("package.json"), None);
        assert_eq!(kind("src/"), None);
        assert_eq!(kind("."), None);
        assert!(lookup("ca.pem").unwrap().low_confidence());
    }

    #[test]
    fn extra_patterns() {
        let extra = [SecretFile {
            pattern: "*.secret".into(),
            kind: "credentials".into(),
            note: String::new(),
        }];
        assert!(lookup_with(&extra, "db.secret").is_some());
        assert!(lookup("db.secret").is_none());
    }
}
