//! Finding package-manager runs among a script's commands and reading their command lines.

use super::super::command::{ShellWord, SimpleCommand};
use super::super::nested::parse_assignment;
use super::command_line::split_command_line;
use super::flags::flag_matches;
use super::{dialect, PackageAction, PackageArg, PackageFlag, PackageInstall, PackageManager};

/// Finds every package-manager run, split into installs and removals.
pub(in super::super) fn detect(
    commands: &[SimpleCommand],
) -> (Vec<PackageInstall>, Vec<PackageInstall>) {
    let mut installs = Vec::new();
    let mut uninstalls = Vec::new();
    let mut exported: Vec<(String, String)> = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        record_environment(command, &mut exported);
        let Some(run) = package_run(index, command, &exported) else {
            continue;
        };
        if run.action == PackageAction::Remove {
            uninstalls.push(run);
        } else {
            installs.push(run);
        }
    }
    (installs, uninstalls)
}

/// Variables that later commands see: `export A=1`, `declare -x A=1`, and
/// `bundle config [set] [--local] without GROUPS` (stored as `BUNDLE_WITHOUT`).
fn record_environment(command: &SimpleCommand, exported: &mut Vec<(String, String)>) {
    match command.program() {
        "export" => exported.extend(command.arg_texts().filter_map(parse_assignment)),
        "declare" | "typeset"
            if command
                .arg_texts()
                .any(|arg| arg.starts_with('-') && arg.contains('x')) =>
        {
            exported.extend(command.arg_texts().filter_map(parse_assignment));
        }
        "bundle" | "bundler" => {
            let words: Vec<&str> = command
                .arg_texts()
                .filter(|arg| !matches!(*arg, "--local" | "--global"))
                .collect();
            let setting = match words.as_slice() {
                ["config", "set", key, value @ ..] | ["config", key, value @ ..] => {
                    Some((*key, value.join(" ")))
                }
                _ => None,
            };
            if let Some((key, value)) = setting {
                if key.trim_start_matches("--") == "without" && !value.is_empty() {
                    exported.push(("BUNDLE_WITHOUT".to_string(), value));
                }
            }
        }
        _ => {}
    }
}

fn package_run(
    index: usize,
    command: &SimpleCommand,
    exported: &[(String, String)],
) -> Option<PackageInstall> {
    let (manager, args) = identify(command)?;
    let dialect = dialect(manager);
    let mut line = split_command_line(args, dialect.grammar);
    // `cargo +nightly build`: the toolchain comes before the verb.
    if manager == PackageManager::Cargo
        && line
            .operands
            .first()
            .is_some_and(|w| w.text.starts_with('+'))
    {
        line.operands.remove(0);
    }
    let mut operands = line.operands.into_iter();
    let verb = match operands.next() {
        None => String::new(),
        Some(first) if dialect.two_word_verbs.contains(&first.text.as_str()) => {
            match operands.next() {
                Some(second) => format!("{} {}", first.text, second.text),
                None => first.text.clone(),
            }
        }
        Some(first) => first.text.clone(),
    };
    let mut packages: Vec<PackageArg> = operands
        .map(|word| PackageArg {
            name: package_name(manager, &word.text),
            spec: word.text.clone(),
            span: word.span,
            is_static: word.is_static,
        })
        .collect();

    let mut requirement_files = Vec::new();
    let mut virtual_package = None;
    for flag in &line.flags {
        let Some(value) = flag.value.as_deref() else {
            continue;
        };
        let is = |long: &str, short: Option<char>| flag_matches(flag, long, short);
        match manager {
            PackageManager::Pip | PackageManager::Uv if is("--requirement", Some('r')) => {
                requirement_files.push(value.to_string());
            }
            PackageManager::Pip | PackageManager::Uv if is("--editable", Some('e')) => packages
                .push(PackageArg {
                    name: package_name(manager, value),
                    spec: value.to_string(),
                    span: flag.span,
                    is_static: true,
                }),
            PackageManager::Conda if is("--file", None) => {
                requirement_files.push(value.to_string())
            }
            PackageManager::Apk if is("--virtual", Some('t')) => {
                virtual_package = Some(value.to_string())
            }
            _ => {}
        }
    }

    if asks_only_about_itself(&verb, &line.flags) {
        return None;
    }
    let action = dialect.action(&verb, !packages.is_empty())?;
    let mut env = exported.to_vec();
    env.extend(command.assignments.iter().cloned());
    Some(PackageInstall {
        manager,
        action,
        verb,
        packages,
        flags: line.flags,
        requirement_files,
        virtual_package,
        env,
        command_index: index,
        span: command.span,
    })
}

/// `yarn --version`, `npm -v`, `pip --help`, `apt-get install --help`: the
/// manager prints about itself and installs nothing. A bare `yarn` or
/// `bundle` with other options (`yarn --frozen-lockfile`) still installs.
fn asks_only_about_itself(verb: &str, flags: &[PackageFlag]) -> bool {
    let info = |names: &[&str]| flags.iter().any(|flag| names.contains(&flag.name.as_str()));
    info(&["--help", "--usage"]) || (verb.is_empty() && info(&["--version", "-v", "-V", "-h"]))
}

/// The manager a command runs and the arguments after the program
/// (after `-m pip` for `python -m pip`).
fn identify(command: &SimpleCommand) -> Option<(PackageManager, &[ShellWord])> {
    let program = command.program();
    let manager = match program {
        "apt-get" | "apt" | "aptitude" => PackageManager::Apt,
        "apk" => PackageManager::Apk,
        "dnf" | "dnf5" => PackageManager::Dnf,
        "yum" => PackageManager::Yum,
        "microdnf" => PackageManager::Microdnf,
        "zypper" => PackageManager::Zypper,
        "pipx" => PackageManager::Pipx,
        "npm" => PackageManager::Npm,
        "yarn" | "yarnpkg" => PackageManager::Yarn,
        "pnpm" => PackageManager::Pnpm,
        "gem" => PackageManager::Gem,
        "bundle" | "bundler" => PackageManager::Bundle,
        "go" => PackageManager::Go,
        "cargo" => PackageManager::Cargo,
        "composer" | "composer.phar" => PackageManager::Composer,
        "conda" | "mamba" | "micromamba" => PackageManager::Conda,
        "uv" => PackageManager::Uv,
        "poetry" => PackageManager::Poetry,
        _ if is_versioned(program, "pip") => PackageManager::Pip,
        _ if is_versioned(program, "python") => {
            // `python -m pip ...`
            return match command.args.as_slice() {
                [flag, module, rest @ ..]
                    if flag.text == "-m" && is_versioned(&module.text, "pip") =>
                {
                    Some((PackageManager::Pip, rest))
                }
                _ => None,
            };
        }
        _ => return None,
    };
    Some((manager, &command.args))
}

/// `pip`, `pip3`, `pip3.12` for `base` = `pip`.
fn is_versioned(program: &str, base: &str) -> bool {
    program
        .strip_prefix(base)
        .is_some_and(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The package name in a spec: version pins, extras, channels and
/// repository tags removed.
fn package_name(manager: PackageManager, spec: &str) -> String {
    if super::is_location(spec) {
        return spec.to_string();
    }
    (dialect(manager).package_name)(spec)
}
