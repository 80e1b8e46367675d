#!/usr/bin/env bash
# Builds the npm package into pkg/: one optimised .wasm, its JavaScript form
# (wasm2js, for pages whose CSP refuses WebAssembly), wasm-bindgen's web glue,
# and entry points (ESM and CommonJS) that load the wasm without an init call.
set -euo pipefail
cd "$(dirname "$0")/.."

# Its own profile (= release), so no other build's cdylib lands in its folder.
cargo build --profile npm --target wasm32-unknown-unknown -p liveagent-reseller --no-default-features --features npm
# Built aside and swapped in at the end, so a running demo or test never
# sees a half-written package.
out=pkg.next
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name liveagent_reseller \
  --encode-into always --omit-default-module-path \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/npm/liveagent_reseller.wasm"
# binaryen from npm: Debian's wasm-opt (108) breaks wasm-bindgen's externref table.
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  "$out/liveagent_reseller_bg.wasm" -o "$out/liveagent_reseller_bg.wasm"
node scripts/minify-imports.mjs "$out/liveagent_reseller_bg.wasm" "$out/liveagent_reseller.js"
# After minify-imports: the JavaScript form takes the same import names.
node scripts/wasm2js-fallback.mjs "$out"

snippet=$(cd "$out" && ls snippets/*/js/error.js)
# dates.js imports ./error.js: it goes beside it (where wasm-bindgen also puts
# it when the wasm imports it), with both declarations.
cp js/error.d.ts js/dates.js js/dates.d.ts "$out/$(dirname "$snippet")/"
cp js/client.js js/client.d.ts js/config.js js/config-rules.js js/transport.js js/load.js js/loader.js js/fallback.js js/served.js "$out/"
cp README.md LICENSE "$out/"
# The /testing entry (its own .wasm, ESM and CommonJS, the sandbox command).
bash scripts/build-testing.sh "$out"
# The entries, package.json, declarations, and the bundles (esbuild).
node scripts/write-entries.mjs "$out" "./$snippet"
rm -rf pkg.old
if [ -d pkg ]; then mv pkg pkg.old; fi
mv "$out" pkg
rm -rf pkg.old
