// The baseline client does what the package does on the wire and in its
// results, so that the benchmark compares equal work. Starts its own sandbox.
//   node --test bench/baseline/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ResellerClient, LiveAgentError } from "./client.js";
import { startSandbox, root, RESELLER, API_KEY, ACCOUNT_ID } from "../lib/sandbox.mjs";

let sandbox, client, pkg;

before(async () => {
  sandbox = await startSandbox();
  client = new ResellerClient({ baseUrl: `${sandbox.api}/`, reseller: RESELLER, apiKey: API_KEY });
  const entry = resolve(root, "pkg/node.js");
  if (existsSync(entry)) {
    const { ResellerClient: Package } = await import(entry);
    pkg = new Package({ baseUrl: sandbox.api, reseller: RESELLER, apiKey: API_KEY });
  }
});
after(() => sandbox?.stop());

const control = (path, init) => fetch(`${sandbox.url}/_sandbox/${path}`, init).then((r) => r.json());
const lastRequest = async () => (await control("requests")).requests.at(-1);

test("getAccount removes the envelope and sends the key in the query", async () => {
  const acc = await client.getAccount(ACCOUNT_ID);
  assert.equal(acc.account_id, ACCOUNT_ID);
  assert.equal(acc.customer_email, "john@example.com");
  assert.equal(acc.status, "a");
  assert.equal(acc.response, undefined);
  const sent = await lastRequest();
  assert.equal(sent.method, "GET");
  assert.equal(sent.path, `/api/resellers/${RESELLER}/accounts/${ACCOUNT_ID}`);
  assert.equal(sent.query, `apikey=[redacted]`);
  if (pkg) assert.deepEqual(acc, await pkg.getAccount(ACCOUNT_ID));
});

test("listAccounts sends checked datetimes and returns the accounts", async () => {
  const { accounts } = await client.listAccounts();
  assert.ok(accounts.some((a) => a.account_id === ACCOUNT_ID));
  const filtered = await client.listAccounts({ created_from: "2013-01-01 00:00:00", ignored: "x" });
  assert.deepEqual(filtered.accounts.map((a) => a.account_id), ["f7u4g79c321cf77td1a572a1dcg7uyf4"]);
  assert.equal((await lastRequest()).query, `created_from=2013-01-01+00%3A00%3A00&apikey=[redacted]`);
  if (pkg) assert.deepEqual(accounts, (await pkg.listAccounts()).accounts);
  const before = (await control("requests")).requests.length;
  await assert.rejects(client.listAccounts({ created_to: "2024-13-01 00:00:00" }),
    (e) => e instanceof LiveAgentError && e.kind === "invalid_input" && e.operation === "listAccounts");
  assert.equal((await control("requests")).requests.length, before, "an invalid call was sent");
});

test("createAccount posts form fields and returns the new id", async () => {
  const created = await client.createAccount({
    variation_id: "r7g4y7ya", customer_email: "ann@example.com", customer_name: "Ann & Co", subdomain: "ann-co",
  });
  assert.equal(created.status, "OK");
  assert.equal(created.statuscode, 0);
  assert.match(created.account_id, /^[0-9a-f]{32}$/);
  assert.ok(["n", "c"].includes(created.account_status));
  const sent = await lastRequest();
  assert.equal(sent.method, "POST");
  assert.equal(sent.content_type, "application/x-www-form-urlencoded");
  assert.equal(sent.query, "");
  assert.equal(sent.body,
    `variation_id=r7g4y7ya&customer_email=ann%40example.com&customer_name=Ann+%26+Co&subdomain=ann-co&apikey=[redacted]`);
  assert.equal((await client.getAccount(created.account_id)).customer_name, "Ann & Co");
  await assert.rejects(client.createAccount({ variation_id: "r7g4y7ya", customer_email: "a@b.c", customer_name: "" , subdomain: "x" }),
    { kind: "invalid_input" });
});

test("changeAccountStatus puts form fields; only a, s and t are accepted", async () => {
  const { account_id: id } = await client.createAccount({
    variation_id: "r7g4y7ya", customer_email: "bo@example.com", customer_name: "Bo", subdomain: "bo-co",
  });
  assert.deepEqual(await client.changeAccountStatus(id, { status: "s", note: "unpaid" }), { status: "OK", statuscode: 0 });
  const sent = await lastRequest();
  assert.equal(sent.method, "PUT");
  assert.equal(sent.body, `status=s&note=unpaid&apikey=[redacted]`);
  assert.equal((await client.getAccount(id)).status, "s");
  await assert.rejects(client.changeAccountStatus(id, { status: "x", note: "n" }), { kind: "invalid_input" });
});

test("path arguments are one encoded segment; errors are LiveAgentError without the key", async () => {
  await assert.rejects(client.getAccount("a/../b?c#d"), (e) => {
    assert.ok(e instanceof LiveAgentError && e instanceof Error);
    assert.equal(e.kind, "api");
    assert.equal(e.status, 404);
    return true;
  });
  assert.equal((await lastRequest()).path, `/api/resellers/${RESELLER}/accounts/a%2F..%2Fb%3Fc%23d`);
  await assert.rejects(client.getAccount(".."), { kind: "invalid_input" });
  const key = "very-secret-key-42";
  const wrong = new ResellerClient({ baseUrl: sandbox.api, reseller: RESELLER, apiKey: key });
  await assert.rejects(wrong.getAccount(ACCOUNT_ID), (e) => {
    assert.equal(e.kind, "api");
    assert.equal(e.status, 401);
    assert.equal(e.statuscode, 401);
    assert.ok(!JSON.stringify({ ...e, m: e.message, s: e.stack }).includes(key));
    return true;
  });
  assert.ok(!JSON.stringify(wrong).includes(key));
});

test("an ERROR envelope under HTTP 200 is an api error; 503 is retried", async () => {
  await control("faults", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ path_contains: "/status", status: 200, count: 1,
      body: '{"response":{"status":"ERROR","statuscode":500,"errormessage":"boom"}}' }),
  });
  await assert.rejects(client.getAccountStatus(ACCOUNT_ID),
    { kind: "api", status: 200, statuscode: 500, errormessage: "boom" });
  await control("faults", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ path_contains: "/variations", status: 503, count: 1, retry_after: 0 }),
  });
  const { variations } = await client.listVariations();
  assert.equal(variations[0].addons[0].price, "99.90");
  await control("faults", { method: "DELETE" });
});
