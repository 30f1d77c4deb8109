//! BuildKit's `check` options, as in `# check=skip=JSONArgsRecommended;error=true`:
//! up to three `key=value` parts separated by `;`, keys `skip`, `experimental` and
//! `error`; `skip` and `experimental` take `all` or a comma list of check names.
//! Everything after the first space is ignored, as BuildKit does.

use crate::diagnostic::Span;
use crate::syntax::Dockerfile;

/// The parsed options of one `check=` directive or comment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    /// `error=true`: the build fails on any check's warning.
    pub error: bool,
}

/// Parses the value after `check=`; `Err` says what BuildKit rejects (a build with
/// such a directive fails).
pub fn parse(value: &str) -> Result<CheckOptions, String> {
    let value = value.split(' ').next().unwrap_or("").trim();
    let mut options = CheckOptions::default();
    if value.is_empty() {
        return Ok(options);
    }
    for part in value.splitn(3, ';') {
        let Some((key, list)) = part.split_once('=') else {
            return Err(format!(
                "invalid check option `{part}`: expected `key=value`"
            ));
        };
        let list = list.trim();
        match key.trim() {
            "skip" => names(list, &mut options.skip_all, &mut options.skip),
            "experimental" => names(
                list,
                &mut options.experimental_all,
                &mut options.experimental,
            ),
            "error" => {
                options.error = parse_bool(list).ok_or_else(|| {
                    format!("invalid check option `{part}`: `{list}` is not a boolean")
                })?;
            }
            other => {
                return Err(format!(
                    "invalid check option `{other}`: expected `skip`, `experimental` or `error`"
                ))
            }
        }
    }
    Ok(options)
}

fn names(list: &str, all: &mut bool, out: &mut Vec<String>) {
    if list == "all" {
        *all = true;
    } else {
        *out = list.split(',').map(|n| n.trim().to_string()).collect();
    }
}

/// Go's `strconv.ParseBool`, which BuildKit uses.
fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// A `# check=` option BuildKit rejects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub span: Span,
    pub reason: String,
    /// The file's `# check=` directive: BuildKit fails the build. A comment above an
    /// instruction is ignored instead.
    pub fails_build: bool,
}

/// Every `# check=` directive or comment of `file` that BuildKit rejects.
pub fn rejected_check_options(file: &Dockerfile) -> Vec<Rejected> {
    let mut out = Vec::new();
    if let Some(check) = file.directive("check") {
        if let Err(reason) = parse(&check.value) {
            out.push(Rejected {
                span: check.value_span,
                reason,
                fails_build: true,
            });
        }
    }
    for comment in &file.comments {
        let Some(value) = comment_value(file.text(comment.text_span)) else {
            continue;
        };
        if let Err(reason) = parse(value) {
            out.push(Rejected {
                span: comment.text_span,
                reason,
                fails_build: false,
            });
        }
    }
    out
}

/// The value of a comment written like a directive, `check = skip=A` (BuildKit reads
/// such a comment above an instruction as options for that instruction).
pub fn comment_value(comment: &str) -> Option<&str> {
    let (name, value) = comment.split_once('=')?;
    name.trim()
        .eq_ignore_ascii_case("check")
        .then(|| value.trim())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_buildkit_syntax() {
        let options = parse("skip=StageNameCasing,FromAsCasing;error=true").unwrap();
        assert_eq!(options.skip, ["StageNameCasing", "FromAsCasing"]);
        assert!(options.error && !options.skip_all);
        assert!(parse("skip=all").unwrap().skip_all);
        assert!(parse("experimental=all;error=1").unwrap().experimental_all);
        assert!(!parse("error=False").unwrap().error);
        assert_eq!(parse("").unwrap(), CheckOptions::default());
        // After a space, nothing counts.
        assert!(parse("error=true trailing=words").unwrap().error);
        assert_eq!(parse("skip=A, B").unwrap().skip, ["A", ""]);
    }

    #[test]
    fn rejects_what_buildkit_rejects() {
        assert!(parse("skip").is_err());
        assert!(parse("error=yes").is_err());
        assert!(parse("ignore=StageNameCasing").is_err());
    }

    #[test]
    fn reports_rejected_directives_and_comments() {
        let file = crate::syntax::parse(
            "# check=skip\nFROM alpine\n# check=error=maybe\nRUN true\n# check=skip=A\nRUN true\n",
        );
        let found = rejected_check_options(&file);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].fails_build && !found[1].fails_build);
        assert_eq!(file.text(found[0].span), "skip");
        assert_eq!(file.text(found[1].span), "check=error=maybe");
    }

    #[test]
    fn reads_directive_shaped_comments() {
        assert_eq!(comment_value("check=skip=A"), Some("skip=A"));
        assert_eq!(comment_value("CHECK = skip=A"), Some("skip=A"));
        assert_eq!(comment_value("checks=skip=A"), None);
        assert_eq!(comment_value("dockstage ignore=x"), None);
    }
}
