// The benchmark: the wasm package (pkg/) against a plain hand-written JS
// client (bench/baseline/client.js), side by side.
//   node bench/run.mjs            (make bench builds pkg/ and the release sandbox first)
//   BENCH_QUICK=1 node bench/run.mjs   fewer rounds, for a smoke test
// Writes bench/results.md, bench/results.svg and bench/results.json.
// Fairness: every measurement runs in a fresh `node` with the same flags;
// package, baseline (and the raw-fetch floor) alternate, the order rotating
// each round; all rounds of a figure use the same sandbox process.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { downloadSize, gzipTool } from "./lib/graph.mjs";
import { measureLoad } from "./load.mjs";
import { startSandbox, sandboxBinary, root } from "./lib/sandbox.mjs";
import { renderSvg } from "./lib/svg.mjs";

const quick = process.env.BENCH_QUICK === "1";
const PLAN = {
  coldRuns: quick ? 5 : 15,
  callRounds: quick ? 2 : 5, calls: 2_000, callWarmup: 300,
  listRounds: quick ? 1 : 5, listCalls: 20, listWarmup: 3, listAccounts: 10_000,
  memRounds: quick ? 1 : 3, memCalls: 20_000, memWarmup: 2_000,
  loadRounds: quick ? 1 : 3, loadCalls: 1_000,
};
const NODE_FLAGS = ["--expose-gc"]; // the same for every worker, package or baseline
const WORKER = resolve(import.meta.dirname, "worker.mjs");
const started = performance.now();
const log = (...a) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s]`, ...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs one worker (`script`, default worker.mjs) in a fresh process; one retry
 * if it fails (pkg/ may be mid-swap by a rebuild).
 */
async function worker(args, attempt = 0, script = WORKER) {
  const result = await new Promise((done) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { err += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => { clearTimeout(timer); done({ code, out, err }); });
  });
  if (result.code === 0) return JSON.parse(result.out.trim().split("\n").at(-1));
  if (attempt === 0) {
    log(`worker ${args.slice(0, 2).join(" ")} failed (${result.code}), retrying once: ${result.err.trim().split("\n")[0]}`);
    await new Promise((r) => setTimeout(r, 1_000));
    return worker(args, 1, script);
  }
  throw new Error(`worker ${args.join(" ")} failed (${result.code}):\n${result.err}`);
}

/** `rounds` rounds over `sides`, the order rotating each round; returns {side: [results]}. */
async function alternate(sides, rounds, argsFor, script = WORKER) {
  const out = Object.fromEntries(sides.map((s) => [s, []]));
  for (let r = 0; r < rounds; r++) {
    const order = sides.map((_, i) => sides[(i + r) % sides.length]);
    for (const side of order) out[side].push(await worker(argsFor(side), 0, script));
  }
  return out;
}

/** A fingerprint of pkg/ (to notice a rebuild during the run). */
function fingerprint() {
  const hash = createHash("sha256");
  try {
    for (const f of downloadSize(resolve(root, "pkg/index.js"), { fallback: false }).files) {
      hash.update(f.file).update(readFileSync(resolve(root, "pkg", f.file)));
    }
  } catch (error) {
    return `unreadable: ${error.message}`;
  }
  return hash.digest("hex").slice(0, 12);
}

const R = {}; // results
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? "?"}`,
  loadavg: loadavg().map((l) => l.toFixed(2)).join(" "),
  commit: (() => { try { return execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim(); } catch { return "?"; } })(),
  sandbox: sandboxBinary({ release: true }),
  plan: PLAN,
  flags: NODE_FLAGS.join(" "),
  pkgBefore: fingerprint(),
};

// (a) sizes ---------------------------------------------------------------
log("(a) sizes");
const baselineFile = resolve(import.meta.dirname, "baseline/client.js");
R.browser = { pkg: downloadSize(resolve(root, "pkg/index.js"), { fallback: false }), baseline: downloadSize(baselineFile) };
R.nodeEntry = { pkg: downloadSize(resolve(root, "pkg/node.js")), baseline: downloadSize(baselineFile) };
const wasmFile = R.browser.pkg.files.find((f) => f.file.endsWith(".wasm"));
meta.wasm = wasmFile ? `${wasmFile.file}: ${wasmFile.bytes} B raw, ${wasmFile.gzip} B gzip -9` : "no .wasm found";
meta.gzipTool = gzipTool();
log(`    browser: package ${R.browser.pkg.gzip} B, baseline ${R.browser.baseline.gzip} B (${meta.wasm})`);

// (b) cold start ----------------------------------------------------------
log(`(b) cold start: ${PLAN.coldRuns} fresh processes each, alternating`);
await alternate(["pkg", "baseline"], 1, (side) => ["cold", side]); // discarded: fills the file cache
const cold = await alternate(["pkg", "baseline"], PLAN.coldRuns, (side) => ["cold", side]);
R.cold = { pkg: median(cold.pkg.map((x) => x.ms)), baseline: median(cold.baseline.map((x) => x.ms)),
  runs: { pkg: cold.pkg.map((x) => x.ms), baseline: cold.baseline.map((x) => x.ms) } };
log(`    package ${R.cold.pkg.toFixed(2)} ms, baseline ${R.cold.baseline.toFixed(2)} ms`);

// (c) sequential getAccount ------------------------------------------------
async function withSandbox(args, fn) {
  const sandbox = await startSandbox(args, { release: true });
  try { return await fn(sandbox); } finally { await sandbox.stop(); }
}
log(`(c) ${PLAN.calls} sequential getAccount, ${PLAN.callRounds} rounds`);
await withSandbox([], async (sandbox) => {
  const runs = await alternate(["pkg", "baseline", "floor"], PLAN.callRounds,
    (side) => ["calls", side, sandbox.api, String(PLAN.calls), String(PLAN.callWarmup)]);
  R.calls = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((x) => x.msPerCall))]));
  R.calls.runs = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => x.msPerCall)]));
});
log(`    package ${R.calls.pkg.toFixed(4)}, baseline ${R.calls.baseline.toFixed(4)}, floor ${R.calls.floor.toFixed(4)} ms/call`);

// (d) listAccounts with 10,000 generated accounts --------------------------------
log(`(d) listAccounts of ${PLAN.listAccounts} + 2 accounts, ${PLAN.listCalls} calls × ${PLAN.listRounds} rounds`);
await withSandbox(["--seed-accounts", String(PLAN.listAccounts)], async (sandbox) => {
  const runs = await alternate(["pkg", "baseline", "floor"], PLAN.listRounds,
    (side) => ["list", side, sandbox.api, String(PLAN.listCalls), String(PLAN.listWarmup)]);
  R.list = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v.map((x) => x.msPerCall))]));
  R.list.runs = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map((x) => x.msPerCall)]));
});
log(`    package ${R.list.pkg.toFixed(2)}, baseline ${R.list.baseline.toFixed(2)}, floor ${R.list.floor.toFixed(2)} ms/call`);

// (e) memory over 20,000 calls ----------------------------------------------
// The memory rounds are the longest part (~8 s each): on a loaded machine, one
// fewer keeps `make bench` under 3 minutes. The plan in results.md says which.
if (!quick && performance.now() - started > 75_000) PLAN.memRounds = 2;
log(`(e) memory over ${PLAN.memCalls} getAccount after ${PLAN.memWarmup} warm-up, ${PLAN.memRounds} rounds`);
await withSandbox([], async (sandbox) => {
  // The floor (raw fetch, no client) shows what Node's fetch itself costs.
  const runs = await alternate(["pkg", "baseline", "floor"], PLAN.memRounds,
    (side) => ["memory", side, sandbox.api, String(PLAN.memCalls), String(PLAN.memWarmup)]);
  const pick = (side, f) => median(runs[side].map(f));
  R.memory = {};
  for (const side of ["pkg", "baseline", "floor"]) {
    R.memory[side] = {
      rssBefore: pick(side, (x) => x.before.rss),
      rssGrowth: pick(side, (x) => x.after.rss - x.before.rss),
      heapGrowth: pick(side, (x) => x.after.heap - x.before.heap),
      wasmBefore: side === "pkg" ? pick(side, (x) => x.before.wasm) : null,
      wasmGrowth: side === "pkg" ? Math.max(...runs[side].map((x) => x.after.wasm - x.before.wasm)) : null,
    };
  }
  R.memory.runs = runs;
});
log(`    RSS growth: package ${(R.memory.pkg.rssGrowth / 2 ** 20).toFixed(1)} MB, baseline ${(R.memory.baseline.rssGrowth / 2 ** 20).toFixed(1)} MB, floor ${(R.memory.floor.rssGrowth / 2 ** 20).toFixed(1)} MB; wasm growth ${R.memory.pkg.wasmGrowth} B`);

// (f) load: a burst of concurrent mixed calls --------------------------------
// The 20,000 sequential calls of (e) are the "memory stays flat" half of the load figures.
log(`(f) load: ${PLAN.loadCalls} concurrent mixed calls (GET/PUT/POST), ${PLAN.loadRounds} rounds`);
await withSandbox([], async (sandbox) => {
  R.load = await measureLoad({ api: sandbox.api, rounds: PLAN.loadRounds, calls: PLAN.loadCalls, alternate });
});
log(`    p50 package ${R.load.pkg.p50.toFixed(1)} ms, baseline ${R.load.baseline.p50.toFixed(1)} ms; ` +
  `p99 package ${R.load.pkg.p99.toFixed(1)} ms, baseline ${R.load.baseline.p99.toFixed(1)} ms; ` +
  `floor ${R.load.floor.p50.toFixed(1)} / ${R.load.floor.p99.toFixed(1)} ms; failures ${R.load.pkg.failures} / ${R.load.baseline.failures} / ${R.load.floor.failures}`);

// (g) one 20 MB response ------------------------------------------------------
log("(g) wasm memory over one 20 MB response (a custom fetch, no network)");
R.big = await worker(["big", "pkg"]);
log(`    ${R.big.bytes} B body: wasm linear memory ${R.big.before} B -> ${R.big.after} B`);

meta.pkgAfter = fingerprint();
meta.seconds = (performance.now() - started) / 1000;

// Report ------------------------------------------------------------------
const MB = 2 ** 20;
const fmtB = (b) => `${b.toLocaleString("en-US")} B`;
const fmtMB = (b) => `${(b / MB).toFixed(2)} MB`;
const fmtMs = (d) => (x) => `${x.toFixed(d)} ms`;
const ratio = (a, b) => (b > 0 ? a / b : NaN);
const rows = [
  { key: "browser", label: "Browser download, gzip -9", unit: "B", pkg: R.browser.pkg.gzip, baseline: R.browser.baseline.gzip, fmt: fmtB,
    target: "≤ 20,480 B", met: R.browser.pkg.gzip <= 20_480 },
  { key: "node", label: "Node entry (all files it loads), gzip -9", unit: "B", pkg: R.nodeEntry.pkg.gzip, baseline: R.nodeEntry.baseline.gzip, fmt: fmtB },
  { key: "cold", label: `Cold start in Node, median of ${PLAN.coldRuns}`, unit: "ms", pkg: R.cold.pkg, baseline: R.cold.baseline, fmt: fmtMs(2),
    target: "≤ 2.0 × baseline", met: ratio(R.cold.pkg, R.cold.baseline) <= 2.0 },
  { key: "calls", label: `getAccount, ${PLAN.calls.toLocaleString("en-US")} sequential, per call`, unit: "ms", pkg: R.calls.pkg, baseline: R.calls.baseline, floor: R.calls.floor, fmt: fmtMs(4),
    target: "≤ 1.10 × baseline", met: ratio(R.calls.pkg, R.calls.baseline) <= 1.10 },
  { key: "list", label: `listAccounts of ${(PLAN.listAccounts + 2).toLocaleString("en-US")}, per call`, unit: "ms", pkg: R.list.pkg, baseline: R.list.baseline, floor: R.list.floor, fmt: fmtMs(2),
    target: "≤ 1.10 × baseline", met: ratio(R.list.pkg, R.list.baseline) <= 1.10 },
  { key: "rss", label: `RSS growth over ${PLAN.memCalls.toLocaleString("en-US")} calls`, unit: "MB", pkg: R.memory.pkg.rssGrowth, baseline: R.memory.baseline.rssGrowth, floor: R.memory.floor.rssGrowth, fmt: fmtMB,
    target: "≤ 2 MB", met: R.memory.pkg.rssGrowth <= 2 * MB },
  { key: "heap", label: `JS heap growth over ${PLAN.memCalls.toLocaleString("en-US")} calls`, unit: "MB", pkg: R.memory.pkg.heapGrowth, baseline: R.memory.baseline.heapGrowth, floor: R.memory.floor.heapGrowth, fmt: fmtMB },
  { key: "wasm", label: `wasm linear memory growth over ${PLAN.memCalls.toLocaleString("en-US")} sequential calls after warm-up`, unit: "B", pkg: R.memory.pkg.wasmGrowth, baseline: null, fmt: fmtB,
    target: "0 B", met: R.memory.pkg.wasmGrowth === 0 },
  { key: "big", label: `wasm linear memory growth over one response of ${(R.big.bytes / 1e6).toFixed(0)} MB`, unit: "B", pkg: R.big.after - R.big.before, baseline: null, fmt: fmtB,
    target: "≤ 4 MiB", met: R.big.after - R.big.before <= 4 * MB },
  { key: "loadp50", label: `${PLAN.loadCalls.toLocaleString("en-US")} concurrent mixed calls: p50 latency`, unit: "ms", pkg: R.load.pkg.p50, baseline: R.load.baseline.p50, floor: R.load.floor.p50, fmt: fmtMs(1) },
  { key: "loadp99", label: `${PLAN.loadCalls.toLocaleString("en-US")} concurrent mixed calls: p99 latency`, unit: "ms", pkg: R.load.pkg.p99, baseline: R.load.baseline.p99, floor: R.load.floor.p99, fmt: fmtMs(1) },
  { key: "loadfail", label: `${PLAN.loadCalls.toLocaleString("en-US")} concurrent mixed calls: failed or lost, all rounds`, unit: "calls",
    pkg: R.load.pkg.failures + R.load.pkg.missing, baseline: null, fmt: (n) => n.toLocaleString("en-US"),
    target: "0", met: R.load.pkg.failures + R.load.pkg.missing === 0 },
  { key: "loadwasm", label: `wasm linear memory growth over a burst of ${PLAN.loadCalls.toLocaleString("en-US")}`, unit: "B", pkg: R.load.pkg.wasmGrowth, baseline: null, fmt: fmtB,
    target: "0 B", met: R.load.pkg.wasmGrowth === 0 },
];
const mixText = (byMethod) => Object.entries(byMethod ?? {}).map(([m, n]) => `${n} ${m}`).join(", ");
const cell = (row, v) => (v === null || v === undefined ? "–" : row.fmt(v));
const ratioCell = (row) => (row.baseline === null || !(row.baseline > 0) || row.pkg < 0
  ? "–" : `${ratio(row.pkg, row.baseline).toFixed(2)}×`);
const metCell = (row) => (row.target ? `${row.target}: ${row.met ? "**met**" : "**not met**"}` : "–");

const table = [
  "| Figure | Package | Baseline | Package / baseline | Sandbox floor | Target |",
  "|---|---:|---:|---:|---:|---|",
  ...rows.map((r) => `| ${r.label} | ${cell(r, r.pkg)} | ${cell(r, r.baseline)} | ${ratioCell(r)} | ${cell(r, r.floor)} | ${metCell(r)} |`),
].join("\n");

const overhead = (fig) => {
  const p = fig.pkg - fig.floor, b = fig.baseline - fig.floor;
  const paired = median(fig.runs.pkg.map((x, i) => x / fig.runs.baseline[i]));
  return `package ${p.toFixed(4)} ms, baseline ${b.toFixed(4)} ms above the floor (${(p / b).toFixed(2)}×); ` +
    `median of the per-round ratios package/baseline (runs adjacent in time): ${paired.toFixed(2)}×`;
};
const files = (d) => d.files.map((f) => `\`${f.file}\` ${fmtB(f.gzip)} (${fmtB(f.bytes)} raw)`).join(", ");
const list = (xs, d) => xs.map((x) => x.toFixed(d)).join(", ");
const warnings = [];
for (const side of ["pkg", "baseline", "floor"]) {
  for (const f of R.load.runs[side].flatMap((r) => r.firstFailures)) warnings.push(`load (${side}): call ${f.i} ${f.operation} failed: ${f.kind}: ${f.message}`);
}
if (meta.pkgBefore !== meta.pkgAfter) warnings.push(`pkg/ changed during the run (fingerprint ${meta.pkgBefore} → ${meta.pkgAfter}): figures mix two builds; run again.`);

const md = `# Benchmark: liveagent-reseller (wasm) vs a hand-written JS client

Generated by \`node bench/run.mjs\` (\`make bench\`) on ${meta.date}, commit ${meta.commit};
Node ${meta.node}, ${meta.cpus}, load average at start ${meta.loadavg}; took ${meta.seconds.toFixed(0)} s.
Package: \`pkg/\` as built at that moment (${meta.wasm}). Baseline: \`bench/baseline/client.js\`.
${warnings.map((w) => `\n**Warning:** ${w}\n`).join("")}
${table}

![chart](results.svg)

## How each figure is taken

- **Sizes** (${meta.gzipTool}, each file compressed alone, summed): every file the entry loads
  (relative imports followed transitively, plus \`new URL(…, import.meta.url)\` assets).
  Browser (\`pkg/index.js\`): ${files(R.browser.pkg)}.
  Node (\`pkg/node.js\`): ${files(R.nodeEntry.pkg)}.
  Baseline (both): ${files(R.browser.baseline)}.
- **Cold start**: fresh \`node ${meta.flags}\` per run, alternating package and baseline after one discarded run each;
  \`performance.now()\` from before the dynamic \`import()\` to after \`new ResellerClient(…)\`.
  Runs (ms): package ${list(R.cold.runs.pkg, 2)}; baseline ${list(R.cold.runs.baseline, 2)}.
- **getAccount**: release sandbox, one process for all rounds; per round a fresh process per side
  (package, baseline, floor in rotating order), ${PLAN.callWarmup} warm-up calls, then ${PLAN.calls} sequential calls timed;
  median of ${PLAN.callRounds} rounds. Floor = \`fetch(url)\` + \`res.text()\` on the same URL, no client.
  Client cost: ${overhead(R.calls)}.
  Rounds (ms/call): package ${list(R.calls.runs.pkg, 4)}; baseline ${list(R.calls.runs.baseline, 4)}; floor ${list(R.calls.runs.floor, 4)}.
- **listAccounts**: sandbox started with \`--seed-accounts ${PLAN.listAccounts}\` (${PLAN.listAccounts + 2} accounts per response),
  ${PLAN.listWarmup} warm-up calls then ${PLAN.listCalls} timed, per process; median of ${PLAN.listRounds} rounds.
  Client cost: ${overhead(R.list)}.
  Rounds (ms/call): package ${list(R.list.runs.pkg, 2)}; baseline ${list(R.list.runs.baseline, 2)}; floor ${list(R.list.runs.floor, 2)}.
- **Memory**: fresh \`node --expose-gc\` per side and round, ${PLAN.memWarmup} warm-up \`getAccount\` calls, \`gc()\`, read;
  ${PLAN.memCalls} more calls, \`gc()\`, read. RSS and V8 \`heapUsed\` from \`process.memoryUsage()\`; wasm linear memory
  = \`memory.buffer.byteLength\` of the exports \`initSync\` returns. Median of ${PLAN.memRounds} rounds (wasm growth: the largest).
  RSS after warm-up: package ${fmtMB(R.memory.pkg.rssBefore)}, baseline ${fmtMB(R.memory.baseline.rssBefore)};
  wasm linear memory after warm-up ${fmtB(R.memory.pkg.wasmBefore ?? 0)}.
- **Load** (\`bench/load.mjs\`): release sandbox on 127.0.0.1, one process for all rounds; per round a fresh
  \`node ${meta.flags}\` per side (package, baseline, floor, order rotating), ${R.load.warmup} sequential warm-up calls, then
  ${R.load.calls.toLocaleString("en-US")} calls started at once (per 20: 16 GET of nine kinds, 2 PUT, 2 POST; ${mixText(R.load.pkg.byMethod)}),
  \`maxRetries: 0\`, each call timed from its start to its settling; every created account then listed.
  Floor = the baseline's very requests, laid out by it and sent with a raw \`fetch\` + \`res.text()\`, no client.
  Median of ${R.load.rounds} rounds. Burst wall time: package ${R.load.pkg.wallMs.toFixed(0)} ms, baseline ${R.load.baseline.wallMs.toFixed(0)} ms, floor ${R.load.floor.wallMs.toFixed(0)} ms.
  Failures: package ${R.load.pkg.failures}, baseline ${R.load.baseline.failures}; created accounts not listed: package ${R.load.pkg.missing}, baseline ${R.load.baseline.missing}.
  Rounds p50/p99 (ms): package ${R.load.runs.pkg.map((r) => `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}`).join(", ")};
  baseline ${R.load.runs.baseline.map((r) => `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}`).join(", ")};
  floor ${R.load.runs.floor.map((r) => `${r.p50.toFixed(1)}/${r.p99.toFixed(1)}`).join(", ")}.
  wasm linear memory over the burst: ${R.load.runs.pkg.map((r) => `${fmtB(r.wasmBefore)} → ${fmtB(r.wasmAfter)}`).join(", ")}.
  The 20,000 sequential calls of the memory figure above are the load's other half (memory flat after warm-up).
- **One 20 MB response**: a fresh \`node\` (the \`manual\` entry, for the instance's memory), a \`listAccounts\` of
  100,000 rows padded to ${fmtB(R.big.bytes)} from a custom fetch (no network), after one small call; wasm linear
  memory ${fmtB(R.big.before)} before, ${fmtB(R.big.after)} after (the body streams through the core in slices).
`;

writeFileSync(resolve(import.meta.dirname, "results.md"), md);
writeFileSync(resolve(import.meta.dirname, "results.svg"), renderSvg(rows, meta));
writeFileSync(resolve(import.meta.dirname, "results.json"), JSON.stringify({ meta, results: R }, null, 2) + "\n");

console.log(`\n${table}\n`);
for (const w of warnings) console.log(`WARNING: ${w}`);
log(`wrote bench/results.md, bench/results.svg, bench/results.json (${meta.wasm})`);
