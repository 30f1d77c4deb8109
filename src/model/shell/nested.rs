//! Commands inside commands: script strings handed to a shell (`sh -c`,
//! `eval`, `su -c`) and programs that run their arguments (`sudo`, `env`,
//! `xargs`, `find -exec`, ...).

use std::ops::Range;

use super::command::{has_option, ShellWord};

/// Something an argument list runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Inner {
    /// The words `args` joined by spaces are a script; `skip` bytes of the
    /// first word's value are not part of it (`--command=`).
    Script { args: Range<usize>, skip: usize },
    /// `args[args]` is a command line (the first word names the program);
    /// `env` holds `NAME=VALUE` words the wrapper adds to its environment.
    Command {
        args: Range<usize>,
        env: Vec<(String, String)>,
    },
}

/// Shells we know run `-c STRING` and read a script from standard input.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"];

pub(super) fn is_shell(program: &str) -> bool {
    SHELLS.contains(&program)
}

/// The inner scripts and commands of a command named `program`.
pub(super) fn inner(program: &str, args: &[ShellWord]) -> Vec<Inner> {
    if is_shell(program) {
        return shell_script(args)
            .map(|index| Inner::Script {
                args: index..index + 1,
                skip: 0,
            })
            .into_iter()
            .collect();
    }
    match program {
        "eval" if !args.is_empty() => vec![Inner::Script {
            args: 0..args.len(),
            skip: 0,
        }],
        "su" | "runuser" => su_command(args).into_iter().collect(),
        "find" => find_exec(args),
        _ => WRAPPERS
            .iter()
            .find(|wrapper| wrapper.names.contains(&program))
            .and_then(|wrapper| wrapper.command(args))
            .into_iter()
            .collect(),
    }
}

/// The index of the script operand of `sh [options] -c SCRIPT [name args...]`.
fn shell_script(args: &[ShellWord]) -> Option<usize> {
    let mut reads_string = false;
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let text = word.text.as_str();
        if text == "--" || text == "-" {
            i += 1;
            break;
        }
        if let Some(long) = text.strip_prefix("--") {
            // bash's long options; two of them take a file.
            i += if matches!(long, "rcfile" | "init-file") {
                2
            } else {
                1
            };
            continue;
        }
        let Some(letters) = text.strip_prefix('-').or_else(|| text.strip_prefix('+')) else {
            break;
        };
        if letters.is_empty() {
            break;
        }
        reads_string |= letters.contains('c');
        // `-o pipefail`, `-O extglob`: the option name is the next word.
        i += if letters.ends_with(['o', 'O']) { 2 } else { 1 };
    }
    (reads_string && i < args.len()).then_some(i)
}

/// Whether a shell invoked with these arguments runs what it reads on
/// standard input (`curl ... | sh`, `sh <<EOF`): no `-c`, and `-s` or no
/// script file operand.
pub(super) fn shell_reads_stdin(args: &[ShellWord]) -> bool {
    if shell_script(args).is_some() {
        return false;
    }
    if has_option(args, "", Some('s')) {
        return true;
    }
    let mut operands = args
        .iter()
        .filter(|word| !word.is_option() || word.text == "-");
    match operands.next() {
        None => true,
        Some(first) => first.text == "-",
    }
}

/// Interpreters that run a program read from standard input when given no
/// script: `curl ... | python3`. Each with the options that take code or a
/// module instead.
const INTERPRETERS: &[(&str, &[&str])] = &[
    ("python", &["-c", "-m"]),
    ("perl", &["-e", "-E"]),
    ("ruby", &["-e"]),
    ("node", &["-e", "--eval", "-p", "--print"]),
    ("php", &["-r"]),
];

/// Whether `program args` executes what arrives on standard input as code.
pub(super) fn runs_stdin_as_code(program: &str, args: &[ShellWord]) -> bool {
    if is_shell(program) {
        return shell_reads_stdin(args);
    }
    let family = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let Some((_, code_options)) = INTERPRETERS.iter().find(|(name, _)| *name == family) else {
        return false;
    };
    if args.iter().any(|word| {
        code_options.iter().any(|option| {
            word.text == *option || (option.len() == 2 && word.text.starts_with(option))
        })
    }) {
        return false;
    }
    match args.iter().find(|word| !word.is_option()) {
        None => true,
        Some(first) => first.text == "-",
    }
}

/// `su [options] [user] -c COMMAND` and `--command=COMMAND`.
fn su_command(args: &[ShellWord]) -> Option<Inner> {
    for (i, word) in args.iter().enumerate() {
        let text = word.text.as_str();
        if text == "-c" || text == "--command" {
            return (i + 1 < args.len()).then(|| Inner::Script {
                args: i + 1..i + 2,
                skip: 0,
            });
        }
        if text.starts_with("--command=") {
            return Some(Inner::Script {
                args: i..i + 1,
                skip: "--command=".len(),
            });
        }
    }
    None
}

/// `find ... -exec CMD ARGS {} \;` (also `-execdir`, `-ok`, `-okdir`, and `+`).
fn find_exec(args: &[ShellWord]) -> Vec<Inner> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < args.len() {
        if matches!(
            args[i].text.as_str(),
            "-exec" | "-execdir" | "-ok" | "-okdir"
        ) {
            let start = i + 1;
            let mut end = start;
            while end < args.len() && !matches!(args[end].text.as_str(), ";" | "+") {
                end += 1;
            }
            if end > start {
                found.push(Inner::Command {
                    args: start..end,
                    env: Vec::new(),
                });
            }
            i = end;
        }
        i += 1;
    }
    found
}

/// A program that runs the command given in its arguments.
struct Wrapper {
    names: &'static [&'static str],
    /// A word that must come first (`poetry run`, `bundle exec`).
    subcommand: Option<&'static str>,
    /// Options whose value is the next word when not written `--opt=value`.
    value_options: &'static [&'static str],
    /// Options after which no command follows (`command -v`).
    no_command_options: &'static [&'static str],
    /// Operands before the command (`timeout DURATION`, `gosu USER`).
    leading_operands: usize,
    /// `NAME=VALUE` words before the command set its environment (`env`, `sudo`).
    takes_assignments: bool,
}

const fn wrapper(names: &'static [&'static str]) -> Wrapper {
    Wrapper {
        names,
        subcommand: None,
        value_options: &[],
        no_command_options: &[],
        leading_operands: 0,
        takes_assignments: false,
    }
}

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        value_options: &[
            "-u",
            "-g",
            "-p",
            "-C",
            "-D",
            "-h",
            "-r",
            "-t",
            "-T",
            "-U",
            "--user",
            "--group",
            "--prompt",
            "--close-from",
            "--chdir",
            "--host",
            "--role",
            "--type",
            "--command-timeout",
            "--other-user",
        ],
        no_command_options: &[
            "-l",
            "-v",
            "-k",
            "-K",
            "-V",
            "-e",
            "--list",
            "--validate",
            "--edit",
        ],
        takes_assignments: true,
        ..wrapper(&["sudo"])
    },
    Wrapper {
        value_options: &["-u", "-C"],
        ..wrapper(&["doas"])
    },
    Wrapper {
        value_options: &["-u", "-C", "-S", "--unset", "--chdir", "--split-string"],
        takes_assignments: true,
        ..wrapper(&["env"])
    },
    Wrapper {
        value_options: &["-n", "--adjustment"],
        ..wrapper(&["nice"])
    },
    Wrapper {
        value_options: &["-c", "-n", "--class", "--classdata"],
        no_command_options: &["-p", "-P", "-u", "--pid", "--pgid", "--uid"],
        ..wrapper(&["ionice"])
    },
    wrapper(&["nohup", "fakeroot", "unbuffer"]),
    Wrapper {
        value_options: &["-f", "-o", "--format", "--output"],
        ..wrapper(&["time"])
    },
    Wrapper {
        value_options: &["-s", "-k", "--signal", "--kill-after"],
        leading_operands: 1,
        ..wrapper(&["timeout"])
    },
    Wrapper {
        value_options: &["-i", "-o", "-e", "--input", "--output", "--error"],
        ..wrapper(&["stdbuf"])
    },
    Wrapper {
        leading_operands: 1,
        ..wrapper(&["chroot"])
    },
    Wrapper {
        leading_operands: 1,
        ..wrapper(&["gosu", "su-exec"])
    },
    Wrapper {
        value_options: &[
            "--reuid",
            "--regid",
            "--groups",
            "--inh-caps",
            "--ambient-caps",
            "--bounding-set",
            "--securebits",
            "--selinux-label",
            "--apparmor-profile",
            "--pdeathsig",
        ],
        ..wrapper(&["setpriv"])
    },
    Wrapper {
        value_options: &["-p", "-e"],
        ..wrapper(&["tini", "tini-static"])
    },
    Wrapper {
        value_options: &["-r", "--rewrite"],
        ..wrapper(&["dumb-init"])
    },
    Wrapper {
        value_options: &["-a"],
        ..wrapper(&["exec"])
    },
    Wrapper {
        no_command_options: &["-v", "-V"],
        ..wrapper(&["command"])
    },
    Wrapper {
        value_options: &[
            "-a",
            "-d",
            "-E",
            "-I",
            "-L",
            "-n",
            "-P",
            "-s",
            "--arg-file",
            "--delimiter",
            "--max-lines",
            "--max-args",
            "--max-procs",
            "--max-chars",
            "--process-slot-var",
        ],
        ..wrapper(&["xargs"])
    },
    Wrapper {
        value_options: &["--install"],
        ..wrapper(&["busybox"])
    },
    Wrapper {
        subcommand: Some("run"),
        value_options: &["-C", "-P", "--directory", "--project"],
        ..wrapper(&["poetry", "pipenv"])
    },
    Wrapper {
        subcommand: Some("run"),
        value_options: &[
            "--with",
            "--with-requirements",
            "--with-editable",
            "--python",
            "-p",
            "--package",
            "--extra",
            "--group",
            "--env-file",
            "--directory",
            "--project",
            "--index",
            "--default-index",
        ],
        ..wrapper(&["uv"])
    },
    Wrapper {
        subcommand: Some("exec"),
        value_options: &["--gemfile"],
        ..wrapper(&["bundle"])
    },
];

impl Wrapper {
    fn command(&self, args: &[ShellWord]) -> Option<Inner> {
        let mut i = 0;
        if let Some(subcommand) = self.subcommand {
            if args.first()?.text != subcommand {
                return None;
            }
            i = 1;
        }
        let mut env = Vec::new();
        while let Some(word) = args.get(i) {
            let text = word.text.as_str();
            if text == "--" {
                i += 1;
                break;
            }
            if self.takes_assignments {
                if let Some(assignment) = parse_assignment(text) {
                    env.push(assignment);
                    i += 1;
                    continue;
                }
            }
            if !word.is_option() {
                break;
            }
            let name = text.split_once('=').map_or(text, |(name, _)| name);
            if self.no_command_options.contains(&name) {
                return None;
            }
            let takes_value = !text.contains('=') && self.value_options.contains(&text);
            i += if takes_value { 2 } else { 1 };
        }
        let start = i + self.leading_operands;
        (start < args.len()).then_some(Inner::Command {
            args: start..args.len(),
            env,
        })
    }
}

/// `NAME=VALUE` with a valid variable name.
pub(super) fn parse_assignment(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once('=')?;
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| (name.to_string(), value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Span;

    fn words(line: &str) -> Vec<ShellWord> {
        line.split_whitespace()
            .map(|text| ShellWord {
                text: text.to_string(),
                raw: text.to_string(),
                span: Span::default(),
                is_static: true,
            })
            .collect()
    }

    fn inner_of(line: &str) -> Vec<Inner> {
        let mut all = words(line);
        let program = all.remove(0);
        inner(&program.text, &all)
    }

    fn script(range: Range<usize>) -> Inner {
        Inner::Script {
            args: range,
            skip: 0,
        }
    }

    fn command(range: Range<usize>) -> Inner {
        Inner::Command {
            args: range,
            env: Vec::new(),
        }
    }

    #[test]
    fn shells_run_their_c_operand() {
        assert_eq!(inner_of("sh -c X"), vec![script(1..2)]);
        assert_eq!(inner_of("bash -euxc X -- a"), vec![script(1..2)]);
        assert_eq!(inner_of("bash -o pipefail -c X"), vec![script(3..4)]);
        assert_eq!(inner_of("sh -c -- X"), vec![script(2..3)]);
        assert_eq!(inner_of("bash --norc -c X"), vec![script(2..3)]);
        assert!(inner_of("sh script.sh").is_empty());
        assert!(inner_of("sh -c").is_empty());
    }

    #[test]
    fn eval_and_su_run_script_strings() {
        assert_eq!(inner_of("eval a b"), vec![script(0..2)]);
        assert_eq!(inner_of("su -s /bin/sh app -c X"), vec![script(4..5)]);
        assert_eq!(
            inner_of("su --command=X app"),
            vec![Inner::Script {
                args: 0..1,
                skip: "--command=".len()
            }]
        );
    }

    #[test]
    fn wrappers_run_the_rest_of_the_line() {
        assert_eq!(
            inner_of("sudo -E -u app apt-get install"),
            vec![command(3..5)]
        );
        assert_eq!(inner_of("timeout -s KILL 10 make all"), vec![command(3..5)]);
        assert_eq!(inner_of("gosu app:app make"), vec![command(1..2)]);
        assert_eq!(inner_of("xargs -r -n 1 rm -f"), vec![command(3..5)]);
        assert_eq!(inner_of("poetry run pip install x"), vec![command(1..4)]);
        assert!(inner_of("poetry install").is_empty());
        assert!(inner_of("command -v curl").is_empty());
        assert!(inner_of("sudo").is_empty());
    }

    #[test]
    fn env_collects_assignments() {
        assert_eq!(
            inner_of("env -u X A=1 B=two npm ci"),
            vec![Inner::Command {
                args: 4..6,
                env: vec![("A".into(), "1".into()), ("B".into(), "two".into())],
            }]
        );
    }

    #[test]
    fn find_runs_each_exec_clause() {
        assert_eq!(
            inner_of("find / -name x -exec rm -rf {} ; -execdir chmod +x {} +"),
            vec![command(4..7), command(9..12)]
        );
        assert!(inner_of("find / -exec ;").is_empty());
    }

    #[test]
    fn stdin_readers() {
        assert!(runs_stdin_as_code("sh", &words("")));
        assert!(runs_stdin_as_code("bash", &words("-s -- --version 1")));
        assert!(runs_stdin_as_code("bash", &words("-")));
        assert!(!runs_stdin_as_code("bash", &words("install.sh")));
        assert!(!runs_stdin_as_code("sh", &words("-c x")));
        assert!(runs_stdin_as_code("python3", &words("-")));
        assert!(runs_stdin_as_code("python3.12", &words("")));
        assert!(!runs_stdin_as_code("python3", &words("-c import")));
        assert!(!runs_stdin_as_code("python3", &words("-m json.tool")));
        assert!(!runs_stdin_as_code("tar", &words("xz")));
    }
}
