//! `$VAR` inside a stage where VAR is only a global ARG: visible in FROM lines only.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix, Span};
use crate::model::scope::{
    arg_decls, env_names, ArgDecl, AUTOMATIC_PLATFORM_ARGS, PREDEFINED_ARGS,
};
use crate::model::vars::{self, VarRef};
use crate::model::{Base, Stage};
use crate::rules::{meta, Context, Rule, RuleMeta};
use crate::syntax::{Form, Instruction, Keyword};

pub struct ArgNotInScope;

/// A variable reference with its place in the source.
struct Found {
    name: String,
    span: Span,
    has_fallback: bool,
    /// For RUN: the script (the text of RUN or a heredoc body) and the offset in it.
    script: Option<(String, usize)>,
}

/// Every reference BuildKit (or the RUN shell) would resolve with the stage's build args.
fn references_in(cx: &Context<'_>, instruction: &Instruction) -> Vec<Found> {
    let escape = cx.file.escape;
    let mut found = Vec::new();
    let mut push = |refs: Vec<VarRef>, map: &dyn Fn(Span) -> Span, script: Option<&str>| {
        for r in refs {
            found.push(Found {
                span: map(r.span),
                script: script.map(|text| (text.to_string(), r.span.start)),
                name: r.name,
                has_fallback: r.has_fallback,
            });
        }
    };
    match instruction.keyword {
        Keyword::Run => {
            if instruction.args.form == Form::Shell {
                for word in &instruction.args.words {
                    let refs = vars::shell_references(&word.text);
                    let map = |s: Span| cx.span_in_word(word, s.start, s.end);
                    push(refs, &map, Some(&word.text));
                }
            }
            let script_is_heredoc = instruction
                .args
                .words
                .first()
                .is_some_and(|w| w.text.trim_start().starts_with("<<"));
            for (index, heredoc) in instruction.heredocs.iter().enumerate() {
                // A quoted delimiter keeps the body literal, unless the body is the script.
                let is_script = index == 0 && script_is_heredoc;
                if !heredoc.expand && !is_script {
                    continue;
                }
                let body = cx.text(heredoc.body_span);
                let base = heredoc.body_span.start;
                let map = |s: Span| Span::new(base + s.start, base + s.end);
                push(vars::shell_references(body), &map, Some(body));
            }
        }
        Keyword::Copy | Keyword::Add => {
            for word in &instruction.args.words {
                let refs = vars::references(&word.text, escape);
                push(refs, &|s| cx.span_in_word(word, s.start, s.end), None);
            }
            for flag in &instruction.flags {
                if !matches!(flag.name.as_str(), "chown" | "chmod") {
                    continue;
                }
                let Some(value) = &flag.value else { continue };
                let source = cx.flag_value_span(flag);
                let refs = vars::references(value, escape);
                push(refs, &|s| cx.span_in_text(value, source, s.start, s.end), None);
            }
            for heredoc in instruction.heredocs.iter().filter(|h| h.expand) {
                let body = cx.text(heredoc.body_span);
                let base = heredoc.body_span.start;
                let map = |s: Span| Span::new(base + s.start, base + s.end);
                push(vars::references(body, escape), &map, None);
            }
        }
        Keyword::Env | Keyword::Label | Keyword::Arg => {
            for pair in &instruction.args.pairs {
                if let Some(value) = &pair.value {
                    let refs = vars::references(&value.text, escape);
                    push(refs, &|s| cx.span_in_word(value, s.start, s.end), None);
                }
            }
        }
        Keyword::Workdir | Keyword::User | Keyword::Expose | Keyword::Volume
        | Keyword::Stopsignal => {
            for word in &instruction.args.words {
                let refs = vars::references(&word.text, escape);
                push(refs, &|s| cx.span_in_word(word, s.start, s.end), None);
            }
        }
        // FROM sees global ARGs; CMD, ENTRYPOINT, HEALTHCHECK run in the container, where no
        // build arg exists; ONBUILD triggers run in another build.
        _ => {}
    }
    found
}

/// Whether a shell script assigns `name` (`NAME=...`, `for NAME in`) before `before`.
fn shell_assigns(script: &str, name: &str, before: usize) -> bool {
    let bytes = script.as_bytes();
    let boundary = |at: usize| {
        at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(')
    };
    let limit = before.min(script.len());
    let mut from = 0;
    while let Some(found) = script[from..limit].find(name) {
        let at = from + found;
        let after = at + name.len();
        if boundary(at) && bytes.get(after) == Some(&b'=') {
            return true;
        }
        if boundary(at) && script[..at].trim_end().ends_with("for") {
            return true;
        }
        from = after;
    }
    false
}

/// Per stage: the names its ARGs and ENVs set together with those of the stages it is
/// built on (a stage inherits them). A stage that sets none shares its base's set.
fn names_along_chains(cx: &Context<'_>) -> Vec<Rc<HashSet<String>>> {
    cx.graph.fold_chains(|base: Option<&Rc<HashSet<String>>>, index| {
        let mut own = HashSet::new();
        for (at, instruction) in cx.stage_instructions(&cx.graph.stages[index]) {
            set_names(instruction, at, &mut own);
        }
        match base {
            Some(base) if own.is_empty() => Rc::clone(base),
            Some(base) => {
                own.extend(base.iter().cloned());
                Rc::new(own)
            }
            None => Rc::new(own),
        }
    })
}

fn set_names(instruction: &Instruction, at: usize, names: &mut HashSet<String>) {
    match instruction.keyword {
        Keyword::Arg => names.extend(arg_decls(instruction, at).into_iter().map(|d| d.name)),
        Keyword::Env => names.extend(env_names(instruction).map(str::to_string)),
        _ => {}
    }
}

impl ArgNotInScope {
    fn check_stage(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        inherited: &HashSet<String>,
        globals: &HashMap<&str, &ArgDecl>,
        out: &mut Vec<Diagnostic>,
    ) {
        let mut set = HashSet::new();
        let stage_args: Vec<ArgDecl> = cx
            .stage_instructions(stage)
            .filter(|(_, i)| i.keyword == Keyword::Arg)
            .flat_map(|(at, i)| arg_decls(i, at))
            .collect();
        let later_args = LaterArgs::new(&stage_args);
        let mut reported: HashSet<(usize, String)> = HashSet::new();
        for (at, instruction) in cx.stage_instructions(stage) {
            for found in references_in(cx, instruction) {
                if set.contains(&found.name)
                    || inherited.contains(&found.name)
                    || found.name == "PATH"
                    || PREDEFINED_ARGS.contains(&found.name.as_str())
                {
                    continue;
                }
                let global = globals.get(found.name.as_str()).copied();
                let automatic = AUTOMATIC_PLATFORM_ARGS.contains(&found.name.as_str());
                if global.is_none() && !automatic {
                    // Outside RUN (BuildKit expands these words itself), the rest of
                    // BuildKit's UndefinedVar where the base image cannot be the source.
                    let in_heredoc = instruction
                        .heredocs
                        .iter()
                        .any(|h| h.body_span.start <= found.span.start && found.span.end <= h.body_span.end);
                    if found.script.is_none()
                        && !in_heredoc
                        && reported.insert((at, found.name.clone()))
                    {
                        let later = later_args.after(&found.name, at);
                        let undefined = undefined_variable(cx, stage, &set, later, &found);
                        out.extend(undefined.map(|d| cx.in_stage_of(at, d)));
                    }
                    continue;
                }
                if let Some((script, offset)) = &found.script {
                    if shell_assigns(script, &found.name, *offset) {
                        continue;
                    }
                }
                let later = later_args.after(&found.name, at);
                let diagnostic = self.finding(cx, stage, &found, global, later);
                // One finding per variable and instruction is enough.
                if reported.insert((at, found.name.clone())) {
                    out.push(cx.in_stage_of(at, diagnostic));
                }
            }
            set_names(instruction, at, &mut set);
        }
    }

    fn finding(
        &self,
        cx: &Context<'_>,
        stage: &Stage,
        found: &Found,
        global: Option<&ArgDecl>,
        later: Option<&ArgDecl>,
    ) -> Diagnostic {
        let name = &found.name;
        let written = cx.text(found.span);
        let what = match global {
            Some(decl) => format!(
                "the global ARG `{name}` (line {})",
                cx.file.line_of(decl.span.start)
            ),
            None => format!("the automatic platform ARG `{name}`"),
        };
        let effect = if found.has_fallback {
            format!("`{written}` always acts as if `{name}` were unset")
        } else {
            format!("`{written}` does not see {what}")
        };
        let cause = if found.has_fallback {
            format!("{what} is visible only in FROM lines unless the stage declares `ARG {name}`")
        } else {
            format!("it is visible only in FROM lines unless the stage declares `ARG {name}`")
        };
        let mut diagnostic = self
            .meta()
            .diagnostic(found.span, format!("{effect}: {cause}"));
        if let Some(decl) = global {
            diagnostic =
                diagnostic.with_label(decl.span, "declared here, before the first FROM");
        }
        match later {
            Some(decl) => {
                let line = cx.file.line_of(decl.span.start);
                diagnostic = diagnostic
                    .with_label(decl.span, "declared in this stage only here, after its use")
                    .with_help(format!("move `ARG {name}` (line {line}) above its first use"));
            }
            None => {
                let from = &cx.file.instructions[stage.from_instruction];
                let newline = if cx.file.source[from.span.end..].starts_with("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                let help = if global.is_some() {
                    format!("add `ARG {name}` (without a value, it takes the global default) at the start of the stage")
                } else {
                    format!("add `ARG {name}` at the start of the stage to get the build's value")
                };
                diagnostic = diagnostic
                    .with_help(help)
                    .with_fix(Fix {
                        message: format!("declare `ARG {name}` after the stage's FROM"),
                        edits: vec![Edit {
                            span: Span::empty(from.span.end),
                            replacement: format!("{newline}ARG {name}"),
                        }],
                        applicability: Applicability::Unsafe,
                    });
            }
        }
        diagnostic
    }
}

/// A stage's ARG declarations by name, in file order: the first one after a use, found
/// without scanning them all for every reference.
struct LaterArgs<'a>(HashMap<&'a str, Vec<&'a ArgDecl>>);

impl<'a> LaterArgs<'a> {
    fn new(decls: &'a [ArgDecl]) -> Self {
        let mut by_name: HashMap<&str, Vec<&ArgDecl>> = HashMap::new();
        for decl in decls {
            by_name.entry(decl.name.as_str()).or_default().push(decl);
        }
        LaterArgs(by_name)
    }

    /// The first declaration of `name` in an instruction after `at`.
    fn after(&self, name: &str, at: usize) -> Option<&'a ArgDecl> {
        let decls = self.0.get(name)?;
        let first = decls.partition_point(|d| d.instruction <= at);
        decls.get(first).copied()
    }
}

/// A variable no ARG or ENV defines where it is used, when that is certain: the stage
/// declares it only later, or it is a typo of a name in scope, or the stage is built
/// on `scratch`, which sets no variables. Elsewhere the base image may set it.
fn undefined_variable(
    cx: &Context<'_>,
    stage: &Stage,
    set: &HashSet<String>,
    later: Option<&ArgDecl>,
    found: &Found,
) -> Option<Diagnostic> {
    let name = &found.name;
    let meta = meta("arg-not-in-scope");
    if let Some(decl) = later {
        let line = cx.file.line_of(decl.span.start);
        let effect = if found.has_fallback {
            "so it takes its fallback here"
        } else {
            "so it is empty here"
        };
        return Some(
            meta.diagnostic(
                found.span,
                format!("`{}` is used before `ARG {name}` (line {line}) declares it, {effect}", cx.text(found.span)),
            )
            .with_label(decl.span, "declared only here, after its use")
            .with_help(format!("move `ARG {name}` above its first use")),
        );
    }
    let meant = set
        .iter()
        .map(String::as_str)
        .chain(["PATH"])
        .map(|known| (strsim::damerau_levenshtein(name, known), known))
        // One letter missing, extra or swapped, on a name of four letters or more; one
        // letter replaced is as often a sibling name (`varA`, `varB`).
        .filter(|(distance, known)| {
            *distance == 1 && known.len() >= 4 && (known.len() != name.len() || same_letters(name, known))
        })
        .min()
        .map(|(_, known)| known);
    if let Some(meant) = meant {
        return Some(
            meta.diagnostic(
                found.span,
                format!("`{}` is not defined here, `{meant}` is: a misspelt name expands to nothing", cx.text(found.span)),
            )
            .with_help(format!("did you mean `{meant}`?")),
        );
    }
    if matches!(cx.graph.root_base(stage.index), Base::Scratch) && name != "PATH" {
        return Some(
            meta.diagnostic(
                found.span,
                format!("`{}` is not defined: no ARG or ENV sets it in this stage, and a stage built on `scratch` inherits no variables", cx.text(found.span)),
            )
            .with_help(format!("declare `ARG {name}` or `ENV {name}=...` before its use")),
        );
    }
    None
}

/// Whether two names hold the same letters (one is the other with two swapped).
fn same_letters(a: &str, b: &str) -> bool {
    let mut a: Vec<char> = a.chars().collect();
    let mut b: Vec<char> = b.chars().collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

impl Rule for ArgNotInScope {
    fn meta(&self) -> &'static RuleMeta {
        meta("arg-not-in-scope")
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let start = out.len();
        let chains = names_along_chains(cx);
        let empty = HashSet::new();
        // The last declaration of each global ARG wins, as in BuildKit.
        let globals: HashMap<&str, &ArgDecl> =
            cx.graph.global_args.iter().map(|d| (d.name.as_str(), d)).collect();
        for stage in &cx.graph.stages {
            let inherited = cx.graph.base_of(stage.index).map_or(&empty, |base| &*chains[base]);
            self.check_stage(cx, stage, inherited, &globals, out);
        }
        cx.lower_in_fixtures(&mut out[start..]);
    }
}
