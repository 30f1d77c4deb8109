//! Whether a value or a file's text holds a secret, judged by its shape: known
//! token prefixes, PEM private-key headers, `user:password@` in URLs, long
//! random-looking strings; and what plainly is not one (versions, booleans,
//! file names, references, key fingerprints, addresses without credentials).

use super::secret_variables;

/// Token prefixes of well-known services, each with how many characters at
/// least follow it.
const TOKEN_PREFIXES: &[(&str, usize)] = &[
    ("ghp_", 30),
    ("gho_", 30),
    ("ghu_", 30),
    ("ghs_", 30),
    ("ghr_", 30),
    ("github_pat_", 40),
    ("glpat-", 20),
    ("xoxb-", 20),
    ("xoxp-", 20),
    ("xoxa-", 20),
    ("xoxs-", 20),
    ("xoxr-", 20),
    ("sk_live_", 20),
    ("rk_live_", 20),
    ("AKIA", 16),
    ("ASIA", 16),
    ("AIza", 35),
    ("npm_", 36),
    ("pypi-", 50),
    ("SG.", 40),
];

/// Why `value` is a secret by its shape, if it is one.
pub fn secret_shape(value: &str) -> Option<&'static str> {
    let value = unquote(value);
    if value.contains("PRIVATE KEY-----") || value.contains("PRIVATE KEY BLOCK-----") {
        return Some("a private key");
    }
    if has_token_prefix(value) {
        return Some("a token of a known service");
    }
    if url_with_password(value) {
        return Some("a URL with a password");
    }
    if looks_random(value) {
        return Some("a long random-looking value");
    }
    None
}

/// Whether `value`, given to a variable called `name`, is plainly not a secret:
/// a boolean, number or version, a file name or path, a reference to another
/// variable, an address without credentials, a key fingerprint under a
/// GPG-ish name, or an identifier under a name whose only secret word is `KEY`
/// (`Filters__0__Key=ProcessId`: a dictionary key).
pub fn plainly_not_secret(name: &str, value: &str) -> bool {
    let value = unquote(value);
    if value.is_empty() {
        return true;
    }
    if secret_shape(value).is_some() {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let upper_name = name.to_ascii_uppercase();
    let is_boolean = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled" | "none" | "null"
    );
    let is_version = lower
        .trim_start_matches('v')
        .starts_with(|c: char| c.is_ascii_digit())
        && lower
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | '_' | 'v'))
        || (lower.chars().all(|c| c.is_ascii_digit() || c == '.') && !lower.is_empty());
    let is_path =
        value.starts_with(['/', '~']) || value.starts_with("./") || value.starts_with("../");
    let is_file_name = !value.contains(char::is_whitespace)
        && value.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && matches!(
                    ext.to_ascii_lowercase().as_str(),
                    "txt"
                        | "json"
                        | "yaml"
                        | "yml"
                        | "pem"
                        | "key"
                        | "crt"
                        | "cer"
                        | "conf"
                        | "cfg"
                        | "ini"
                        | "env"
                        | "p12"
                        | "pfx"
                        | "jks"
                        | "asc"
                        | "gpg"
                        | "pub"
                        | "xml"
                        | "toml"
                        | "properties"
                )
        });
    let is_address = !value.contains('@') && is_host_port(value);
    let is_plain_url = value.contains("://") && !url_with_password(value);
    let gpg_name = [
        "GPG",
        "PGP",
        "FINGERPRINT",
        "KEYID",
        "KEY_ID",
        "SIGNING_KEYS",
    ]
    .iter()
    .any(|w| upper_name.contains(w));
    let is_fingerprint = gpg_name
        && value
            .split_whitespace()
            .all(|part| part.len() >= 8 && part.chars().all(|c| c.is_ascii_hexdigit()));
    let key_name_only = upper_name.ends_with("KEY")
        && ![
            "PASSWORD", "PASSWD", "SECRET", "TOKEN", "PRIVATE", "API", "ACCESS", "CSRF", "SESSION",
        ]
        .iter()
        .any(|w| upper_name.contains(w));
    let is_identifier = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && value.starts_with(|c: char| c.is_ascii_uppercase())
        && value.chars().skip(1).any(|c| c.is_ascii_uppercase());
    is_boolean
        || is_version
        || is_path
        || is_file_name
        || is_address
        || is_plain_url
        || is_fingerprint
        || (key_name_only && is_identifier)
}

/// Why a file's text holds a secret, if it does: key material, a token, a
/// password in a URL, registry auths, or a `NAME=value` (or `name = value`,
/// `name: value`) whose name looks like a secret and whose value is not plainly
/// something else.
pub fn secret_in_text(text: &str) -> Option<String> {
    if text.contains("PRIVATE KEY-----") || text.contains("PRIVATE KEY BLOCK-----") {
        return Some("a private key".to_string());
    }
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with(['#', ';']) {
            continue;
        }
        for word in line.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '=')) {
            if has_token_prefix(word) {
                return Some("a token of a known service".to_string());
            }
            if url_with_password(word) {
                return Some("a URL with a password".to_string());
            }
        }
        // Docker CLI `config.json`: `"auth": "..."`, `"identitytoken": "..."`.
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        if [
            "\"auth\":\"",
            "\"identitytoken\":\"",
            "\"registrytoken\":\"",
        ]
        .iter()
        .any(|key| compact.contains(key) && !compact.contains(&format!("{key}\"")))
        {
            return Some("registry credentials".to_string());
        }
        let Some((name, value)) = assignment(line) else {
            continue;
        };
        // `.npmrc`: `//registry/:_authToken=...`.
        let name = name
            .rsplit(':')
            .next()
            .unwrap_or(name)
            .trim_start_matches('_');
        // Docker's and git's credential helpers are programs, not credentials.
        let helper = ["credsStore", "credHelpers", "credentialHelper", "helper"]
            .iter()
            .any(|h| name.eq_ignore_ascii_case(h));
        if !helper
            && secret_variables::lookup(&name.replace(['-', '.'], "_")).is_some()
            && !plainly_not_secret(name, value)
        {
            return Some(format!("a value for `{name}`"));
        }
    }
    None
}

fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.strip_prefix("export ").unwrap_or(line);
    let at = line.find(['=', ':'])?;
    let (name, value) = (line[..at].trim(), line[at + 1..].trim());
    let name = name.trim_matches(['"', '\'']);
    let value = value.trim_end_matches(',').trim();
    (!name.is_empty() && !name.contains(char::is_whitespace)).then_some((name, value))
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches(['"', '\''])
}

fn has_token_prefix(word: &str) -> bool {
    let word = unquote(word);
    TOKEN_PREFIXES.iter().any(|(prefix, rest)| {
        word.strip_prefix(prefix).is_some_and(|tail| {
            tail.len() >= *rest
                && tail
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        })
    })
}

/// `scheme://user:password@host`, the password written out (not `$VAR`).
fn url_with_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let Some((credentials, _)) = authority.rsplit_once('@') else {
        return false;
    };
    credentials
        .split_once(':')
        .is_some_and(|(_, password)| !password.is_empty() && !password.starts_with('$'))
}

/// `host:port`, `host:port/service`.
fn is_host_port(value: &str) -> bool {
    let head = value.split('/').next().unwrap_or(value);
    head.rsplit_once(':').is_some_and(|(host, port)| {
        !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
            && !port.is_empty()
            && port.chars().all(|c| c.is_ascii_digit())
    })
}

/// At least 20 characters of letters, digits and base64 punctuation, mixing
/// classes, with high per-character entropy (`4xT9...`), and not a word list.
fn looks_random(value: &str) -> bool {
    if value.len() < 20 || value.contains(char::is_whitespace) || value.contains("://") {
        return false;
    }
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-' | '.'))
    {
        return false;
    }
    let digits = value.chars().any(|c| c.is_ascii_digit());
    let letters = value.chars().any(|c| c.is_ascii_alphabetic());
    if !(digits && letters) {
        return false;
    }
    // A hex digest or fingerprint is an identifier more often than a secret.
    if value.chars().all(|c| c.is_ascii_hexdigit()) {
        return false;
    }
    entropy(value) >= 3.5
}

/// Shannon entropy in bits per character.
fn entropy(value: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for c in value.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let len = value.chars().count() as f64;
    counts
        .values()
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_shapes() {
        assert!(secret_shape("ghp_0123456789abcdefghijABCDEFGHIJ0123").is_some());
        assert!(secret_shape("glpat-aB3dE5gH7jK9mN1pQ3sT").is_some());
        assert!(secret_shape("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(secret_shape("postgres://app:s3cret@db:5432/app").is_some());
        assert!(secret_shape("-----BEGIN RSA PRIVATE KEY-----").is_some());
        assert!(secret_shape("Zq8r4Lw2Xv9Tn3Kb7Hs1Jd5Fg0Pm6Cy").is_some());
        assert!(secret_shape("postgres://db:5432/app").is_none());
        assert!(secret_shape("password").is_none());
        assert!(secret_shape("63AF7AA15067C05616FDDD88A3A2E8F226F0BC06").is_none());
    }

    #[test]
    fn values_that_are_plainly_something_else() {
        for (name, value) in [
            ("DefaultProcess__Filters__0__Key", "ProcessId"),
            ("USE_GKE_GCLOUD_AUTH_PLUGIN", "True"),
            ("SECRETFILE", "secret1.txt"),
            ("TOKEN_VERSION", "1.2.3"),
            ("DB_PASSWORD", "/run/secrets/db"),
            (
                "JENKINS_GPG_KEY",
                "5E386EADB55F01504CAE8BCF7198F4B714ABFC68",
            ),
            ("ORACLE_CONNECTION_STRING", "db.internal:1521/ORCLPDB1"),
        ] {
            assert!(plainly_not_secret(name, value), "{name}={value}");
        }
        for (name, value) in [
            ("MYSQL_PASSWORD", "password"),
            ("sa_password", "D0cker!a8s"),
            ("CHROMA_CSRF_KEY", "testtest"),
            ("APP_KEY", "base64:Zq8r4Lw2Xv9Tn3Kb7Hs1Jd5Fg0Pm6Cy="),
            ("SESSION_SECRET", "ProcessId"),
        ] {
            assert!(!plainly_not_secret(name, value), "{name}={value}");
        }
    }

    #[test]
    fn secrets_in_file_text() {
        assert!(secret_in_text("[global]\ntarget = /opt/python\n").is_none());
        assert!(secret_in_text("[global]\nindex-url = https://pypi.example/simple\n").is_none());
        assert!(
            secret_in_text("[global]\nindex-url = https://ci:hunter2@pypi.example/simple\n")
                .is_some()
        );
        assert!(secret_in_text("{\n  \"credsStore\": \"desktop\"\n}\n").is_none());
        assert!(
            secret_in_text("{\"auths\": {\"r.example\": {\"auth\": \"dXNlcjpwYXNz\"}}}").is_some()
        );
        assert!(secret_in_text("Host *\n  ConnectTimeout 10\n").is_none());
        assert!(secret_in_text("VERSION=1.4\nINSTALL_ZSH=true\n").is_none());
        assert!(secret_in_text("DB_PASSWORD=changeme\n").is_some());
        assert!(secret_in_text(
            "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n"
        )
        .is_some());
        assert!(secret_in_text("registry=https://registry.npmjs.org/\n").is_none());
        assert!(secret_in_text("-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF\n").is_none());
        assert!(secret_in_text("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n").is_some());
    }
}
