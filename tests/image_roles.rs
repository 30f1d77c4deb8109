//! What each image is for, and the findings scaled to it: one test per kind of image
//! that gave findings nobody wanted (CI build images, SDK images, base images, dev
//! containers, test fixtures, templates, a few megabytes at warning). Every file here
//! is written for its shape.

use dockstage::config::Config;
use dockstage::diagnostic::Severity;
use dockstage::emit::{self, human::HumanOptions, Report};
use dockstage::lint::{analyze_path, lint, Analysis, LintOptions};
use dockstage::model::ImageRole;
use dockstage::rules::RULE_METAS;
use std::path::Path;

/// The messages of one rule's findings.
fn messages<'a>(analysis: &'a Analysis, rule: &str) -> Vec<&'a str> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.message.as_str())
        .collect()
}

fn check(path: &str, source: &str) -> Analysis {
    analyze_path(Some(path), source.as_bytes(), &LintOptions::default())
}

fn severities(analysis: &Analysis, rule: &str) -> Vec<Severity> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| d.severity)
        .collect()
}

fn severity_of(analysis: &Analysis, rule: &str) -> Option<Severity> {
    let found = severities(analysis, rule);
    assert!(found.len() <= 1, "{rule}: {found:?}");
    found.first().copied()
}

/// The file's role, and the severity each rule named gets (`None`: not reported).
fn expect(analysis: &Analysis, role: ImageRole, findings: &[(&str, Option<Severity>)]) {
    assert_eq!(analysis.image_role.role, role, "{:?}", analysis.image_role);
    for (rule, severity) in findings {
        assert_eq!(severity_of(analysis, rule), *severity, "{rule}");
    }
}

/// A CI build environment: many toolchains, nothing of an application, no command.
const CI_IMAGE: &str = "\
FROM amazonlinux:2023
RUN dnf install -y gcc gcc-c++ make git openssl-devel \\
 && dnf clean all
COPY tools/install-runtimes.sh /opt/tools/
RUN /opt/tools/install-runtimes.sh
";

#[test]
fn a_ci_build_image_is_a_toolchain_that_ships_compilers_on_purpose() {
    let analysis = check("images/standard/Dockerfile", CI_IMAGE);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    assert!(analysis
        .image_role
        .reasons
        .iter()
        .any(|r| r.contains("no application is copied in")));
    assert_eq!(severity_of(&analysis, "build-tool-in-final-stage"), None);
    assert_eq!(
        severity_of(&analysis, "final-stage-runs-as-root"),
        Some(Severity::Info)
    );
}

#[test]
fn the_same_tools_under_an_application_are_still_a_warning() {
    let app = format!("{CI_IMAGE}COPY . /srv/app\nCMD [\"/srv/app/server\"]\n");
    expect(
        &check("services/api/Dockerfile", &app),
        ImageRole::Application,
        &[
            ("build-tool-in-final-stage", Some(Severity::Warning)),
            ("final-stage-runs-as-root", Some(Severity::Warning)),
        ],
    );
}

/// A build environment for several languages, started through an entrypoint script
/// that brings up a Docker daemon; nothing but configuration is copied in.
const POLYGLOT_CI_IMAGE: &str = "\
FROM ubuntu:24.04 AS base
RUN apt-get update && apt-get install -y --no-install-recommends git curl
FROM base AS languages
ENV GOLANG_VERSION=1.23.4 JAVA_HOME=/usr/lib/jvm/java-21 PYENV_ROOT=/opt/pyenv
RUN git clone https://github.com/pyenv/pyenv.git $PYENV_ROOT && pyenv install 3.12
ENV NODE_VERSION=22.11.0 RUBY_VERSION=3.3.6
RUN curl -fsSL https://dot.net/v1/dotnet-install.sh | bash -s -- --channel 8.0
FROM languages AS runner_image
COPY job-settings.yml /etc/runner/job-settings.yml
COPY start-daemon.sh /usr/local/bin/start-entrypoint.sh
ENTRYPOINT [\"/usr/local/bin/start-entrypoint.sh\"]
";

#[test]
fn an_image_setting_up_many_languages_behind_an_entrypoint_script_is_a_toolchain() {
    let analysis = check("images/linux/v3/Dockerfile", POLYGLOT_CI_IMAGE);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    let reasons = analysis.image_role.reasons.join("; ");
    assert!(
        reasons.contains("entrypoint script `start-entrypoint.sh`"),
        "{reasons}"
    );
    assert!(
        reasons.contains("go, java, python, node, ruby, dotnet"),
        "{reasons}"
    );
    assert_eq!(
        severity_of(&analysis, "final-stage-runs-as-root"),
        Some(Severity::Info)
    );
}

#[test]
fn many_languages_with_an_application_copied_in_stay_an_application() {
    let app = POLYGLOT_CI_IMAGE.replace(
        "COPY job-settings.yml",
        "COPY build/server /srv/server\nCOPY job-settings.yml",
    );
    let analysis = check("images/linux/v3/Dockerfile", &app);
    assert_eq!(analysis.image_role.role, ImageRole::Application);
    // Two languages behind an entrypoint script are an application's runtime.
    let two = "FROM debian:12\nENV NODE_VERSION=22 PYTHON_VERSION=3.12\nCOPY docker-entrypoint.sh /\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n";
    assert_eq!(
        check("svc/Dockerfile", two).image_role.role,
        ImageRole::Application
    );
}

#[test]
fn the_development_tools_package_group_is_a_compiler_toolchain() {
    // A build image on a function runtime base: the group brings gcc and make.
    let image = "\
FROM public.ecr.aws/example/runtime:3 AS core
RUN yum groupinstall -y \"Development Tools\" \\
 && yum install -y openssl-devel libffi-devel \\
 && yum clean all
FROM core AS java_layer
COPY settings/maven.xml /root/.m2/settings.xml
";
    let analysis = check("images/java/Dockerfile", image);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    assert_eq!(severity_of(&analysis, "build-tool-in-final-stage"), None);
    // Under an application the group is reported by its name.
    let app = format!(
        "{image}COPY target/app.jar /srv/app.jar\nCMD [\"java\", \"-jar\", \"/srv/app.jar\"]\n"
    );
    let analysis = check("images/java/Dockerfile", &app);
    assert_eq!(analysis.image_role.role, ImageRole::Application);
    let found = messages(&analysis, "build-tool-in-final-stage");
    assert!(
        found.iter().any(|m| m.contains("`Development Tools`")),
        "{found:?}"
    );
}

#[test]
fn an_sdk_image_is_a_toolchain_by_its_directory_or_its_content() {
    let sdk = "\
FROM debian:bookworm-slim AS installer
RUN curl -fsSL -o /sdk.tar.gz https://example.com/sdk.tar.gz && mkdir /sdk && tar -xzf /sdk.tar.gz -C /sdk

FROM debian:bookworm
COPY --from=installer /sdk /usr/share/sdk
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
ENTRYPOINT [\"/usr/share/sdk/tool\"]
";
    let analysis = check("src/sdk/9.0/bookworm/Dockerfile", sdk);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    assert_eq!(severity_of(&analysis, "build-tool-in-final-stage"), None);

    // The Go SDK shape: an SDK base, a C toolchain added for cgo, no command.
    let go = "\
FROM golang:1.23
RUN apt-get update \\
 && apt-get install -y --no-install-recommends gcc libc6-dev make pkg-config \\
 && rm -rf /var/lib/apt/lists/*
WORKDIR /go
";
    let analysis = check("1.23/bookworm/Dockerfile", go);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    assert_eq!(severity_of(&analysis, "non-slim-final-base"), None);
    assert_eq!(severity_of(&analysis, "build-tool-in-final-stage"), None);
}

#[test]
fn a_ci_agent_named_by_its_stage_is_a_toolchain() {
    let agent = "\
FROM eclipse-temurin:21-jre AS agent
RUN apt-get update && apt-get install -y --no-install-recommends git git-lfs && rm -rf /var/lib/apt/lists/*

FROM agent AS inbound-agent
COPY agent-launcher /usr/local/bin/agent-launcher
ENTRYPOINT [\"/usr/local/bin/agent-launcher\"]
";
    let analysis = check("debian/Dockerfile", agent);
    assert_eq!(analysis.image_role.role, ImageRole::Toolchain);
    assert_eq!(severity_of(&analysis, "build-tool-in-final-stage"), None);

    // An application in an `agent/` directory that copies its sources in stays one.
    let app = "\
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*
COPY src/agent/src src
CMD [\"python\", \"run.py\"]
";
    assert_eq!(
        check("src/agent/Dockerfile", app).image_role.role,
        ImageRole::Application
    );

    // `runner` is the usual name of an application's last stage: no role from it.
    let next = "\
FROM node:22-slim AS runner
COPY .next/standalone ./
CMD [\"node\", \"server.js\"]
";
    assert_eq!(
        check("web/Dockerfile", next).image_role.role,
        ImageRole::Application
    );
}

#[test]
fn a_shell_image_with_nothing_copied_in_is_a_base_and_root_there_is_info() {
    let shell = "\
FROM debian:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends less && rm -rf /var/lib/apt/lists/*
CMD [\"pwsh\"]
";
    expect(
        &check("release/debian12/Dockerfile", shell),
        ImageRole::Base,
        &[("final-stage-runs-as-root", Some(Severity::Info))],
    );

    // A shell that runs the application (`sh -c "server"`) is no shell image.
    let wrapped = "FROM alpine:3.20 AS build
COPY src/ src/
RUN make -C src

FROM alpine:3.20
COPY --from=build /src/server /usr/local/bin/server
ENTRYPOINT [\"sh\", \"-c\", \"/usr/local/bin/server ${PORT}\"]
";
    expect(
        &check("src/currency/Dockerfile", wrapped),
        ImageRole::Application,
        &[("final-stage-runs-as-root", Some(Severity::Warning))],
    );
}

#[test]
fn a_dev_container_gets_no_shipped_image_findings_and_its_layers_only_style() {
    let devcontainer = "\
FROM python:3.12
RUN apt-get update && apt-get install -y gcc make git
RUN pip install -r requirements-dev.txt
";
    let analysis = check("project/.devcontainer/Dockerfile", devcontainer);
    assert_eq!(analysis.image_role.role, ImageRole::Development);
    for rule in [
        "final-stage-runs-as-root",
        "build-tool-in-final-stage",
        "dev-dependencies-in-final-stage",
    ] {
        assert_eq!(severity_of(&analysis, rule), None, "{rule}");
    }
    // Never deployed: what its layers hold is style (hadolint 2.15.1: DL3009, DL3015
    // and DL3042 as warnings).
    for rule in ["apt-recommends", "package-cache-not-cleaned"] {
        assert!(
            severities(&analysis, rule)
                .iter()
                .all(|s| *s == Severity::Style)
                && !severities(&analysis, rule).is_empty(),
            "{rule}: {:?}",
            severities(&analysis, rule)
        );
    }
    // A dev container base image says the same without the directory.
    let on_base = "FROM mcr.microsoft.com/devcontainers/base:bookworm\nRUN apt-get update && apt-get install -y gcc\n";
    assert_eq!(
        check("Dockerfile", on_base).image_role.role,
        ImageRole::Development
    );
}

#[test]
fn a_test_fixture_is_a_development_image() {
    let fixture = "FROM busybox AS one\nRUN pwd\nFROM one\nRUN pwd\n";
    expect(
        &check("tests/bud/multi-stage/Dockerfile.reused", fixture),
        ImageRole::Development,
        &[("final-stage-runs-as-root", None)],
    );
}

#[test]
fn stage_layout_findings_in_a_test_fixture_are_info() {
    // A builder's test fixture refers to stages by index and leaves one unused on purpose.
    let fixture = "\
FROM alpine:3.20 AS fetch
RUN echo fetched > /fetched
FROM alpine:3.20 AS spare
RUN echo never used
FROM busybox:1.36 AS bundle
COPY --from=0 /fetched /fetched
FROM busybox:1.36
COPY --from=2 /fetched /bundle/fetched
";
    let analysis = check("integration/testdata/multistage/Containerfile", fixture);
    assert_eq!(analysis.image_role.role, ImageRole::Development);
    for rule in ["stage-index-reference", "unused-stage"] {
        let found = severities(&analysis, rule);
        assert!(!found.is_empty(), "{rule}");
        assert!(
            found.iter().all(|s| *s == Severity::Info),
            "{rule}: {found:?}"
        );
    }
    // The same layout shipped as an application keeps its warnings.
    let shipped = check("services/bundle/Containerfile", fixture);
    assert_eq!(shipped.image_role.role, ImageRole::Application);
    for rule in ["stage-index-reference", "unused-stage"] {
        assert!(
            severities(&shipped, rule).contains(&Severity::Warning),
            "{rule}"
        );
    }
}

#[test]
fn a_go_template_gets_one_syntax_error_not_one_per_line() {
    let template = "\
{{
    set isAlpine to find(OS_VERSION, \"alpine\") >= 0 ^
    set baseTag to cat(\"$REPO:\", VERSION)
}}ARG REPO=example/runtime
FROM {{baseTag}} AS installer
{{ if isAlpine:
RUN apk add --no-cache curl
^else:
RUN apt-get update \\
    && apt-get install -y curl \\
{{ if isInternal: --no-install-recommends }}
    && rm -rf /var/lib/apt/lists/*
}}
";
    let analysis = check(
        "eng/dockerfile-templates/runtime/Dockerfile.linux",
        template,
    );
    let errors = messages(&analysis, "syntax-error");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("is a template"), "{}", errors[0]);
}

#[test]
fn a_jinja_template_gets_one_syntax_error() {
    let template = "{% if python %}\nFROM python:3.12-slim\n{% else %}\nFROM node:22-slim\n{% endif %}\nCMD [\"run\"]\n";
    let analysis = check("templates/Dockerfile.j2", template);
    assert_eq!(messages(&analysis, "syntax-error").len(), 1);
}

#[test]
fn a_template_is_one_info_finding_and_nothing_else() {
    // The stage name is completed by template text, so `--from=builder` only resolves
    // once rendered; the root user and the curl pipe are the rendered file's business.
    let template = "\
ARG BASE_TAG
FROM {{ .buildImage }} AS builder{{ if .arm }}-arm{{ end }}
RUN curl -fsSL https://example.com/install.sh | sh
FROM {{ .runtimeImage }}
COPY --from=builder /out /app
CMD [\"/app/run\"]
";
    let analysis = check("build/templates/Dockerfile.linux", template);
    let all: Vec<(&str, Severity)> = analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule, d.severity))
        .collect();
    assert_eq!(all, [("syntax-error", Severity::Info)], "{all:?}");
    assert!(analysis.diagnostics[0]
        .message
        .contains("render it before linting"));
}

#[test]
fn go_template_syntax_inside_a_command_is_no_template() {
    let file = "FROM alpine:3.20\nRUN docker inspect -f '{{.Id}}' x > /id\nFROM alpine:3.20 AS bad\nCOPY --form=x /a /b\n";
    let analysis = check("Dockerfile", file);
    let errors = messages(&analysis, "syntax-error");
    assert_eq!(errors, ["unknown flag --form for COPY"]);
}

#[test]
fn severity_follows_the_measured_impact() {
    let cases = [
        // The apk index is about 2.5 MB: info; apt's package lists, about 45 MB: a warning.
        ("package-cache-not-cleaned", "FROM alpine:3.20\nRUN apk add curl\nCOPY app /app\nCMD [\"/app\"]\n", Severity::Info),
        ("package-cache-not-cleaned", "FROM debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nCOPY app /app\nCMD [\"/app\"]\n", Severity::Warning),
        // In two stages `--from=0` can only mean the other one; in three it is ambiguous.
        ("stage-index-reference", "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=0 /app /app\n", Severity::Info),
        ("stage-index-reference", "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20 AS certs\nFROM alpine:3.20\nCOPY --from=0 /app /app\n", Severity::Warning),
    ];
    for (rule, source, expected) in cases {
        assert_eq!(
            severity_of(&check("Dockerfile", source), rule),
            Some(expected),
            "{rule}: {source}"
        );
    }
}

#[test]
fn recommends_under_ten_megabytes_are_info() {
    let small = "FROM debian:bookworm\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY app /app\nCMD [\"/app\"]\n";
    let analysis = check("Dockerfile", small);
    assert!(messages(&analysis, "apt-recommends")[0].contains("more)"));
    assert_eq!(
        severity_of(&analysis, "apt-recommends"),
        Some(Severity::Info)
    );
}

#[test]
fn configuration_sets_the_role_per_path() {
    let config = Config::parse(
        "role = \"application\"\n[[overrides]]\nfiles = [\"images/ci/**\"]\nrole = \"toolchain\"\n",
        Path::new("/repo/.dockstage.toml"),
    )
    .expect("valid configuration");
    let ci = config.lint_options_for(Path::new("/repo/images/ci/Dockerfile"));
    assert_eq!(ci.image_role, Some(ImageRole::Toolchain));
    let app = config.lint_options_for(Path::new("/repo/services/api/Dockerfile"));
    assert_eq!(app.image_role, Some(ImageRole::Application));

    let analysis = analyze_path(Some("images/ci/Dockerfile"), CI_IMAGE.as_bytes(), &app);
    assert_eq!(analysis.image_role.role, ImageRole::Application);
    assert!(analysis.image_role.configured);
    assert_eq!(
        severity_of(&analysis, "build-tool-in-final-stage"),
        Some(Severity::Warning)
    );
}

#[test]
fn a_misspelt_role_is_an_error_at_its_value_with_a_suggestion() {
    let text = "[[overrides]]\nfiles = [\"ci/**\"]\nrole = \"toolchian\"\n";
    let error = Config::parse(text, Path::new("/repo/.dockstage.toml")).unwrap_err();
    let rendered = error.render(false, 100);
    assert!(
        rendered.contains("`toolchian` is not an image role"),
        "{rendered}"
    );
    assert!(rendered.contains("did you mean `toolchain`?"), "{rendered}");
    assert!(
        rendered.contains("3:8") || rendered.contains(":3:"),
        "{rendered}"
    );
}

#[test]
fn check_prints_the_role_of_images_that_are_not_applications() {
    let reports = [
        lint(
            "images/standard/Dockerfile",
            CI_IMAGE.as_bytes(),
            &LintOptions::default(),
        )
        .unwrap(),
        lint(
            "app/Dockerfile",
            b"FROM alpine:3.20\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n",
            &LintOptions::default(),
        )
        .unwrap(),
    ];
    let report = Report {
        files: &reports,
        rules: RULE_METAS,
        tool_errors: &[],
        exit_code: 0,
    };
    let human = emit::human::render(&report, &HumanOptions::default());
    assert!(
        human.contains("images/standard/Dockerfile: image role: toolchain ("),
        "{human}"
    );
    assert!(!human.contains("app/Dockerfile: image role"), "{human}");

    let json: serde_json::Value = serde_json::from_str(&emit::json::render(&report)).unwrap();
    let images = json["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(images[0]["role"], "toolchain");
    assert!(!images[0]["reasons"].as_array().unwrap().is_empty());
    assert_eq!(images[1]["role"], "application");
}
