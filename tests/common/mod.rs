//! Helpers shared by the rule tests: running the pipeline, applying fixes, rendering findings.

#![allow(dead_code)]

use dockstage::diagnostic::Applicability;
use dockstage::lint::{analyze, analyze_path, Analysis, LintOptions};

/// Lints a Dockerfile the way the rule tests do: every rule, unused suppressions reported.
pub fn lint(source: &str) -> Analysis {
    let options = LintOptions {
        warn_unused_ignores: true,
        ..Default::default()
    };
    analyze(source.as_bytes(), &options)
}

/// Like [`lint`], building `target`.
pub fn lint_for_target(source: &str, target: Option<&str>) -> Analysis {
    lint_as(source, None, target)
}

/// Like [`lint`], as the file at `path` (rules may read its name), building `target`.
pub fn lint_as(source: &str, path: Option<&str>, target: Option<&str>) -> Analysis {
    let options = LintOptions {
        warn_unused_ignores: true,
        target: target.map(str::to_string),
        ..Default::default()
    };
    analyze_path(path, source.as_bytes(), &options)
}

/// The ```` ```dockerignore ```` block of a rule page: the build context's ignore file
/// its examples are checked with.
pub fn page_dockerignore(page: &str) -> Option<&str> {
    let start = page.find("```dockerignore\n")? + "```dockerignore\n".len();
    let end = page[start..].find("```")? + start;
    Some(&page[start..end])
}

/// The ```` ```toml config ```` block of a rule page: the `.dockstage.toml` its examples
/// are checked with.
pub fn page_config(page: &str) -> Option<&str> {
    let start = page.find("```toml config\n")? + "```toml config\n".len();
    let end = page[start..].find("```")? + start;
    Some(&page[start..end])
}

/// Like [`lint`], with the settings and selection of configuration `toml`.
pub fn lint_with_config(source: &str, toml: &str) -> Analysis {
    let config = dockstage::config::Config::parse(toml, std::path::Path::new(".dockstage.toml"))
        .expect("the page's configuration is valid");
    let options = LintOptions {
        warn_unused_ignores: true,
        selection: config.selection.clone(),
        settings: config.settings.clone(),
        ..Default::default()
    };
    analyze(source.as_bytes(), &options)
}

/// Like [`lint_as`] with `options`, as `Dockerfile` in a build context whose
/// `.dockerignore` is `ignore`.
pub fn lint_in_context(source: &str, ignore: &str, options: &LintOptions) -> Analysis {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(".dockerignore"), ignore).expect("write .dockerignore");
    let path = dir.path().join("Dockerfile");
    analyze_path(path.to_str(), source.as_bytes(), options)
}

#[allow(unused_imports)]
pub use dockstage::fix::apply_fixes;

/// One line per finding (`line:col rule severity [stage role] message`), its labels, help
/// and fix indented below it.
pub fn render(analysis: &Analysis) -> String {
    let source = &analysis.file.source;
    let index = &analysis.file.line_index;
    let position = |offset: usize| {
        let at = index.line_col(source, offset);
        format!("{}:{}", at.line, at.column)
    };
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let stage = match &d.stage {
            Some(stage) => format!(" [{} {}]", stage.display_name(), stage.role.as_str()),
            None => String::new(),
        };
        out.push_str(&format!(
            "{} {} {}{} {}\n",
            position(d.span.start),
            d.rule,
            d.severity,
            stage,
            d.message
        ));
        out.push_str(&format!(
            "    at: {:?}\n",
            &source[d.span.start..d.span.end]
        ));
        for label in &d.labels {
            out.push_str(&format!(
                "    label {} {:?}: {}\n",
                position(label.span.start),
                &source[label.span.start..label.span.end],
                label.message
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("    help: {help}\n"));
        }
        if let Some(fix) = &d.fix {
            let applicability = match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            };
            out.push_str(&format!("    fix ({applicability}): {}\n", fix.message));
            for edit in &fix.edits {
                out.push_str(&format!(
                    "      {}..{} {:?} -> {:?}\n",
                    position(edit.span.start),
                    position(edit.span.end),
                    &source[edit.span.start..edit.span.end],
                    edit.replacement
                ));
            }
        }
    }
    if out.is_empty() {
        out.push_str("(no findings)\n");
    }
    out
}

/// What `--fix` does, building `target`, with unused suppressions reported.
pub fn fix_until_stable(
    source: &str,
    target: Option<&str>,
    allowed: &[Applicability],
) -> (String, usize) {
    let options = LintOptions {
        warn_unused_ignores: true,
        target: target.map(str::to_string),
        ..Default::default()
    };
    dockstage::fix::fix_until_stable(source, &options, allowed)
}
