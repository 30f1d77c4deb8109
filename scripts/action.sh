#!/usr/bin/env bash
# The logic of the GitHub Action (action.yml). It runs outside GitHub too: set the
# variables below as the runner would and call it; tests/action.rs does.
#
#   scripts/action.sh cache-key   writes `key` and `root` (where the binary goes) to
#                                 $GITHUB_OUTPUT, for actions/cache
#   scripts/action.sh install     installs dockstage under `root` unless it is there
#   scripts/action.sh run         lints, prints annotations, writes SARIF, the job
#                                 summary and the outputs `sarif-file` and `findings`;
#                                 exits with dockstage's exit code (0, 1 or 2)
#
# Inputs come only from the environment, never from text pasted into a shell:
#   INPUT_PATHS       files or directories, one per line, or separated by spaces when
#                     there is a single line (default `.`); never globbed or expanded
#   INPUT_ARGS        extra `dockstage check` options, split on whitespace; no quotes,
#                     no expansion, no eval
#   INPUT_FAIL_LEVEL  error | warning | info | style | none (default: warning)
#   INPUT_FORMAT      the format printed to the log (default: github, i.e. annotations)
#   INPUT_SARIF_FILE  where the SARIF log goes, relative to the workspace
#                     (default: dockstage.sarif)
#   INPUT_VERSION     `source` (default): build the action's own checkout with
#                     `cargo install --path "$GITHUB_ACTION_PATH" --locked`;
#                     X.Y.Z: the release X.Y.Z (its prebuilt binary when one exists for
#                     this platform, else `cargo install dockstage@X.Y.Z --locked`)
# (`INPUT_FAIL-LEVEL` and `INPUT_SARIF-FILE`, the names GitHub gives inputs of
# JavaScript and Docker actions, are read too.)
#
# From the runner: GITHUB_WORKSPACE (where paths are resolved and reported from),
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH (default: this checkout),
# RUNNER_OS, RUNNER_ARCH. DOCKSTAGE_BIN, when set, is the binary to run (no install).
set -euo pipefail
shopt -u expand_aliases
set -f # no pathname expansion anywhere: inputs are data

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
action_path=${GITHUB_ACTION_PATH:-$here}

die() {
    local message="$*"
    message=${message//%/%25}
    message=${message//$'\r'/%0D}
    message=${message//$'\n'/%0A}
    echo "::error title=dockstage action::$message"
    exit 2
}

# An input by its canonical name, falling back to GitHub's hyphenated spelling.
input() {
    local name=$1 default=${2:-} value
    value=$(printenv "INPUT_${name}" 2>/dev/null || printenv "INPUT_${name//_/-}" 2>/dev/null || true)
    if [[ -z "${value//[[:space:]]/}" ]]; then
        value=$default
    fi
    printf '%s' "$value"
}

# Writes `name=value` to $GITHUB_OUTPUT (heredoc form, so a value can never add lines).
set_output() {
    local name=$1 value=$2 delimiter
    [[ -n "${GITHUB_OUTPUT:-}" ]] || return 0
    delimiter="dockstage_$RANDOM$RANDOM$RANDOM"
    while [[ "$value" == *"$delimiter"* ]]; do delimiter+="_$RANDOM"; done
    printf '%s<<%s\n%s\n%s\n' "$name" "$delimiter" "$value" "$delimiter" >>"$GITHUB_OUTPUT"
}

version() {
    local version
    version=$(input VERSION source)
    version=${version#v}
    if [[ "$version" != source && ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
        die "version must be \`source\` or a release like 0.1.0, not \`$version\`"
    fi
    printf '%s' "$version"
}

# A digest of what `cargo install --path` builds, so a changed checkout rebuilds.
source_digest() {
    (
        cd "$action_path"
        {
            cat Cargo.toml Cargo.lock build.rs 2>/dev/null || true
            find src rules data -type f 2>/dev/null | LC_ALL=C sort | while IFS= read -r file; do
                printf '%s\n' "$file"
                cat -- "$file"
            done
        } | sha256 | cut -c1-16
    )
}

sha256() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}

install_root() {
    printf '%s' "${DOCKSTAGE_INSTALL_ROOT:-$HOME/.cache/dockstage-action}"
}

cmd_cache_key() {
    local version key
    version=$(version)
    if [[ "$version" == source ]]; then
        key="source-$(source_digest)"
    else
        key="release-$version"
    fi
    set_output key "dockstage-${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$key"
    set_output root "$(install_root)"
}

release_target() {
    local arch os
    case "${RUNNER_ARCH:-$(uname -m)}" in
        X64 | x86_64 | amd64) arch=x86_64 ;;
        ARM64 | aarch64 | arm64) arch=aarch64 ;;
        *) return 1 ;;
    esac
    case "${RUNNER_OS:-$(uname -s)}" in
        Linux) os=unknown-linux-gnu ;;
        macOS | Darwin) os=apple-darwin ;;
        *) return 1 ;;
    esac
    printf '%s-%s' "$arch" "$os"
}

cmd_install() {
    local version root bin
    version=$(version)
    root=$(install_root)
    bin="$root/bin/dockstage"
    if [[ -n "${DOCKSTAGE_BIN:-}" ]]; then
        echo "dockstage action: using DOCKSTAGE_BIN=$DOCKSTAGE_BIN"
        return 0
    fi
    if [[ -x "$bin" ]] && [[ "$version" == source || "$("$bin" --version 2>/dev/null)" == *" $version"* ]]; then
        echo "dockstage action: $("$bin" --version) already installed in $root"
        return 0
    fi
    mkdir -p "$root/bin"
    if [[ "$version" == source ]]; then
        command -v cargo >/dev/null 2>&1 || die "cargo is needed to build dockstage from source (set up Rust first, or set \`version\`)"
        cargo install --path "$action_path" --locked --root "$root" --force
        return 0
    fi
    local target url work
    if target=$(release_target); then
        url="${DOCKSTAGE_RELEASE_BASE:-https://github.com/dockstage/dockstage/releases/download}/v$version/dockstage-$target.tar.gz"
        work=$(mktemp -d)
        if curl --fail --silent --show-error --location --retry 3 --output "$work/dockstage.tar.gz" "$url" \
            && curl --fail --silent --location --retry 3 --output "$work/dockstage.tar.gz.sha256" "$url.sha256" \
            && [[ "$(sha256 <"$work/dockstage.tar.gz" | cut -d' ' -f1)" == "$(cut -d' ' -f1 "$work/dockstage.tar.gz.sha256")" ]] \
            && tar -xzf "$work/dockstage.tar.gz" -C "$work" \
            && [[ -f "$work/dockstage" ]]; then
            install -m 0755 "$work/dockstage" "$bin"
            rm -rf "$work"
            echo "dockstage action: installed $("$bin" --version) from $url"
            return 0
        fi
        rm -rf "$work"
        echo "dockstage action: no prebuilt binary at $url; building the release with cargo"
    fi
    command -v cargo >/dev/null 2>&1 || die "cargo is needed to build dockstage $version"
    cargo install dockstage --version "=$version" --locked --root "$root" --force
}

# The binary to run: DOCKSTAGE_BIN, the installed one, or `dockstage` on PATH.
binary() {
    local root
    root=$(install_root)
    if [[ -n "${DOCKSTAGE_BIN:-}" ]]; then
        [[ -x "$DOCKSTAGE_BIN" ]] || die "DOCKSTAGE_BIN=$DOCKSTAGE_BIN is not an executable file"
        printf '%s' "$DOCKSTAGE_BIN"
    elif [[ -x "$root/bin/dockstage" ]]; then
        printf '%s' "$root/bin/dockstage"
    elif command -v dockstage >/dev/null 2>&1; then
        command -v dockstage
    else
        die "dockstage is not installed (run \`scripts/action.sh install\` first)"
    fi
}

# Markdown table cell: one line, no table breaks, no HTML.
cell() {
    local text=$1
    text=${text//$'\r'/ }
    text=${text//$'\n'/ }
    text=${text//&/&amp;}
    text=${text//</&lt;}
    text=${text//>/&gt;}
    text=${text//|/\\|}
    text=${text//\`/\'}
    printf '%s' "$text"
}

cmd_run() {
    local workspace=${GITHUB_WORKSPACE:-$PWD}
    cd "$workspace" || die "cannot enter GITHUB_WORKSPACE=$workspace"

    local fail_level format sarif_file bin
    fail_level=$(input FAIL_LEVEL warning)
    format=$(input FORMAT github)
    sarif_file=$(input SARIF_FILE dockstage.sarif)
    case "$fail_level" in error | warning | info | style | none) ;; *) die "fail-level must be error, warning, info, style or none, not \`$fail_level\`" ;; esac
    case "$format" in human | json | sarif | github | checkstyle | gitlab | compact) ;; *) die "format must be human, json, sarif, github, checkstyle, gitlab or compact, not \`$format\`" ;; esac
    [[ "$sarif_file" != *$'\n'* && "$sarif_file" != *$'\r'* ]] || die "sarif-file must be one line"

    # Word lists, never evaluated. `read -a` does no expansion, and `set -f` is on.
    local -a paths=() args=()
    local raw line word
    raw=$(input PATHS .)
    if [[ "$raw" == *$'\n'* ]]; then
        while IFS= read -r line; do
            line=${line%$'\r'}
            [[ -n "${line//[[:space:]]/}" ]] && paths+=("$line")
        done <<<"$raw"
    else
        read -r -a paths <<<"$raw"
    fi
    raw=$(input ARGS)
    while IFS= read -r line; do
        local -a words=()
        read -r -a words <<<"$line"
        for word in ${words[@]+"${words[@]}"}; do args+=("$word"); done
    done <<<"$raw"

    bin=$(binary)
    echo "dockstage action: $("$bin" --version)"
    mkdir -p -- "$(dirname -- "$sarif_file")"

    # The SARIF run decides the exit status; the log and the summary follow it.
    local status=0
    "$bin" check --format sarif --fail-level "$fail_level" ${args[@]+"${args[@]}"} -- "${paths[@]}" >"$sarif_file" || status=$?
    if [[ $status -gt 2 ]]; then
        die "dockstage failed with exit code $status"
    fi
    "$bin" check --format "$format" --fail-level none --color never ${args[@]+"${args[@]}"} -- "${paths[@]}" || true

    # Findings, from the compact format: `file:line:col: severity [rule] message`.
    local compact findings=0 errors=0 warnings=0 others=0 tool_errors=0
    local -a rows=()
    compact=$("$bin" check --format compact --fail-level none ${args[@]+"${args[@]}"} -- "${paths[@]}" 2>/dev/null || true)
    local pattern='^(.*):([0-9]+):([0-9]+): ([a-z]+) \[([^]]+)\] (.*)$'
    while IFS= read -r line; do
        [[ -n "$line" ]] || continue
        if [[ "$line" =~ $pattern ]]; then
            findings=$((findings + 1))
            case "${BASH_REMATCH[4]}" in
                error) errors=$((errors + 1)) ;;
                warning) warnings=$((warnings + 1)) ;;
                *) others=$((others + 1)) ;;
            esac
            if [[ ${#rows[@]} -lt ${DOCKSTAGE_SUMMARY_ROWS:-50} ]]; then
                rows+=("| $(cell "${BASH_REMATCH[4]}") | \`$(cell "${BASH_REMATCH[5]}")\` | \`$(cell "${BASH_REMATCH[1]}"):${BASH_REMATCH[2]}:${BASH_REMATCH[3]}\` | $(cell "${BASH_REMATCH[6]}") |")
            fi
        elif [[ "$line" == *"error [tool-error]"* ]]; then
            tool_errors=$((tool_errors + 1))
        fi
    done <<<"$compact"

    set_output sarif-file "$sarif_file"
    set_output findings "$findings"
    set_output exit-code "$status"

    if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
        {
            echo "### dockstage"
            echo
            if [[ $findings -eq 0 ]]; then
                echo "No findings."
            else
                echo "$findings finding(s): $errors error(s), $warnings warning(s), $others other(s)."
                echo
                echo "| Severity | Rule | Location | Message |"
                echo "|---|---|---|---|"
                printf '%s\n' "${rows[@]}"
                if [[ $findings -gt ${#rows[@]} ]]; then
                    echo
                    echo "…and $((findings - ${#rows[@]})) more; see the annotations or the SARIF file."
                fi
            fi
            if [[ $tool_errors -gt 0 ]]; then
                echo
                echo "dockstage could not check everything: $tool_errors error(s), see the log."
            fi
            echo
        } >>"$GITHUB_STEP_SUMMARY"
    fi

    echo "dockstage action: $findings finding(s), SARIF in $sarif_file, exit code $status"
    return "$status"
}

case "${1:-run}" in
    cache-key) cmd_cache_key ;;
    install) cmd_install ;;
    run) cmd_run ;;
    *)
        echo "usage: scripts/action.sh [cache-key | install | run]" >&2
        exit 2
        ;;
esac
