//! Tests of the shell facts over whole scripts.

use super::*;

/// Analyzes `script` and checks the invariants every result must hold:
/// spans inside the text, on character boundaries, and `raw` equal to the
/// text under its span.
fn facts(script: &str) -> ShellFacts {
    let facts = analyze(script);
    assert_spans_hold(script, &facts);
    facts
}

fn assert_spans_hold(script: &str, facts: &ShellFacts) {
    let check = |span: Span| {
        assert!(
            span.start <= span.end && span.end <= script.len(),
            "{span:?} out of {script:?}"
        );
        assert!(script.is_char_boundary(span.start) && script.is_char_boundary(span.end));
    };
    for command in &facts.commands {
        check(command.span);
        check(command.name_span);
        for word in &command.args {
            check(word.span);
            assert_eq!(word.raw, &script[word.span.start..word.span.end]);
        }
        if let Some(enclosing) = command.origin.enclosing() {
            assert!(enclosing < facts.commands.len());
        }
    }
    for install in facts.installs.iter().chain(&facts.uninstalls) {
        check(install.span);
        assert!(install.command_index < facts.commands.len());
        install.packages.iter().for_each(|p| check(p.span));
        install.flags.iter().for_each(|f| check(f.span));
    }
    facts.cleanups.iter().for_each(|c| check(c.span));
    facts.downloads.iter().for_each(|d| check(d.span));
    facts.removals.iter().for_each(|r| check(r.span));
    if let Some(error) = &facts.parse_error {
        check(error.span);
    }
}

fn slice(script: &str, span: Span) -> &str {
    &script[span.start..span.end]
}

fn programs(facts: &ShellFacts) -> Vec<&str> {
    facts.commands.iter().map(SimpleCommand::program).collect()
}

fn package_names(install: &PackageInstall) -> Vec<&str> {
    install.packages.iter().map(|p| p.name.as_str()).collect()
}

fn only_install(facts: &ShellFacts) -> &PackageInstall {
    assert_eq!(facts.installs.len(), 1, "{:#?}", facts.installs);
    &facts.installs[0]
}

// ---- commands and their context ----

#[test]
fn lists_commands_of_and_or_lists_and_sequences() {
    let f = facts("set -eux; apt-get update && make || echo failed; ls");
    assert_eq!(programs(&f), ["set", "apt-get", "make", "echo", "ls"]);
    assert!(f.parse_error.is_none());
    assert!(f.commands[3].conditional, "right of || may not run");
    assert!(!f.commands[2].conditional);
}

#[test]
fn command_spans_point_at_the_command() {
    let script = "cd /app && CGO_ENABLED=0 go build -o /out/app ./cmd";
    let f = facts(script);
    let go = &f.commands[1];
    assert_eq!(
        slice(script, go.span),
        "CGO_ENABLED=0 go build -o /out/app ./cmd"
    );
    assert_eq!(slice(script, go.name_span), "go");
    assert_eq!(
        go.assignments,
        [("CGO_ENABLED".to_string(), "0".to_string())]
    );
    assert_eq!(go.assignment("CGO_ENABLED"), Some("0"));
}

#[test]
fn words_are_unquoted_and_keep_their_raw_text() {
    let script = r#"echo 'a b' "c $HOME" d\ e"#;
    let f = facts(script);
    let args = &f.commands[0].args;
    assert_eq!(args[0].text, "a b");
    assert_eq!(args[0].raw, "'a b'");
    assert!(args[0].is_static);
    assert_eq!(args[1].text, "c $HOME");
    assert!(!args[1].is_static);
    assert_eq!(args[2].text, "d e");
}

#[test]
fn program_strips_the_path() {
    let f = facts("/usr/bin/apt-get install -y curl");
    assert_eq!(f.commands[0].name, "/usr/bin/apt-get");
    assert_eq!(f.commands[0].program(), "apt-get");
    assert_eq!(f.installs.len(), 1);
}

#[test]
fn pipelines_record_index_and_position() {
    let f = facts("ls | sort -u | head -1; a | b");
    let positions: Vec<_> = f
        .commands
        .iter()
        .map(|c| c.pipeline.map(|p| (p.index, p.position, p.len)))
        .collect();
    assert_eq!(
        positions,
        [
            Some((0, 0, 3)),
            Some((0, 1, 3)),
            Some((0, 2, 3)),
            Some((1, 0, 2)),
            Some((1, 1, 2))
        ]
    );
    assert_eq!(facts("ls").commands[0].pipeline, None);
}

#[test]
fn conditions_and_branches() {
    let script = "if [ -f x ] && grep -q a x; then make; elif test -d y; then b; else c; fi";
    let f = facts(script);
    assert_eq!(programs(&f), ["grep", "make", "test", "b", "c"]);
    let flags: Vec<_> = f
        .commands
        .iter()
        .map(|c| (c.in_condition, c.conditional))
        .collect();
    assert_eq!(
        flags,
        [
            (true, false),
            (false, true),
            (true, true),
            (false, true),
            (false, true)
        ]
    );
}

#[test]
fn loops_cases_functions_and_subshells() {
    let script = "for p in a b; do pip install $p; done\n\
                  while ! pg_isready; do sleep 1; done\n\
                  case \"$(uname -m)\" in x86_64) arch=amd64 ;; *) echo other ;; esac\n\
                  f() { apk add curl; }\n\
                  (cd /x && make)";
    let f = facts(script);
    assert_eq!(
        programs(&f),
        [
            "pip",
            "pg_isready",
            "sleep",
            "uname",
            "echo",
            "apk",
            "cd",
            "make"
        ]
    );
    assert!(!f.commands[0].conditional, "a for body runs");
    assert!(f.commands[1].in_condition);
    assert!(f.commands[2].conditional);
    assert!(f.commands[4].conditional, "case arm");
    assert!(f.commands[5].conditional, "function body");
    assert!(!f.commands[7].conditional);
    assert_eq!(f.installs.len(), 2);
}

#[test]
fn command_substitutions_know_their_enclosing_command() {
    let script = r#"apt-mark manual $(apt-mark showmanual) && X="$(mktemp -d)""#;
    let f = facts(script);
    assert_eq!(programs(&f), ["apt-mark", "apt-mark", "mktemp"]);
    assert_eq!(
        f.commands[1].origin,
        CommandOrigin::Substitution { command: Some(0) }
    );
    assert_eq!(
        f.commands[2].origin,
        CommandOrigin::Substitution { command: None }
    );
    assert!(!f.commands[1].nested);
}

#[test]
fn declarations_are_commands() {
    let f = facts(r#"export A=1 B="x y"; unset C"#);
    assert_eq!(programs(&f), ["export", "unset"]);
    assert_eq!(
        f.commands[0].arg_texts().collect::<Vec<_>>(),
        ["A=1", "B=x y"]
    );
}

#[test]
fn heredocs_inside_the_text_are_not_commands() {
    let script = "cat > /etc/x.conf <<'EOF'\napt-get install nothing\nEOF\napk add --no-cache curl";
    let f = facts(script);
    assert_eq!(programs(&f), ["cat", "apk"]);
    assert!(f.parse_error.is_none());
}

// ---- nested scripts and wrappers ----

#[test]
fn sh_c_strings_are_analyzed_with_spans_in_the_outer_text() {
    let script = "sh -c 'apt-get update && apt-get install -y curl'";
    let f = facts(script);
    assert_eq!(programs(&f), ["sh", "apt-get", "apt-get"]);
    let install = &f.commands[2];
    assert!(install.nested);
    assert_eq!(install.origin, CommandOrigin::ScriptString { command: 0 });
    assert_eq!(slice(script, install.span), "apt-get install -y curl");
    let package = &f.installs[1].packages[0];
    assert_eq!(slice(script, package.span), "curl");
}

#[test]
fn double_quoted_scripts_map_escapes_back() {
    let script = r#"bash -euxc "apt-get install -y \"foo\" bar""#;
    let f = facts(script);
    let install = only_install(&f);
    assert_eq!(package_names(install), ["foo", "bar"]);
    // An escaped character maps to itself, not to its backslash, so the
    // span starts at the quote after the first backslash.
    assert_eq!(slice(script, install.packages[0].span), r#""foo\""#);
    assert_eq!(slice(script, install.packages[1].span), "bar");
}

#[test]
fn every_shell_form_recurses() {
    for script in [
        "/bin/sh -c 'pip install x'",
        "dash -c 'pip install x'",
        "ash -c 'pip install x'",
        "zsh -c 'pip install x'",
        "bash -o pipefail -c 'pip install x'",
        "su -c 'pip install x' app",
        "su app --command='pip install x'",
        "eval 'pip install x'",
        "eval pip install x",
        "sh <<EOF\npip install x\nEOF",
        "bash -s <<'EOF'\npip install x\nEOF",
        "bash <<< 'pip install x'",
    ] {
        let f = facts(script);
        let install = only_install(&f);
        assert_eq!(package_names(install), ["x"], "{script}");
        assert!(f.commands[install.command_index].nested, "{script}");
        assert_eq!(slice(script, install.packages[0].span), "x", "{script}");
    }
}

#[test]
fn nested_twice() {
    let script = r#"sh -c "bash -c 'apk add --no-cache curl'""#;
    let f = facts(script);
    let install = only_install(&f);
    assert_eq!(slice(script, install.packages[0].span), "curl");
    assert_eq!(programs(&f), ["sh", "bash", "apk"]);
}

#[test]
fn scripts_holding_substitutions_are_not_counted_twice() {
    let f = facts(r#"sh -c "apt-get install -y $(cat /pkgs)""#);
    assert_eq!(programs(&f), ["sh", "apt-get", "cat"]);
    let install = only_install(&f);
    assert_eq!(install.packages.len(), 1);
    assert!(!install.packages[0].is_static);
}

#[test]
fn wrappers_delegate_to_the_command_they_run() {
    let script = "sudo -E apt-get install -y curl && env A=1 npm ci && gosu app make";
    let f = facts(script);
    assert_eq!(
        programs(&f),
        ["sudo", "apt-get", "env", "npm", "gosu", "make"]
    );
    assert_eq!(
        f.commands[1].origin,
        CommandOrigin::Delegated { command: 0 }
    );
    assert!(f.commands[1].nested);
    assert_eq!(slice(script, f.commands[1].span), "apt-get install -y curl");
    assert_eq!(f.commands[3].assignment("A"), Some("1"));
    assert_eq!(f.installs.len(), 2);
}

#[test]
fn find_exec_and_xargs_run_commands() {
    let script = "find /usr -name '*.pyc' -exec rm -f '{}' + ; ls | xargs -r rm -rf";
    let f = facts(script);
    assert_eq!(programs(&f), ["find", "rm", "ls", "xargs", "rm"]);
    assert_eq!(f.removals.len(), 2);
    assert_eq!(
        f.commands[4].pipeline, f.commands[3].pipeline,
        "xargs' command is its stage"
    );
}

#[test]
fn sudo_sh_c_recurses_through_the_wrapper() {
    let f = facts("sudo sh -c 'apt-get install -y jq'");
    assert_eq!(programs(&f), ["sudo", "sh", "apt-get"]);
    assert_eq!(package_names(only_install(&f)), ["jq"]);
}

// ---- package managers ----

#[test]
fn apt_install_with_pins_flags_and_cleanup() {
    let script = "apt-get update && apt-get install -y --no-install-recommends curl=7.88* git \
                  && rm -rf /var/lib/apt/lists/*";
    let f = facts(script);
    assert_eq!(f.installs.len(), 2);
    assert_eq!(f.installs[0].action, PackageAction::RefreshIndex);
    let install = &f.installs[1];
    assert_eq!(install.manager, PackageManager::Apt);
    assert_eq!(install.action, PackageAction::Install);
    assert_eq!(install.verb, "install");
    assert_eq!(package_names(install), ["curl", "git"]);
    assert_eq!(install.packages[0].spec, "curl=7.88*");
    assert_eq!(slice(script, install.packages[0].span), "curl=7.88*");
    assert!(install.no_install_recommends());
    assert!(install.assumes_yes());
    assert!(f.has_cleanup(CleanupKind::AptLists));
    let cleanup = &f.cleanups[0];
    assert_eq!(slice(script, cleanup.span), "/var/lib/apt/lists/*");
    assert_eq!(f.removals[0].paths[0].text, "/var/lib/apt/lists/*");
    assert!(f.removals[0].recursive && f.removals[0].force);
}

#[test]
fn apt_forms() {
    let install = |script: &str| facts(script).installs.into_iter().next().expect(script);
    let i = install("apt-get -y install curl");
    assert_eq!(package_names(&i), ["curl"]);
    assert!(i.assumes_yes());
    assert!(!i.no_install_recommends());
    let i = install("apt install -qqy curl/bookworm-backports libc6:amd64");
    assert_eq!(package_names(&i), ["curl", "libc6"]);
    assert!(i.assumes_yes());
    let i = install("DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata");
    assert_eq!(i.env_value("DEBIAN_FRONTEND"), Some("noninteractive"));
    let i = install("apt-get install -y -o APT::Install-Recommends=false x");
    assert!(i.no_install_recommends());
    assert_eq!(package_names(&i), ["x"]);
    let i = install("apt-get install -y -oAPT::Install-Recommends=0 x");
    assert!(i.no_install_recommends());
    let i = install("apt-get -t bookworm-backports install -y x");
    assert_eq!(package_names(&i), ["x"]);
    assert_eq!(
        i.flag_value("--target-release", Some('t')),
        Some("bookworm-backports")
    );
    let i = install("apt-get upgrade -y");
    assert_eq!(i.action, PackageAction::Upgrade);
}

#[test]
fn apt_purge_is_an_uninstall() {
    let f = facts("apt-get purge -y --auto-remove gcc && apt-get autoremove -y && apt-get clean");
    assert!(f.installs.is_empty());
    assert_eq!(f.uninstalls.len(), 2);
    assert_eq!(package_names(&f.uninstalls[0]), ["gcc"]);
    assert_eq!(f.uninstalls[1].action, PackageAction::Remove);
    assert!(f.has_cleanup(CleanupKind::AptClean));
}

#[test]
fn exported_environment_reaches_later_runs() {
    let f = facts("export DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1; apt-get install -y x; pip install y");
    assert_eq!(
        f.installs[0].env_value("DEBIAN_FRONTEND"),
        Some("noninteractive")
    );
    assert!(f.installs[1].no_cache());
}

#[test]
fn apk_virtual_packages_are_not_packages() {
    let script = "apk add --no-cache --virtual .build-deps gcc musl-dev curl=8.5.0-r0 && apk del .build-deps";
    let f = facts(script);
    let install = &f.installs[0];
    assert_eq!(install.manager, PackageManager::Apk);
    assert_eq!(install.virtual_package.as_deref(), Some(".build-deps"));
    assert_eq!(package_names(install), ["gcc", "musl-dev", "curl"]);
    assert!(install.no_cache());
    assert_eq!(f.uninstalls.len(), 1);
    assert_eq!(package_names(&f.uninstalls[0]), [".build-deps"]);
    let t = facts("apk --no-cache add -t .deps make");
    assert_eq!(t.installs[0].virtual_package.as_deref(), Some(".deps"));
    assert_eq!(package_names(&t.installs[0]), ["make"]);
}

#[test]
fn pip_forms() {
    let script = "pip3 install --no-cache-dir -r requirements.txt 'uvicorn[standard]>=0.20' requests==2.31.0";
    let f = facts(script);
    let install = only_install(&f);
    assert_eq!(install.manager, PackageManager::Pip);
    assert_eq!(package_names(install), ["uvicorn", "requests"]);
    assert_eq!(install.packages[0].spec, "uvicorn[standard]>=0.20");
    assert_eq!(
        slice(script, install.packages[0].span),
        "'uvicorn[standard]>=0.20'"
    );
    assert_eq!(install.requirement_files, ["requirements.txt"]);
    assert!(install.no_cache());

    let f = facts("python3 -m pip install --upgrade pip setuptools");
    assert_eq!(package_names(only_install(&f)), ["pip", "setuptools"]);

    let f = facts("pip install -r requirements.txt");
    assert_eq!(only_install(&f).action, PackageAction::FromManifest);
    assert!(!only_install(&f).no_cache());

    let f = facts("PIP_NO_CACHE_DIR=1 pip install x");
    assert!(only_install(&f).no_cache());
    let f = facts("PIP_NO_CACHE_DIR=0 pip install x");
    assert!(!only_install(&f).no_cache());

    let f = facts("pip install -e . && pip uninstall -y x");
    assert_eq!(package_names(only_install(&f)), ["."]);
    assert_eq!(f.uninstalls.len(), 1);
}

#[test]
fn npm_forms() {
    let f = facts("npm ci --omit=dev && npm cache clean --force");
    let install = only_install(&f);
    assert_eq!(install.action, PackageAction::FromManifest);
    assert!(install.production_only());
    assert!(f.has_cleanup(CleanupKind::NpmCacheClean));

    let f = facts("npm install -g pm2@5 @scope/pkg@1.2.3 @types/node");
    let install = only_install(&f);
    assert_eq!(install.action, PackageAction::Install);
    assert_eq!(package_names(install), ["pm2", "@scope/pkg", "@types/node"]);
    assert!(install.is_global());
    assert!(!install.production_only());

    for script in [
        "NODE_ENV=production npm install",
        "npm install --production",
        "npm ci --only=production",
        "npm ci --omit dev",
        "export NODE_ENV=production && npm ci",
    ] {
        let f = facts(script);
        assert!(only_install(&f).production_only(), "{script}");
    }
    assert!(!only_install(&facts("npm install --production=false")).production_only());
}

#[test]
fn yarn_and_pnpm_forms() {
    let f = facts("yarn install --frozen-lockfile --production && yarn cache clean");
    let install = only_install(&f);
    assert_eq!(install.manager, PackageManager::Yarn);
    assert_eq!(install.action, PackageAction::FromManifest);
    assert!(install.production_only());
    assert!(f.has_cleanup(CleanupKind::YarnCacheClean));

    let f = facts("yarn add react@18 && yarn && yarn global add serve");
    assert_eq!(f.installs.len(), 3);
    assert_eq!(package_names(&f.installs[0]), ["react"]);
    assert_eq!(f.installs[1].verb, "");
    assert_eq!(f.installs[1].action, PackageAction::FromManifest);
    assert!(f.installs[2].is_global());
    assert_eq!(package_names(&f.installs[2]), ["serve"]);

    assert!(only_install(&facts("pnpm install --prod --frozen-lockfile")).production_only());
    assert!(only_install(&facts("pnpm i -P")).production_only());
    assert!(!only_install(&facts("pnpm install")).production_only());
}

#[test]
fn go_and_cargo_forms() {
    let f = facts(
        r#"CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/app ./cmd/app"#,
    );
    let build = only_install(&f);
    assert_eq!(
        (build.manager, build.action),
        (PackageManager::Go, PackageAction::Build)
    );
    assert_eq!(package_names(build), ["./cmd/app"]);
    assert_eq!(build.flag_value("-o", None), Some("/out/app"));
    assert_eq!(build.flag_value("-ldflags", None), Some("-s -w"));
    assert_eq!(build.env_value("CGO_ENABLED"), Some("0"));

    let f = facts("go install github.com/x/tool@v1.2.3");
    assert_eq!(only_install(&f).action, PackageAction::Install);
    assert_eq!(package_names(only_install(&f)), ["github.com/x/tool"]);

    let f = facts("cargo build --release --locked && cargo install --locked ripgrep@14.0.0 && cargo +nightly build");
    assert_eq!(f.installs.len(), 3);
    assert_eq!(f.installs[0].action, PackageAction::Build);
    assert!(f.installs[0].has_flag("--release", None));
    assert_eq!(f.installs[1].action, PackageAction::Install);
    assert_eq!(package_names(&f.installs[1]), ["ripgrep"]);
    assert_eq!(f.installs[2].action, PackageAction::Build);
}

#[test]
fn ruby_forms() {
    let f = facts("gem install bundler -v 2.4.22 --no-document");
    assert_eq!(package_names(only_install(&f)), ["bundler"]);
    assert_eq!(
        only_install(&f).flag_value("--version", Some('v')),
        Some("2.4.22")
    );

    let f =
        facts("bundle config set --local without 'development test' && bundle install --jobs 4");
    let install = only_install(&f);
    assert_eq!(install.action, PackageAction::FromManifest);
    assert!(install.bundle_without_development());
    assert!(install.production_only());

    assert!(
        only_install(&facts("BUNDLE_WITHOUT=development:test bundle install"))
            .bundle_without_development()
    );
    assert!(
        only_install(&facts("bundle install --without development")).bundle_without_development()
    );
    assert!(!only_install(&facts("bundle install")).bundle_without_development());
}

#[test]
fn other_ecosystems() {
    let i = facts("composer install --no-dev --optimize-autoloader")
        .installs
        .remove(0);
    assert_eq!(
        (i.manager, i.action),
        (PackageManager::Composer, PackageAction::FromManifest)
    );
    assert!(i.production_only());
    let i = facts("composer require monolog/monolog:^3.0")
        .installs
        .remove(0);
    assert_eq!(package_names(&i), ["monolog/monolog"]);

    let f =
        facts("conda install -y -c conda-forge numpy=1.26 conda-forge::scipy && conda clean -afy");
    let i = &f.installs[0];
    assert_eq!(i.manager, PackageManager::Conda);
    assert_eq!(package_names(i), ["numpy", "scipy"]);
    assert!(i.assumes_yes());
    assert!(f.has_cleanup(CleanupKind::Other));

    let i = facts("uv pip install --system -r requirements.lock")
        .installs
        .remove(0);
    assert_eq!(
        (i.manager, i.verb.as_str()),
        (PackageManager::Uv, "pip install")
    );
    assert_eq!(i.action, PackageAction::FromManifest);
    assert_eq!(i.requirement_files, ["requirements.lock"]);
    let i = facts("uv sync --frozen --no-dev --no-cache")
        .installs
        .remove(0);
    assert!(i.production_only() && i.no_cache());

    let i = facts("poetry install --no-root --only main")
        .installs
        .remove(0);
    assert!(i.production_only());
    let i = facts("poetry add 'requests@^2.0'").installs.remove(0);
    assert_eq!(package_names(&i), ["requests"]);

    let i = facts("pipx install --pip-args=--no-cache-dir black")
        .installs
        .remove(0);
    assert_eq!(package_names(&i), ["black"]);
    assert!(i.no_cache());
}

#[test]
fn rpm_and_zypper_forms() {
    let f = facts("dnf install -y --setopt=install_weak_deps=False python3 && dnf clean all");
    let i = only_install(&f);
    assert!(i.no_install_recommends() && i.assumes_yes());
    assert!(f.has_cleanup(CleanupKind::DnfClean));

    let f = facts("yum -y install epel-release && yum clean all && rm -rf /var/cache/yum");
    assert!(only_install(&f).assumes_yes());
    assert_eq!(
        f.cleanups
            .iter()
            .filter(|c| c.kind == CleanupKind::YumClean)
            .count(),
        2
    );

    let f = facts("microdnf install -y shadow-utils && microdnf clean all");
    assert_eq!(only_install(&f).manager, PackageManager::Microdnf);
    assert!(f.has_cleanup(CleanupKind::DnfClean));

    let f = facts("zypper --non-interactive install --no-recommends curl && zypper clean --all");
    let i = only_install(&f);
    assert_eq!(package_names(i), ["curl"]);
    assert!(i.assumes_yes() && i.no_install_recommends());
    assert!(f.has_cleanup(CleanupKind::ZypperClean));

    let f = facts("dnf group install -y 'Development Tools'");
    assert_eq!(only_install(&f).verb, "group install");
}

#[test]
fn unknown_verbs_are_not_package_runs() {
    let f =
        facts("apt-cache policy x; apt-get source x; npm run build; go test ./...; pip --version");
    assert!(f.installs.is_empty() && f.uninstalls.is_empty());
}

#[test]
fn a_manager_asked_about_itself_installs_nothing() {
    for script in [
        "yarn --version",
        "yarn -v",
        "yarnpkg --help",
        "npm -v",
        "npm --version",
        "pnpm --version",
        "bundle --version",
        "pip3 --version",
        "npm install --help",
        "npm config set registry https://r.example",
        "yarn config set cache-folder /tmp/y",
        "npm config get prefix",
    ] {
        let f = facts(script);
        assert!(f.installs.is_empty(), "{script} is not an install");
    }
    // Other options on a bare `yarn` still install the manifest.
    let f = facts("yarn --frozen-lockfile");
    assert_eq!(only_install(&f).action, PackageAction::FromManifest);
}

// ---- cleanups and removals ----

#[test]
fn cleanup_forms() {
    let cases: &[(&str, CleanupKind)] = &[
        ("apt-get clean", CleanupKind::AptClean),
        ("rm -rf /var/cache/apk/*", CleanupKind::ApkCache),
        ("apk cache clean", CleanupKind::ApkCache),
        ("rm -rf ~/.cache/pip", CleanupKind::PipCache),
        ("rm -rf /root/.cache", CleanupKind::PipCache),
        ("pip cache purge", CleanupKind::PipCache),
        ("python3 -m pip cache purge", CleanupKind::PipCache),
        ("npm cache clean --force", CleanupKind::NpmCacheClean),
        ("rm -rf /root/.npm", CleanupKind::NpmCacheClean),
        ("yarn cache clean", CleanupKind::YarnCacheClean),
        ("rm -rf /tmp/* /var/tmp/*", CleanupKind::TmpFiles),
        ("go clean -modcache", CleanupKind::Other),
        ("composer clear-cache", CleanupKind::Other),
        ("pnpm store prune", CleanupKind::Other),
    ];
    for (script, kind) in cases {
        let f = facts(script);
        assert!(f.has_cleanup(*kind), "{script}: {:?}", f.cleanups);
    }
    let f = facts("apt-get dist-clean");
    assert!(f.has_cleanup(CleanupKind::AptLists) && f.has_cleanup(CleanupKind::AptClean));
}

#[test]
fn removals_list_their_paths() {
    let script = r#"rm -rf "$GNUPGHOME" /usr/src/python -- -odd && rm file"#;
    let f = facts(script);
    assert_eq!(f.removals.len(), 2);
    let paths: Vec<_> = f.removals[0]
        .paths
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(paths, ["$GNUPGHOME", "/usr/src/python", "-odd"]);
    assert!(!f.removals[0].paths[0].is_static);
    assert!(!f.removals[1].recursive && !f.removals[1].force);
    assert!(f.cleanups.is_empty(), "a dynamic path says nothing");
}

// ---- downloads ----

#[test]
fn downloads_piped_to_a_shell() {
    for script in [
        "curl -fsSL https://get.example.sh | sh",
        "curl -fsSL https://get.example.sh | bash -s -- --version 1",
        "curl -fsSL https://get.example.sh | sudo -E bash -",
        "wget -qO- https://get.example.sh | sh",
        "curl -s https://x/install.py | python3",
        r#"sh -c "$(curl -fsSL https://get.example.sh)""#,
        "bash <(curl -s https://get.example.sh)",
        r#"eval "$(curl -s https://get.example.sh)""#,
        r#"echo "$(curl -s https://get.example.sh)" | sh"#,
    ] {
        let f = facts(script);
        assert_eq!(f.downloads.len(), 1, "{script}");
        assert!(f.downloads[0].piped_to_shell, "{script}");
        let url = f.downloads[0].url.as_deref().unwrap_or("");
        assert!(url.starts_with("https://"), "{script}: {url}");
    }
}

#[test]
fn downloads_not_run_as_code() {
    for script in [
        "curl -fsSL https://x/a.tgz | tar -xz -C /opt",
        "curl -fsSL https://x/a.json | python3 -c 'import json,sys; print(json.load(sys.stdin))'",
        r#"export V="$(curl -fsSL https://x/version)""#,
        "curl -fsSLo /tmp/a.tgz https://x/a.tgz && tar xzf /tmp/a.tgz",
        "wget https://x/install.sh && sh install.sh",
    ] {
        let f = facts(script);
        assert_eq!(f.downloads.len(), 1, "{script}");
        assert!(!f.downloads[0].piped_to_shell, "{script}");
    }
}

#[test]
fn download_urls_and_outputs() {
    let f = facts("curl -fsSLo /tmp/a.tgz -H 'Accept: x' https://x.org/a.tgz");
    let d = &f.downloads[0];
    assert_eq!(d.tool, DownloadTool::Curl);
    assert_eq!(d.url.as_deref(), Some("https://x.org/a.tgz"));
    assert_eq!(d.output.as_deref(), Some("/tmp/a.tgz"));

    let d = &facts("curl -fsSLO --compressed \"https://x.org/v$V/node.tar.xz\"").downloads[0];
    assert_eq!(d.output.as_deref(), Some("node.tar.xz"));

    let d = &facts("curl -s https://x.org/a").downloads[0];
    assert_eq!(d.output, None);

    let d =
        &facts("wget -O python.tar.xz \"https://python.org/ftp/$V/Python.tar.xz\"").downloads[0];
    assert_eq!(d.tool, DownloadTool::Wget);
    assert_eq!(d.output.as_deref(), Some("python.tar.xz"));
    assert_eq!(
        d.url.as_deref(),
        Some("https://python.org/ftp/$V/Python.tar.xz")
    );

    let d = &facts("wget -q https://x.org/file.zip").downloads[0];
    assert_eq!(d.output.as_deref(), Some("file.zip"));

    let d = &facts("curl --url https://x.org/a -e https://ref.org").downloads[0];
    assert_eq!(d.url.as_deref(), Some("https://x.org/a"));

    let d = &facts("aria2c https://x.org/big.iso").downloads[0];
    assert_eq!(d.tool, DownloadTool::Other);
}

// ---- robustness ----

#[test]
fn syntax_errors_keep_what_parsed() {
    // tree-sitter-bash takes a stray `fi` for a command name; a stray `)` is an error.
    let script = "apt-get install -y curl && )";
    let f = facts(script);
    assert!(f.parse_error.is_some());
    assert_eq!(package_names(only_install(&f)), ["curl"]);

    let f = facts("for p in a; do if true; then pip install x; fi done");
    assert_eq!(
        package_names(only_install(&f)),
        ["x"],
        "tree-sitter recovers the loop body"
    );
}

#[test]
fn unterminated_quotes_report_an_error() {
    let script = "apk add curl && echo \"abc && apt-get install x";
    let f = facts(script);
    let error = f.parse_error.as_ref().expect("an error");
    assert!(!error.message.is_empty());
    assert_eq!(package_names(only_install(&f)), ["curl"]);
}

#[test]
fn fallback_splits_unparsable_regions() {
    // `}` alone is not shell; the commands around it are still found.
    let f = facts("} ; curl -fsSL https://x | sh ; )");
    assert!(f.parse_error.is_some());
    assert!(
        f.downloads.iter().any(|d| d.piped_to_shell),
        "{:#?}",
        f.commands
    );
}

#[test]
fn non_shell_text_does_not_panic() {
    for script in [
        "$url = ('https://x/{0}' -f $env:V); Invoke-WebRequest -Uri $url -OutFile 'p.exe'",
        "if not exist C:\\foo mkdir C:\\foo",
        "set PATH=%PATH%;C:\\Program Files\\NuGet\\ `",
        "{{ if is_alpine then ( -}}",
        "echo 'unterminated",
        "cat <<EOF",
        "`",
        "$(",
        "\\",
        "a\u{0}b",
        "sh -c \"sh -c \\\"sh -c 'sh -c x'\\\"\"",
    ] {
        facts(script);
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let parens = "(".repeat(20_000);
    facts(&parens);
    let substitutions = "$(echo ".repeat(2_000);
    facts(&substitutions);
}

#[test]
fn nested_scripts_are_followed_to_a_limit() {
    // Each level of quoting grows the text; 10 levels stay small.
    let mut shells = String::from("apt-get install -y x");
    for _ in 0..10 {
        shells = format!("sh -c {}", quote(&shells));
    }
    let f = facts(&shells);
    assert!(
        f.installs.is_empty(),
        "deeper than MAX_SCRIPT_NESTING is not followed"
    );
}

/// Single-quotes `text` for a shell.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// tree-sitter-bash 0.25 segfaults on `{` followed by U+E018B; found by
/// `never_panics_on_any_text`.
#[test]
fn characters_that_crash_the_grammar_are_kept_from_it() {
    for script in [
        "{\u{e018b}",
        "\u{b62}{\u{e018b}\u{10d63}s<\u{fffd}%$*\u{f7}c",
        "echo {\u{10fff0} \u{e9}",
    ] {
        assert_spans_hold(script, &analyze(script));
    }
    let f = facts("echo caf\u{e9} {\u{e0100}");
    assert_eq!(f.commands[0].args[0].text, "caf\u{e9}");
    assert_eq!(f.commands[0].args[1].text, "{\u{e0100}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn never_panics_on_any_text(script in any::<String>()) {
            assert_spans_hold(&script, &analyze(&script));
        }

        #[test]
        fn never_panics_on_shell_like_text(
            script in proptest::string::string_regex(
                r#"([a-z\-]{1,6}|[ \t\n;&|()<>'"$`\\{}=*#~]|sh -c |<<EOF\n|EOF\n|\$\(|apt-get install |curl x \| sh){0,40}"#
            ).expect("regex")
        ) {
            assert_spans_hold(&script, &analyze(&script));
        }
    }
}

#[test]
fn a_run_over_the_size_limit_is_not_parsed_and_says_so() {
    let installs = "apt-get install -y curl && ".repeat(MAX_SCRIPT_BYTES / 20);
    let source = format!("FROM debian\nRUN {installs}true\n");
    let file = crate::syntax::parse(&source);
    let run = analyze_run(&file, &file.instructions[1]);
    assert!(matches!(run.not_shell, Some(NotShell::TooLarge(n)) if n > MAX_SCRIPT_BYTES));
    assert!(run.facts.commands.is_empty());

    let source = "FROM debian\nRUN apt-get install -y curl\n";
    let file = crate::syntax::parse(source);
    let run = analyze_run(&file, &file.instructions[1]);
    assert_eq!(run.not_shell, None);
    assert_eq!(run.facts.installs.len(), 1);
}

fn unpinned(script: &str) -> Vec<String> {
    let f = facts(script);
    f.installs
        .iter()
        .flat_map(|i| i.unpinned_packages().map(|p| p.spec.clone()))
        .collect()
}

#[test]
fn version_pins_follow_each_managers_syntax() {
    let cases: &[(&str, &[&str])] = &[
        (
            "apt-get install -y curl=7.88 git/bookworm-backports ./x.deb wget",
            &["wget"],
        ),
        ("apt-get build-dep -y python3", &[]),
        ("apt-get install -y $PACKAGES \"$(cat list)\"", &[]),
        (
            "apt-get install -y \"tools-${MAJOR}\" curl=${CURL_VERSION}",
            &["tools-${MAJOR}"],
        ),
        ("dnf install -y httpd-${HTTPD_VERSION} libuv-1.44*", &[]),
        (
            "apk add --no-cache -t .deps gcc curl~8 musl=1.2 make",
            &["gcc", "make"],
        ),
        (
            "pip install -U pip requests==2.31 'flask>=3' ./src git+https://x/y.git@v1 git+https://x/z.git",
            &["pip", "git+https://x/z.git"],
        ),
        ("pip install -c constraints.txt flask", &[]),
        ("python3 -m pip install black", &["black"]),
        (
            "npm install -g typescript@5 @types/node npm@latest user/repo#abc file:../x",
            &["@types/node", "npm@latest"],
        ),
        ("npm install", &[]),
        ("gem install --no-document rails bundler:2.5", &["rails"]),
        ("gem install rails -v 7.1", &[]),
        (
            "yum install -y --enablerepo epel java-11-openjdk httpd-2.4.6-99.el7 @core",
            &["java-11-openjdk"],
        ),
        ("dnf module install -y nodejs:20 php", &["php"]),
        ("dnf group install -y 'Development Tools'", &[]),
        ("microdnf install -y python3", &["python3"]),
        (
            "zypper install -y curl 'git>=2' -t pattern devel_basis",
            &[],
        ),
        ("zypper install -y curl git=2.43", &["curl"]),
        (
            "go install golang.org/x/tools/gopls@latest github.com/x/y@v1.2.3 github.com/x/z ./cmd/...",
            &["golang.org/x/tools/gopls@latest"],
        ),
        (
            "go get -tags 'netgo osusergo' github.com/x/y app/server",
            &["github.com/x/y"],
        ),
    ];
    for (script, expected) in cases {
        assert_eq!(unpinned(script), *expected, "{script}");
    }
}

#[test]
fn apt_quiet_level_two_answers_yes() {
    for (script, yes) in [
        ("apt-get install -qq curl", true),
        ("apt-get install -q -q curl", true),
        ("apt-get install -q=2 curl", true),
        ("apt-get install --quiet=2 curl", true),
        ("apt-get install -q curl", false),
        ("apt-get install curl", false),
    ] {
        assert_eq!(only_install(&facts(script)).assumes_yes(), yes, "{script}");
    }
}

#[test]
fn apk_without_network_stores_no_index() {
    assert!(only_install(&facts("apk add --no-network --virtual .rundeps so:libc.so")).no_cache());
    assert!(!only_install(&facts("apk add --virtual .rundeps curl")).no_cache());
}
