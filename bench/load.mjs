// Load: a burst of concurrent calls of mixed kinds from one Node process
// against the release sandbox (127.0.0.1), for the package and the baseline.
//
// As a module, `measureLoad` runs the rounds (a fresh process per side and
// round, through bench/run.mjs's `alternate`) and sums them up. As a script,
// one round:
//   node --expose-gc bench/load.mjs <pkg|baseline|floor> <api> [calls]
// (floor: the very requests the baseline sends, replayed with a raw fetch +
// res.text(), no client: what Node's fetch and the sandbox cost alone)
// prints one JSON line: per-call latencies (p50, p90, p99, max), the burst's
// wall time, every failure, whether every write landed, and (package) the
// wasm linear memory before and after the burst.
//
// The mix, per 20 calls: 16 reads (GET: getAccount, getAccountStatus,
// listVariations, listAccountAddons, getAccountAttribute, listLicenses,
// checkEmail, checkDomain, listAccounts), 2 PUT (setAccountAttribute,
// setLicenseAttribute) and 2 POST (addAccountAddon, createAccount). No
// retries (maxRetries 0): every call must succeed on its first attempt.
// Bounded: `calls` at most 5,000, one burst, each call's timeout 30 s, and
// run.mjs kills a round after 60 s.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const RESELLER = "reseller@example.com";
const API_KEY = "sandbox-api-key";
const JOHN = "9900a49c321c871cd1a572a1dc21a33c";
const MARCUS = "f7u4g79c321cf77td1a572a1dcg7uyf4";
const LICENSE = "lat47ts4";
const MAX_CALLS = 5_000;
const WARMUP = 40; // two full cycles of the mix, sequential, before the burst

/** Call number `i` of the mix: [method, operation, (client) => promise]. */
function mixed(i, tag) {
  switch (i % 20) {
    case 0: case 1: case 2: case 3: return ["GET", "getAccount", (c) => c.getAccount(JOHN)];
    case 4: case 5: case 6: return ["GET", "getAccountStatus", (c) => c.getAccountStatus(MARCUS)];
    case 7: case 8: return ["GET", "listVariations", (c) => c.listVariations()];
    case 9: case 10: return ["GET", "listAccountAddons", (c) => c.listAccountAddons(JOHN)];
    case 11: return ["GET", "getAccountAttribute", (c) => c.getAccountAttribute(JOHN, "max_agents")];
    case 12: return ["GET", "listLicenses", (c) => c.listLicenses({ customer_identifier: "john@doe.com" })];
    case 13: return ["GET", "checkEmail", (c) => c.checkEmail({ productid: "LiveAgent", email: `ld${tag}x${i}@example.com` })];
    case 14: return ["GET", "checkDomain", (c) => c.checkDomain({ productid: "LiveAgent", subdomain: `ld${tag}x${i}` })];
    case 15: return ["GET", "listAccounts", (c) => c.listAccounts()];
    case 16: return ["PUT", "setAccountAttribute", (c) => c.setAccountAttribute(JOHN, "max_agents", { value: String(i) })];
    case 17: return ["PUT", "setLicenseAttribute", (c) => c.setLicenseAttribute(LICENSE, "max_agents", { value: String(i) })];
    case 18: return ["POST", "addAccountAddon", (c) => c.addAccountAddon(MARCUS, { addon_id: "p4g7y4ft7" })];
    default: return ["POST", "createAccount", (c) => c.createAccount({ variation_id: "r7g4y7ya",
      customer_email: `ld${tag}x${i}@example.com`, customer_name: "Load Test", subdomain: `ld${tag}x${i}` })];
  }
}

/** Nearest-rank percentile of sorted `xs`. */
const percentile = (xs, p) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * A stand-in client for the floor: the baseline lays out each call's request
 * (captured, not sent), then a raw fetch sends it and reads the text.
 */
async function floorClient(options) {
  const { ResellerClient } = await import(pathToFileURL(resolve(root, "bench/baseline/client.js")).href);
  let captured;
  const layout = new ResellerClient({ ...options, fetch: async (url, init) => {
    captured = { url, init: { method: init.method, headers: init.headers, body: init.body } };
    return new Response('{"response":{"status":"OK","statuscode":0}}');
  } });
  // The baseline calls fetch before its first await: the request is there at once.
  return new Proxy({}, {
    get: (_, operation) => (operation === "then" ? undefined : async (...args) => {
      captured = null;
      const laidOut = layout[operation](...args);
      const request = captured;
      await laidOut;
      if (!request) throw new Error(`floor: ${String(operation)} sent nothing at once`);
      const response = await fetch(request.url, request.init);
      const text = await response.text();
      const payload = JSON.parse(text).response;
      if (!response.ok || payload?.status === "ERROR") throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
      return payload;
    }),
  });
}

/** One round in this process. */
async function round(side, api, calls) {
  const options = { baseUrl: api, reseller: RESELLER, apiKey: API_KEY, maxRetries: 0 };
  let client, wasm = null;
  if (side === "floor") {
    client = await floorClient(options);
  } else if (side === "pkg") {
    // The manual entry, as worker.mjs loads it; the instance's memory is seen
    // by wrapping WebAssembly.Instance (the entry is a bundle: its glue is
    // not a module one could ask).
    let memory;
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function (module, imports) {
      const instance = new Instance(module, imports);
      for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) memory = value;
      return instance;
    };
    const { initSync, ResellerClient } = await import(pathToFileURL(resolve(root, "pkg/manual.js")).href);
    initSync({ module: readFileSync(resolve(root, "pkg/liveagent_reseller_bg.wasm")) });
    client = new ResellerClient(options);
    if (memory === undefined) throw new Error("the package's wasm memory was not seen");
    wasm = { memory };
  } else {
    const { ResellerClient } = await import(pathToFileURL(resolve(root, "bench/baseline/client.js")).href);
    client = new ResellerClient(options);
  }
  const tag = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  for (let i = 0; i < WARMUP; i++) await mixed(i, `w${tag}`)[2](client);
  global.gc?.();
  const wasmBefore = wasm ? wasm.memory.buffer.byteLength : null;

  const latencies = new Array(calls);
  const failures = [];
  const created = [];
  const byMethod = {};
  const t0 = performance.now();
  await Promise.all(Array.from({ length: calls }, (_, i) => {
    const [method, operation, call] = mixed(i, tag);
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    const started = performance.now();
    return call(client).then(
      (result) => {
        latencies[i] = performance.now() - started;
        if (operation === "createAccount") created.push(result.account_id);
      },
      (error) => {
        latencies[i] = performance.now() - started;
        failures.push({ i, operation, kind: error?.kind ?? error?.name, message: String(error?.message ?? error) });
      },
    );
  }));
  const wallMs = performance.now() - t0;
  global.gc?.();
  const wasmAfter = wasm ? wasm.memory.buffer.byteLength : null;

  // Every write landed: each created account is listed.
  const { accounts } = await client.listAccounts();
  const listed = new Set(accounts.map((a) => a.account_id));
  const missing = created.filter((id) => !listed.has(id));

  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    side, calls, byMethod, wallMs,
    p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), max: sorted.at(-1),
    failures: failures.length, firstFailures: failures.slice(0, 5),
    created: created.length, missing: missing.length,
    wasmBefore, wasmAfter,
  };
}

/**
 * The load figure: `rounds` rounds per side (fresh processes, the order
 * rotating), through run.mjs's `alternate(sides, rounds, argsFor, script)`.
 * Medians over rounds for p50/p99/wall; failures and missing writes summed;
 * wasm growth over the burst: the largest.
 */
export async function measureLoad({ api, rounds, calls, alternate }) {
  if (!(calls > 0 && calls <= MAX_CALLS)) throw new Error(`load: calls must be 1..${MAX_CALLS}`);
  const script = fileURLToPath(import.meta.url);
  const sides = ["pkg", "baseline", "floor"];
  const runs = await alternate(sides, rounds, (side) => [side, api, String(calls)], script);
  const out = { calls, rounds, warmup: WARMUP, runs };
  for (const side of sides) {
    const rs = runs[side];
    out[side] = {
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      wallMs: median(rs.map((r) => r.wallMs)),
      failures: rs.reduce((n, r) => n + r.failures, 0),
      missing: rs.reduce((n, r) => n + r.missing, 0),
      byMethod: rs[0]?.byMethod,
      wasmGrowth: side === "pkg" ? Math.max(...rs.map((r) => r.wasmAfter - r.wasmBefore)) : null,
    };
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [side, api, callsArg = "1000"] = process.argv.slice(2);
  const calls = Number(callsArg);
  if (!["pkg", "baseline", "floor"].includes(side) || !/^http:\/\/127\.0\.0\.1:\d+\//.test(api ?? "")) {
    throw new Error("usage: node --expose-gc bench/load.mjs <pkg|baseline|floor> http://127.0.0.1:PORT/api [calls]");
  }
  if (!(calls > 0 && calls <= MAX_CALLS)) throw new Error(`calls must be 1..${MAX_CALLS}`);
  process.stdout.write(`${JSON.stringify(await round(side, api, calls))}\n`);
}
