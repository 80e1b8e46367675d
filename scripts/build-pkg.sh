#!/usr/bin/env bash
# Builds the npm package into pkg/: one optimised .wasm, wasm-bindgen's web
# glue, and entry points that load the wasm without an init call.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --target wasm32-unknown-unknown -p liveagent-reseller --no-default-features --features npm
# Built aside and swapped in at the end, so a running demo or test never
# sees a half-written package.
out=pkg.next
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name liveagent_reseller \
  --encode-into always --omit-default-module-path \
  target/wasm32-unknown-unknown/release/liveagent_reseller.wasm
# binaryen from npm: Debian's wasm-opt (108) breaks wasm-bindgen's externref table.
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  "$out/liveagent_reseller_bg.wasm" -o "$out/liveagent_reseller_bg.wasm"

snippet=$(cd "$out" && ls snippets/*/js/error.js)
cp js/error.d.ts "$out/$(dirname "$snippet")/error.d.ts"
cp js/client.js js/client.d.ts js/transport.js "$out/"
cp README.md LICENSE "$out/"
node scripts/write-entries.mjs "$out" "./$snippet"
# The browser and Node entries are each one minified module next to the .wasm:
# less to download (bench/size.test.mjs holds the browser's to 20 KB gzip) and
# one module to load instead of six (Node's cold start). The other entries keep
# the readable modules.
for entry in index:browser node:node; do
  node_modules/.bin/esbuild "$out/${entry%%:*}.js" --bundle --minify --format=esm --target=es2022 \
    --platform="${entry##*:}" --log-level=warning --allow-overwrite --outfile="$out/${entry%%:*}.js"
done
rm -rf pkg.old
if [ -d pkg ]; then mv pkg pkg.old; fi
mv "$out" pkg
rm -rf pkg.old
