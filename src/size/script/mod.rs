//! What a `RUN` does, as far as sizing is concerned.
//!
//! [`RunFacts`] is the small interface the estimator reads: package installs with
//! their flags, removals, cache cleanups and build commands. [`RunFacts::from_script`]
//! fills it with a quote-aware splitter on `&&`, `||`, `;`, `|` and newlines; the
//! shell-facts model (tree-sitter-bash) can fill the same struct instead.
//!
//! This file reads the script command by command; the package managers' command
//! lines are read in `package_managers.rs`, the shell words in [`shell_words`].

mod negligible;
mod package_managers;
pub mod shell_words;

use shell_words::{expand_simple, flag_value, positional, split_commands, strip_prefixes};

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
    /// The whole script after expansion.
    pub text: String,
    /// The arguments of the commands that fetch (`curl`, `wget`, `git clone`...),
    /// after expansion: a URL counts as a download only here, not in a comment,
    /// an `echo` or a link in a message.
    pub fetched: String,
    /// Variables the script assigns from a command's output (`runDeps="$(scanelf ...)"`).
    pub computed: Vec<String>,
}

impl RunFacts {
    /// Reads a (variable-expanded) shell script.
    pub fn from_script(script: &str) -> RunFacts {
        // As the shell model: a script over the limit is not read (no real RUN is).
        if script.len() > crate::model::shell::MAX_SCRIPT_BYTES {
            return RunFacts::default();
        }
        let mut facts = RunFacts {
            text: script.to_string(),
            ..RunFacts::default()
        };
        let mut apt_mark_auto = false;
        // `if`/`case` nesting: an `apt-mark auto` in one branch (another
        // architecture's source build) does not mark what the script installs.
        let mut branch_depth = 0usize;
        // Variables the script itself assigns (`runDeps="a b"; apt-get install $runDeps`).
        let mut locals: Vec<(String, String)> = Vec::new();
        for words in split_commands(script) {
            if record_assignments(&words, &mut locals, &mut facts.computed) {
                continue;
            }
            let words = expand_words(&words, &locals);
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
                "curl" | "wget" | "aria2c" | "fetch" | "http" | "git" => {
                    for arg in &args {
                        facts.fetched.push_str(arg);
                        facts.fetched.push(' ');
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
}

/// Records `NAME=value` (alone, or after `export`/`local`/`readonly`) and says
/// whether the command was only that.
/// A value computed by a command (`$(...)`, backticks) is known only at build
/// time: its name goes to `computed` instead.
fn record_assignments(
    words: &[String],
    locals: &mut Vec<(String, String)>,
    computed: &mut Vec<String>,
) -> bool {
    let start = usize::from(matches!(
        words.first().map(String::as_str),
        Some("export" | "local" | "readonly" | "declare")
    ));
    let assignments: Vec<(&str, &str)> = words[start..]
        .iter()
        .filter_map(|w| w.split_once('='))
        .filter(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect();
    if words.len() <= start || assignments.len() != words.len() - start {
        return false;
    }
    for (name, value) in assignments {
        let lookup = |n: &str| local(locals, n);
        let value =
            (!value.contains("$(") && !value.contains('`')).then(|| expand_simple(value, &lookup));
        locals.retain(|(l, _)| l != name);
        match value {
            Some(value) => locals.push((name.to_string(), value)),
            None => computed.push(name.to_string()),
        }
    }
    true
}

/// The latest value the script assigned to `name`.
fn local(locals: &[(String, String)], name: &str) -> Option<String> {
    locals
        .iter()
        .rev()
        .find(|(l, _)| l == name)
        .map(|(_, v)| v.clone())
}

/// Expands the script's own variables in each word; an unquoted list value
/// becomes several words (the quotes are gone by now, so any value with spaces).
fn expand_words(words: &[String], locals: &[(String, String)]) -> Vec<String> {
    if locals.is_empty() {
        return words.to_vec();
    }
    let lookup = |n: &str| local(locals, n);
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if !word.contains('$') {
            out.push(word.clone());
            continue;
        }
        let expanded = expand_simple(word, &lookup);
        out.extend(expanded.split_whitespace().map(str::to_string));
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
    fn a_script_over_the_shell_limit_is_not_read() {
        let one = "apt-get install -y curl && ";
        let script = one.repeat(crate::model::shell::MAX_SCRIPT_BYTES / one.len() + 1);
        assert!(RunFacts::from_script(&script).installs.is_empty());
        assert_eq!(RunFacts::from_script(one).installs.len(), 1);
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
}
