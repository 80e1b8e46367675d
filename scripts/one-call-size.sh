#!/usr/bin/env bash
# The Rust face's size (issue 16): examples/one-call (one call on the crate's
# `Client`) beside examples/one-call-baseline (the same call hand-written on
# gloo-net + serde_json), both built the same way: release profile
# (opt-level "z", LTO, panic abort), wasm-bindgen --target web,
# wasm-opt -Oz, gzip -9. Prints both; fails when one-call's wasm + glue
# exceeds the figure held below.
#   scripts/one-call-size.sh            measure and check
#   ONE_CALL_MAX=N scripts/one-call-size.sh   check against N bytes instead
set -euo pipefail
cd "$(dirname "$0")/.."

# wasm + glue, gzip -9, of examples/one-call: the figure reached (see
# examples/one-call/README.md); lower it when a change makes the app smaller.
max=${ONE_CALL_MAX:-59850}

opt=node_modules/.bin/wasm-opt
if [ ! -x "$opt" ]; then
  echo "one-call-size: $opt is missing (run scripts/setup.sh)" >&2
  exit 1
fi
out=${CARGO_TARGET_DIR:-target}/one-call-size
rm -rf "$out"
mkdir -p "$out"

cargo build -q --release --target wasm32-unknown-unknown -p one-call -p one-call-baseline

# Prints "<wasm gzip> <glue gzip>" for the app `$1` (its lib name).
measure() {
  local name=$1 dir=$out/$1
  wasm-bindgen --target web --out-dir "$dir" \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/$name.wasm"
  "$opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    "$dir/${name}_bg.wasm" -o "$dir/opt.wasm"
  echo "$(gzip -9 -c "$dir/opt.wasm" | wc -c) $(gzip -9 -c "$dir/$name.js" | wc -c)"
}

read -r app_wasm app_glue < <(measure one_call)
read -r base_wasm base_glue < <(measure one_call_baseline)
app=$((app_wasm + app_glue))
base=$((base_wasm + base_glue))

printf '%-40s %8s %8s %8s\n' "gzip -9, bytes" wasm glue total
printf '%-40s %8d %8d %8d\n' "one-call (the crate's Client)" "$app_wasm" "$app_glue" "$app"
printf '%-40s %8d %8d %8d\n' "one-call-baseline (gloo-net by hand)" "$base_wasm" "$base_glue" "$base"
printf '%-40s %8d (%d.%02dx the baseline)\n' "held at" "$max" \
  $((app / base)) $(((app * 100 / base) % 100))

if [ "$app" -gt "$max" ]; then
  echo "one-call-size: examples/one-call is $app B gzip (wasm + glue), over the $max B held" >&2
  exit 1
fi
