//! The third round of issue 20's noise classes: platform host images and language
//! runtime images read as bases, CI images that copy a tools folder, an untagged FROM
//! judged by who consumes the image, caches and recommends without a measured figure,
//! and base images whose non-root user the tables know. Every file here is written
//! for its shape.

use dockstage::diagnostic::Severity;
use dockstage::lint::{analyze_path, Analysis, LintOptions};
use dockstage::model::ImageRole;

fn check(path: &str, source: &str) -> Analysis {
    analyze_path(Some(path), source.as_bytes(), &LintOptions::default())
}

fn findings<'a>(analysis: &'a Analysis, rule: &str) -> Vec<(Severity, &'a str)> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule == rule)
        .map(|d| (d.severity, d.message.as_str()))
        .collect()
}

fn severities(analysis: &Analysis, rule: &str) -> Vec<Severity> {
    findings(analysis, rule)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

fn role(analysis: &Analysis) -> ImageRole {
    analysis.image_role.role
}

/// A base image, for the reason named, whose root user is only info.
fn assert_base_for(analysis: &Analysis, reason: &str) {
    assert_eq!(role(analysis), ImageRole::Base, "{:?}", analysis.image_role);
    assert!(
        analysis
            .image_role
            .reasons
            .iter()
            .any(|r| r.contains(reason)),
        "{:?}",
        analysis.image_role
    );
    assert_eq!(
        severities(analysis, "final-stage-runs-as-root"),
        [Severity::Info]
    );
}

/// A serverless host image: the host is built in a stage, the final image sets the
/// directory the host loads functions from and runs the host's start script.
const FUNCTIONS_HOST: &str = "\
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS host-build
RUN git clone https://example.com/functions-host /src && dotnet publish /src -o /host
FROM mcr.microsoft.com/dotnet/aspnet:8.0
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \\
    HOME=/home
COPY start.sh /opt/startup/
COPY --from=host-build /host /host
CMD [\"/opt/startup/start.sh\"]
";

#[test]
fn a_functions_host_that_leaves_its_app_directory_empty_is_a_base() {
    let analysis = check("host/4/dotnet/dotnet8.Dockerfile", FUNCTIONS_HOST);
    assert_base_for(&analysis, "AzureWebJobsScriptRoot=/home/site/wwwroot");
}

#[test]
fn a_function_app_built_on_the_host_is_an_application() {
    // The same host with the functions copied into the directory it loads.
    for copy in [
        "COPY . /home/site/wwwroot\n",
        "WORKDIR /home/site/wwwroot\nCOPY . .\n",
        "COPY bin/ $AzureWebJobsScriptRoot/\n",
    ] {
        let app = FUNCTIONS_HOST.replace("COPY start.sh", &format!("{copy}COPY start.sh"));
        let analysis = check("Dockerfile", &app);
        assert_eq!(role(&analysis), ImageRole::Application, "{copy}");
        assert_eq!(
            severities(&analysis, "final-stage-runs-as-root"),
            [Severity::Warning],
            "{copy}"
        );
    }
}

/// A language runtime image in the style of the official ones: the runtime is
/// downloaded in a stage and copied in; no command, no application.
const RUNTIME_IMAGE: &str = "\
FROM debian:bookworm-slim AS fetch
RUN curl -fsSLo /tmp/rt.tgz https://example.com/runtime-8.0.1.tgz \\
 && mkdir /rt && tar -xzf /tmp/rt.tgz -C /rt
FROM debian:bookworm-slim
ENV DOTNET_VERSION=8.0.1
COPY --from=fetch /rt /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
";

#[test]
fn a_runtime_image_with_no_command_is_a_base() {
    let analysis = check("src/runtime/8.0/bookworm/Dockerfile", RUNTIME_IMAGE);
    assert_base_for(&analysis, "DOTNET_VERSION");
}

#[test]
fn a_scratch_binary_with_no_command_is_still_an_application() {
    // No language runtime set up: the image is its copied program.
    let analysis = check(
        "cmd/server/Dockerfile",
        "FROM golang:1.22 AS build\nRUN go build -o /server ./cmd/server\n\
         FROM debian:bookworm-slim\nCOPY --from=build /server /server\n",
    );
    assert_eq!(role(&analysis), ImageRole::Application);
    assert_eq!(
        severities(&analysis, "final-stage-runs-as-root"),
        [Severity::Warning]
    );
}

#[test]
fn a_bare_interpreter_command_runs_nothing_of_its_own() {
    let runtime =
        "FROM debian:bookworm-slim AS fetch\nRUN curl -fsSLo /n.tgz https://example.com/node.tgz\n\
                   FROM debian:bookworm-slim\nCOPY --from=fetch /n.tgz /opt/\nCMD [\"node\"]\n";
    let analysis = check("nodejs/10.1.0/Dockerfile", runtime);
    assert_eq!(
        role(&analysis),
        ImageRole::Base,
        "{:?}",
        analysis.image_role
    );
    assert!(analysis.image_role.reasons[0].contains("interactive `node`"));
    // With a script to run, it is that application.
    let app = runtime.replace(
        "CMD [\"node\"]",
        "COPY server.js /srv/\nCMD [\"node\", \"/srv/server.js\"]",
    );
    assert_eq!(role(&check("Dockerfile", &app)), ImageRole::Application);
}

#[test]
fn a_ci_image_that_copies_its_tools_folder_is_a_toolchain() {
    let source = "\
FROM ubuntu:22.04 AS sdk
RUN curl -fsSLo /sdk.zip https://example.com/android-sdk.zip
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y --no-install-recommends gcc g++ make git \\
 && rm -rf /var/lib/apt/lists/*
COPY --from=sdk /sdk.zip /opt/
COPY tools /opt/tools
ENV PATH=/opt/tools:$PATH
";
    let analysis = check("android/java-8/Dockerfile", source);
    assert_eq!(
        role(&analysis),
        ImageRole::Toolchain,
        "{:?}",
        analysis.image_role
    );
    assert!(severities(&analysis, "build-tool-in-final-stage").is_empty());
}

const UNTAGGED: &str = "\
FROM golang AS build
RUN go build -o /app .
FROM alpine AS never-built
FROM alpine
COPY --from=build /app /app
CMD [\"/app\"]
";

#[test]
fn an_untagged_base_is_a_warning_where_an_application_is_built_from_it() {
    let analysis = check("services/api/Dockerfile", UNTAGGED);
    assert_eq!(role(&analysis), ImageRole::Application);
    // The builder and the final stage: the image an application ships; the stage
    // never built: nobody consumes it.
    assert_eq!(
        severities(&analysis, "untagged-base-image"),
        [Severity::Warning, Severity::Info, Severity::Warning]
    );
}

#[test]
fn an_untagged_base_is_info_in_test_fixtures_dev_containers_and_toolchains() {
    for path in [
        "tests/bud/multi-stage/Dockerfile",
        ".devcontainer/Dockerfile",
        "Dockerfile.dev",
    ] {
        let analysis = check(path, UNTAGGED);
        assert_eq!(role(&analysis), ImageRole::Development, "{path}");
        let found = severities(&analysis, "untagged-base-image");
        assert_eq!(found.len(), 3, "{path}");
        assert!(
            found.iter().all(|s| *s == Severity::Info),
            "{path}: {found:?}"
        );
    }
    let ci = "FROM ubuntu AS tools\nRUN apt-get install -y curl\n\
              FROM ubuntu\nRUN apt-get install -y gcc g++ make git cmake\nCOPY --from=tools /usr/bin/curl /usr/bin/\n";
    let analysis = check("ci/build-env/Dockerfile", ci);
    assert_eq!(role(&analysis), ImageRole::Toolchain);
    assert_eq!(
        severities(&analysis, "untagged-base-image"),
        [Severity::Info, Severity::Info]
    );
}

#[test]
fn a_repository_named_for_its_release_keeps_latest_within_it() {
    let source = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\
                  FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n";
    let analysis = check("Dockerfile", source);
    let found = findings(&analysis, "untagged-base-image");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Info);
    assert!(found[0].1.contains("release `debian12`"), "{}", found[0].1);
    for (image, release) in [
        ("registry.access.redhat.com/ubi9/ubi", "ubi9"),
        ("rocm/dev-ubuntu-22.04", "ubuntu-22.04"),
    ] {
        let analysis = check(
            "Dockerfile",
            &format!("FROM {image}\nCOPY app /app\nCMD [\"/app\"]\n"),
        );
        let found = findings(&analysis, "untagged-base-image");
        assert!(
            found[0].1.contains(&format!("`{release}`")),
            "{image}: {found:?}"
        );
    }
    // A number in a name that is no distribution release says nothing.
    let analysis = check(
        "Dockerfile",
        "FROM continuumio/miniconda3\nCOPY app /app\nCMD [\"/app\"]\n",
    );
    assert_eq!(
        severities(&analysis, "untagged-base-image"),
        [Severity::Warning]
    );
}

const PIP_AND_APT: &str = "\
FROM python:3.12-slim AS build
RUN pip wheel -w /wheels requests
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5
RUN pip install awscli
COPY --from=build /wheels /wheels
COPY app.py /srv/
CMD [\"python\", \"/srv/app.py\"]
";

#[test]
fn a_cache_without_a_measured_size_is_info_and_says_so() {
    let analysis = check("Dockerfile", PIP_AND_APT);
    let found = findings(&analysis, "package-cache-not-cleaned");
    let apt = found.iter().find(|(_, m)| m.contains("apt-get")).unwrap();
    let pip = found
        .iter()
        .find(|(_, m)| m.contains("pip install"))
        .unwrap();
    // The apt lists have a figure (tens of MB): a warning.
    assert_eq!(apt.0, Severity::Warning, "{}", apt.1);
    assert!(apt.1.contains("about"), "{}", apt.1);
    assert_eq!(pip.0, Severity::Info, "{}", pip.1);
    assert!(pip.1.contains("its size is not measured"), "{}", pip.1);
}

#[test]
fn recommends_without_a_figure_are_info_with_a_large_figure_a_warning() {
    let shipped = |packages: &str| {
        format!(
            "FROM debian:bookworm-slim AS build\nRUN echo build > /out\n\
             FROM debian:bookworm-slim\nCOPY --from=build /out /out\n\
             RUN apt-get update && apt-get install -y {packages} && rm -rf /var/lib/apt/lists/*\n\
             COPY app /app\nCMD [\"/app\"]\n"
        )
    };
    // A package the table does not know: nothing measured.
    let analysis = check("Dockerfile", &shipped("vendor-odbc-driver17"));
    let found = findings(&analysis, "apt-recommends");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Info);
    assert!(found[0].1.contains("not measured"), "{}", found[0].1);
    // libc6-dev recommends a compiler: tens of MB, a warning.
    let analysis = check("Dockerfile", &shipped("libc6-dev"));
    let found = findings(&analysis, "apt-recommends");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Warning, "{}", found[0].1);
}

#[test]
fn recommends_in_a_ci_toolchain_image_are_info() {
    let source = "\
FROM ubuntu:22.04 AS fetch
RUN curl -fsSLo /go.tgz https://example.com/go.tgz
FROM ubuntu:22.04
RUN apt-get update && apt-get install -y libc6-dev gcc g++ make git && rm -rf /var/lib/apt/lists/*
COPY --from=fetch /go.tgz /opt/
";
    let analysis = check("codebuild/standard/Dockerfile", source);
    assert_eq!(role(&analysis), ImageRole::Toolchain);
    let found = findings(&analysis, "apt-recommends");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Info);
    // The message still places it in the image, not in a builder stage.
    assert!(!found[0].1.contains("builder stage"), "{}", found[0].1);
}

#[test]
fn k6_images_run_as_the_k6_user() {
    for image in [
        "grafana/k6:0.52.0-with-browser",
        "docker.io/grafana/k6:1.1.0",
        "grafana/k6:latest-with-browser@sha256:0000000000000000000000000000000000000000000000000000000000000000",
    ] {
        let source = format!(
            "FROM golang:1.22 AS build\nRUN go build -o /k6 .\n\
             FROM {image}\nCOPY --from=build /k6 /usr/bin/k6\nCOPY script.js /home/k6/\n\
             ENTRYPOINT [\"k6\", \"run\", \"/home/k6/script.js\"]\n"
        );
        let analysis = check("load-generator/Dockerfile", &source);
        assert!(
            severities(&analysis, "final-stage-runs-as-root").is_empty(),
            "{image}"
        );
    }
}

/// Images listed as bare stages for an update bot: nothing is built.
const IMAGE_LIST: &str = "\
# Images the update bot keeps current.
FROM python:3.12-slim@sha256:1111111111111111111111111111111111111111111111111111111111111111 AS python
FROM node:22-alpine AS node
FROM hadolint/hadolint:v2.12.0 AS lint
";

#[test]
fn a_list_of_images_for_an_update_bot_is_no_build() {
    let analysis = check("tools/images.Dockerfile", IMAGE_LIST);
    assert_eq!(role(&analysis), ImageRole::Development);
    assert!(analysis.image_role.reasons[0].contains("bare `FROM`"));
    assert!(severities(&analysis, "final-stage-runs-as-root").is_empty());
    assert_eq!(
        severities(&analysis, "unused-stage"),
        [Severity::Info, Severity::Info]
    );
}

#[test]
fn a_vendored_dockerfile_is_not_built_here() {
    let app = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\
               FROM golang:1.22-alpine\nCOPY --from=build /app /app\nCMD [\"/app\"]\n";
    let analysis = check("vendor/github.com/example/lib/Dockerfile", app);
    assert_eq!(role(&analysis), ImageRole::Development);
    assert!(severities(&analysis, "final-stage-runs-as-root").is_empty());
    // The same file in the project itself is its application.
    let analysis = check("cmd/app/Dockerfile", app);
    assert_eq!(
        severities(&analysis, "final-stage-runs-as-root"),
        [Severity::Warning]
    );
}

/// Shapes another builder accepts and BuildKit does not, as a test suite keeps them.
const BUILDER_FIXTURE: &str = "\
FROM alpine:3.20 AS first
RUN echo $TARGETARCH > /arch
FROM alpine:3.20 AS platform-arm/v7
FROM alpine:3.20
COPY --from=second /arch /arch
";

#[test]
fn how_a_test_fixture_is_written_is_info() {
    let rules = ["syntax-error", "unknown-stage", "arg-not-in-scope"];
    let fixture = check("tests/bud/platforms/Containerfile", BUILDER_FIXTURE);
    let project = check("build/Containerfile", BUILDER_FIXTURE);
    for rule in rules {
        let in_project = severities(&project, rule);
        assert!(!in_project.is_empty(), "{rule}");
        assert!(
            in_project.iter().any(|s| *s >= Severity::Warning),
            "{rule}: {in_project:?}"
        );
        let in_fixture = severities(&fixture, rule);
        assert_eq!(in_fixture.len(), in_project.len(), "{rule}");
        assert!(
            in_fixture.iter().all(|s| *s == Severity::Info),
            "{rule}: {in_fixture:?}"
        );
    }
    // A dev container is built by developers: its errors stay errors.
    let devcontainer = check(".devcontainer/Dockerfile", BUILDER_FIXTURE);
    assert_eq!(
        severities(&devcontainer, "unknown-stage"),
        severities(&project, "unknown-stage")
    );
}

#[test]
fn test_data_directories_hold_test_images() {
    let source = "FROM python:3.12-slim AS fetch\nRUN echo model > /model.bin\n\
                  FROM alpine:3.21\nCOPY --from=fetch /model.bin /models/\n";
    let analysis = check("test_data/pipelines/modelcar/Dockerfile", source);
    assert_eq!(role(&analysis), ImageRole::Development);
}

#[test]
fn a_database_image_whose_entrypoint_steps_down_is_not_root() {
    let extension = "FROM postgres:17 AS build\nRUN make -C /src install\n\
                     FROM postgres:17\nCOPY --from=build /usr/lib/postgresql /usr/lib/postgresql\n";
    let analysis = check("17/Dockerfile", extension);
    assert!(severities(&analysis, "final-stage-runs-as-root").is_empty());
    // An entrypoint of its own runs as root: the base's step-down never happens.
    let own = format!("{extension}ENTRYPOINT [\"/usr/local/bin/run.sh\"]\n");
    let analysis = check("17/Dockerfile", &own);
    assert_eq!(
        severities(&analysis, "final-stage-runs-as-root"),
        [Severity::Warning]
    );
}

#[test]
fn a_default_password_is_an_error_in_the_project_and_info_in_a_vendored_file() {
    let source = "FROM golang:1.22 AS build\nRUN go build -o /app .\n\
                  FROM debian:bookworm-slim\nENV ADMIN_PASSWORD=changeme123\n\
                  COPY --from=build /app /app\nCMD [\"/app\"]\n";
    let project = check("deploy/Dockerfile", source);
    assert_eq!(severities(&project, "secret-in-image"), [Severity::Error]);
    let vendored = check("vendor/github.com/example/tool/Dockerfile", source);
    assert_eq!(severities(&vendored, "secret-in-image"), [Severity::Info]);
    assert!(severities(&vendored, "secrets-used-in-arg-or-env")
        .iter()
        .all(|s| *s == Severity::Info));
    // A dev container is never deployed: one level lower.
    let dev = check(".devcontainer/Dockerfile", source);
    assert_eq!(severities(&dev, "secret-in-image"), [Severity::Warning]);
}

#[test]
fn an_untagged_preview_channel_is_followed_on_purpose() {
    let source = "FROM mcr.microsoft.com/windows/servercore-insider AS build\nRUN echo build\n\
                  FROM mcr.microsoft.com/windows/nanoserver-insider\nCOPY --from=build C:/app C:/app\n\
                  CMD [\"C:\\\\app\\\\app.exe\"]\n";
    let analysis = check("app/Dockerfile.insider", source);
    let found = findings(&analysis, "untagged-base-image");
    assert_eq!(found.len(), 2);
    for (severity, message) in found {
        assert_eq!(severity, Severity::Info, "{message}");
        assert!(
            message.contains("`insider` images are previews"),
            "{message}"
        );
    }
}

#[test]
fn a_script_added_from_a_url_variable_is_no_application() {
    // PowerShell-style image: a shell as its command, a bootstrap script from an ARG URL.
    let source = "FROM archlinux:latest AS fetch\nRUN pacman -Sy --noconfirm curl\n\
                  FROM archlinux:latest\nARG STRAP_URL=https://example.com/strap.sh\n\
                  ADD ${STRAP_URL} /tmp/strap.sh\nCOPY --from=fetch /usr/bin/curl /usr/bin/\n\
                  CMD [\"pwsh\"]\n";
    let analysis = check("release/arch/docker/Dockerfile", source);
    assert_eq!(
        role(&analysis),
        ImageRole::Base,
        "{:?}",
        analysis.image_role
    );
    // A variable naming the application itself still copies it in.
    let app = source.replace("/tmp/strap.sh", "/srv/app.jar");
    assert_eq!(role(&check("Dockerfile", &app)), ImageRole::Application);
}

#[test]
fn a_lone_vcs_client_in_the_final_image_is_info() {
    let daemon = "FROM golang:1.22 AS build\nRUN go build -o /daemon .\n\
                  FROM debian:bookworm-slim\n\
                  RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n\
                  COPY --from=build /daemon /usr/local/bin/\nENTRYPOINT [\"daemon\"]\n";
    let analysis = check("Dockerfile", daemon);
    assert_eq!(
        severities(&analysis, "build-tool-in-final-stage"),
        [Severity::Info]
    );
    // With a compiler next to it, a warning.
    let analysis = check(
        "Dockerfile",
        &daemon.replace(
            "install -y --no-install-recommends git",
            "install -y --no-install-recommends git gcc",
        ),
    );
    assert_eq!(
        severities(&analysis, "build-tool-in-final-stage"),
        [Severity::Warning]
    );
}

#[test]
fn an_install_retried_in_the_same_run_is_one_finding() {
    let source = "FROM node:20-slim AS build\nCOPY . /src\nRUN cd /src && npm ci && npm run build\n\
                  FROM node:20-slim\nWORKDIR /app\nCOPY package*.json ./\n\
                  RUN npm ci || (npm cache clean --force && npm ci)\nCOPY --from=build /src/dist ./dist\n\
                  CMD [\"node\", \"dist/server.js\"]\n";
    let analysis = check("Dockerfile", source);
    assert_eq!(
        severities(&analysis, "dev-dependencies-in-final-stage"),
        [Severity::Warning]
    );
}

#[test]
fn windows_interpreters_and_integration_fixtures() {
    let runtime = "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS download\nRUN curl.exe -o node.zip https://example.com/node.zip\n\
                   FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCOPY --from=download /nodejs /nodejs\nCMD [ \"node.exe\" ]\n";
    assert_eq!(role(&check("node/20/Dockerfile", runtime)), ImageRole::Base);
    assert_eq!(
        role(&check(
            "integration/dockerfiles/Dockerfile_test_copy",
            UNTAGGED
        )),
        ImageRole::Development
    );
}

/// A Ruby service: gems installed in a builder, the bundle copied into the final image.
const BUNDLE: &str = "\
FROM ruby:3.3-alpine AS builder
COPY Gemfile Gemfile.lock ./
RUN bundle install
FROM ruby:3.3-alpine
COPY --from=builder /usr/local/bundle/ /usr/local/bundle/
COPY app.rb .
CMD [\"ruby\", \"app.rb\"]
";

#[test]
fn a_bundle_is_judged_by_the_gemfile_groups() {
    let dir = std::env::temp_dir().join(format!("dockstage-gemfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dockerfile = dir.join("Dockerfile");
    let path = dockerfile.to_str().unwrap();
    // No Gemfile to read: only a hedge, at info.
    let analysis = check(path, BUNDLE);
    let found = findings(&analysis, "dev-dependencies-in-final-stage");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Info);
    assert!(found[0].1.contains("could not be read"), "{}", found[0].1);
    // A Gemfile with production gems only: no development dependencies to ship.
    std::fs::write(
        dir.join("Gemfile"),
        "source \"https://rubygems.org\"\ngem \"sinatra\"\n",
    )
    .unwrap();
    assert!(findings(&check(path, BUNDLE), "dev-dependencies-in-final-stage").is_empty());
    // With a test group: a warning.
    std::fs::write(
        dir.join("Gemfile"),
        "source \"https://rubygems.org\"\ngem \"sinatra\"\ngroup :development, :test do\n  gem \"rspec\"\nend\n",
    )
    .unwrap();
    let analysis = check(path, BUNDLE);
    let found = findings(&analysis, "dev-dependencies-in-final-stage");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Warning, "{}", found[0].1);
    std::fs::remove_dir_all(&dir).ok();
}

/// An application image whose base tag is an ARG defaulting to `latest`, as release
/// scripts pass the real one: info, while a written `latest` stays a warning.
#[test]
fn latest_from_an_arg_default_is_info_and_a_written_latest_a_warning() {
    let through_arg = check(
        "deploy/Dockerfile",
        "ARG BASE_VERSION=latest\nFROM registry.example.com/base:${BASE_VERSION}\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n",
    );
    assert_eq!(
        severities(&through_arg, "untagged-base-image"),
        [Severity::Info]
    );
    let written = check(
        "deploy/Dockerfile",
        "FROM registry.example.com/base:latest\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n",
    );
    assert_eq!(
        severities(&written, "untagged-base-image"),
        [Severity::Warning]
    );
}

/// A rolling-release distribution has no release to name but its newest.
#[test]
fn a_rolling_release_on_latest_is_info() {
    let analysis = check(
        "Dockerfile",
        "FROM archlinux:latest\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n",
    );
    let found = findings(&analysis, "untagged-base-image");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Severity::Info);
    assert!(found[0].1.contains("rolling release"), "{}", found[0].1);
}

/// A builder's test fixture copies several sources into a file to test the error.
#[test]
fn several_sources_into_a_file_in_a_test_fixture_is_info() {
    let source = "FROM busybox:1.36\nCOPY a b /bin/tool\n";
    let fixture = check("tests/copy/Dockerfile.invalid", source);
    assert_eq!(
        severities(&fixture, "copy-sources-to-file"),
        [Severity::Info]
    );
    let project = check("Dockerfile", source);
    assert_eq!(
        severities(&project, "copy-sources-to-file"),
        [Severity::Warning]
    );
}

/// `sudo -u builduser` drops privileges for one command; plain `sudo` is info.
#[test]
fn sudo_dropping_to_a_user_is_not_reported_and_plain_sudo_is_info() {
    let drop = check(
        "Dockerfile",
        "FROM archlinux:base-devel\nRUN sudo -u builduser makepkg -s --noconfirm\n",
    );
    assert!(findings(&drop, "sudo-in-run").is_empty());
    let plain = check("Dockerfile", "FROM ubuntu:24.04\nRUN sudo apt-get update\n");
    assert_eq!(severities(&plain, "sudo-in-run"), [Severity::Info]);
    let to_root = check(
        "Dockerfile",
        "FROM ubuntu:24.04\nRUN sudo -u root apt-get update\n",
    );
    assert_eq!(severities(&to_root, "sudo-in-run"), [Severity::Info]);
}

/// A Dockerfile kept in an `unstable` channel directory follows `latest` on purpose.
#[test]
fn latest_in_an_unstable_channel_directory_is_info() {
    let source = "FROM photon:latest\nCOPY app /app\nUSER 1000\nCMD [\"/app\"]\n";
    let unstable = check("release/unstable/photon/Dockerfile", source);
    assert_eq!(
        severities(&unstable, "untagged-base-image"),
        [Severity::Info]
    );
    let stable = check("release/stable/photon/Dockerfile", source);
    assert_eq!(
        severities(&stable, "untagged-base-image"),
        [Severity::Warning]
    );
}

/// A stage whose name a later stage takes again is reported once, as a duplicate,
/// not also as unused.
#[test]
fn a_stage_shadowed_by_a_duplicate_name_is_not_also_unused() {
    let analysis = check(
        "Dockerfile",
        "FROM alpine:3.20 AS tools\nFROM tools AS runtime\nFROM runtime AS final\nFROM tools AS final\nCMD [\"true\"]\n",
    );
    assert_eq!(findings(&analysis, "duplicate-stage-name").len(), 1);
    let unused: Vec<_> = findings(&analysis, "unused-stage")
        .into_iter()
        .map(|(_, m)| m)
        .collect();
    assert_eq!(unused.len(), 1, "{unused:?}");
    assert!(unused[0].contains("`runtime`"), "{unused:?}");
}
