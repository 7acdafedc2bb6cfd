#!/usr/bin/env bash
# Install pinned peer linters for the contract-toolkit side-by-side benchmark.
#
#   bash bench/peers.sh [DIR]        # DIR defaults to /tmp/ctk-bench
#
# Idempotent: each tool is skipped when the pinned version is already present.
# Needs: node + npm (20+), python3 (3.9+ with venv). Network only to the
# npm registry and PyPI, and only at install time.
set -euo pipefail

DIR="${1:-/tmp/ctk-bench}"

OCTOKIT_OPENAPI_VERSION="23.0.2"
REDOCLY_CLI_VERSION="2.77.0"
SPECTRAL_CLI_VERSION="6.16.3"
OSV_VERSION="0.9.0"
PYTHON="${PYTHON:-python3}"

# Keep redocly quiet and offline-friendly, also during install.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
NODE_DIR="$DIR/node"

# Print the installed version of an npm package in $NODE_DIR (empty if absent).
npm_installed_version() {
    local pj="$NODE_DIR/node_modules/$1/package.json"
    [[ -f "$pj" ]] || return 0
    node -p "require(process.argv[1]).version" "$pj"
}

# --- npm tools -------------------------------------------------------------
mkdir -p "$NODE_DIR"
if [[ ! -f "$NODE_DIR/package.json" ]]; then
    printf '{\n  "name": "ctk-bench-peers",\n  "private": true\n}\n' > "$NODE_DIR/package.json"
fi

want=()
for spec in "@octokit/openapi@$OCTOKIT_OPENAPI_VERSION" \
            "@redocly/cli@$REDOCLY_CLI_VERSION" \
            "@stoplight/spectral-cli@$SPECTRAL_CLI_VERSION"; do
    name="${spec%@*}"
    version="${spec##*@}"
    have="$(npm_installed_version "$name")"
    if [[ "$have" == "$version" ]]; then
        echo "[peers] $name@$version already installed"
    else
        want+=("$spec")
    fi
done
if (( ${#want[@]} )); then
    echo "[peers] npm install ${want[*]}"
    (cd "$NODE_DIR" && npm install --save-exact --no-audit --no-fund \
        --loglevel=error "${want[@]}")
fi

# --- Python: openapi-spec-validator -----------------------------------------
VENV="$DIR/venv-osv"
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "[peers] creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
have_osv="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null || true)"
if [[ "$have_osv" == "$OSV_VERSION" ]]; then
    echo "[peers] openapi-spec-validator==$OSV_VERSION already installed"
else
    echo "[peers] pip install openapi-spec-validator==$OSV_VERSION"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        "openapi-spec-validator==$OSV_VERSION"
fi

# --- Rulesets / config --------------------------------------------------------
# Spectral refuses to run without a ruleset.
SPECTRAL_RULESET="$DIR/.spectral.yaml"
if [[ ! -f "$SPECTRAL_RULESET" ]]; then
    printf 'extends: ["spectral:oas"]\n' > "$SPECTRAL_RULESET"
fi
# Redocly: local config pinning the built-in recommended ruleset (no remote
# extends, no registry/API lookups).
REDOCLY_CONFIG="$DIR/redocly.yaml"
if [[ ! -f "$REDOCLY_CONFIG" ]]; then
    printf 'extends:\n  - recommended\n' > "$REDOCLY_CONFIG"
fi

# --- Summary -----------------------------------------------------------------
BIN="$NODE_DIR/node_modules/.bin"
SPEC="$NODE_DIR/node_modules/@octokit/openapi/generated/api.github.com.json"
for f in "$BIN/redocly" "$BIN/spectral" "$VENV/bin/python" "$SPEC"; do
    [[ -e "$f" ]] || { echo "[peers] MISSING: $f" >&2; exit 1; }
done
cat <<INFO

[peers] install dir      $DIR
[peers] github spec      $SPEC   (@octokit/openapi $(npm_installed_version @octokit/openapi))
[peers] redocly          $BIN/redocly   ($(npm_installed_version @redocly/cli))
[peers] redocly config   $REDOCLY_CONFIG
[peers] spectral         $BIN/spectral   ($(npm_installed_version @stoplight/spectral-cli))
[peers] spectral ruleset $SPECTRAL_RULESET
[peers] osv python       $VENV/bin/python   (openapi-spec-validator $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))'))
[peers] env for redocly  REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
INFO
