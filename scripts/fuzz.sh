#!/usr/bin/env bash
# `make fuzz`: every property test with FUZZ_CASES cases (default 100,000),
# each printing `fuzz <name>: <N> cases, 0 failures`. The core's properties
# run optimised (the `fuzz` profile: release speed, no LTO); the sandbox's
# in a debug build (its release build with LTO costs minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_CASES=${FUZZ_CASES:-100000}
export CARGO_TERM_COLOR=never
log=target/fuzz.log
mkdir -p target
{
  cargo test -q --profile fuzz -p liveagent-reseller --features native --test fuzz -- --nocapture --test-threads=1
  cargo test -q -p sandbox --test fuzz -- --nocapture --test-threads=1
} 2>&1 | tee "$log"
lines=$(grep -c '^fuzz .*: [0-9]* cases, 0 failures$' "$log" || true)
echo "$lines properties, $FUZZ_CASES cases each"
if [ "$lines" -lt 9 ]; then
  echo "expected at least 9 property lines" >&2
  exit 1
fi
