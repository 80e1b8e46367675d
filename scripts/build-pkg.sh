#!/usr/bin/env bash
# Builds the npm package into pkg/: one optimised .wasm, wasm-bindgen's web
# glue, and entry points that load the wasm without an init call.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown -p liveagent-reseller
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name liveagent_reseller \
  target/wasm32-unknown-unknown/release/liveagent_reseller.wasm
# binaryen from npm: Debian's wasm-opt (108) breaks wasm-bindgen's externref table.
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  pkg/liveagent_reseller_bg.wasm -o pkg/liveagent_reseller_bg.wasm

snippet=$(cd pkg && ls snippets/*/js/error.js)
cp js/error.d.ts "pkg/$(dirname "$snippet")/error.d.ts"
node scripts/write-entries.mjs pkg "./$snippet"
