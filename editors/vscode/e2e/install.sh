#!/usr/bin/env bash
# Installs what the VS Code end-to-end test (test_vscode.py beside this file)
# needs and the machine lacks; does nothing for what is already there, so it
# can run before every test run.
#
#   - Debian packages: Chromium, ripgrep, and what code-server's native
#     modules need to build;
#   - code-server 4.100.3 (VS Code 1.100.3) from npm, into $DOSSIER_E2E_TOOLS;
#   - Playwright for Python (1.65.3) from PyPI, into a virtualenv in
#     $DOSSIER_E2E_TOOLS (it drives Debian's Chromium; no browser is
#     downloaded: `playwright install` is never run).
#
# DOSSIER_E2E_TOOLS defaults to /opt/dossier-vscode-e2e as root, else to
# ~/.cache/dossier-vscode-e2e. test_vscode.py looks in the same place.
# Needs Node 20 (code-server 4.100.x refuses any other major version), npm,
# python3 and, as non-root, sudo for apt-get.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json),
# whose postinstall fetches ripgrep-prebuilt release v13.0.0-10 from GitHub into
# $TMPDIR/vscode-ripgrep-cache-1.15.11/ unless the archive is already there
# (lib/download.js). The archive holds `rg` at its top level.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_TAG=v13.0.0-10

if [ "$(id -u)" -eq 0 ]; then
    tools="${DOSSIER_E2E_TOOLS:-/opt/dossier-vscode-e2e}"
    sudo=""
else
    tools="${DOSSIER_E2E_TOOLS:-$HOME/.cache/dossier-vscode-e2e}"
    sudo="sudo"
fi
code_server="$tools/code-server-$CODE_SERVER_VERSION"
venv="$tools/venv"

say() { echo "e2e install: $*"; }

# --- Debian packages -------------------------------------------------------
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || need_apt+=(libkrb5-dev)
[ -e /usr/include/X11/Xlib.h ] || need_apt+=(libx11-dev)
[ -e /usr/include/X11/extensions/XKBfile.h ] || need_apt+=(libxkbfile-dev)
pkg-config --exists libsecret-1 2>/dev/null || need_apt+=(libsecret-1-dev)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    say "apt-get install ${need_apt[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# --- code-server -----------------------------------------------------------
if [ -x "$code_server/node_modules/.bin/code-server" ] \
    && [ -x "$code_server/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]; then
    say "code-server $CODE_SERVER_VERSION already in $code_server"
else
    node_major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$node_major" != 20 ]; then
        echo "e2e install: code-server $CODE_SERVER_VERSION needs Node 20, found $(node --version)" >&2
        exit 1
    fi
    case "$(uname -m)" in
        x86_64) rg_target=x86_64-unknown-linux-musl ;;
        aarch64) rg_target=aarch64-unknown-linux-musl ;;
        *) echo "e2e install: no ripgrep target for $(uname -m)" >&2; exit 1 ;;
    esac
    say "installing code-server $CODE_SERVER_VERSION into $code_server (builds native modules: a few minutes)"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    # Seed @vscode/ripgrep's download cache with Debian's rg, so its
    # postinstall never goes to GitHub.
    mkdir -p "$scratch/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION" "$scratch/rg"
    cp "$(command -v rg)" "$scratch/rg/rg"
    tar -czf "$scratch/tmp/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION/ripgrep-$RIPGREP_TAG-$rg_target.tar.gz" -C "$scratch/rg" rg
    rm -rf "$code_server"
    mkdir -p "$code_server"
    # A local install in a folder of its own, not `--global --prefix`: npm
    # hands its settings to the postinstall's own `npm install` in
    # lib/vscode, which with `global` and `prefix` set would install over
    # code-server itself.
    echo '{ "private": true, "description": "code-server for the Dossier VS Code e2e test" }' >"$code_server/package.json"
    # A failed install must not leave a half-built folder that looks installed.
    if ! (cd "$code_server" && TMPDIR="$scratch/tmp" npm_config_yes=true npm install \
        --unsafe-perm --no-audit --no-fund --no-package-lock --loglevel=error \
        "code-server@$CODE_SERVER_VERSION") >"$scratch/npm.log" 2>&1; then
        tail -n 60 "$scratch/npm.log" >&2
        rm -rf "$code_server"
        echo "e2e install: npm install code-server@$CODE_SERVER_VERSION failed" >&2
        exit 1
    fi
    # (code-server writes a config file and logs to the XDG folders on any run.)
    XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" "$code_server/node_modules/.bin/code-server" --version 2>/dev/null | tail -n 1
fi

# --- Playwright for Python -------------------------------------------------
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import playwright.sync_api' 2>/dev/null \
    && [ "$("$venv/bin/python" -m pip show playwright 2>/dev/null | sed -n 's/^Version: //p')" = "$PLAYWRIGHT_VERSION" ]; then
    say "playwright $PLAYWRIGHT_VERSION already in $venv"
else
    say "installing playwright $PLAYWRIGHT_VERSION into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION"
fi

say "ready: code-server in $code_server, python with playwright in $venv, $(chromium --version 2>/dev/null)"
