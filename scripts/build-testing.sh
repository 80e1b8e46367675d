#!/usr/bin/env bash
# The npm package's `testing` entry, built into <out-dir> (the package being
# built): the sandbox's rules compiled to their own .wasm
# (sandbox_rules.wasm), testing.js / testing.cjs with their types, and the
# npx command bin/liveagent-reseller.mjs.
#   scripts/build-testing.sh <out-dir>
set -euo pipefail
out=$(realpath "${1:?usage: scripts/build-testing.sh <out-dir>}")
cd "$(dirname "$0")/.."
cargo build --release --target wasm32-unknown-unknown -p sandbox-wasm
glue=target/testing-glue
rm -rf "$glue"
wasm-bindgen --target web --out-dir "$glue" --out-name sandbox_rules --omit-default-module-path \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/sandbox_wasm.wasm"
# binaryen from npm (Debian's wasm-opt breaks wasm-bindgen's externref table).
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  "$glue/sandbox_rules_bg.wasm" -o "$out/sandbox_rules.wasm"
node testing/build.mjs "$out"
