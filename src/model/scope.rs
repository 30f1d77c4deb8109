//! Which variables are in scope where, by BuildKit's rules: a global ARG (before the
//! first FROM) is visible in FROM lines only, unless a stage re-declares it; ARG and
//! ENV inside a stage are visible after their declaration; both are inherited through
//! `FROM <stage>` (BuildKit passes a parent stage's build args to its children).

use super::vars;
use crate::diagnostic::Span;
use crate::syntax::{Dockerfile, Instruction, Keyword};

/// ARGs BuildKit defines for every build (usable in FROM and, once declared, in stages).
pub const AUTOMATIC_PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Proxy ARGs and others predefined by BuildKit: usable in RUN without declaring them.
pub const PREDEFINED_ARGS: [&str; 9] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
];

/// One `ARG NAME[=default]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgDecl {
    pub name: String,
    pub default: Option<String>,
    pub span: Span,
    pub instruction: usize,
}

/// The ARGs declared before the first FROM, with their defaults expanded in order.
#[derive(Clone, Debug, Default)]
pub struct GlobalArgs {
    pub decls: Vec<ArgDecl>,
    values: Vec<(String, Option<String>)>,
}

impl GlobalArgs {
    pub fn collect(file: &Dockerfile) -> GlobalArgs {
        let mut globals = GlobalArgs::default();
        for (at, instruction) in file.instructions.iter().enumerate() {
            if instruction.keyword == Keyword::From {
                break;
            }
            if instruction.keyword != Keyword::Arg {
                continue;
            }
            for decl in arg_decls(instruction, at) {
                let value = decl.default.as_ref().map(|raw| {
                    let lookup = |name: &str| globals.value(name);
                    vars::expand_word(raw, file.escape, &lookup).value
                });
                globals.values.push((decl.name.clone(), value));
                globals.decls.push(decl);
            }
        }
        globals
    }

    /// The value of a global ARG (the last declaration wins); platform ARGs get the
    /// values of a linux/amd64 build.
    pub fn value(&self, name: &str) -> Option<String> {
        if let Some((_, value)) = self.values.iter().rev().find(|(n, _)| n == name) {
            return value.clone();
        }
        automatic_value(name)
    }

    pub fn is_declared(&self, name: &str) -> bool {
        self.decls.iter().any(|d| d.name == name)
    }

    pub fn expand(&self, text: &str, escape: char) -> vars::Expansion {
        let lookup = |name: &str| self.value(name);
        vars::expand_word(text, escape, &lookup)
    }
}

/// Expands `text` (a `--from` value) with the ARGs a stage has declared before
/// instruction `at`, as BuildKit does: `ARG SRC` takes the global default,
/// `ARG SRC=b` overrides it; a global ARG the stage does not declare is not seen.
pub fn expand_in_stage(
    file: &Dockerfile,
    globals: &GlobalArgs,
    stage_body: std::ops::Range<usize>,
    at: usize,
    text: &str,
) -> vars::Expansion {
    let mut values: Vec<(String, Option<String>)> = Vec::new();
    for index in stage_body.start..at.min(stage_body.end) {
        let instruction = &file.instructions[index];
        if instruction.keyword != Keyword::Arg {
            continue;
        }
        for decl in arg_decls(instruction, index) {
            let value = match &decl.default {
                Some(raw) => {
                    let lookup = |name: &str| last_value(&values, name);
                    Some(vars::expand_word(raw, file.escape, &lookup).value)
                }
                None => globals.value(&decl.name),
            };
            values.push((decl.name, value));
        }
    }
    let lookup = |name: &str| last_value(&values, name);
    vars::expand_word(text, file.escape, &lookup)
}

fn last_value(values: &[(String, Option<String>)], name: &str) -> Option<String> {
    values
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .and_then(|(_, v)| v.clone())
}

fn automatic_value(name: &str) -> Option<String> {
    let value = match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        "BUILDVARIANT" | "TARGETVARIANT" => "",
        _ => return None,
    };
    Some(value.to_string())
}

/// The declarations of one ARG instruction (`ARG A B=2`).
pub fn arg_decls(instruction: &Instruction, at: usize) -> Vec<ArgDecl> {
    instruction
        .args
        .pairs
        .iter()
        .map(|pair| ArgDecl {
            name: pair.key.text.to_string(),
            default: pair.value.as_ref().map(|v| v.text.to_string()),
            span: pair.key.span,
            instruction: at,
        })
        .collect()
}

/// Names ENV sets in one instruction.
pub fn env_names(instruction: &Instruction) -> impl Iterator<Item = &str> {
    instruction
        .args
        .pairs
        .iter()
        .filter(|_| instruction.keyword == Keyword::Env)
        .map(|pair| pair.key.text.as_str())
}
