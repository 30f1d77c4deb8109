//! `.dockstage.toml`: discovery, `--config`, overrides, errors with spans, and
//! configuration reaching the findings through `lint::analyze`. Real files on disk.

use dockstage::config::{Config, ConfigCache, ConfigError};
use dockstage::diagnostic::Severity;
use dockstage::lint::analyze;
use std::fs;
use std::path::{Path, PathBuf};

macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../fixtures/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

fn write(root: &Path, relative: &str, text: &str) -> PathBuf {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

const UNUSED: &str =
    "FROM alpine:3.20 AS unused\nFROM alpine:3.20 AS tools\nFROM alpine:3.20\nUSER app\n";

fn rules_of(config: &Config, file: &Path, source: &str) -> Vec<(String, Severity)> {
    let options = config.lint_options_for(file);
    analyze(source.as_bytes(), &options)
        .diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.severity))
        .collect()
}

fn config_error(text: &str) -> ConfigError {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), ".dockstage.toml", text);
    Config::load(&path).expect_err("an invalid configuration")
}

#[test]
fn discovery_walks_up_to_the_nearest_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let top = write(root, ".dockstage.toml", "ignore = [\"unused-stage\"]\n");
    let nested = write(
        root,
        "svc/.dockstage.toml",
        "severity = { unused-stage = \"error\" }\n",
    );
    let a = write(root, "a/b/c/Dockerfile", UNUSED);
    let b = write(root, "svc/deep/Dockerfile", UNUSED);
    let cache = ConfigCache::new(None);
    let config_a = cache.for_file(&a).unwrap();
    assert_eq!(config_a.path.as_deref(), Some(top.as_path()));
    assert!(rules_of(&config_a, &a, UNUSED).is_empty());
    let config_b = cache.for_file(&b).unwrap();
    assert_eq!(config_b.path.as_deref(), Some(nested.as_path()));
    assert_eq!(
        rules_of(&config_b, &b, UNUSED),
        vec![
            ("unused-stage".to_string(), Severity::Error),
            ("unused-stage".to_string(), Severity::Error)
        ]
    );
    // Cached: the same configuration object for a sibling, even after the file is gone.
    fs::remove_file(&top).unwrap();
    let again = cache.for_file(&root.join("a/Dockerfile")).unwrap();
    assert!(std::sync::Arc::ptr_eq(&again, &config_a));
    // A fresh cache sees no file above `a/`, so the defaults (unless a
    // `.dockstage.toml` exists above the temporary directory, which tests do not create).
    let fresh = ConfigCache::new(None).for_file(&a).unwrap();
    assert_ne!(fresh.path.as_deref(), Some(top.as_path()));
}

#[test]
fn relative_paths_and_dot_dot_are_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = write(root, ".dockstage.toml", "ignore = [\"DS005\"]\n");
    write(root, "x/Dockerfile", UNUSED);
    let cache = ConfigCache::new(None);
    let found = cache.for_file(&root.join("x/../x/./Dockerfile")).unwrap();
    assert_eq!(found.path.as_deref(), Some(config.as_path()));
    // Codes become names.
    assert_eq!(found.selection.ignore, vec!["unused-stage".to_string()]);
}

#[test]
fn explicit_config_wins_over_discovery() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "project/.dockstage.toml",
        "ignore = [\"unused-stage\"]\n",
    );
    let explicit = write(
        root,
        "elsewhere/strict.toml",
        "severity = { unused-stage = \"info\" }\n",
    );
    let file = write(root, "project/Dockerfile", UNUSED);
    let cache = ConfigCache::new(Some(&explicit));
    let config = cache.for_file(&file).unwrap();
    assert_eq!(config.path.as_deref(), Some(explicit.as_path()));
    assert_eq!(
        rules_of(&config, &file, UNUSED),
        vec![
            ("unused-stage".to_string(), Severity::Info),
            ("unused-stage".to_string(), Severity::Info)
        ]
    );
}

#[test]
fn a_missing_explicit_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cache = ConfigCache::new(Some(&dir.path().join("nope.toml")));
    let err = cache.for_dir(dir.path()).unwrap_err();
    assert!(
        err.message().starts_with("cannot read"),
        "{}",
        err.message()
    );
    assert_eq!(err.span(), None);
}

#[test]
fn overrides_apply_by_path_relative_to_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let path = write(
        root,
        ".dockstage.toml",
        r#"
ignore = ["unused-stage"]

[[overrides]]
files = ["services/*/Dockerfile"]
select = ["unused-stage"]
severity = { unused-stage = "error" }

[[overrides]]
files = ["*.dev.Dockerfile"]
targets = ["unused"]
select = ["all"]
"#,
    );
    let config = Config::load(&path).unwrap();
    let service = root.join("services/api/Dockerfile");
    let nested = root.join("services/api/v2/Dockerfile");
    let dev = root.join("deep/er/api.dev.Dockerfile");
    // Not matched: the top-level ignore.
    assert!(rules_of(&config, &root.join("Dockerfile"), UNUSED).is_empty());
    assert!(rules_of(&config, &nested, UNUSED).is_empty());
    // Matched: selected again, as errors.
    assert_eq!(
        rules_of(&config, &service, UNUSED),
        vec![
            ("unused-stage".to_string(), Severity::Error),
            ("unused-stage".to_string(), Severity::Error)
        ]
    );
    // `targets`: the `unused` stage is built on its own; `tools` still is not.
    let found = rules_of(&config, &dev, UNUSED);
    assert_eq!(found, vec![("unused-stage".to_string(), Severity::Warning)]);
    let analysis = analyze(UNUSED.as_bytes(), &config.lint_options_for(&dev));
    assert!(analysis.diagnostics[0].message.contains("`tools`"));
}

#[test]
fn extra_targets_keep_their_dependencies_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        ".dockstage.toml",
        "targets = [\"SMOKE\", \"not-in-this-file\"]\n",
    );
    let config = Config::load(&path).unwrap();
    let source =
        "FROM alpine:3.20 AS deps\nFROM deps AS smoke\nFROM alpine:3.20 AS lonely\nFROM alpine:3.20\nUSER app\n";
    let found = rules_of(&config, &dir.path().join("Dockerfile"), source);
    assert_eq!(found, vec![("unused-stage".to_string(), Severity::Warning)]);
    let no_config = rules_of(&Config::default(), &dir.path().join("Dockerfile"), source);
    assert_eq!(no_config.len(), 3);
}

#[test]
fn per_rule_severity_reaches_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        ".dockstage.toml",
        "[severity]\nDS005 = \"style\"\n",
    );
    let config = Config::load(&path).unwrap();
    let options = config.lint_options_for(&dir.path().join("Dockerfile"));
    let analysis = analyze(
        b"FROM alpine:3.20 AS a\nFROM alpine:3.20\nUSER app\n",
        &options,
    );
    assert_eq!(analysis.diagnostics.len(), 1);
    assert_eq!(analysis.diagnostics[0].rule, "unused-stage");
    assert_eq!(analysis.diagnostics[0].severity, Severity::Style);
}

#[test]
fn warn_unused_ignores_and_fail_level_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        ".dockstage.toml",
        "warn-unused-ignores = true\nfail-level = \"warn\"\n",
    );
    let config = Config::load(&path).unwrap();
    assert_eq!(
        config.fail_level,
        Some(dockstage::diagnostic::FailLevel::Warning)
    );
    let options = config.lint_options_for(&dir.path().join("Dockerfile"));
    assert!(options.warn_unused_ignores);
    let analysis = analyze(
        b"# dockstage ignore=unused-stage\nFROM alpine\nUSER app\n",
        &options,
    );
    assert_eq!(analysis.diagnostics[0].rule, "unused-suppression");
}

#[test]
fn unknown_key_points_at_the_key() {
    let err = config_error(
        "select = [\"all\"]\n\n[[overrides]]\nfiles = [\"a\"]\n  ignroe = [\"DS001\"]\n",
    );
    assert_eq!(err.line_col(), Some((5, 3)), "{}", err.render(false, 100));
    assert!(
        err.message().contains("unknown key `ignroe`"),
        "{}",
        err.message()
    );
    assert!(
        err.help().unwrap().starts_with("did you mean `ignore`?"),
        "{:?}",
        err.help()
    );
    snapshot!("config__unknown-key", render(&err));
}

#[test]
fn unknown_top_level_key() {
    let err = config_error("fail_level = \"error\"\n");
    assert_eq!(err.line_col(), Some((1, 1)));
    assert!(
        err.help()
            .unwrap()
            .starts_with("did you mean `fail-level`?"),
        "{:?}",
        err.help()
    );
}

#[test]
fn bad_severity_value() {
    let err = config_error("[severity]\nunused-stage = \"fatal\"\n");
    assert_eq!(err.line_col(), Some((2, 16)));
    assert_eq!(err.message(), "`fatal` is not a severity");
    snapshot!("config__bad-severity", render(&err));
}

#[test]
fn unknown_rule_with_suggestion() {
    let err = config_error("ignore = [\"DS005\", \"unused-stag\"]\n");
    assert_eq!(err.line_col(), Some((1, 20)));
    assert_eq!(err.message(), "unknown rule `unused-stag`");
    assert_eq!(err.help(), Some("did you mean `unused-stage`?"));
    snapshot!("config__unknown-rule", render(&err));
}

#[test]
fn every_problem_is_reported() {
    let err = config_error(
        "select = [\"nope-rule\"]\nfail-level = \"loud\"\n[severity]\nunknown-stag = \"warning\"\n[[images]]\nimage = \"x.io/a:1\"\nuncompressed-bytes = \"3 parsecs\"\n",
    );
    let all: Vec<_> = std::iter::once(&err)
        .chain(err.related())
        .map(|e| (e.line_col().unwrap().0, e.message().to_string()))
        .collect();
    assert_eq!(
        all,
        vec![
            (1, "unknown rule `nope-rule`".to_string()),
            (2, "`loud` is not a fail level".to_string()),
            (4, "unknown rule `unknown-stag`".to_string()),
            (
                6,
                "`image` is a repository without tag or digest".to_string()
            ),
        ]
    );
    snapshot!(
        "config__every-problem",
        err.short()
            .replace(&err.path().display().to_string(), ".dockstage.toml")
    );
}

#[test]
fn wrong_types_are_errors_with_spans() {
    let err = config_error("warn-unused-ignores = \"yes\"\n");
    assert_eq!(err.line_col(), Some((1, 23)));
    let err = config_error(
        "[[build-tools]]\nname = \"bazel\"\nmatch = \"binary\"\nkind = \"build-system\"\n",
    );
    assert_eq!(err.line_col().map(|(l, _)| l), Some(3));
    assert!(
        err.message().contains("unknown variant `binary`"),
        "{}",
        err.message()
    );
    let err = config_error("[rules.unused-stage]\nfoo = 1\n");
    assert_eq!(
        err.message(),
        "unknown option `foo` for rule `unused-stage`"
    );
    assert_eq!(err.line_col(), Some((2, 1)));
    let err = config_error("[rules.unusd-stage]\n");
    assert_eq!(err.help(), Some("did you mean `unused-stage`?"));
    let err = config_error("[[overrides]]\nfiles = [\"a/[\"]\n");
    assert!(
        err.message().starts_with("invalid glob"),
        "{}",
        err.message()
    );
    let err = config_error("trusted-registries = [\"https://registry.example.com\"]\n");
    assert_eq!(err.line_col(), Some((1, 23)));
    let err = config_error("label-schema = { maintainer = \"colour\" }\n");
    assert_eq!(err.line_col(), Some((1, 31)));
    let err = config_error("secret-variables = [\"(unclosed\"]\n");
    assert_eq!(err.line_col(), Some((1, 21)));
    let err = config_error("select = [\n");
    assert!(
        err.message().starts_with("invalid configuration"),
        "{}",
        err.message()
    );
}

#[test]
fn knowledge_extensions_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        ".dockstage.toml",
        r#"
trusted-registries = ["registry.example.com", "my-org"]
secret-files = ["*.p12", ".vault/"]
secret-variables = ["^ACME_.*_SEED$"]

[[build-tools]]
name = "bazel"
match = "command"
kind = "build-system"
typical-bytes = "250 MB"

[[build-tools]]
name = "libfoo-dev"
match = "package"
kind = "headers"
managers = ["apt"]

[[images]]
image = "docker.io/library/python"
tag = "3.12-custom"
uncompressed-bytes = 182000000
compressed-bytes = "61 MiB"
os-family = "debian"
libc = "glibc"
variant = "slim"
package-manager = "apt"
has-shell = true
default-user = "app/1000"
is-sdk = false
"#,
    );
    let config = Config::load(&path).unwrap();
    let s = &config.settings;
    use dockstage::model::image_ref;
    use dockstage::rules::settings::{Libc, ToolKind, ToolManager, ToolMatch};
    assert_eq!(s.build_tools.len(), 2);
    assert_eq!(s.build_tools[0].matches, ToolMatch::Command);
    assert_eq!(s.build_tools[0].kind, ToolKind::BuildSystem);
    assert_eq!(s.build_tools[0].typical_bytes, Some(250_000_000));
    assert!(s.build_tools[1].for_manager(ToolManager::Apt));
    assert!(!s.build_tools[1].for_manager(ToolManager::Apk));
    assert!(s.is_trusted(&image_ref::parse("registry.example.com/x/y:1").unwrap()));
    assert!(s.is_trusted(&image_ref::parse("my-org/app").unwrap()));
    assert!(!s.is_trusted(&image_ref::parse("other/app").unwrap()));
    assert!(s.secret_files[0].matches("certs/client.p12"));
    assert!(s.secret_files[1].matches("/home/app/.vault/token"));
    assert!(s.secret_variables[0].matches("acme_api_seed"));
    let image = s.image("python", "3.12-custom").unwrap();
    assert_eq!(image.uncompressed_bytes, 182_000_000);
    assert_eq!(image.compressed_bytes, Some(61 * 1024 * 1024));
    assert_eq!(image.libc, Some(Libc::Glibc));
    assert_eq!(image.default_user.as_deref(), Some("app/1000"));
    // The same rows in the knowledge tables' types, for their `*_with` lookups.
    use dockstage::knowledge::{base_images, build_tools};
    let tool = build_tools::command_with(&s.rows.build_tools, "bazel").unwrap();
    assert_eq!(tool.kind, "build-system");
    assert!(build_tools::package_with(&s.rows.build_tools, "apt", "libfoo-dev").is_some());
    let row = base_images::lookup_tag(&s.rows.base_images, "python", "3.12-custom").unwrap();
    assert!(row.is_exact());
    assert!(s.rows.secret_files[0].matches("certs/client.p12"));
    assert!(s.rows.secret_variables[0].matches("ACME_X_SEED"));
}

#[test]
fn the_documented_example_is_valid() {
    let doc = include_str!("../docs/configuration.md");
    let start = doc.find("```toml\n").unwrap() + "```toml\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), ".dockstage.toml", &doc[start..end]);
    if let Err(err) = Config::load(&path) {
        panic!("{}", err.render(false, 100));
    }
}

/// The rendered report, with the temporary path replaced.
fn render(err: &ConfigError) -> String {
    err.render(false, 80)
        .replace(&err.path().display().to_string(), ".dockstage.toml")
}

fn dockstage(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("dockstage runs")
}

#[test]
fn check_reports_a_broken_config_once_and_lints_the_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "good/.dockstage.toml",
        "severity = { unused-stage = \"error\" }\n",
    );
    write(root, "good/Dockerfile", UNUSED);
    write(
        root,
        "bad/.dockstage.toml",
        "[severity]\nunused-stage = \"fatal\"\n",
    );
    write(root, "bad/Dockerfile", UNUSED);
    write(root, "bad/sub/Dockerfile", UNUSED);
    let out = dockstage(root, &["check", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("is not a severity").count(), 1, "{stderr}");
    assert!(stderr.contains("unused-stage = \"fatal\""), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    assert!(text.contains("good/Dockerfile"), "{text}");
    assert!(!text.contains("bad/Dockerfile\""), "{text}");
    assert!(text.contains("\"error\""), "{text}");
}

#[test]
fn check_takes_config_flags_and_fail_level_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".dockstage.toml", "fail-level = \"error\"\n");
    write(
        root,
        "other.toml",
        "ignore = [\"unused-stage\"]\nfail-level = \"none\"\n",
    );
    write(root, "Dockerfile", UNUSED);
    // Warnings below the configured fail level: exit 0.
    assert_eq!(
        dockstage(root, &["check", "Dockerfile"]).status.code(),
        Some(0)
    );
    // The CLI's fail level wins.
    let out = dockstage(root, &["check", "--fail-level", "warning", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(1));
    // `--config` replaces discovery; `--select` on the CLI re-selects an ignored rule.
    let out = dockstage(
        root,
        &[
            "check",
            "--config",
            "other.toml",
            "--format",
            "json",
            "Dockerfile",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("unused-stage"));
    let out = dockstage(
        root,
        &[
            "check",
            "--config",
            "other.toml",
            "--select",
            "unused-stage",
            "--fail-level",
            "warning",
            "Dockerfile",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = dockstage(root, &["check", "--config", "missing.toml", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}
