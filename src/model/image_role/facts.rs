//! What the final image's instructions show: its command, whether an application is
//! copied in, ONBUILD triggers.

use super::{RoleEvidence, MANY_TOOLS};
use crate::syntax::{Form, Instruction, Keyword};

/// The instructions of the final stage and the stages it is built on, oldest first.
pub(super) fn chain_instructions<'a>(
    evidence: &RoleEvidence<'a>,
) -> impl Iterator<Item = &'a Instruction> {
    let graph = evidence.graph;
    let chain = graph
        .final_stage()
        .map(|t| graph.base_chain(t.index))
        .unwrap_or_default();
    let file = evidence.file;
    chain
        .into_iter()
        .rev()
        .flat_map(move |index| graph.stages[index].body.clone())
        .map(move |at| &file.instructions[at])
}

/// What the final image's instructions show.
pub(super) struct ChainFacts {
    /// The program the image runs (ENTRYPOINT's, else CMD's), if the file sets one.
    pub(super) command: Option<String>,
    /// The command is a language's interactive prompt and nothing more (`CMD ["node"]`).
    pub(super) command_is_bare_interpreter: bool,
    pub(super) application_copied: bool,
    pub(super) onbuild: bool,
    /// An ENV giving the version of a language runtime the file sets up (`DOTNET_VERSION`).
    pub(super) runtime_version_env: Option<String>,
    /// A platform host's application directory that the file sets and leaves empty.
    pub(super) empty_host_root: Option<HostRoot>,
}

/// An ENV naming the directory a platform's host loads the application from.
pub(super) struct HostRoot {
    pub(super) host: &'static str,
    pub(super) variable: String,
    pub(super) directory: String,
}

/// ENV variables through which a platform's host finds the application it runs: an
/// image that sets one and copies nothing there is the host, for images built on it.
const HOST_APP_ROOTS: &[(&str, &str)] = &[
    ("AzureWebJobsScriptRoot", "the Azure Functions host"),
    ("LAMBDA_TASK_ROOT", "the AWS Lambda runtime"),
];

/// Language runtimes whose `<NAME>_VERSION` ENV marks an image that sets the runtime up.
const RUNTIME_VERSION_PREFIXES: &[&str] = &[
    "DOTNET",
    "ASPNET",
    "ASPNETCORE",
    "PYTHON",
    "NODE",
    "JAVA",
    "RUBY",
    "GOLANG",
    "PHP",
    "RUST",
    "ERLANG",
    "ELIXIR",
    "JULIA",
    "PERL",
    "POWERSHELL",
];

/// Interactive prompts official language images run by default (`python3`, `node`).
const INTERPRETERS: &[&str] = &[
    "node", "python", "python2", "python3", "ruby", "irb", "php", "jshell", "ghci", "iex", "erl",
    "julia", "perl",
];

impl ChainFacts {
    pub(super) fn of(evidence: &RoleEvidence<'_>) -> ChainFacts {
        let (mut entrypoint, mut cmd) = (None, None);
        let (mut application_copied, mut onbuild) = (false, false);
        let (mut runtime_version_env, mut host_roots) = (None, Vec::new());
        let (mut workdir, mut destinations) = (String::from("/"), Vec::new());
        for instruction in chain_instructions(evidence) {
            match instruction.keyword {
                Keyword::Entrypoint => entrypoint = Some(instruction),
                Keyword::Cmd => cmd = Some(instruction),
                Keyword::Copy | Keyword::Add => {
                    application_copied |= copies_application(instruction);
                    if let Some(dest) = instruction.args.words.last() {
                        destinations.push(resolve(&workdir, dest.text.trim_matches('"')));
                    }
                }
                Keyword::Workdir => {
                    if let Some(dir) = instruction.args.words.first() {
                        workdir = resolve(&workdir, &dir.text);
                    }
                }
                Keyword::Env => {
                    for pair in &instruction.args.pairs {
                        let key = pair.key.text.trim_matches('"');
                        let value = pair.value.as_ref().map(|v| v.text.trim_matches('"'));
                        if runtime_version_env.is_none() && is_runtime_version(key) {
                            runtime_version_env = Some(key.to_string());
                        }
                        if let (Some((_, host)), Some(dir)) = (
                            HOST_APP_ROOTS.iter().find(|(name, _)| *name == key),
                            value.filter(|v| v.starts_with('/')),
                        ) {
                            host_roots.push(HostRoot {
                                host,
                                variable: key.to_string(),
                                directory: dir.trim_end_matches('/').to_string(),
                            });
                        }
                    }
                }
                Keyword::Onbuild => onbuild = true,
                _ => {}
            }
        }
        let empty_host_root = host_roots.into_iter().find(|root| {
            !destinations.iter().any(|dest| {
                dest.contains(&root.variable)
                    || dest
                        .strip_prefix(&root.directory)
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        });
        let command = entrypoint.or(cmd);
        ChainFacts {
            command: command.map(program).filter(|p| !p.is_empty()),
            command_is_bare_interpreter: command.is_some_and(is_bare_interpreter),
            application_copied,
            onbuild,
            runtime_version_env,
            empty_host_root,
        }
    }

    /// Runs nothing of its own: no command, a shell, or a language's prompt.
    pub(super) fn command_is_idle(&self) -> bool {
        self.command_is_shell_or_none() || self.command_is_bare_interpreter
    }

    pub(super) fn command_is_shell_or_none(&self) -> bool {
        self.command.as_deref().is_none_or(is_shell)
    }

    /// `docker-entrypoint.sh`: a script that prepares the container, then runs its arguments.
    pub(super) fn command_is_entrypoint_script(&self) -> bool {
        self.command
            .as_deref()
            .is_some_and(|p| p.to_ascii_lowercase().contains("entrypoint"))
    }

    pub(super) fn command_reason(&self) -> String {
        match &self.command {
            Some(program) if self.command_is_entrypoint_script() => {
                format!("its command is the entrypoint script `{program}`")
            }
            Some(program) if self.command_is_bare_interpreter => {
                format!("its command is the interactive `{program}`")
            }
            Some(program) => format!("its command is a shell (`{program}`)"),
            None => "it has no CMD or ENTRYPOINT of its own".to_string(),
        }
    }

    pub(super) fn tools_reason(&self, evidence: &RoleEvidence<'_>) -> Option<String> {
        let tools = &evidence.shipped_tools;
        if tools.len() < MANY_TOOLS {
            return None;
        }
        let named: Vec<&str> = tools.iter().take(3).map(String::as_str).collect();
        let more = tools.len().saturating_sub(named.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        Some(format!(
            "it installs build tools ({}{tail})",
            named.join(", ")
        ))
    }
}

/// `NODE_VERSION`, `DOTNET_VERSION`: not `APP_VERSION`.
fn is_runtime_version(key: &str) -> bool {
    key.strip_suffix("_VERSION")
        .is_some_and(|name| RUNTIME_VERSION_PREFIXES.contains(&name))
}

/// A path as an image sees it, relative ones under `workdir`.
fn resolve(workdir: &str, path: &str) -> String {
    if path.starts_with('/') || path.starts_with('$') {
        return path.trim_end_matches('/').to_string();
    }
    let path = path.trim_start_matches("./").trim_end_matches(['/', '.']);
    format!("{}/{path}", workdir.trim_end_matches('/'))
}

/// `CMD ["python3"]`, `CMD node`: one word, an interpreter.
fn is_bare_interpreter(instruction: &Instruction) -> bool {
    let mut words = args_of(instruction);
    match (words.next(), words.next()) {
        (Some(only), None) => {
            let name = only.rsplit(['/', '\\']).next().unwrap_or_default();
            INTERPRETERS.contains(&program_name(name).as_str())
        }
        _ => false,
    }
}

/// The words of a CMD or ENTRYPOINT, lazily: a shell-form line can be megabytes.
fn args_of(instruction: &Instruction) -> Box<dyn Iterator<Item = &str> + '_> {
    match instruction.args.form {
        Form::Exec => Box::new(instruction.args.words.iter().map(|w| w.text.as_str())),
        _ => Box::new(
            instruction
                .args
                .words
                .iter()
                .flat_map(|w| w.text.split_whitespace()),
        ),
    }
}

/// The base name of the program a CMD or ENTRYPOINT runs: through a shell's `-c`
/// (`sh -c "./server"` runs `server`) or script argument, else the shell itself.
fn program(instruction: &Instruction) -> String {
    let mut args = args_of(instruction);
    let base = |word: &str| {
        let word = word.trim_matches(['"', '\'']);
        word.rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let Some(first) = args.next() else {
        return String::new();
    };
    if !is_shell(&base(first)) {
        return base(first);
    }
    while let Some(arg) = args.next() {
        let lower = arg.to_ascii_lowercase();
        if lower == "/s" {
            continue;
        }
        if matches!(lower.as_str(), "-c" | "-lc" | "-ec" | "-command" | "/c") {
            let script = args.next().unwrap_or_default();
            let word = script.trim_matches(['"', '\'']).split_whitespace().next();
            return word.map_or_else(|| base(first), base);
        }
        if !arg.starts_with('-') {
            return base(arg);
        }
    }
    base(first)
}

const SHELLS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "ash",
    "dash",
    "fish",
    "pwsh",
    "pwsh-preview",
    "powershell",
    "cmd",
];

fn is_shell(program: &str) -> bool {
    SHELLS.contains(&program_name(program).as_str())
}

/// A program's name as the tables spell it: lower case, without Windows' `.exe`.
fn program_name(program: &str) -> String {
    let lower = program.to_ascii_lowercase();
    lower.strip_suffix(".exe").unwrap_or(&lower).to_string()
}

/// A COPY or ADD of files from the build context other than scripts, configuration
/// and documents: `COPY . /app`, `COPY src/ ./src`, `ADD app.jar /`.
fn copies_application(instruction: &Instruction) -> bool {
    if instruction.flag("from").is_some() || !instruction.heredocs.is_empty() {
        return false;
    }
    let words = &instruction.args.words;
    let Some((destination, sources)) = words.split_last() else {
        return false;
    };
    // `ADD ${STRAP_URL} /tmp/strap.sh`: a variable says nothing; its destination does.
    sources.iter().any(|source| {
        let named = if is_variable(&source.text) {
            &destination.text
        } else {
            &source.text
        };
        !is_support_file(named)
    })
}

/// `$URL`, `${URL}`: nothing but one variable reference.
fn is_variable(text: &str) -> bool {
    let name = match text.strip_prefix("${") {
        Some(rest) => rest.strip_suffix('}'),
        None => text.strip_prefix('$'),
    };
    name.is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

const SUPPORT_EXTENSIONS: &[&str] = &[
    "sh",
    "bash",
    "ps1",
    "psm1",
    "cmd",
    "bat",
    "conf",
    "cfg",
    "ini",
    "json",
    "yml",
    "yaml",
    "toml",
    "txt",
    "md",
    "list",
    "repo",
    "pem",
    "crt",
    "cer",
    "asc",
    "gpg",
    "pub",
    "xml",
    "properties",
    "env",
    "patch",
    "diff",
    "j2",
    "tmpl",
];

/// Scripts, configuration, certificates and documents: files that set an image up.
fn is_support_file(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    let name = lower
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let extension = name.rsplit_once('.').map(|(_, ext)| ext);
    extension.is_some_and(|ext| SUPPORT_EXTENSIONS.contains(&ext))
        || name.contains("entrypoint")
        || name.contains("config")
        || matches!(name, "license" | "notice")
        || lower
            .split('/')
            .any(|part| part.contains("config") || part == "scripts" || part == "tools")
}
