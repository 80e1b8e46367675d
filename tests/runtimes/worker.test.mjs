// examples/worker in the real Cloudflare runtime (npm `workerd`): bundled as
// wrangler does (export condition "workerd", the .wasm as its own module),
// served by workerd, and called over HTTP against the sandbox. A second
// service runs the same worker with the API on a dead port.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundle, config } from "../../examples/worker/workerd.mjs";
import { api, apiKey, bin, serveWorkerd, consumer, deadPort, preflight, reseller, root, sandbox, tempDir, unique } from "./helpers.mjs";

let workerd;
let bundled;
const ports = {};
const bodies = []; // every answer, to check that the key never leaves the worker

before(async () => {
  await preflight();
  const app = consumer("worker");
  const outDir = tempDir("worker-dist");
  bundled = await bundle({ outDir, nodePaths: [join(app, "node_modules")] });
  const bindings = {
    RESELLER_API_URL: api,
    RESELLER_ID: reseller,
    RESELLER_API_KEY: apiKey,
    PRODUCT_ID: "LiveAgent",
    VARIATION_ID: "r7g4y7ya",
  };
  const down = { ...bindings, RESELLER_API_URL: `http://127.0.0.1:${await deadPort()}/api` };
  writeFileSync(join(outDir, "config.capnp"), config({
    ...bundled,
    services: [
      { name: "signup", address: "127.0.0.1:0", bindings },
      { name: "down", address: "127.0.0.1:0", bindings: down },
    ],
  }));
  bundled.source = readFileSync(join(outDir, bundled.main), "utf8");

  const served = await serveWorkerd(join(outDir, "config.capnp"), ["signup", "down"]);
  workerd = served.workerd;
  Object.assign(ports, served.ports);
});

after(() => workerd?.kill());

async function signup(body, service = "signup", init = {}) {
  const response = await fetch(`http://127.0.0.1:${ports[service]}/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  const text = await response.text();
  bodies.push(text);
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  return { status: response.status, body: JSON.parse(text) };
}

/** createAccount requests the sandbox received for this email. */
async function creations(email) {
  const { requests } = await (await fetch(`${sandbox}/_sandbox/requests?path_contains=/accounts`)).json();
  return requests.filter((r) => r.method === "POST" && r.body.includes(encodeURIComponent(email)));
}

test("the bundle took the package's workerd entry: the .wasm is imported as a module", () => {
  assert.deepEqual(bundled.wasm, ["liveagent_reseller_bg.wasm"]);
  assert.match(bundled.source, /^import \w+ from "\.\/liveagent_reseller_bg\.wasm";$/m);
  assert.match(bundled.source, /^\/\/ \S*pkg\/workerd\.js$/m);
  assert.doesNotMatch(bundled.source, /readFileSync|node:fs/);
});

test("a good signup creates the account on the configured variation", async () => {
  const subdomain = unique("acme");
  const email = `${subdomain}@example.org`;
  const { status, body } = await signup({ email, subdomain, name: "Ada Lovelace" });
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.ok, true);
  assert.match(body.account_id, /^[0-9a-f]{32}$/);
  assert.equal(body.account_status, "c");

  const { response } = await (await fetch(
    `${api}/resellers/${reseller}/accounts/${body.account_id}?apikey=${apiKey}`)).json();
  assert.equal(response.domain, `${subdomain}.ladesk.com`);
  assert.equal(response.customer_email, email);
  assert.equal(response.customer_name, "Ada Lovelace");
  assert.equal(response.variation_id, "r7g4y7ya");
});

test("a taken subdomain is refused before anything is created", async () => {
  const email = `${unique("taken")}@example.org`;
  const { status, body } = await signup({ email, subdomain: "mysupport", name: "Late Comer" });
  assert.equal(status, 422);
  assert.deepEqual(body, { ok: false, error: "rejected", field: "subdomain", message: "domain mysupport.ladesk.com is already taken" });
  assert.deepEqual(await creations(email), []);
});

test("a bad email is refused before the subdomain is even checked", async () => {
  const subdomain = unique("bademail");
  const { status, body } = await signup({ email: "not-an-email", subdomain, name: "No Mail" });
  assert.equal(status, 422);
  assert.equal(body.field, "email");
  assert.match(body.message, /not a valid email/);
  const { requests } = await (await fetch(`${sandbox}/_sandbox/requests?path_contains=/signupcheck/domain`)).json();
  assert.ok(!requests.some((r) => r.query.includes(subdomain)), "checkDomain was called");
});

test("with the API down the worker answers 503, retryable", async () => {
  const started = Date.now();
  const { status, body } = await signup({ email: "x@example.org", subdomain: unique("down"), name: "X" }, "down");
  assert.equal(status, 503);
  assert.deepEqual(body, { ok: false, error: "unavailable", retryable: true });
  assert.ok(Date.now() - started < 10_000, "the worker waited too long");
  assert.match(workerd.output(), /checkEmail failed \(network\)/);
});

test("malformed requests get 400/404/405 without calling the API", async () => {
  assert.equal((await signup("{not json")).status, 400);
  assert.equal((await signup({ email: "a@b.org", subdomain: "abc" })).status, 400);
  assert.equal((await signup({ email: "a@b.org", subdomain: "abc", name: 7 })).status, 400);
  const get = await fetch(`http://127.0.0.1:${ports.signup}/signup`);
  assert.equal(get.status, 405);
  bodies.push(await get.text());
  const other = await fetch(`http://127.0.0.1:${ports.signup}/admin`, { method: "POST" });
  assert.equal(other.status, 404);
  bodies.push(await other.text());
});

test("the API key never reaches the browser", () => {
  assert.ok(bodies.length >= 8, "run after the other tests");
  for (const body of bodies) assert.ok(!body.includes(apiKey), body);
  assert.ok(!workerd.output().includes(apiKey), "the key is in workerd's log");
});

test("the worker example needs no file outside its folder but the package", () => {
  const source = readFileSync(join(root, "examples/worker/src/index.js"), "utf8");
  assert.deepEqual([...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]), ["liveagent-reseller"]);
});
