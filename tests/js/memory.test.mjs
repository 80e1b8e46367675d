// The wasm's linear memory never shrinks, so what a response makes it hold
// stays for the life of the process: the body crosses into the module only
// a chunk at a time (for the core's JSON check) and money is quoted in JS
// where the check saw it, so a 20 MB response grows it by at most 4 MiB.
// Reads the instance's memory by wrapping WebAssembly.Instance; its own
// process (node --test runs each file alone).
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

let memory;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  for (const value of Object.values(instance.exports)) {
    if (value instanceof WebAssembly.Memory) memory = value;
  }
  return instance;
};

const { ResellerClient } = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/node.js")).href);

const MiB = 1 << 20;

const clientAnswering = (body) => new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k",
  fetch: async () => new Response(body, { status: 200 }),
});

/** Bytes the wasm's memory grew by over one call answered with `body`. */
async function growth(call, body) {
  const client = clientAnswering(body);
  await call(clientAnswering('{"response":{"accounts":[],"addons":[]}}')); // loads the .wasm
  assert.ok(memory, "the wasm's memory was not seen");
  const before = memory.buffer.byteLength;
  const result = await call(client);
  return { grown: memory.buffer.byteLength - before, result };
}

test("a 20 MB list of accounts grows the wasm's memory by at most 4 MiB", async () => {
  const row = (i) => ({ account_id: `id${i}`, domain: `d${i}.example.com`, customer_name: "Name ".repeat(20), status: "A" });
  const accounts = Array.from({ length: 100_000 }, (_, i) => row(i));
  const body = JSON.stringify({ response: { accounts } });
  assert.ok(body.length >= 20e6 * 0.5, `${body.length} characters`);
  const padded = body.slice(0, -2) + `,"pad":"${"x".repeat(20e6 - body.length)}"}}`;
  const { grown, result } = await growth((c) => c.listAccounts(), padded);
  assert.equal(result.accounts.length, 100_000);
  assert.ok(grown <= 4 * MiB, `the wasm's memory grew by ${(grown / MiB).toFixed(1)} MiB`);
});

test("a 20 MB body with money written as numbers keeps their text and grows the wasm's memory by at most 4 MiB", async () => {
  const addons = Array.from({ length: 1000 }, (_, i) => `{"id":"a${i}","price": ${i}.90}`).join(",");
  const head = `{"response":{"addons":[${addons}],"note":"`;
  const body = head + "é".repeat(20e6 - head.length) + '"}}';
  const { grown, result } = await growth((c) => c.listAccountAddons("acc"), body);
  assert.equal(result.addons[999].price, "999.90");
  assert.equal(result.addons[0].price, "0.90");
  assert.ok(grown <= 4 * MiB, `the wasm's memory grew by ${(grown / MiB).toFixed(1)} MiB`);
});
