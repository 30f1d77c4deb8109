#!/usr/bin/env bash
# Validates SARIF files with the SARIF Multitool, the SARIF SDK's validator: the
# OASIS SARIF 2.1.0 JSON schema (it ships sarif-2.1.0.json) plus the SARIF rules
# (SARIF1xxx errors, SARIF2xxx warnings) and GitHub code scanning's ingestion rules
# (GH1xxx/GH2xxx).
#
#   tests/validate-sarif.sh FILE...   exit 0 when every file is clean, 1 when one has
#                                     an error or a warning, 3 when no validator
#   tests/validate-sarif.sh --check   exit 0 when the validator is found, 3 if not
#
# Install it (npm registry; a self-contained linux-x64 binary, no .NET needed):
#   npm install --global @microsoft/sarif-multitool@5.7.0
# or anywhere else, then point SARIF_MULTITOOL at the binary
#   .../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
# It also looks in $DOCKSTAGE_TOOLS_DIR/node_modules (default ~/.cache/dockstage-tools)
# and in the repository's node_modules. Needs node to read the validator's report.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

find_validator() {
    if [[ -n "${SARIF_MULTITOOL:-}" ]]; then
        [[ -x "$SARIF_MULTITOOL" ]] && { echo "$SARIF_MULTITOOL"; return 0; }
        echo "SARIF_MULTITOOL=$SARIF_MULTITOOL is not an executable file" >&2
        return 1
    fi
    local roots=("${DOCKSTAGE_TOOLS_DIR:-$HOME/.cache/dockstage-tools}/node_modules" "$repo/node_modules")
    if command -v npm >/dev/null 2>&1; then
        roots=("$(npm root --global 2>/dev/null || true)" "${roots[@]}")
    fi
    local root candidate
    for root in "${roots[@]}"; do
        [[ -n "$root" ]] || continue
        candidate=""
        if [[ -f "$root/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]]; then
            candidate="$root/@microsoft/sarif-multitool-linux/Sarif.Multitool"
        elif [[ -f "$root/@microsoft/sarif-multitool/index.js" ]] && command -v node >/dev/null 2>&1; then
            # The wrapper package resolves its platform package (npm may nest it).
            candidate=$(node -p "require(process.argv[1])" "$root/@microsoft/sarif-multitool" 2>/dev/null || true)
        fi
        if [[ -n "$candidate" && -f "$candidate" ]]; then
            # npm may skip the platform package's postinstall (`chmod u+x`).
            [[ -x "$candidate" ]] || chmod u+x "$candidate" 2>/dev/null || true
            [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
        fi
    done
    return 1
}

if ! validator=$(find_validator); then
    echo "validate-sarif: the SARIF Multitool is not installed" >&2
    echo "  npm install --global @microsoft/sarif-multitool@5.7.0" >&2
    exit 3
fi
if [[ "${1:-}" == "--check" ]]; then
    echo "$validator"
    exit 0
fi
if [[ $# -eq 0 ]]; then
    echo "usage: tests/validate-sarif.sh FILE... | --check" >&2
    exit 2
fi
if ! command -v node >/dev/null 2>&1; then
    echo "validate-sarif: node is needed to read the validator's report" >&2
    exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The .NET runtime inside the binary wants a writable home and no telemetry.
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}

status=0
for file in "$@"; do
    if [[ ! -f "$file" ]]; then
        echo "validate-sarif: $file: no such file" >&2
        status=1
        continue
    fi
    report="$work/report.sarif"
    rm -f "$report"
    if ! "$validator" validate "$file" --output "$report" --log ForceOverwrite \
        --rule-kind "Sarif;Gh" --quiet >"$work/stdout" 2>&1; then
        echo "validate-sarif: $file: the validator failed" >&2
        cat "$work/stdout" >&2
        status=1
        continue
    fi
    # Results without a level are warnings (SARIF's default). Notes are printed only.
    if ! node - "$report" "$file" <<'JS'
const fs = require("fs");
const [report, file] = process.argv.slice(2);
const log = JSON.parse(fs.readFileSync(report, "utf8"));
let failures = 0;
for (const run of log.runs || []) {
  const failed = (run.invocations || []).filter((i) => i.executionSuccessful === false);
  for (const invocation of failed) {
    for (const n of invocation.toolExecutionNotifications || []) {
      console.log(`${file}: validator error: ${n.message && n.message.text}`);
    }
    failures += 1;
  }
  for (const result of run.results || []) {
    const level = result.level || "warning";
    const rule = result.ruleId || "?";
    const rules = (run.tool.driver.rules || []).filter((r) => r.id === rule);
    let text = result.message.text || "";
    if (!text && rules.length && result.message.id) {
      const template = rules[0].messageStrings?.[result.message.id]?.text || result.message.id;
      text = template.replace(/\{(\d+)\}/g, (_, i) => (result.message.arguments || [])[i] ?? "");
    }
    console.log(`${file}: ${level} ${rule}: ${text}`);
    if (level === "error" || level === "warning") failures += 1;
  }
}
process.exit(failures ? 1 : 0);
JS
    then
        status=1
    else
        echo "$file: valid SARIF 2.1.0 (schema, SARIF and GitHub rules)"
    fi
done
exit "$status"
