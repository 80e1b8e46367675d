#!/usr/bin/env bash
# Builds the npm package into pkg/: one optimised .wasm, its JavaScript form
# (wasm2js, for pages whose CSP refuses WebAssembly), wasm-bindgen's web glue,
# and entry points (ESM and CommonJS) that load the wasm without an init call.
set -euo pipefail
cd "$(dirname "$0")/.."

# The npm crate (npm/), in its own profile (= release), so no other build's
# cdylib lands in its folder.
cargo build --profile npm --target wasm32-unknown-unknown -p liveagent-reseller-npm --features bundle
# Built aside and swapped in at the end, so a running demo or test never
# sees a half-written package.
out=pkg.next
rm -rf "$out"
wasm-bindgen --target web --out-dir "$out" --out-name liveagent_reseller \
  --encode-into always --omit-default-module-path \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/npm/liveagent_reseller_npm.wasm"
# binaryen from npm: Debian's wasm-opt (108) breaks wasm-bindgen's externref table.
node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers --strip-target-features \
  "$out/liveagent_reseller_bg.wasm" -o "$out/liveagent_reseller_bg.wasm"
node scripts/minify-imports.mjs "$out/liveagent_reseller_bg.wasm" "$out/liveagent_reseller.js"
# After minify-imports: the JavaScript form takes the same import names.
node scripts/wasm2js-fallback.mjs "$out"

# error.js and dates.js (which imports it) sit in a folder named by their
# content, as wasm-bindgen named its snippets when the wasm imported them;
# the driver and the inputs' encoder import them there.
find "$out" -path "$out/snippets/*" -type d -empty -delete
snippet=snippets/liveagent-reseller-$(cat js/error.js js/dates.js | sha256sum | cut -c1-16)/js/error.js
mkdir -p "$out/$(dirname "$snippet")"
cp js/error.js js/error.d.ts js/dates.js js/dates.d.ts "$out/$(dirname "$snippet")/"
cp js/client.js js/client.d.ts js/config.js js/config-rules.js js/driver.js js/inputs.js js/text.js js/text-node.js js/load.js js/loader.js js/fallback.js js/served.js "$out/"
sed -i "s#from \"./error.js\";#from \"./$snippet\";#" "$out/driver.js"
sed -i "s#from \"./dates.js\";#from \"./$(dirname "$snippet")/dates.js\";#" "$out/inputs.js"
grep -q "$snippet" "$out/driver.js" && grep -q "$(dirname "$snippet")/dates.js" "$out/inputs.js"
cp README.md LICENSE "$out/"
# The /testing entry (its own .wasm, ESM and CommonJS, the sandbox command).
bash scripts/build-testing.sh "$out"
# The entries, package.json, declarations, and the bundles (esbuild).
node scripts/write-entries.mjs "$out" "./$snippet"
rm -rf pkg.old
if [ -d pkg ]; then mv pkg pkg.old; fi
mv "$out" pkg
rm -rf pkg.old
