#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine with
# rustup, node and npm; skips what is already there. Usage:
#   scripts/setup.sh            toolchain for `make pkg` (wasm target, wasm-bindgen, npm packages)
#   scripts/setup.sh browser    also Debian's chromium and chromium-driver
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock, or the
# generated glue does not match the module.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (was: ${have:-none}); takes a few minutes"
  # No --locked: the CLI's own lock names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$want"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || ! npm ls --silent >/dev/null 2>&1; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = browser ] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  say "installing Debian's chromium and chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
