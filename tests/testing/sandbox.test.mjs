// createSandbox at its boundary: options and fault rules checked as the
// package checks its own inputs, reset, latency and the caller's abort,
// control routes through handle(), the body limit, the CommonJS entry.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pkgDir, requirePackage } from "./helpers.mjs";

requirePackage();
const { createSandbox } = await import(pathToFileURL(join(pkgDir, "testing.js")).href);
const api = (sandbox, rest, query = "") =>
  `${sandbox.config.baseUrl}/resellers/reseller@example.com${rest}?apikey=sandbox-api-key${query}`;

test("a misspelled option or rule field is an error naming it, never ignored", () => {
  assert.throws(() => createSandbox({ seedAcounts: 3 }), /unknown member "seedAcounts"/);
  assert.throws(() => createSandbox({ failRate: 2 }), /failRate must be between 0 and 1/);
  assert.throws(() => createSandbox({ latencyMs: 300_001 }), /latencyMs/);
  assert.throws(() => createSandbox({ seed: -1 }), /seed must be a whole number/);
  assert.throws(() => createSandbox({ now: "yesterday" }), /now must be a valid Date/);
  const sandbox = createSandbox();
  assert.throws(() => sandbox.fault({ retry_after: 1 }), /unknown member "retry_after"/);
  assert.throws(() => sandbox.fault({ operation: "getAcount" }), /none of the 21 calls/);
  assert.throws(() => sandbox.fault({ status: 99 }), /status must be between 200 and 599/);
  assert.deepEqual(sandbox.requests(), []);
});

test("reset restores the seeded records, the same new ids, no rules, no log", async () => {
  const sandbox = createSandbox({ seed: 11 });
  const create = () => sandbox.config.fetch(api(sandbox, "/accounts").replace(/\?.*/, ""), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "apikey=sandbox-api-key&variation_id=r7g4y7ya&customer_email=a%40b.test&customer_name=A&subdomain=abcde",
  }).then((r) => r.json());
  const first = (await create()).response.account_id;
  sandbox.fault({ status: 503, times: 5 });
  sandbox.reset();
  assert.deepEqual(sandbox.requests(), []);
  const again = (await create()).response.account_id;
  assert.equal(again, first);
  assert.match(sandbox.requests()[0].body, /^apikey=\[redacted\]&variation_id=/);
});

test("latencyMs delays each answer; the caller's signal aborts the wait", async () => {
  const sandbox = createSandbox({ latencyMs: 150 });
  const started = performance.now();
  const answer = await sandbox.config.fetch(api(sandbox, "/variations"));
  assert.equal(answer.status, 200);
  assert.ok(performance.now() - started >= 140);
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("gave up")), 20);
  await assert.rejects(sandbox.config.fetch(api(sandbox, "/variations"), { signal: controller.signal }), /gave up/);
});

test("handle() serves the control routes at the base URL's origin, 404 elsewhere, 413 past 1 MiB", async () => {
  const sandbox = createSandbox({ baseUrl: "https://support.example.com/api" });
  const origin = "https://support.example.com";
  const json = await sandbox.handle(new Request(`${origin}/sandbox.json`));
  assert.deepEqual(await json.json(), { baseUrl: "https://support.example.com/api", reseller: "reseller@example.com", apiKey: "sandbox-api-key" });
  const rule = await sandbox.handle(new Request(`${origin}/_sandbox/faults`, { method: "POST", body: '{"status": 429, "retry_after": 7}' }));
  assert.equal(rule.status, 200);
  const limited = await sandbox.handle(new Request(api(sandbox, "/variations")));
  assert.deepEqual([limited.status, limited.headers.get("retry-after")], [429, "7"]);
  assert.equal((await sandbox.handle(new Request("https://elsewhere.example/api/x"))).status, 404);
  const big = await sandbox.handle(new Request(api(sandbox, "/accounts").replace(/\?.*/, ""),
    { method: "POST", body: "x".repeat((1 << 20) + 1) }));
  assert.equal(big.status, 413);
  assert.equal(sandbox.requests().at(-1).body, null);
});

test("require() of the CommonJS entry gives the same sandbox", async () => {
  const { createSandbox: fromRequire } = createRequire(import.meta.url)(join(pkgDir, "testing.cjs"));
  const sandbox = fromRequire({ seed: 2 });
  const answer = await sandbox.config.fetch(api(sandbox, "/accounts/9900a49c321c871cd1a572a1dc21a33c"));
  assert.equal((await answer.json()).response.customer_email, "john@example.com");
});
