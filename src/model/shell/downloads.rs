//! Downloads (`curl`, `wget`) and whether what they fetch is run as code.

use super::command::{Arg, ArgReader, CommandOrigin, ShellWord, SimpleCommand};
use super::nested::{is_shell, runs_stdin_as_code};
use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DownloadTool {
    Curl,
    Wget,
    /// `aria2c`, `axel`.
    Other,
}

/// A command that fetches something over the network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Download {
    pub tool: DownloadTool,
    /// The URL as the shell passes it (may hold `$VARS`).
    pub url: Option<String>,
    /// The file written: `curl -o F`, `curl -O` and `wget` (the URL's last
    /// segment), `wget -O F`; `-` means standard output. `None` for curl
    /// writing to standard output.
    pub output: Option<String>,
    /// What is fetched is run as code: `curl ... | sh`, `| sudo bash -`,
    /// `| python3`, `sh -c "$(curl ...)"`, `bash <(curl ...)`, `eval "$(wget -O- ...)"`.
    pub piped_to_shell: bool,
    /// Index into [`super::ShellFacts::commands`].
    pub command_index: usize,
    pub span: Span,
}

/// How a downloader's command line is read.
struct Options {
    /// Long options whose value is the next word unless written with `=`.
    long_values: &'static [&'static str],
    /// Short letters whose value is the rest of the word or the next word.
    short_values: &'static str,
    /// Options naming the output file.
    output: &'static [&'static str],
    /// A flag that saves under the URL's last segment (curl's `-O`).
    remote_name: &'static [&'static str],
    /// Whether the tool saves to a file by default (wget does, curl prints).
    saves_by_default: bool,
}

const CURL: Options = Options {
    long_values: &[
        "--output",
        "--header",
        "--data",
        "--data-raw",
        "--data-binary",
        "--data-urlencode",
        "--user",
        "--user-agent",
        "--referer",
        "--proxy",
        "--request",
        "--write-out",
        "--retry",
        "--retry-delay",
        "--retry-max-time",
        "--max-time",
        "--connect-timeout",
        "--upload-file",
        "--form",
        "--cacert",
        "--capath",
        "--cert",
        "--key",
        "--config",
        "--range",
        "--cookie",
        "--cookie-jar",
        "--continue-at",
        "--limit-rate",
        "--resolve",
        "--time-cond",
        "--proto",
        "--proto-redir",
        "--output-dir",
        "--url",
        "--max-filesize",
        "--interface",
        "--dns-servers",
        "--ciphers",
        "--tls-max",
        "--max-redirs",
        "--netrc-file",
        "--oauth2-bearer",
        "--pinnedpubkey",
        "--quote",
        "--trace",
        "--trace-ascii",
        "--stderr",
        "--variable",
        "--json",
        "--url-query",
        "--speed-limit",
        "--speed-time",
    ],
    short_values: "oHduAexXwmTFKrbcCyYzEQ",
    output: &["--output", "-o"],
    remote_name: &["--remote-name", "-O", "--remote-name-all"],
    saves_by_default: false,
};

const WGET: Options = Options {
    long_values: &[
        "--output-document",
        "--output-file",
        "--append-output",
        "--directory-prefix",
        "--user-agent",
        "--header",
        "--tries",
        "--timeout",
        "--wait",
        "--execute",
        "--input-file",
        "--base",
        "--quota",
        "--limit-rate",
        "--user",
        "--password",
        "--post-data",
        "--post-file",
        "--ca-certificate",
        "--certificate",
        "--private-key",
        "--load-cookies",
        "--save-cookies",
        "--level",
        "--accept",
        "--reject",
        "--domains",
        "--exclude-directories",
        "--max-redirect",
        "--referer",
    ],
    short_values: "OoaPUtTweiBQlARDX",
    output: &["--output-document", "-O"],
    remote_name: &[],
    saves_by_default: true,
};

pub(super) fn detect(commands: &[SimpleCommand]) -> Vec<Download> {
    commands
        .iter()
        .enumerate()
        .filter_map(|(index, command)| {
            let tool = match command.program() {
                "curl" => DownloadTool::Curl,
                "wget" => DownloadTool::Wget,
                "aria2c" | "axel" => DownloadTool::Other,
                _ => return None,
            };
            let (url, output) = match tool {
                DownloadTool::Curl => url_and_output(&command.args, &CURL),
                DownloadTool::Wget => url_and_output(&command.args, &WGET),
                DownloadTool::Other => (first_url(&command.args), None),
            };
            Some(Download {
                tool,
                url,
                output,
                piped_to_shell: feeds_code(commands, index, 0),
                command_index: index,
                span: command.span,
            })
        })
        .collect()
}

fn first_url(args: &[ShellWord]) -> Option<String> {
    args.iter()
        .find(|word| word.text.contains("://"))
        .map(|word| word.text.clone())
}

/// The URL fetched and the file written.
fn url_and_output(args: &[ShellWord], options: &Options) -> (Option<String>, Option<String>) {
    let mut url_like: Option<&str> = None;
    let mut first_operand: Option<&str> = None;
    let mut output = None;
    let mut remote_name = false;
    let mut reader = ArgReader::new(args);
    while let Some(arg) = reader.next_arg() {
        let word = match arg {
            Arg::Operand(word) => {
                let text = word.text.as_str();
                if text.contains("://") {
                    url_like.get_or_insert(text);
                }
                first_operand.get_or_insert(text);
                continue;
            }
            Arg::Option(word) => word,
        };
        let option = parse_option(&word.text, reader.value_word(), options);
        if option.value_is_next_word {
            reader.take_value_word();
        }
        remote_name |= option
            .flags
            .iter()
            .any(|flag| options.remote_name.contains(&flag.as_str()));
        if options.output.contains(&option.name.as_str()) {
            output = option.value.map(str::to_string);
        } else if option.name == "--url" {
            if let Some(value) = option.value {
                url_like.get_or_insert(value);
            }
        }
    }
    let url = url_like.or(first_operand).map(str::to_string);
    if output.is_none() && (remote_name || options.saves_by_default) {
        output = url.as_deref().map(last_segment);
    }
    (url, output)
}

/// One option word read with the tool's grammar.
struct ParsedOption<'a> {
    /// The option that takes the value, or the whole word: `--output`, `-o`, `-fsSL`.
    name: String,
    value: Option<&'a str>,
    value_is_next_word: bool,
    /// Every flag the word holds: `-fsSLO` → `-f -s -S -L -O`; `--remote-name`.
    flags: Vec<String>,
}

/// Reads `--name=value`, `--name value`, or a cluster `-fsSLo FILE` where
/// the first letter taking a value ends the cluster.
fn parse_option<'a>(
    text: &'a str,
    next: Option<&'a ShellWord>,
    options: &Options,
) -> ParsedOption<'a> {
    if text.starts_with("--") {
        let (name, value, value_is_next_word) = match text.split_once('=') {
            Some((name, value)) => (name, Some(value), false),
            None if options.long_values.contains(&text) => {
                (text, next.map(|w| w.text.as_str()), next.is_some())
            }
            None => (text, None, false),
        };
        return ParsedOption {
            name: name.to_string(),
            value,
            value_is_next_word,
            flags: vec![name.to_string()],
        };
    }
    let cluster = text.get(1..).unwrap_or("");
    let mut flags = Vec::new();
    for (at, letter) in cluster.char_indices() {
        flags.push(format!("-{letter}"));
        if options.short_values.contains(letter) {
            let rest = &cluster[at + letter.len_utf8()..];
            let (value, value_is_next_word) = if rest.is_empty() {
                (next.map(|w| w.text.as_str()), next.is_some())
            } else {
                (Some(rest), false)
            };
            return ParsedOption {
                name: format!("-{letter}"),
                value,
                value_is_next_word,
                flags,
            };
        }
    }
    ParsedOption {
        name: text.to_string(),
        value: None,
        value_is_next_word: false,
        flags,
    }
}

/// `https://x/y/file.tar.gz?sig=1` → `file.tar.gz`.
fn last_segment(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .to_string()
}

/// Whether command `index`'s output ends up run as code: piped to a later
/// stage that executes standard input, or substituted into a shell's or
/// `eval`'s words, or into a command that does either.
fn feeds_code(commands: &[SimpleCommand], index: usize, depth: usize) -> bool {
    let Some(command) = commands.get(index) else {
        return false;
    };
    if let Some(pipeline) = command.pipeline {
        let runs_stdin = commands.iter().any(|other| {
            other
                .pipeline
                .is_some_and(|p| p.index == pipeline.index && p.position > pipeline.position)
                && runs_stdin_as_code(other.program(), &other.args)
        });
        if runs_stdin {
            return true;
        }
    }
    if let CommandOrigin::Substitution {
        command: Some(outer),
    } = command.origin
    {
        let Some(outer_command) = commands.get(outer) else {
            return false;
        };
        let program = outer_command.program();
        if is_shell(program) || matches!(program, "eval" | "source" | ".") {
            return true;
        }
        if depth < 8 {
            return feeds_code(commands, outer, depth + 1);
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_segment_drops_query_and_slashes() {
        assert_eq!(last_segment("https://x.org/a/b.tar.gz?sig=1"), "b.tar.gz");
        assert_eq!(last_segment("https://x.org/dir/"), "dir");
    }
}
