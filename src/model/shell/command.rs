//! Simple commands and their words: what the rest of the shell facts read.

use crate::diagnostic::Span;

/// One word of a command, e.g. an argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellWord {
    /// The value with quotes and escapes removed (`'a b'` → `a b`). Expansions
    /// such as `$VAR` or `$(cmd)` are kept as written: check [`Self::is_static`].
    pub text: String,
    /// The word exactly as written in the analyzed script: `&script[span]`.
    pub raw: String,
    /// Byte range in the analyzed script.
    pub span: Span,
    /// True when the value is known before the script runs: no parameter,
    /// command or arithmetic expansion. Globs and a leading `~` are kept in
    /// `text` as written and do not make a word dynamic.
    pub is_static: bool,
}

impl ShellWord {
    /// `-x` or `--long` (a lone `-` or `--` is an operand or separator, not an option).
    pub fn is_option(&self) -> bool {
        self.text.starts_with('-') && self.text.len() > 1 && self.text != "--"
    }
}

/// One argument of a command, as [`ArgReader`] tells it.
pub(super) enum Arg<'w> {
    Option(&'w ShellWord),
    Operand(&'w ShellWord),
}

/// Reads a command's arguments in order, telling options from operands:
/// after `--` every word is an operand. An option may take the next word
/// as its value ([`Self::value_word`], [`Self::take_value_word`]).
pub(super) struct ArgReader<'w> {
    args: &'w [ShellWord],
    next: usize,
    only_operands: bool,
}

impl<'w> ArgReader<'w> {
    pub(super) fn new(args: &'w [ShellWord]) -> Self {
        ArgReader {
            args,
            next: 0,
            only_operands: false,
        }
    }

    /// The next argument; a `--` that ends the options is skipped.
    pub(super) fn next_arg(&mut self) -> Option<Arg<'w>> {
        loop {
            let word = self.args.get(self.next)?;
            self.next += 1;
            if !self.only_operands && word.text == "--" {
                self.only_operands = true;
                continue;
            }
            return Some(if self.only_operands || !word.is_option() {
                Arg::Operand(word)
            } else {
                Arg::Option(word)
            });
        }
    }

    /// The word after the last argument read: an option's value, if it takes one.
    pub(super) fn value_word(&self) -> Option<&'w ShellWord> {
        self.args.get(self.next)
    }

    /// Takes [`Self::value_word`] as the last option's value, so it is not read as an argument.
    pub(super) fn take_value_word(&mut self) -> Option<&'w ShellWord> {
        let word = self.value_word()?;
        self.next += 1;
        Some(word)
    }
}

/// Where a command sits in a pipeline of two or more commands (`a | b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelinePos {
    /// Which pipeline of the script: commands sharing it are piped together.
    pub index: usize,
    /// 0-based position in the pipeline: `a` is 0 and `b` is 1 in `a | b`.
    pub position: usize,
    /// How many stages the pipeline has.
    pub len: usize,
}

/// How a command came to be run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandOrigin {
    /// Written as a command of the script.
    Direct,
    /// Inside `$(...)`, backquotes or `<(...)`. `command` is the index of the
    /// command whose word holds the substitution, when there is one (not for
    /// `X=$(...)` alone or `for x in $(...)`).
    Substitution { command: Option<usize> },
    /// Parsed from the script string another command hands to a shell:
    /// `sh -c '...'`, `eval '...'`, `su -c '...'`, or a heredoc fed to `sh`.
    ScriptString { command: usize },
    /// Arguments another program runs as a command: `sudo apt-get ...`,
    /// `env X=1 make`, `xargs rm`, `find ... -exec rm {} +`.
    Delegated { command: usize },
}

impl CommandOrigin {
    /// The index of the command this one was found in, if any.
    pub fn enclosing(self) -> Option<usize> {
        match self {
            CommandOrigin::Direct => None,
            CommandOrigin::Substitution { command } => command,
            CommandOrigin::ScriptString { command } | CommandOrigin::Delegated { command } => {
                Some(command)
            }
        }
    }
}

/// A simple command: a program with its arguments, e.g. `apt-get install -y curl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The program as written (quotes removed, path kept): `/usr/bin/apt-get`.
    pub name: String,
    pub name_span: Span,
    /// The words after the name; redirections are not arguments.
    pub args: Vec<ShellWord>,
    /// Environment assignments before the name, e.g. `CGO_ENABLED=0`, as
    /// (name, value with quotes removed).
    pub assignments: Vec<(String, String)>,
    /// Byte range of the whole command in the analyzed script.
    pub span: Span,
    /// Set when the command is a stage of a pipeline of two or more commands.
    pub pipeline: Option<PipelinePos>,
    /// Inside the condition of `if`, `elif`, `while` or `until`.
    pub in_condition: bool,
    /// May not run on every path through the script: in an `if`/`elif`/`else`
    /// branch, a `case` arm, a `while`/`until` body, a function body, or on
    /// the right of `||`.
    pub conditional: bool,
    /// Found inside another command's argument: a `sh -c` string, `eval`, a
    /// heredoc fed to a shell, or a command run by `sudo`, `xargs`, `find -exec`...
    pub nested: bool,
    pub origin: CommandOrigin,
}

impl SimpleCommand {
    /// The program's file name without its directory: `apt-get` for `/usr/bin/apt-get`.
    pub fn program(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// The value of an environment assignment in front of the command.
    pub fn assignment(&self, name: &str) -> Option<&str> {
        last_value(&self.assignments, name)
    }

    /// The arguments' values.
    pub fn arg_texts(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|word| word.text.as_str())
    }

    /// Whether an option is given: `--long`, `--long=value`, or the short
    /// letter alone or in a cluster (`-y`, `-qqy`). Stops at `--`.
    pub fn has_option(&self, long: &str, short: Option<char>) -> bool {
        has_option(&self.args, long, short)
    }
}

/// The value of the last `(name, value)` pair named `name`: the one in effect.
pub(super) fn last_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// See [`SimpleCommand::has_option`].
pub(super) fn has_option(args: &[ShellWord], long: &str, short: Option<char>) -> bool {
    for word in args {
        let text = word.text.as_str();
        if text == "--" {
            return false;
        }
        if !long.is_empty()
            && (text == long
                || text
                    .strip_prefix(long)
                    .is_some_and(|rest| rest.starts_with('=')))
        {
            return true;
        }
        if let (Some(letter), Some(cluster)) = (short, text.strip_prefix('-')) {
            if !cluster.starts_with('-')
                && !cluster.is_empty()
                && cluster.chars().all(|c| c.is_ascii_alphanumeric())
                && cluster.contains(letter)
            {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> ShellWord {
        ShellWord {
            text: text.to_string(),
            raw: text.to_string(),
            span: Span::default(),
            is_static: true,
        }
    }

    fn command(name: &str, args: &[&str]) -> SimpleCommand {
        SimpleCommand {
            name: name.to_string(),
            name_span: Span::default(),
            args: args.iter().map(|a| word(a)).collect(),
            assignments: vec![("A".into(), "1".into()), ("A".into(), "2".into())],
            span: Span::default(),
            pipeline: None,
            in_condition: false,
            conditional: false,
            nested: false,
            origin: CommandOrigin::Direct,
        }
    }

    #[test]
    fn program_strips_the_directory() {
        assert_eq!(command("/usr/bin/apt-get", &[]).program(), "apt-get");
        assert_eq!(command("pip3", &[]).program(), "pip3");
    }

    #[test]
    fn options_match_long_forms_and_short_clusters() {
        let cmd = command("apt-get", &["-qqy", "--option=x", "install", "--", "-z"]);
        assert!(cmd.has_option("--yes", Some('y')));
        assert!(cmd.has_option("--option", None));
        assert!(!cmd.has_option("--opt", None));
        assert!(
            !cmd.has_option("", Some('z')),
            "after -- nothing is an option"
        );
    }

    #[test]
    fn the_last_assignment_wins() {
        assert_eq!(command("x", &[]).assignment("A"), Some("2"));
        assert_eq!(command("x", &[]).assignment("B"), None);
    }

    #[test]
    fn lone_dashes_are_not_options() {
        assert!(!word("-").is_option());
        assert!(!word("--").is_option());
        assert!(word("-y").is_option());
    }
}
