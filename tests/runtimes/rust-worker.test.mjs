// examples/rust-worker in workerd: a Rust edge function using the crate's
// Rust `Client` (gloo-net over workerd's fetch), built with cargo and
// wasm-bindgen as a user would, served by workerd, called over HTTP against
// the sandbox. A second service has the API on a dead port.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { api, apiKey, bin, serveWorkerd, deadPort, preflight, reseller, root, run, tempDir } from "./helpers.mjs";

const JOHN = "9900a49c321c871cd1a572a1dc21a33c";
let workerd;
let dist;
const ports = {};
const bodies = []; // every answer, to check that the key never leaves the worker

before(async () => {
  await preflight();
  const target = process.env.CARGO_TARGET_DIR ?? join(root, "target");
  await run("cargo", ["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "rust-worker"],
    { timeout: 600_000 });
  dist = tempDir("rust-worker");
  await run("wasm-bindgen", ["--target", "web", "--out-dir", dist,
    join(target, "wasm32-unknown-unknown/release/rust_worker.wasm")]);
  await run(bin("wasm-opt"), ["-Oz", join(dist, "rust_worker_bg.wasm"), "-o", join(dist, "rust_worker_bg.wasm")]);
  copyFileSync(join(root, "examples/rust-worker/worker.mjs"), join(dist, "worker.mjs"));
  const str = (value) => JSON.stringify(String(value));
  const worker = (name, url) => `const ${name}Worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "rust_worker.js", esModule = embed "rust_worker.js"),
    (name = "rust_worker_bg.wasm", wasm = embed "rust_worker_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "RESELLER_API_URL", text = ${str(url)}),
    (name = "RESELLER_ID", text = ${str(reseller)}),
    (name = "RESELLER_API_KEY", text = ${str(apiKey)}),
  ],
  globalOutbound = "internet",
);`;
  const down = `http://127.0.0.1:${await deadPort()}/api`;
  writeFileSync(join(dist, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "status", worker = .statusWorker),
    (name = "down", worker = .downWorker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
    (name = "status", address = "127.0.0.1:0", http = (), service = "status"),
    (name = "down", address = "127.0.0.1:0", http = (), service = "down"),
  ],
);

${worker("status", api)}

${worker("down", down)}
`);
  const served = await serveWorkerd(join(dist, "config.capnp"), ["status", "down"]);
  workerd = served.workerd;
  Object.assign(ports, served.ports);
});

after(() => workerd?.kill());

async function ask(path, service = "status") {
  const response = await fetch(`http://127.0.0.1:${ports[service]}${path}`);
  const text = await response.text();
  bodies.push(text);
  return { status: response.status, body: JSON.parse(text) };
}

test("the Rust client answers from workerd: an account's status with its meaning", async () => {
  const { status, body } = await ask(`/accounts/${JOHN}/status`);
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body, { ok: true, account_id: JOHN, status: "a", meaning: "Active" });
});

test("a list decodes into typed rows: accounts counted by status", async () => {
  const { status, body } = await ask("/accounts");
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.ok, true);
  assert.ok(body.by_status.a >= 1, JSON.stringify(body));
});

test("an unknown account is the API's 404, typed in Rust", async () => {
  const { status, body } = await ask("/accounts/no-such-account/status");
  assert.equal(status, 404);
  assert.deepEqual(body, { ok: false, error: "api", retryable: false });
});

test("an API that cannot be reached is a retryable network error", async () => {
  const { status, body } = await ask(`/accounts/${JOHN}/status`, "down");
  assert.equal(status, 502);
  assert.deepEqual(body, { ok: false, error: "network", retryable: true });
});

test("other paths are not found, and no answer carries the key", async () => {
  const { status } = await ask("/elsewhere");
  assert.equal(status, 404);
  for (const text of bodies) assert.doesNotMatch(text, new RegExp(apiKey));
});

test("the worker's wasm size is reported (Rust face, gloo-net, gzip -9)", () => {
  const wasm = readFileSync(join(dist, "rust_worker_bg.wasm"));
  const gzip = gzipSync(wasm, { level: 9 }).length;
  console.log(`# rust-worker wasm: ${statSync(join(dist, "rust_worker_bg.wasm")).size} B raw, ${gzip} B gzip -9`);
  assert.ok(gzip < 80_000, `the Rust worker's wasm grew to ${gzip} B gzip`);
});
