//! What a `RUN` does, as far as sizing is concerned.
//!
//! [`RunFacts`] is the small interface the estimator reads: package installs with
//! their flags, removals, cache cleanups and build commands. [`RunFacts::from_script`]
//! fills it with a quote-aware splitter on `&&`, `||`, `;`, `|` and newlines; the
//! shell-facts model (tree-sitter-bash) can fill the same struct instead.

/// A package manager the estimator knows how to size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Manager {
    Apt,
    Apk,
    Dnf,
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Gem,
    Bundler,
    Composer,
}

impl Manager {
    pub fn as_str(self) -> &'static str {
        match self {
            Manager::Apt => "apt",
            Manager::Apk => "apk",
            Manager::Dnf => "dnf",
            Manager::Pip => "pip",
            Manager::Npm => "npm",
            Manager::Yarn => "yarn",
            Manager::Pnpm => "pnpm",
            Manager::Gem => "gem",
            Manager::Bundler => "bundler",
            Manager::Composer => "composer",
        }
    }

    /// Installs into the system (`/usr`), as opposed to a project directory.
    pub fn is_system(self) -> bool {
        matches!(self, Manager::Apt | Manager::Apk | Manager::Dnf)
    }
}

/// One install (or removal) command: `apt-get install -y --no-install-recommends curl`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageRequest {
    pub manager: Option<Manager>,
    /// Package names as written (versions pinned with `=`/`==` are kept).
    pub packages: Vec<String>,
    pub no_install_recommends: bool,
    /// `apk --no-cache`, `pip --no-cache-dir` (or `PIP_NO_CACHE_DIR`).
    pub no_cache: bool,
    /// `apk add --virtual NAME` / `-t NAME`.
    pub virtual_name: Option<String>,
    /// `pip install -r FILE`.
    pub requirement_files: Vec<String>,
    /// `npm ci`/`npm install` without packages: the project's lock file.
    pub from_lockfile: bool,
    /// `npm ci --omit=dev`, `--production`.
    pub production: bool,
    /// `npm install -g`, `pip install --user`...: outside the working directory.
    pub global: bool,
    /// `pip install --prefix DIR` / `--target DIR`.
    pub target_dir: Option<String>,
    /// Inside an `if` or `case` branch: it may not run (another architecture's path).
    pub in_branch: bool,
}

/// A program built by the `RUN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Build {
    /// `go build [-o OUT]`, `go install`.
    Go { output: Option<String> },
    /// `cargo build [--release]`, `cargo install`.
    Cargo { release: bool, install: bool },
    /// `npm run build`, `yarn build`.
    Script,
    /// `make`, `./configure`, `cmake --build`.
    Make,
    /// `mvn package`, `gradle build`.
    Jvm,
}

/// Sizing facts of one `RUN`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunFacts {
    pub installs: Vec<PackageRequest>,
    /// `apt-get purge/remove`, `apk del` (names or virtual groups).
    pub uninstalls: Vec<PackageRequest>,
    /// `apt-mark auto` then `apt-get purge --auto-remove`/`autoremove`: what was
    /// installed in this layer is mostly removed again (the official images' pattern).
    pub autoremove_after_mark: bool,
    pub apt_update: bool,
    pub apk_update: bool,
    /// Paths given to `rm` (after variable expansion).
    pub removals: Vec<String>,
    /// `npm cache clean`, `pip cache purge`, `apt-get clean`, `yum clean all`...
    pub cleaned: Vec<&'static str>,
    pub builds: Vec<Build>,
    /// `mv SRC DST` (options dropped; the last argument is the destination).
    pub moves: Vec<(String, String)>,
    /// `python -m venv DIR`, `virtualenv DIR`, `uv venv DIR`.
    pub venvs: Vec<String>,
    /// `./configure --prefix=DIR` (or `./Configure`, `cmake -DCMAKE_INSTALL_PREFIX=DIR`):
    /// where `make install` puts what the RUN builds.
    pub install_prefix: Option<String>,
    /// `tar -C DIR` / `tar --directory=DIR`: where archives are unpacked, in order.
    pub extract_dirs: Vec<String>,
    /// First words of the simple commands, in order.
    pub commands: Vec<String>,
    /// The whole script after expansion (for URL matching).
    pub text: String,
}

/// `apt-get install` options that only print what would happen.
const SIMULATE: &[&str] = &[
    "-s",
    "--simulate",
    "--dry-run",
    "--just-print",
    "--recon",
    "--no-act",
];

/// Commands that change the file system by a negligible amount.
const TRIVIAL: &[&str] = &[
    "true",
    "false",
    ":",
    "set",
    "echo",
    "printf",
    "mkdir",
    "ln",
    "chmod",
    "chown",
    "chgrp",
    "useradd",
    "adduser",
    "groupadd",
    "addgroup",
    "usermod",
    "cd",
    "export",
    "test",
    "[",
    "[[",
    "touch",
    "sed",
    "grep",
    "cat",
    "cp",
    "mv",
    "rm",
    "ls",
    "id",
    "whoami",
    "env",
    "sh",
    "bash",
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "do",
    "done",
    "case",
    "esac",
    "while",
    "until",
    "{",
    "}",
    "(",
    ")",
    "exit",
    "command",
    "which",
    "type",
    "dpkg",
    "dpkg-query",
    "apt-mark",
    "update-ca-certificates",
    "ldconfig",
    "locale-gen",
    "update-alternatives",
    "sleep",
    "curl",
    "wget",
    "tar",
    "gzip",
    "gunzip",
    "xz",
    "unzip",
    "sha256sum",
    "sha512sum",
    "md5sum",
    "gpg",
    "gpgconf",
    "gpgv",
    "git",
    "find",
    "xargs",
    "sort",
    "uniq",
    "awk",
    "tr",
    "cut",
    "head",
    "tail",
    "wc",
    "tee",
    "install",
    "readlink",
    "realpath",
    "dirname",
    "basename",
    "uname",
    "nproc",
    "date",
    "local",
    "return",
    "shift",
    "unset",
    "eval",
    "exec",
    "trap",
    "local",
    "python",
    "python3",
    "node",
    "java",
    "go",
    "rustc",
    "cargo",
    "rustup",
    "npm",
    "yarn",
    "pnpm",
    "pip",
    "pip3",
    "gem",
    "bundle",
    "composer",
    "apt-get",
    "apt",
    "apk",
    "dnf",
    "yum",
    "microdnf",
    "tini",
    "gosu",
    "su-exec",
    "su",
    "sudo",
    "runuser",
    "patch",
    "strip",
    "scanelf",
    "file",
    "savedAptMark",
    "ldd",
    "docker-php-source",
    "docker-php-ext-configure",
    "export",
    "sync",
    "ulimit",
    "umask",
    "pwd",
    "printenv",
    "hash",
    "wait",
    "kill",
    "chroot",
    "setcap",
    "userdel",
    "groupdel",
    "deluser",
    "delgroup",
    "debconf-set-selections",
    "locale",
    "seq",
    "rmdir",
    "dpkg-divert",
    "dpkg-architecture",
    "javac",
    "jshell",
    "getent",
    "passwd",
    "chpasswd",
    "openssl",
    "mktemp",
    "stat",
    "du",
    "df",
    "dd",
];

impl RunFacts {
    /// Reads a (variable-expanded) shell script.
    pub fn from_script(script: &str) -> RunFacts {
        let mut facts = RunFacts {
            text: script.to_string(),
            ..RunFacts::default()
        };
        let mut apt_mark_auto = false;
        // `if`/`case` nesting: an `apt-mark auto` in one branch (another
        // architecture's source build) does not mark what the script installs.
        let mut branch_depth = 0usize;
        for words in split_commands(script) {
            match words.first().map(String::as_str) {
                Some("if" | "case") => branch_depth += 1,
                Some("fi" | "esac") => branch_depth = branch_depth.saturating_sub(1),
                _ => {}
            }
            let words = strip_prefixes(&words);
            let installs_before = facts.installs.len();
            let Some(first) = words.first() else { continue };
            let name = first.rsplit('/').next().unwrap_or(first).to_string();
            facts.commands.push(name.clone());
            let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
            match name.as_str() {
                "apt-get" | "apt" | "aptitude" => {
                    facts.apt(&args, apt_mark_auto);
                }
                "apt-mark" if args.first() == Some(&"auto") && branch_depth == 0 => {
                    apt_mark_auto = true;
                }
                "apk" => facts.apk(&args),
                "dnf" | "yum" | "microdnf" | "tdnf" => facts.dnf(&args),
                "pip" | "pip3" | "uv" => facts.pip(&args),
                "python" | "python3" if args.starts_with(&["-m", "pip"]) => facts.pip(&args[2..]),
                "python" | "python3" if args.starts_with(&["-m", "venv"]) => {
                    facts
                        .venvs
                        .extend(positional(&args[2..]).into_iter().take(1));
                }
                "virtualenv" => facts.venvs.extend(positional(&args).into_iter().take(1)),
                "npm" | "yarn" | "pnpm" => facts.node(&name, &args),
                "gem" if args.first() == Some(&"install") => facts.installs.push(PackageRequest {
                    manager: Some(Manager::Gem),
                    packages: positional(&args[1..]),
                    ..PackageRequest::default()
                }),
                "bundle" if args.first().is_none_or(|a| *a == "install") => {
                    facts.installs.push(PackageRequest {
                        manager: Some(Manager::Bundler),
                        from_lockfile: true,
                        ..PackageRequest::default()
                    });
                }
                "composer" if args.first() == Some(&"install") => {
                    facts.installs.push(PackageRequest {
                        manager: Some(Manager::Composer),
                        from_lockfile: true,
                        ..PackageRequest::default()
                    })
                }
                "go" => match args.first() {
                    Some(&"build") => facts.builds.push(Build::Go {
                        output: flag_value(&args, "-o"),
                    }),
                    Some(&"install") => facts.builds.push(Build::Go { output: None }),
                    _ => {}
                },
                "cargo" => match args.first() {
                    Some(&"build") => facts.builds.push(Build::Cargo {
                        release: args.contains(&"--release") || args.contains(&"-r"),
                        install: false,
                    }),
                    Some(&"install") => facts.builds.push(Build::Cargo {
                        release: true,
                        install: true,
                    }),
                    _ => {}
                },
                "make" | "cmake" | "ninja" if !facts.builds.contains(&Build::Make) => {
                    facts.builds.push(Build::Make);
                    if name == "cmake" {
                        facts.note_prefix(
                            args.iter()
                                .find_map(|a| a.strip_prefix("-DCMAKE_INSTALL_PREFIX=")),
                        );
                    }
                }
                "configure" | "Configure" | "config" => {
                    facts.note_prefix(flag_value(&args, "--prefix").as_deref());
                }
                "tar" | "bsdtar" => {
                    let dir = flag_value(&args, "-C").or_else(|| flag_value(&args, "--directory"));
                    facts.extract_dirs.extend(dir);
                }
                "mvn" | "gradle" | "./gradlew" | "gradlew" | "./mvnw" | "mvnw" => {
                    facts.builds.push(Build::Jvm);
                }
                "mv" => {
                    let paths = positional(&args);
                    if let Some((dst, srcs)) = paths.split_last() {
                        for src in srcs {
                            facts.moves.push((src.clone(), dst.clone()));
                        }
                    }
                }
                "rm" => facts.removals.extend(
                    args.iter()
                        .filter(|a| !a.starts_with('-'))
                        .map(|a| (*a).to_string()),
                ),
                _ => {}
            }
            for request in &mut facts.installs[installs_before..] {
                request.in_branch = branch_depth > 0;
            }
        }
        facts
    }

    /// Keeps the first install prefix a build names.
    fn note_prefix(&mut self, prefix: Option<&str>) {
        if self.install_prefix.is_none() {
            self.install_prefix = prefix
                .map(|p| {
                    p.trim_matches(['"', '\''])
                        .trim_end_matches('/')
                        .to_string()
                })
                .filter(|p| p.starts_with('/'));
        }
    }

    /// True when every command is known to add (next to) nothing, apart from the
    /// installs and builds already recorded.
    pub fn unknown_commands(&self) -> Vec<&str> {
        self.commands
            .iter()
            .map(String::as_str)
            .filter(|c| {
                !TRIVIAL.contains(c)
                    && !c.starts_with("docker-")
                    && !c.contains('=')
                    && !c.starts_with('$')
                    && !c.starts_with('#')
                    && !c.starts_with("./configure")
                    && !matches!(*c, "make" | "cmake" | "ninja" | "mvn" | "gradle")
            })
            .collect()
    }

    fn apt(&mut self, args: &[&str], marked_auto: bool) {
        let Some(verb_at) = args.iter().position(|a| !a.starts_with('-')) else {
            return;
        };
        let rest = &args[verb_at + 1..];
        let flags: Vec<&str> = args[..verb_at]
            .iter()
            .chain(rest.iter())
            .copied()
            .filter(|a| a.starts_with('-'))
            .collect();
        match args[verb_at] {
            "update" => self.apt_update = true,
            "install" if flags.iter().any(|f| SIMULATE.contains(f)) => {}
            "install" => self.installs.push(PackageRequest {
                manager: Some(Manager::Apt),
                packages: positional(rest),
                no_install_recommends: flags.iter().any(|f| {
                    *f == "--no-install-recommends"
                        || f.contains("Install-Recommends=false")
                        || f.contains("Install-Recommends=0")
                }),
                ..PackageRequest::default()
            }),
            "purge" | "remove" | "autoremove" => {
                let auto = args[verb_at] == "autoremove" || flags.contains(&"--auto-remove");
                if auto && marked_auto {
                    self.autoremove_after_mark = true;
                }
                self.uninstalls.push(PackageRequest {
                    manager: Some(Manager::Apt),
                    packages: positional(rest),
                    ..PackageRequest::default()
                });
            }
            "clean" => self.cleaned.push("apt"),
            "dist-clean" | "distclean" => {
                self.cleaned.push("apt");
                self.removals.push("/var/lib/apt/lists/*".into());
            }
            _ => {}
        }
    }

    fn apk(&mut self, args: &[&str]) {
        let Some(verb_at) = args.iter().position(|a| !a.starts_with('-')) else {
            return;
        };
        let rest = &args[verb_at + 1..];
        let all: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| a.starts_with('-'))
            .collect();
        match args[verb_at] {
            "update" => self.apk_update = true,
            "add" => {
                let virtual_name = flag_value(rest, "--virtual").or_else(|| flag_value(rest, "-t"));
                let mut packages = Vec::new();
                let mut skip = false;
                for arg in rest {
                    if skip {
                        skip = false;
                        continue;
                    }
                    if matches!(*arg, "--virtual" | "-t" | "--repository" | "-X") {
                        skip = true;
                        continue;
                    }
                    if !arg.starts_with('-') {
                        packages.push((*arg).to_string());
                    }
                }
                self.installs.push(PackageRequest {
                    manager: Some(Manager::Apk),
                    packages,
                    no_cache: all.contains(&"--no-cache"),
                    virtual_name,
                    ..PackageRequest::default()
                });
            }
            "del" => self.uninstalls.push(PackageRequest {
                manager: Some(Manager::Apk),
                packages: positional(rest),
                ..PackageRequest::default()
            }),
            "cache" if rest.first() == Some(&"clean") => self.cleaned.push("apk"),
            _ => {}
        }
    }

    fn dnf(&mut self, args: &[&str]) {
        let Some(verb_at) = args.iter().position(|a| !a.starts_with('-')) else {
            return;
        };
        let rest = &args[verb_at + 1..];
        match args[verb_at] {
            "install" | "reinstall" => self.installs.push(PackageRequest {
                manager: Some(Manager::Dnf),
                packages: positional(rest),
                no_install_recommends: args.iter().any(|a| {
                    a.contains("install_weak_deps=0")
                        || a.contains("install_weak_deps=False")
                        || *a == "--nodocs"
                }),
                ..PackageRequest::default()
            }),
            "remove" | "erase" => self.uninstalls.push(PackageRequest {
                manager: Some(Manager::Dnf),
                packages: positional(rest),
                ..PackageRequest::default()
            }),
            "clean" => self.cleaned.push("dnf"),
            _ => {}
        }
    }

    fn pip(&mut self, args: &[&str]) {
        let args = if args.first() == Some(&"pip") {
            &args[1..]
        } else {
            args
        };
        if args.first() == Some(&"venv") {
            self.venvs
                .extend(positional(&args[1..]).into_iter().take(1));
            return;
        }
        if args.first() != Some(&"install") {
            if args.starts_with(&["cache", "purge"]) {
                self.cleaned.push("pip");
            }
            return;
        }
        let rest = &args[1..];
        let mut request = PackageRequest {
            manager: Some(Manager::Pip),
            no_cache: rest.contains(&"--no-cache-dir") || rest.contains(&"--no-cache"),
            global: rest.contains(&"--user"),
            ..PackageRequest::default()
        };
        let mut index = 0;
        while index < rest.len() {
            let arg = rest[index];
            if arg == "-r" || arg == "--requirement" || arg == "-c" {
                if let Some(file) = rest.get(index + 1) {
                    if arg != "-c" {
                        request.requirement_files.push((*file).to_string());
                    }
                }
                index += 2;
                continue;
            }
            if let Some(file) = arg
                .strip_prefix("--requirement=")
                .or_else(|| arg.strip_prefix("-r"))
            {
                if !file.is_empty() {
                    request.requirement_files.push(file.to_string());
                    index += 1;
                    continue;
                }
            }
            if matches!(arg, "--target" | "-t" | "--prefix") {
                request.target_dir = rest.get(index + 1).map(|v| (*v).to_string());
                index += 2;
                continue;
            }
            if let Some(dir) = arg
                .strip_prefix("--prefix=")
                .or_else(|| arg.strip_prefix("--target="))
            {
                request.target_dir = Some(dir.to_string());
                index += 1;
                continue;
            }
            if matches!(
                arg,
                "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" | "--root"
            ) {
                index += 2;
                continue;
            }
            if !arg.starts_with('-')
                && arg != "."
                && !arg.starts_with("./")
                && !arg.starts_with('/')
            {
                request.packages.push(arg.to_string());
            }
            index += 1;
        }
        self.installs.push(request);
    }

    fn node(&mut self, tool: &str, args: &[&str]) {
        let manager = match tool {
            "yarn" => Manager::Yarn,
            "pnpm" => Manager::Pnpm,
            _ => Manager::Npm,
        };
        let verb = args.iter().find(|a| !a.starts_with('-')).copied();
        let production = args.iter().any(|a| {
            *a == "--production"
                || a.starts_with("--omit=dev")
                || *a == "--only=production"
                || *a == "--prod"
        });
        match verb {
            Some("ci" | "install" | "i" | "add") | None
                if verb.is_some() || (tool != "npm" && args.is_empty()) =>
            {
                let packages: Vec<String> = args
                    .iter()
                    .skip_while(|a| Some(**a) != verb)
                    .skip(1)
                    .filter(|a| !a.starts_with('-'))
                    .map(|a| (*a).to_string())
                    .collect();
                self.installs.push(PackageRequest {
                    manager: Some(manager),
                    from_lockfile: packages.is_empty(),
                    packages,
                    production,
                    global: args.contains(&"-g")
                        || args.contains(&"--global")
                        || verb == Some("global"),
                    ..PackageRequest::default()
                });
            }
            Some("cache") if args.contains(&"clean") => self.cleaned.push("npm"),
            Some("run" | "build") if args.contains(&"build") => self.builds.push(Build::Script),
            _ => {}
        }
    }
}

/// Arguments that are not options.
fn positional(args: &[&str]) -> Vec<String> {
    args.iter()
        .filter(|a| !a.starts_with('-') && !a.is_empty())
        .map(|a| (*a).to_string())
        .collect()
}

/// `-o out` or `-o=out`.
fn flag_value(args: &[&str], flag: &str) -> Option<String> {
    for (index, arg) in args.iter().enumerate() {
        if *arg == flag {
            return args.get(index + 1).map(|v| (*v).to_string());
        }
        if let Some(value) = arg.strip_prefix(flag).and_then(|v| v.strip_prefix('=')) {
            return Some(value.to_string());
        }
    }
    None
}

/// Drops `VAR=value` assignments and wrappers (`sudo`, `env`, `exec`, `time`, `xargs`,
/// `command`) in front of a command.
fn strip_prefixes(words: &[String]) -> Vec<String> {
    let mut start = 0;
    while start < words.len() {
        let word = &words[start];
        let is_assignment = word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let is_wrapper = matches!(
            word.as_str(),
            "sudo"
                | "env"
                | "exec"
                | "time"
                | "command"
                | "nohup"
                | "!"
                | "then"
                | "do"
                | "else"
                | "{"
                | "("
        ) || (word == "xargs"
            || word.starts_with('-') && start > 0 && words[start - 1] == "xargs");
        if is_assignment || is_wrapper {
            start += 1;
        } else {
            break;
        }
    }
    words[start..].to_vec()
}

/// Splits a script into simple commands (lists of words with quotes removed).
/// Separators: newline, `;`, `&&`, `||`, `|`, `&`, `(`, `)` outside quotes.
/// Comments (`#` at a word start) run to the end of the line.
pub fn split_commands(script: &str) -> Vec<Vec<String>> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let finish_word = |word: &mut String, in_word: &mut bool, words: &mut Vec<String>| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') | None => {}
                Some(next) => {
                    word.push(next);
                    in_word = true;
                }
            },
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(&n) = chars.peek() {
                                if matches!(n, '"' | '\\' | '$' | '`') {
                                    word.push(n);
                                    chars.next();
                                } else if n == '\n' {
                                    chars.next();
                                } else {
                                    word.push('\\');
                                }
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '#' if !in_word => {
                for q in chars.by_ref() {
                    if q == '\n' {
                        break;
                    }
                }
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            ' ' | '\t' | '\r' => finish_word(&mut word, &mut in_word, &mut words),
            '\n' | ';' | '&' | '|' | '(' | ')' | '`' => {
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '$' if chars.peek() == Some(&'(') => {
                // Command substitution: its commands are commands too.
                chars.next();
                finish_word(&mut word, &mut in_word, &mut words);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    finish_word(&mut word, &mut in_word, &mut words);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// Replaces `$NAME` and `${NAME}` with values from `lookup`; other forms and
/// unknown names are left as written.
pub fn expand_simple(script: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(script.len());
    let bytes = script.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'$' {
            let (name_start, braced) = if bytes.get(index + 1) == Some(&b'{') {
                (index + 2, true)
            } else {
                (index + 1, false)
            };
            let mut end = name_start;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            let closed = !braced || bytes.get(end) == Some(&b'}');
            if end > name_start && closed {
                if let Some(value) = lookup(&script[name_start..end]) {
                    out.push_str(&value);
                    index = if braced { end + 1 } else { end };
                    continue;
                }
            }
        }
        let ch = script[index..].chars().next().unwrap_or('\0');
        out.push(ch);
        index += ch.len_utf8().max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apt_install_with_flags_and_cleanup() {
        let facts = RunFacts::from_script(
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\\n curl ca-certificates && rm -rf /var/lib/apt/lists/*",
        );
        assert!(facts.apt_update);
        assert_eq!(facts.installs.len(), 1);
        assert!(facts.installs[0].no_install_recommends);
        assert_eq!(facts.installs[0].packages, ["curl", "ca-certificates"]);
        assert_eq!(facts.removals, ["/var/lib/apt/lists/*"]);
    }

    #[test]
    fn apk_virtual_group_and_delete() {
        let facts = RunFacts::from_script(
            "set -eux; apk add --no-cache --virtual .build-deps gcc make; make; apk del --no-network .build-deps",
        );
        assert_eq!(
            facts.installs[0].virtual_name.as_deref(),
            Some(".build-deps")
        );
        assert_eq!(facts.installs[0].packages, ["gcc", "make"]);
        assert!(facts.installs[0].no_cache);
        assert_eq!(facts.uninstalls[0].packages, [".build-deps"]);
        assert_eq!(facts.builds, [Build::Make]);
    }

    #[test]
    fn pip_requirements_and_quotes() {
        let facts =
            RunFacts::from_script("pip install --no-cache-dir -r requirements.txt 'flask==3.0'");
        assert_eq!(facts.installs[0].requirement_files, ["requirements.txt"]);
        assert_eq!(facts.installs[0].packages, ["flask==3.0"]);
        assert!(facts.installs[0].no_cache);
    }

    #[test]
    fn official_image_autoremove_pattern() {
        let facts = RunFacts::from_script(
            "savedAptMark=\"$(apt-mark showmanual)\"; apt-get install -y gcc; apt-mark auto '.*' > /dev/null; apt-get purge -y --auto-remove",
        );
        assert!(facts.autoremove_after_mark);
    }

    #[test]
    fn apt_mark_in_another_branch_does_not_purge_the_install() {
        let facts = RunFacts::from_script(
            "case \"$arch\" in amd64) apt-get update ;; *) apt-mark showmanual | xargs apt-mark auto ;; esac; apt-get install -y postgresql; if [ -n \"$tmp\" ]; then apt-get purge -y --auto-remove; fi",
        );
        assert!(!facts.autoremove_after_mark);
        assert_eq!(facts.installs[0].packages, ["postgresql"]);
    }

    #[test]
    fn install_prefix_and_extraction_directory() {
        let facts = RunFacts::from_script(
            "tar -xzf otp.tar.gz -C /usr/src/otp && ./configure --prefix=\"/opt/erlang\" && make install && tar --directory=/opt/x -xf y.tar",
        );
        assert_eq!(facts.install_prefix.as_deref(), Some("/opt/erlang"));
        assert_eq!(facts.extract_dirs, ["/usr/src/otp", "/opt/x"]);
    }

    #[test]
    fn go_and_npm() {
        let facts = RunFacts::from_script(
            "npm ci --omit=dev && CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        );
        assert!(facts.installs[0].from_lockfile && facts.installs[0].production);
        assert_eq!(
            facts.builds,
            [Build::Go {
                output: Some("/out/app".into())
            }]
        );
    }

    #[test]
    fn simple_expansion() {
        let lookup = |n: &str| (n == "V").then(|| "1.2".to_string());
        assert_eq!(
            expand_simple("a-$V-${V}-$W-${V:-x}", &lookup),
            "a-1.2-1.2-$W-${V:-x}"
        );
    }
}
