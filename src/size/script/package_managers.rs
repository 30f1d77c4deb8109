//! Package-manager command lines (apt, apk, dnf, pip, npm/yarn/pnpm) read into
//! installs, removals and cache cleanups.

use super::shell_words::{flag_value, positional};
use super::{Build, Manager, PackageRequest, RunFacts};

/// `apt-get install` options that only print what would happen.
const SIMULATE: &[&str] = &[
    "-s",
    "--simulate",
    "--dry-run",
    "--just-print",
    "--recon",
    "--no-act",
];

impl RunFacts {
    pub(super) fn apt(&mut self, args: &[&str], marked_auto: bool) {
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

    pub(super) fn apk(&mut self, args: &[&str]) {
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
                    // `--no-network` reads no index, so it leaves none behind.
                    no_cache: all.contains(&"--no-cache") || all.contains(&"--no-network"),
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

    pub(super) fn dnf(&mut self, args: &[&str]) {
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

    pub(super) fn pip(&mut self, args: &[&str]) {
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

    pub(super) fn node(&mut self, tool: &str, args: &[&str]) {
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
