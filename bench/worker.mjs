// One measurement in a fresh Node process; prints one JSON line on stdout.
//   node bench/worker.mjs <task> <side> [api] [count] [warmup]
// task: cold | calls | list | memory | big;  side: pkg | baseline | floor
// (big: one response of 20 MB, package only: how much the wasm's memory grows)
// (floor = a raw fetch + res.text() loop on the same URL, no client).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const ENTRY = {
  pkg: pathToFileURL(resolve(root, "pkg/node.js")).href,
  baseline: pathToFileURL(resolve(root, "bench/baseline/client.js")).href,
};
const MANUAL = pathToFileURL(resolve(root, "pkg/manual.js")).href;
const RESELLER = "reseller@example.com";
const API_KEY = "sandbox-api-key";
const ACCOUNT_ID = "9900a49c321c871cd1a572a1dc21a33c";

const [task, side, api = "http://127.0.0.1:1/api", countArg = "0", warmupArg = "0"] = process.argv.slice(2);
const count = Number(countArg);
const warmup = Number(warmupArg);
const options = { baseUrl: api, reseller: RESELLER, apiKey: API_KEY };
const print = (value) => process.stdout.write(JSON.stringify(value) + "\n");

async function client(manual = false) {
  if (manual && side === "pkg") {
    const { initSync, ResellerClient } = await import(MANUAL);
    initSync({ module: readFileSync(new URL("../pkg/liveagent_reseller_bg.wasm", import.meta.url)) });
    return new ResellerClient(options);
  }
  const { ResellerClient } = await import(ENTRY[side]);
  return new ResellerClient(options);
}

/** `call()` the same way for every side; `floor` skips the client. */
async function caller(kind, manual = false) {
  if (side === "floor") {
    const url = kind === "list"
      ? `${api}/resellers/${RESELLER}/accounts?apikey=${API_KEY}`
      : `${api}/resellers/${RESELLER}/accounts/${ACCOUNT_ID}?apikey=${API_KEY}`;
    return async () => { const res = await fetch(url); return res.text(); };
  }
  const c = await client(manual);
  return kind === "list" ? () => c.listAccounts() : () => c.getAccount(ACCOUNT_ID);
}

async function loop(call, n) {
  let last;
  for (let i = 0; i < n; i++) last = await call();
  return last;
}

function check(kind, last) {
  if (side === "floor") return;
  if (kind === "list" && !(last.accounts.length > 10_000)) throw new Error(`listAccounts returned ${last.accounts.length} accounts`);
  if (kind === "calls" && last.account_id !== ACCOUNT_ID) throw new Error("getAccount returned another account");
}

// The instance's memory, seen as the package instantiates its .wasm (the
// entries are bundles: their glue is not a module one could ask).
let memory;
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const instance = new Instance(module, imports);
  for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memory = value;
  return instance;
};

/** For the memory figures: the package's wasm memory (null for the other sides). */
async function wasmExports() {
  if (side !== "pkg") return null;
  if (memory === undefined) throw new Error("the package's wasm memory was not seen");
  return { memory };
}

switch (task) {
  case "cold": {
    const t0 = performance.now();
    const { ResellerClient } = await import(ENTRY[side]);
    const c = new ResellerClient(options);
    const ms = performance.now() - t0;
    if (typeof c.getAccount !== "function") throw new Error("no client");
    print({ ms });
    break;
  }
  case "calls":
  case "list": {
    const call = await caller(task);
    check(task, await loop(call, warmup));
    const t0 = performance.now();
    const last = await loop(call, count);
    const ms = performance.now() - t0;
    check(task, last);
    print({ msPerCall: ms / count, count });
    break;
  }
  case "memory": {
    const call = await caller("calls", true);
    const wasm = await wasmExports();
    const read = () => {
      const m = process.memoryUsage();
      return { rss: m.rss, heap: m.heapUsed, wasm: wasm ? wasm.memory.buffer.byteLength : null };
    };
    check("calls", await loop(call, warmup));
    global.gc();
    const before = read();
    check("calls", await loop(call, count));
    global.gc();
    const after = read();
    print({ before, after, count });
    break;
  }
  case "big": {
    // A 20 MB listAccounts body from a custom fetch (no network): the body
    // streams through the wasm in slices, what is rewritten is small.
    const { ResellerClient } = await import(ENTRY.pkg);
    const row = (i) => ({ account_id: `id${i}`, domain: `d${i}.example.com`, customer_name: "Name ".repeat(20), status: "a" });
    const json = JSON.stringify({ response: { accounts: Array.from({ length: 100_000 }, (_, i) => row(i)) } });
    const body = `${json.slice(0, -2)},"pad":"${"x".repeat(Math.max(0, 20e6 - json.length))}"}}`;
    const answering = (text) => new ResellerClient({ ...options, fetch: async () => new Response(text, { status: 200 }) });
    await answering('{"response":{"accounts":[]}}').listAccounts(); // the first call's own allocations
    const wasm = await wasmExports();
    const before = wasm.memory.buffer.byteLength;
    const result = await answering(body).listAccounts();
    const after = wasm.memory.buffer.byteLength;
    if (result.accounts.length !== 100_000) throw new Error(`listAccounts returned ${result.accounts.length} accounts`);
    print({ bytes: Buffer.byteLength(body), before, after });
    break;
  }
  default:
    throw new Error(`unknown task ${task}`);
}
