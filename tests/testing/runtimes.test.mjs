// The testing entry outside Node: Deno and Bun load the .wasm themselves;
// workerd takes it as a module (`createSandbox({ wasm })`). (Chromium: the
// static demo, tests/e2e/static-demo.test.mjs.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pkgDir, ports, requirePackage, root } from "./helpers.mjs";

const port = ports(20);

const run = promisify(execFile);
const bin = (name) => join(root, "node_modules/.bin", name);
let dir;
let workerd;

// One script for Deno and Bun: a fault, then the answer after it.
const script = (entry) => `
import { createSandbox } from ${JSON.stringify(entry)};
const sandbox = createSandbox({ seed: 3 });
await sandbox.ready;
sandbox.fault({ operation: "listVariations", status: 503, retryAfter: 1 });
const url = sandbox.config.baseUrl + "/resellers/reseller@example.com/variations?apikey=sandbox-api-key";
const first = await sandbox.config.fetch(url);
const second = await sandbox.config.fetch(url);
const { response } = await second.json();
console.log(JSON.stringify([first.status, first.headers.get("retry-after"), second.status,
  response.variations.length, sandbox.requests().map((r) => r.query)]));
`;
const expected = [503, "1", 200, 3, ["apikey=[redacted]", "apikey=[redacted]"]];

before(() => {
  requirePackage();
  dir = mkdtempSync(join(tmpdir(), "liveagent-testing-runtimes-"));
  writeFileSync(join(dir, "check.mjs"), script(join(pkgDir, "testing.js")));
});

after(() => {
  if (workerd?.exitCode === null) workerd.kill();
  if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
});

test("Deno reads the .wasm beside the entry", async () => {
  const { stdout } = await run(bin("deno"), ["run", "--allow-read", join(dir, "check.mjs")], { timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout), expected);
});

test("Bun reads the .wasm beside the entry", async () => {
  const { stdout } = await run(bin("bun"), [join(dir, "check.mjs")], { timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout), expected);
});

test("workerd: the .wasm as a module, createSandbox({ wasm }), a Worker answering from the sandbox", async () => {
  for (const file of ["testing.js", "sandbox_rules.wasm"]) copyFileSync(join(pkgDir, file), join(dir, file));
  writeFileSync(join(dir, "worker.js"), `
import { createSandbox } from "./testing.js";
import wasm from "./sandbox_rules.wasm";
const sandbox = createSandbox({ wasm, seed: 1 });
export default {
  async fetch(request) {
    await sandbox.ready;
    const url = new URL(request.url);
    if (url.pathname === "/fault") {
      sandbox.fault({ operation: "listVariations", status: 503, retryAfter: 3 });
      return new Response("ok");
    }
    return sandbox.handle(new Request(sandbox.config.baseUrl + url.pathname.replace(/^\\/api/, "") + url.search));
  },
};
`);
  const workerPort = port();
  writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .w) ],
  sockets = [ (name = "http", address = "127.0.0.1:${workerPort}", http = (), service = "main") ],
);
const w :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "testing.js", esModule = embed "testing.js"),
    (name = "sandbox_rules.wasm", wasm = embed "sandbox_rules.wasm"),
  ],
  compatibilityDate = "2024-09-23",
);
`);
  let output = "";
  workerd = spawn(bin("workerd"), ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
  workerd.stdout.on("data", (chunk) => { output += chunk; });
  workerd.stderr.on("data", (chunk) => { output += chunk; });
  const origin = `http://127.0.0.1:${workerPort}`;
  const url = `${origin}/api/resellers/reseller@example.com/variations?apikey=sandbox-api-key`;
  let answer;
  for (let i = 0; i < 150 && !answer; i++) {
    answer = await fetch(url).catch(() => new Promise((ok) => setTimeout(ok, 100)));
  }
  assert.ok(answer, `workerd did not answer:\n${output}`);
  assert.equal(answer.status, 200);
  assert.equal((await answer.json()).response.variations.length, 3);
  assert.equal(await (await fetch(`${origin}/fault`)).text(), "ok");
  const faulted = await fetch(url);
  assert.equal(faulted.status, 503);
  assert.equal(faulted.headers.get("retry-after"), "3");
});
