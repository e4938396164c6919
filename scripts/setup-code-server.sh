#!/usr/bin/env bash
# Installs code-server (VS Code's server + web workbench, from npm) into .vscode-test/code-server without any
# download from GitHub, so test/e2e can run the extension in a real VS Code offline; and, when running as root,
# the Debian packages it needs (libkrb5-dev, ripgrep) plus the test browser (chromium) if they are missing.
# Follows /work/shared/recipes/code-server-e2e.md. Idempotent: does nothing when everything is in place.
set -euo pipefail

# 4.100.x is the newest line whose engines field accepts Node 20 (4.103 wants Node 22; 4.139, the recipe's
# version, wants Node 24 and fails on Node 20 with "node:module does not provide an export named 'registerHooks'").
VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.vscode-test/code-server"
CS="$DIR/node_modules/code-server"
VSC="$CS/lib/vscode"
DONE="$DIR/.installed-$VERSION"

# Debian packages: gssapi headers for kerberos, rg for @vscode/ripgrep, the browser for the tests.
install_system_packages() {
  local missing=()
  [[ -f /usr/include/gssapi/gssapi.h || -f /usr/include/gssapi.h ]] || missing+=(libkrb5-dev)
  command -v rg >/dev/null || missing+=(ripgrep)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  (( ${#missing[@]} )) || return 0
  if [[ "$(id -u)" != 0 ]]; then
    echo "setup-code-server: please install: ${missing[*]} (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq || true
  apt-get install -y "${missing[@]}"
}

# The built-in extensions' shared dependency (typescript, for the TS language features in cells); the recipe
# leaves it out, and the TypeScript extension then reports that its tsserver is missing.
install_extension_deps() {
  [[ -d "$VSC/extensions/node_modules/typescript" ]] && return 0
  (cd "$VSC/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
}

install_code_server() {
  if [[ -d "$DIR" ]]; then
    echo "setup-code-server: replacing the incomplete or other-version install in $DIR"
    rm -rf "$DIR"
  fi
  mkdir -p "$DIR"
  cd "$DIR"
  npm init -y >/dev/null
  # code-server's postinstall refuses root and downloads ripgrep from GitHub: install with scripts off instead.
  npm install "code-server@$VERSION" --ignore-scripts --no-audit --no-fund
  npm_config_yes=true npm rebuild argon2
  cd "$VSC"
  npm install --omit=dev --ignore-scripts --no-audit --no-fund
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild          # node-pty, spdlog, watcher, kerberos...
  ln -sfn node_modules node_modules.asar   # what code-server's postinstall would do
  touch "$DONE"
}

install_system_packages
[[ -f "$DONE" && -f "$CS/out/node/entry.js" ]] || install_code_server
install_extension_deps
echo "setup-code-server: code-server $VERSION ready in $DIR"
