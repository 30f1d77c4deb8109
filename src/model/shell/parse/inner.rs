//! Descending into what a command runs: script strings (`sh -c`, `eval`,
//! heredocs fed to a shell) and the commands wrappers run (`sudo`, `xargs`).

use super::super::command::{CommandOrigin, SimpleCommand};
use super::super::nested::{self, Inner};
use super::super::word::Cooked;
use super::{Context, Source, Walker, MAX_SCRIPT_NESTING};

impl Walker<'_> {
    /// The scripts and commands that command `index` runs through its arguments.
    pub(super) fn inner_commands(
        &mut self,
        index: usize,
        cooked_args: &[Cooked],
        source: &Source<'_>,
        context: Context,
        nesting: usize,
    ) {
        let Some(command) = self.commands.get(index) else {
            return;
        };
        let found = nested::inner(command.program(), &command.args);
        for inner in found {
            match inner {
                Inner::Script { args, skip } => {
                    let Some(words) = cooked_args.get(args) else {
                        continue;
                    };
                    let Some(script) = join_script(words, skip) else {
                        continue;
                    };
                    self.nested_script(script, source, context, index, nesting);
                }
                Inner::Command { args, env } => {
                    let Some(delegated) = self.delegated(index, args.clone(), env) else {
                        continue;
                    };
                    if nesting < MAX_SCRIPT_NESTING {
                        let inner_cooked = cooked_args.get(args.start + 1..args.end).unwrap_or(&[]);
                        self.inner_commands(delegated, inner_cooked, source, context, nesting + 1);
                    }
                }
            }
        }
    }

    /// Records the command a wrapper runs (`sudo apt-get ...`) from words
    /// `args` of command `outer`, and returns its index.
    fn delegated(
        &mut self,
        outer: usize,
        args: std::ops::Range<usize>,
        env: Vec<(String, String)>,
    ) -> Option<usize> {
        let outer_command = self.commands.get(outer)?;
        let (name, rest) = outer_command.args.get(args)?.split_first()?;
        let span = rest
            .last()
            .map_or(name.span, |last| name.span.cover(last.span));
        let mut assignments = outer_command.assignments.clone();
        assignments.extend(env);
        let command = SimpleCommand {
            name: name.text.clone(),
            name_span: name.span,
            args: rest.to_vec(),
            assignments,
            span,
            pipeline: outer_command.pipeline,
            in_condition: outer_command.in_condition,
            conditional: outer_command.conditional,
            nested: true,
            origin: CommandOrigin::Delegated { command: outer },
        };
        Some(self.push(command))
    }

    /// Parses a script held in a word and adds its commands, with spans
    /// mapped back to the analyzed script.
    pub(super) fn nested_script(
        &mut self,
        script: Cooked,
        source: &Source<'_>,
        context: Context,
        command: usize,
        nesting: usize,
    ) {
        if nesting >= MAX_SCRIPT_NESTING {
            return;
        }
        let Some(text) = without_substitutions(&script) else {
            return;
        };
        if !has_literal_command_text(&text) {
            return;
        }
        let map: Vec<usize> = script.map.iter().map(|&at| source.offset(at)).collect();
        let inner_source = Source {
            text: &text,
            map: Some(&map),
            nested: true,
            nesting: nesting + 1,
            origin: CommandOrigin::ScriptString { command },
        };
        let inner_context = Context {
            pipeline: None,
            substitution: None,
            current_command: None,
            ..context
        };
        self.script(&inner_source, inner_context);
    }
}

/// The words of `eval a b` joined by spaces into one script (each space
/// mapped to the gap before the next word).
fn join_script(words: &[Cooked], skip: usize) -> Option<Cooked> {
    let (first, rest) = words.split_first()?;
    let mut script = Cooked {
        value: first.value.get(skip..)?.to_string(),
        map: first.map.get(skip..)?.to_vec(),
        is_static: first.is_static,
        substitutions: first.substitutions.clone(),
    };
    for word in rest {
        let gap = script.source_offset(script.value.len());
        script.push(' ', gap);
        script.append(word.clone());
    }
    Some(script)
}

/// The script text with each `$(...)` of the outer word replaced by a
/// same-length `$___` placeholder: the outer walk already found its commands,
/// and the inner shell only sees its output.
fn without_substitutions(script: &Cooked) -> Option<String> {
    if script.substitutions.is_empty() {
        return Some(script.value.clone());
    }
    let mut bytes = script.value.clone().into_bytes();
    let mut previous_inside = false;
    for (i, byte) in bytes.iter_mut().enumerate() {
        let at = script.map.get(i).copied().unwrap_or(usize::MAX);
        let inside = script
            .substitutions
            .iter()
            .any(|&(start, end)| start <= at && at < end);
        if inside {
            *byte = if previous_inside { b'_' } else { b'$' };
        }
        previous_inside = inside;
    }
    String::from_utf8(bytes).ok()
}

/// Whether a script string has anything but expansions, e.g. not `sh -c "$CMD"`.
fn has_literal_command_text(text: &str) -> bool {
    let mut in_expansion = false;
    for ch in text.chars() {
        match ch {
            '$' => in_expansion = true,
            c if c.is_alphanumeric() || c == '_' || c == '{' || c == '}' => {
                if !in_expansion {
                    return true;
                }
            }
            c if c.is_whitespace() => in_expansion = false,
            _ => {
                in_expansion = false;
                if !ch.is_ascii_punctuation() {
                    return true;
                }
            }
        }
    }
    false
}
