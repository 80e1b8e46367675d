// The built package (pkg/) as a Node user gets it: imported by name with no
// init step, the README's TypeScript example compiled with strict tsc and run
// against the sandbox, and the key kept out of everything a user can print.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { inspect } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A collector to call between measurements, with or without --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const root = resolve(import.meta.dirname, "../..");
const sandbox = process.env.SANDBOX_URL ?? "http://127.0.0.1:18080";
const api = `${sandbox}/api`;
let app; // a consumer project with the package installed as node_modules/liveagent-reseller

before(() => {
  app = mkdtempSync(join(tmpdir(), "liveagent-app-"));
  mkdirSync(join(app, "node_modules"));
  symlinkSync(join(root, "pkg"), join(app, "node_modules", "liveagent-reseller"), "dir");
  writeFileSync(join(app, "package.json"), JSON.stringify({ type: "module" }));
});

const load = () => import(join(app, "node_modules/liveagent-reseller/node.js"));

test("the README's TypeScript example is in the README, compiles strictly and lists the seeded accounts", () => {
  const example = readFileSync(join(root, "examples/readme.ts"), "utf8");
  assert.ok(readFileSync(join(root, "README.md"), "utf8").includes(example.trim()), "README lost the example");
  writeFileSync(join(app, "main.ts"), example.replace("http://127.0.0.1:8080/api", api));
  writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true,
      target: "es2022", module: "nodenext", moduleResolution: "nodenext",
      lib: ["es2022", "dom", "esnext.disposable"], types: [], skipLibCheck: false, outDir: "out",
    },
    files: ["main.ts"],
  }));
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", app], { stdio: "inherit" });
  const out = execFileSync(process.execPath, [join(app, "out/main.js")], { encoding: "utf8" });
  assert.match(out, /9900a49c321c871cd1a572a1dc21a33c a mysupport\.ladesk\.com John Oniell/);
  assert.match(out, /f7u4g79c321cf77td1a572a1dcg7uyf4 s sonatha\.ladesk\.com Marcus Dough/);
});

test("importing by package name needs no init call", () => {
  const script = `import { ResellerClient } from "liveagent-reseller";
const c = new ResellerClient({ baseUrl: "${api}", reseller: "reseller@example.com", apiKey: "sandbox-api-key" });
const { variations } = await c.listVariations();
console.log(variations.map((v) => v.id).join(","));`;
  writeFileSync(join(app, "by-name.mjs"), script);
  const out = execFileSync(process.execPath, [join(app, "by-name.mjs")], { encoding: "utf8" });
  assert.match(out, /r7g4y7ya/);
});

test("the key never shows when a client or an error is printed", async () => {
  const { ResellerClient, LiveAgentError } = await load();
  const key = "very-secret-key-42";
  const client = new ResellerClient({ baseUrl: api, reseller: "reseller@example.com", apiKey: key });
  for (const shown of [inspect(client, { showHidden: true, depth: 9 }), JSON.stringify(client), String(client)]) {
    assert.ok(!shown.includes(key), shown);
  }
  const error = await client.listAccounts().then(() => assert.fail("a wrong key was accepted"), (e) => e);
  assert.ok(error instanceof LiveAgentError);
  assert.ok(error instanceof Error);
  assert.equal(error.kind, "api");
  assert.equal(error.status, 401);
  assert.equal(error.operation, "listAccounts");
  assert.equal(error.retryable, false);
  for (const shown of [inspect(error, { depth: 9 }), JSON.stringify(error), error.stack, error.message]) {
    assert.ok(!shown.includes(key), shown);
  }
});

test("options come after an omitted optional params object", async () => {
  const { ResellerClient } = await load();
  const client = new ResellerClient({ baseUrl: api, reseller: "reseller@example.com", apiKey: "sandbox-api-key" });
  const controller = new AbortController();
  controller.abort();
  const error = await client.listAccounts(undefined, { signal: controller.signal }).catch((e) => e);
  assert.equal(error.kind, "aborted");
  const { accounts } = await client.listAccounts(undefined, { timeoutMs: 5000 });
  assert.ok(accounts.length >= 2);
});

test("value sets give the meaning of each code", async () => {
  const { valueSet } = await load();
  assert.deepEqual(valueSet("AccountStatusChange"), [["a", "Active"], ["s", "Suspended"], ["t", "Terminated"]]);
  assert.equal(valueSet("AccountLifecycleStatus").length, 12);
  assert.deepEqual(valueSet("NoSuchSet"), []);
});

test("the declarations carry JSDoc for methods, types and fields", () => {
  const dts = readFileSync(join(root, "pkg/client.d.ts"), "utf8");
  assert.match(dts, /\* Get accounts info for reseller\.\n(\s+\*.*\n)+\s+listAccounts\(params\?: ListAccountsParams \| null, options\?: CallOptions\)/);
  assert.match(dts, /export type AccountStatus = KnownAccountStatus \| \(string & \{\}\);/);
  assert.match(dts, /export type KnownAccountStatus = "a" \| "s" \| "t" \| "n" \| "b" \| "c";/);
  assert.match(dts, /\/\*\* Customer email\. \*\/\n\s+customer_email\?: string \| null;/);
  assert.match(dts, /getAccount\(accountId: string, options\?: CallOptions\): Promise<Account>;/);
});

test("the JS driver only moves bytes and waits: no retry rule lives in it", () => {
  // Statuses, backoff and Retry-After parsing are the wasm core's (tested
  // natively in src/sansio/policy.rs); the driver must not grow a copy.
  // It hands the core its clock and a random number (`Math.random()`, for
  // the jitter the core computes), as a sans-IO core asks of any driver.
  const source = readFileSync(join(root, "js/driver.js"), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  for (const [what, pattern] of [
    ["a status code", /\b(429|50[0-9])\b/],
    ["a random number used here", /Math\.random\(\)\s*[-+*\/<>]/],
    ["a backoff formula", /\*\*|Math\.pow|Math\.min/],
    ["date parsing", /Date\.parse|new Date/],
    ["a retryable check", /retryable/],
  ]) {
    assert.doesNotMatch(source, pattern, `driver.js has ${what}`);
  }
});

test("a long Retry-After is not waited for: the error goes back at once", async () => {
  const { ResellerClient } = await load();
  let calls = 0;
  const fetch = async () => {
    calls++;
    return new Response('{"response":{"status":"ERROR","statuscode":503}}', { status: 503, headers: { "retry-after": "3600" } });
  };
  const client = new ResellerClient({ baseUrl: api, reseller: "r", apiKey: "k", fetch });
  const started = Date.now();
  const error = await client.listVariations().catch((e) => e);
  assert.equal(error.status, 503);
  assert.equal(error.retryable, true);
  assert.equal(calls, 1);
  assert.ok(Date.now() - started < 1000);
});

test("JS heap does not grow with calls", async () => {
  const { ResellerClient } = await load();
  const body = '{"response":{"account_status":"a"}}';
  const client = new ResellerClient({ baseUrl: api, reseller: "r", apiKey: "k", fetch: async () => new Response(body) });
  const run = async (n) => { for (let i = 0; i < n; i++) await client.getAccountStatus("x"); };
  const settle = async () => { for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 20)); } };
  await run(1000);
  await settle();
  const before = process.memoryUsage().heapUsed;
  await run(10000);
  await settle();
  const grown = process.memoryUsage().heapUsed - before;
  assert.ok(grown < 2_000_000, `heap grew ${grown} bytes over 10,000 calls`);
});

test("unusable configurations are refused at construction", async () => {
  const { ResellerClient, LiveAgentError } = await load();
  const good = { baseUrl: api, reseller: "reseller@example.com", apiKey: "k" };
  for (const bad of [
    { baseUrl: "http://user:pass@127.0.0.1/api" },
    { baseUrl: "http://exa mple.com/api" },
    { baseUrl: "ftp://example.com/api" },
    { baseUrl: "https://example.com/api?x=1" },
    { reseller: ".." },
    { apiKey: "" },
    { timeoutMs: 0 },
    { maxRetries: 11 },
    { headers: new Headers({ "x-extra": "1" }) },
    { headers: { "x-extra": 1 } },
    { fetch: "fetch" },
  ]) {
    const error = (() => { try { new ResellerClient({ ...good, ...bad }); } catch (e) { return e; } })();
    assert.ok(error instanceof LiveAgentError, JSON.stringify(bad));
    assert.equal(error.kind, "invalid_input", JSON.stringify(bad));
    assert.ok(!error.message.includes("pass"), error.message);
  }
});

test("timeouts and retry counts: the edges of the ranges, in the config and per call", async () => {
  const { ResellerClient } = await load();
  const fetch = async () => new Response('{"response":{"variations":[]}}');
  const config = { baseUrl: api, reseller: "r", apiKey: "k", fetch };
  const millis = "must be a whole number of milliseconds from 1 to 2147483647";
  const retries = "maxRetries must be a whole number from 0 to 10";
  const cases = [
    ["timeoutMs", 1, null], ["timeoutMs", 2 ** 31 - 1, null], ["timeoutMs", 0, millis], ["timeoutMs", -0, millis],
    ["timeoutMs", 2 ** 31, millis], ["timeoutMs", 2 ** 32 + 5, millis], ["timeoutMs", 2 ** 53, millis],
    ["timeoutMs", 2 ** 64, millis], ["timeoutMs", 1.5, millis], ["timeoutMs", -1, millis], ["timeoutMs", NaN, millis],
    ["timeoutMs", Infinity, millis], ["timeoutMs", "5", millis],
    ["maxRetries", 0, null], ["maxRetries", -0, null], ["maxRetries", 10, null], ["maxRetries", 11, retries],
    ["maxRetries", 2 ** 32 + 5, retries], ["maxRetries", 2 ** 63, retries], ["maxRetries", 0.5, retries],
    ["maxRetries", -1, retries], ["maxRetries", NaN, retries], ["maxRetries", -Infinity, retries],
  ];
  for (const [name, value, message] of cases) {
    const label = `${name}: ${Object.is(value, -0) ? "-0" : String(value)}`;
    const made = (() => { try { return new ResellerClient({ ...config, [name]: value }); } catch (e) { return e; } })();
    const called = await new ResellerClient(config).listVariations({ [name]: value }).catch((e) => e);
    if (message === null) {
      assert.ok(made instanceof ResellerClient, `${label}: ${made?.message}`);
      assert.deepEqual(called, { variations: [] }, `${label}: ${called?.message}`);
      continue;
    }
    assert.equal(made.kind, "invalid_input", label);
    assert.equal(made.operation, "ResellerClient", label);
    assert.ok(made.message.endsWith(message), `${label}: ${made.message}`);
    assert.equal(called.kind, "invalid_input", label);
    assert.equal(called.operation, "listVariations", label);
    assert.ok(called.message.endsWith(message), `${label}: ${called.message}`);
  }
  // A bad header name is the call's own error when given per call, the config's when given to the client.
  const perCall = await new ResellerClient(config).listVariations({ headers: { "x y": "1" } }).catch((e) => e);
  assert.equal(perCall.operation, "listVariations");
  assert.equal(perCall.message, 'listVariations: header name "x y" is not a valid HTTP header name');
  const inConfig = (() => { try { new ResellerClient({ ...config, headers: { "x y": "1" } }); } catch (e) { return e; } })();
  assert.equal(inConfig.message, 'ResellerClient: header name "x y" is not a valid HTTP header name');
});

test("the form's content type cannot be overridden; envelope texts of any type are kept", async () => {
  const { ResellerClient } = await load();
  const seen = [];
  const fetch = async (url, init) => {
    seen.push(init.headers);
    return new Response('{"response":{"status":"ERROR","statuscode":"7","errormessage":123,"debugmessage":false}}');
  };
  const client = new ResellerClient({ baseUrl: api, reseller: "r", apiKey: "k", fetch, headers: { "Content-Type": "text/plain", "X-Extra": "1" } });
  const error = await client.setAccountAttribute("a", "max_agents", { value: "1" }).catch((e) => e);
  assert.deepEqual(seen[0], { "X-Extra": "1", "content-type": "application/x-www-form-urlencoded" });
  assert.equal(error.kind, "api");
  assert.equal(error.statuscode, 7);
  assert.equal(error.errormessage, "123");
  assert.equal(error.debugmessage, "false");
  await client.getAccount("a").catch(() => {});
  assert.deepEqual(seen[1], { "Content-Type": "text/plain", "X-Extra": "1" });
});
