#!/usr/bin/env bash
# `make test`: every check, sharing one build per target. Prints a count per
# stage and fails if any stage fails or runs no test.
#   scripts/test.sh        everything
#   scripts/test.sh lint   fmt, codegen check, clippy (both targets), rustdoc
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
SANDBOX_PORT=${SANDBOX_PORT:-18080}
export SANDBOX_URL="http://127.0.0.1:$SANDBOX_PORT"
logs=target/test-logs
mkdir -p "$logs"
summary=()
started=$SECONDS

stage() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

# Adds "<stage>: N passed, N failed" from a cargo test log (sum of its binaries).
count_cargo() {
  local name=$1 log=$2
  local counts
  counts=$(awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } } END { printf "%d %d", p, f }' "$log")
  set -- $counts
  summary+=("$name: $1 passed, $2 failed")
  if [ "$1" -eq 0 ]; then echo "stage '$name' ran no test" >&2; exit 1; fi
}

count_node() {
  local name=$1 log=$2 p f
  p=$(awk '/^# pass / { print $3 }' "$log" | tail -1)
  f=$(awk '/^# fail / { print $3 }' "$log" | tail -1)
  summary+=("$name: ${p:-0} passed, ${f:-0} failed")
  if [ "${p:-0}" -eq 0 ]; then echo "stage '$name' ran no test" >&2; exit 1; fi
}

lint() {
  stage "lint: cargo fmt, generated code up to date, clippy (native and wasm32), rustdoc"
  cargo fmt --all -- --check
  cargo run -q -p codegen -- --check
  cargo clippy -q --workspace --all-targets --features liveagent-reseller/native,liveagent-reseller/testing -- -D warnings
  cargo clippy -q -p liveagent-reseller --all-targets --target wasm32-unknown-unknown --features tsify,testing -- -D warnings
  cargo clippy -q -p liveagent-reseller-npm --all-targets --target wasm32-unknown-unknown -- -D warnings
  cargo clippy -q -p liveagent-reseller-npm --target wasm32-unknown-unknown --features bundle -- -D warnings
  cargo clippy -q -p rust-worker --target wasm32-unknown-unknown -- -D warnings
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p liveagent-reseller --target wasm32-unknown-unknown --features tsify
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p liveagent-reseller --features native,testing
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p liveagent-reseller-npm --target wasm32-unknown-unknown --document-private-items
  RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p codegen -p sandbox -p sandbox-rules -p sandbox-wasm
  cargo clippy -q -p sandbox-wasm --target wasm32-unknown-unknown -- -D warnings
}

bash scripts/setup.sh browser
lint
[ "${1:-}" = lint ] && exit 0

stage "native tests (unit, the Rust client over reqwest, properties, codegen snapshot, documented examples, sandbox over HTTP, doctests)"
cargo test --workspace --features liveagent-reseller/native,liveagent-reseller/testing 2>&1 | tee "$logs/native.log"
count_cargo native "$logs/native.log"

stage "spec: OpenAPI 3.1 validation"
node --test spec/ 2>&1 | tee "$logs/spec.log"
count_node spec "$logs/spec.log"

stage "npm package"
bash scripts/build-pkg.sh

stage "sandbox on $SANDBOX_URL"
if (exec 3<>"/dev/tcp/127.0.0.1/$SANDBOX_PORT") 2>/dev/null; then
  echo "port $SANDBOX_PORT is taken; set SANDBOX_PORT" >&2
  exit 1
fi
# Browser tests steer it from pages on other local ports (the wasm test
# runner, Vite): its control routes are closed to other origins otherwise.
target/debug/sandbox --port "$SANDBOX_PORT" --allow-origin 'http://127.0.0.1:*' --allow-origin 'http://localhost:*' > "$logs/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q "listening" "$logs/sandbox.log" && break; sleep 0.1; done
grep -q "listening" "$logs/sandbox.log" || { cat "$logs/sandbox.log"; exit 1; }
reset_sandbox() { node -e "fetch('$SANDBOX_URL/_sandbox/reset', {method: 'POST'}).then(r => { if (!r.ok) process.exit(1) })"; }

# The wasm test builds (one, shared by both stages) carry no DWARF: a 28 MB
# test module is much smaller then, and headless Chromium loads it faster.
# The npm face's tests (wasm, faults: both faces) are the npm crate's; the
# in-process sandbox's, the library's.
wasm_crate() { case $1 in sandbox_wasm) echo "-p liveagent-reseller --features testing" ;; *) echo "-p liveagent-reseller-npm" ;; esac; }
wasm_test() { CARGO_PROFILE_DEV_DEBUG=0 cargo test --target wasm32-unknown-unknown "$@"; }
stage "wasm tests in Node"
{ wasm_test -p liveagent-reseller-npm --test wasm --test faults && wasm_test -p liveagent-reseller --features testing --test sandbox_wasm; } 2>&1 | tee "$logs/wasm-node.log"
count_cargo "wasm in Node" "$logs/wasm-node.log"

stage "wasm tests in headless Chromium"
# Chromium reaches the runner's page through scripts/runner-relay.mjs, one
# connection per request: the runner's server (tiny_http) can leave a
# connection unserved while Chromium keeps its others open, and the page then
# never runs (the relay's header says how). The sandbox is reached directly.
# The other flags keep Chromium off the network this machine does not have.
: > "$logs/relay.log"
coproc relay { exec node scripts/runner-relay.mjs "$logs/relay.log"; }
relay_pid=$relay_PID
trap 'kill $sandbox_pid $relay_pid 2>/dev/null || true' EXIT
read -r -t 10 relay_line <&"${relay[0]}" || { echo "the runner relay did not start" >&2; exit 1; }
relay_port=${relay_line##* }
cat > "$logs/webdriver.json" <<JSON
{"goog:chromeOptions": {"args": [
  "proxy-server=http://127.0.0.1:$relay_port",
  "proxy-bypass-list=<-loopback>;127.0.0.1:$SANDBOX_PORT",
  "disable-gpu", "disable-quic", "no-first-run", "disable-background-networking",
  "disable-component-update", "disable-sync"
]}}
JSON
# One test file at a time, each given 120 s (the runner's default is 20: under
# load the largest take ~11 s alone). A page that started no test within 180 s
# is reported with the runner requests that never ended, and tried once more.
chromium_file() {
  local file=$1 try log="$logs/wasm-chromium-$1.log"
  for try in 1 2; do
    reset_sandbox
    local from
    from=$(wc -l < "$logs/relay.log")
    if timeout --kill-after=10 180 env CARGO_PROFILE_DEV_DEBUG=0 WASM_BINDGEN_USE_BROWSER=1 \
      CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
      WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/$logs/webdriver.json" \
      cargo test --target wasm32-unknown-unknown $(wasm_crate "$file") --test "$file" 2>&1 | tee "$log"; then
      cat "$log" >> "$logs/wasm-chromium.log"
      return 0
    fi
    # A failed test, or tests that started and did not end: a real failure.
    if grep -q "^test .* FAILED$" "$log" || grep -q "^test result: FAILED" "$log"; then return 1; fi
    if grep -q "^running [0-9]* tests" "$log" && ! grep -q "Failed to detect test as having been run" "$log"; then return 1; fi
    echo "the browser never ran the page of $file (attempt $try); runner requests that did not end:" >&2
    tail -n +"$((from + 1))" "$logs/relay.log" | awk '$1 == ">" { open[$2] = $0 } $1 == "<" || $1 == "!" { delete open[$2] } END { for (i in open) print "  " open[i] }' >&2
    grep -c '^>' <(tail -n +"$((from + 1))" "$logs/relay.log") | sed 's/^/  requests relayed: /' >&2
  done
  return 1
}
: > "$logs/wasm-chromium.log"
for file in faults sandbox_wasm wasm; do chromium_file "$file" || exit 1; done
grep -q "Running headless tests in Chrome" "$logs/wasm-chromium.log" || { echo "the browser stage did not run in Chrome" >&2; exit 1; }
count_cargo "wasm in Chromium" "$logs/wasm-chromium.log"

stage "tsify: a Rust crate that returns our types to JS gets their declarations"
node --test tests/tsify/ 2>&1 | tee "$logs/tsify.log"
count_node tsify "$logs/tsify.log"

stage "the npm package in Node"
reset_sandbox
node --expose-gc --test tests/js/ 2>&1 | tee "$logs/pkg.log"
count_node "package in Node" "$logs/pkg.log"

stage "the testing entry: one session byte-identical from the Rust sandbox, createSandbox and npx; the README's user tests from the tarball"
SANDBOX_BIN=target/debug/sandbox node --test tests/testing/ 2>&1 | tee "$logs/testing.log"
count_node "testing entry" "$logs/testing.log"

stage "the package in workerd, Deno, Bun, Vite + Chromium, from its tarball; its types"
reset_sandbox
node --test tests/runtimes/ 2>&1 | tee "$logs/runtimes.log"
count_node "runtimes" "$logs/runtimes.log"

stage "the demo page in headless Chromium (Playwright)"
SANDBOX_BIN=target/debug/sandbox node --test tests/e2e/ 2>&1 | tee "$logs/demo.log"
count_node "demo in Chromium" "$logs/demo.log"

stage "bench: size budgets (npm download, the Rust one-call app), baseline client"
SANDBOX_BIN=target/debug/sandbox node --test bench/ 2>&1 | tee "$logs/bench.log"
count_node bench "$logs/bench.log"
# The Rust face's one-call app against its guard (and the hand-written baseline app).
bash scripts/one-call-size.sh

stage "summary ($((SECONDS - started)) s)"
printf '%s\n' "${summary[@]}"
printf '%s\n' "${summary[@]}" | awk -F'[:,] *' '{ split($2, p, " "); split($3, f, " "); tp += p[1]; tf += f[1] } END { printf "total: %d passed, %d failed\n", tp, tf }'
