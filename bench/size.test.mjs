// The browser download of the package stays within budget: every file a
// browser fetches from pkg/index.js (the bundled entry, any module it still
// imports, and the .wasm), each compressed with gzip -9, summed. Reads the
// built package in pkg/.
//   node --test bench/size.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { downloadSize, gzipTool } from "./lib/graph.mjs";

// 20 KiB held until the package took on the retry policy, runtime-checked
// results, per-call options, events, unknown-key checks, Date inputs, lazy
// loading and a stricter key scrub (issues 8 and 9): that function costs
// about 9 KB gzip, itemised in bench/README.md ("Size"), which also shows
// why 20 KiB is out of reach with that function. The guard keeps about
// 300 B of slack over the 30,947 B of today, so that growth is a decision.
const BUDGET = 30.5 * 1024; // 31,232 bytes
const pkg = resolve(import.meta.dirname, "../pkg");

test(`browser download of pkg/ is at most ${BUDGET} bytes gzip -9`, () => {
  assert.ok(existsSync(resolve(pkg, "index.js")), "pkg/index.js is missing: run `bash scripts/build-pkg.sh`");
  const size = downloadSize(resolve(pkg, "index.js"));
  const names = size.files.map((f) => f.file);
  assert.ok(names.some((n) => n.endsWith(".wasm")), `no .wasm among ${names.join(", ")}`);
  // The entry is one bundle: check it really carries the client and its error class.
  const entry = readFileSync(resolve(pkg, "index.js"), "utf8");
  for (const name of ["ResellerClient", "LiveAgentError", "valueSet"]) {
    assert.match(entry, new RegExp(`\\b${name}\\b`), `the browser entry does not export ${name}`);
  }
  const detail = size.files.map((f) => `  ${f.file}: ${f.gzip} B (${f.bytes} B raw)`).join("\n");
  assert.ok(size.gzip <= BUDGET,
    `browser download is ${size.gzip} B ${gzipTool()}, over the ${BUDGET} B budget by ${size.gzip - BUDGET} B:\n${detail}`);
});
