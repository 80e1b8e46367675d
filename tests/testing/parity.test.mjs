// One scripted session (the 21 calls, a 404, a 401, a 503 with
// Retry-After, XML for one call) gets byte-identical answers from the Rust
// `sandbox`, `createSandbox` and `npx liveagent-reseller sandbox`, with the
// same seed and a fixed clock.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { pkgDir, ports, requirePackage, sandboxBin, startServer, stop } from "./helpers.mjs";

const port = ports(0);

const SEED = "7";
const NOW = "2024-01-15T12:00:00Z";
const KEY = "sandbox-api-key";
const RESELLER = "reseller@example.com";
const ACCOUNT = "9900a49c321c871cd1a572a1dc21a33c";
const LICENSE = "lat47ts4";
const form = "application/x-www-form-urlencoded";

let rust;
let npx;
let memory;

before(async () => {
  requirePackage();
  const flags = ["--seed", SEED, "--now", NOW];
  rust = await startServer(sandboxBin, ["--port", String(port()), ...flags]);
  npx = await startServer(process.execPath,
    [join(pkgDir, "bin/liveagent-reseller.mjs"), "sandbox", "--port", String(port()), ...flags]);
  const { createSandbox } = await import(pathToFileURL(join(pkgDir, "testing.js")).href);
  memory = createSandbox({ seed: Number(SEED), now: new Date(NOW), baseUrl: "http://memory.invalid/api" });
});

after(() => {
  stop(rust);
  stop(npx);
});

/** The three ways to send one request; each resolves to the parts compared. */
const targets = {
  "Rust sandbox": (path, init) => fetch(`${rust.origin}${path}`, init),
  "npx sandbox": (path, init) => fetch(`${npx.origin}${path}`, init),
  createSandbox: (path, init) => memory.handle(new Request(`http://memory.invalid${path}`, init)),
};

async function parts(response) {
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    retryAfter: response.headers.get("retry-after"),
    body: await response.text(),
  };
}

const api = (rest, query = "") => `/api/resellers/${RESELLER}${rest}?apikey=${KEY}${query ? `&${query}` : ""}`;
const body = (fields) => ({ headers: { "content-type": form }, body: `apikey=${KEY}&${fields}` });
const path = (rest) => `/api/resellers/${RESELLER}${rest}`;

// [name, method, path, init]; `$NEW` is the id createAccount answered with
// (the same in all three: the same seed).
const session = [
  ["listVariations", "GET", api("/variations")],
  ["listAccounts", "GET", api("/accounts")],
  ["getAccount", "GET", api(`/accounts/${ACCOUNT}`)],
  ["createAccount", "POST", path("/accounts"),
    body("variation_id=r7g4y7ya&customer_email=new%40shop.test&customer_name=New+Shop&subdomain=newshop")],
  ["getAccountStatus", "GET", api("/accounts/$NEW/status")],
  ["changeAccountStatus", "PUT", path("/accounts/$NEW/status"), body("status=s&note=unpaid")],
  ["changeAccountVariation", "PUT", path(`/accounts/${ACCOUNT}/variation`), body("variationid=t7f4u7fd")],
  ["checkDomain", "GET", api("/signupcheck/domain", "productid=LiveAgent&subdomain=newshop")],
  ["checkEmail", "GET", api("/signupcheck/email", "productid=LiveAgent&email=free%40shop.test")],
  ["listAccountAddons", "GET", api(`/accounts/${ACCOUNT}/addons`)],
  ["addAccountAddon", "POST", path(`/accounts/${ACCOUNT}/addons`), body("addon_id=p4g7y4ft7")],
  ["getAccountAttribute", "GET", api(`/accounts/${ACCOUNT}/attributes/max_agents`)],
  ["setAccountAttribute", "PUT", path(`/accounts/${ACCOUNT}/attributes/max_agents`), body("value=12")],
  ["listAccountUsers", "GET", api(`/accounts/${ACCOUNT}/users`)],
  ["removeAccountUser", "DELETE", api(`/accounts/${ACCOUNT}/users/user456`)],
  ["listLicenses", "GET", api("/licenses")],
  ["listLicenseAddons", "GET", api(`/licenses/${LICENSE}/addons`)],
  ["addLicenseAddon", "POST", path(`/licenses/${LICENSE}/addons`), body("addon_id=p9t5s4s5&valid_to=2025-01-01+00%3A00%3A00")],
  ["changeLicenseAddonValidity", "PUT", path(`/licenses/${LICENSE}/addons/ss5l5sa6/validity`), body("valid_to=2026-01-01+00%3A00%3A00")],
  ["getLicenseAttribute", "GET", api(`/licenses/${LICENSE}/attributes/max_agents`)],
  ["setLicenseAttribute", "PUT", path(`/licenses/${LICENSE}/attributes/max_agents`), body("value=5")],
  ["404 (unknown account)", "GET", api("/accounts/nope")],
  ["401 (wrong key)", "GET", `/api/resellers/${RESELLER}/accounts?apikey=wrong-key`],
  ["fault rule (control route)", "POST", "/_sandbox/faults",
    { headers: { "content-type": "application/json" }, body: JSON.stringify({ path_contains: "/variations", status: 503, retry_after: 2 }) }],
  ["503 with Retry-After", "GET", api("/variations")],
  ["XML (getAccount)", "GET", api(`/accounts/${ACCOUNT}.xml`)],
  ["request log (control route)", "GET", "/_sandbox/requests?path_contains=/status"],
];

test("the scripted session is byte-identical from the Rust server, createSandbox and the npx server", async () => {
  const ids = {};
  const rows = [];
  for (const [name, method, target, init = {}] of session) {
    const answers = {};
    for (const [who, send] of Object.entries(targets)) {
      const resolved = target.replace("$NEW", ids[who]?.created ?? "");
      answers[who] = await parts(await send(resolved, { method, ...init }));
      ids[who] ??= {};
      if (name === "createAccount") ids[who].created = JSON.parse(answers[who].body).response.account_id;
    }
    const [first, ...others] = Object.values(answers);
    for (const [who, answer] of Object.entries(answers)) {
      assert.deepEqual(answer, first, `${name}: ${who} differs from the Rust sandbox`);
    }
    assert.equal(others.length, 2);
    rows.push(`| ${name} | ${method} | ${first.status} | ${first.retryAfter ?? ""} | ${first.body.length} | identical ×3 |`);
  }
  const statuses = session.map((_, i) => rows[i].split(" | ")[2]);
  assert.equal(statuses.filter((s) => s === "200").length, session.length - 3, statuses.join(","));
  console.log(["| step | method | status | Retry-After | body bytes | Rust / createSandbox / npx |",
    "|---|---|---|---|---|---|", ...rows].join("\n"));
});
