// What crosses between JS and the package's wasm per call (issue 16's
// budgets): every call of an import (wasm -> JS) and of an export (JS ->
// wasm, malloc and free included) is counted, by wrapping the instance's
// imports and exports. Per call only text and bytes cross: the inputs as
// one text, the request as one text, the status, the body's bytes (a
// slice of 256 KiB at a time), one step text per outcome. Nothing is read
// field by field: a list's rows cost nothing. Also counted: the strings
// made from wasm memory (`TextDecoder#decode`, about a microsecond each).
// Its own process (node --test runs each file alone), so nothing else
// loads the .wasm first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

let crossings = 0;
let decodes = 0;
const decode = TextDecoder.prototype.decode;
TextDecoder.prototype.decode = function (...args) {
  decodes++;
  return decode.apply(this, args);
};
const counted = (fields) => {
  const out = {};
  for (const [name, value] of Object.entries(fields)) {
    out[name] = typeof value === "function"
      ? (...args) => { crossings++; return value(...args); }
      : value;
  }
  return out;
};
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const wrapped = {};
  for (const [name, fields] of Object.entries(imports ?? {})) wrapped[name] = counted(fields);
  const instance = new Instance(module, wrapped);
  return { exports: counted(instance.exports) };
};

const { ResellerClient } = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/node.js")).href);

const row = (i) => ({
  customer_email: `c${i}@example.com`, account_id: `id${i}`, domain: `d${i}.example.com`, customer_name: "N",
  company: null, date_created: "2026-01-02 03:04:05", variation_id: "v", status: "A", version: "1",
  last_login_date: null, undocumented: 1,
});

/** A client whose fetch answers `body` (a Response, or any object with `status`, `headers` and `text`). */
const clientAnswering = (answer) => new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k", fetch: async () => answer(),
});

/** Crossings of the second `call` of a client (the first loads the .wasm). */
async function crossingsOf(client, call) {
  await call(client);
  const before = crossings;
  const result = await call(client);
  return { count: crossings - before, result };
}

test("a getAccount costs at most 12 crossings (was 39)", async (t) => {
  const body = JSON.stringify({ response: { ...row(1), account_status: "A", lifecycle_status: "I" } });
  const client = clientAnswering(() => new Response(body, { status: 200 }));
  const { count, result } = await crossingsOf(client, (c) => c.getAccount("a"));
  assert.equal(result.customer_email, "c1@example.com");
  t.diagnostic(`getAccount: ${count} crossings`);
  assert.ok(count <= 12, `${count} crossings for one getAccount`);
  assert.ok(count >= 3, `the count saw ${count} crossings: is it counting?`);
});

test("a createAccount costs at most 16 crossings (was 121)", async (t) => {
  const body = JSON.stringify({ response: { account_id: "a1", status: "n", domain: "d.example.com" } });
  const client = clientAnswering(() => new Response(body, { status: 200 }));
  const params = {
    variation_id: "v1", customer_email: "zoë@example.com", customer_name: "Zoë Ünicode", subdomain: "shop",
    company: "Q", top_domain: "ladesk.com", language: "en", extra_params: '{"a":1}',
  };
  const create = (c) => c.createAccount(params);
  const { count, result } = await crossingsOf(client, create);
  assert.equal(result.account_id, "a1");
  t.diagnostic(`createAccount: ${count} crossings`);
  assert.ok(count <= 16, `${count} crossings for one createAccount`);
});

test("a listAccounts row costs no crossing: only the body's 256 KiB slices do", async (t) => {
  const listOf = async (rows) => {
    const body = JSON.stringify({ response: { accounts: Array.from({ length: rows }, (_, i) => row(i)) } });
    const client = clientAnswering(() => new Response(body, { status: 200 }));
    const { count, result } = await crossingsOf(client, (c) => c.listAccounts());
    assert.equal(result.accounts.length, rows);
    assert.equal(result.accounts[7].undocumented, 1, "an undocumented field is kept");
    return { count, slices: Math.ceil(Buffer.byteLength(body) / (256 << 10)) };
  };
  const small = await listOf(100);
  const large = await listOf(5100);
  // Each slice of the body: its copy in (malloc) and the check (the export).
  const perSlice = 2;
  t.diagnostic(`listAccounts: ${small.count} crossings for 100 rows, ${large.count} for 5,100`);
  const rowsCost = large.count - small.count - perSlice * (large.slices - small.slices);
  assert.ok(rowsCost <= 0, `${large.count} crossings for 5,100 rows, ${small.count} for 100 (${large.slices} and ${small.slices} slices)`);
});

test("a row whose text field is not text goes through the core's own check: a boolean is refused by its path", async () => {
  const body = JSON.stringify({ response: { accounts: [row(0), { ...row(1), domain: true }] } });
  await assert.rejects(clientAnswering(() => new Response(body)).listAccounts(), (e) => {
    assert.equal(e.kind, "decode");
    assert.match(e.message, /accounts\[1\]\.domain/);
    return true;
  });
});

test("a number in a text field of a row keeps the text the server wrote", async () => {
  const body = JSON.stringify({ response: { accounts: [row(0), row(1)] } }).replace('"d1.example.com"', "12.50");
  const result = await clientAnswering(() => new Response(body)).listAccounts();
  assert.equal(result.accounts[1].domain, "12.50");
  assert.equal(result.accounts[0].domain, "d0.example.com");
});

test("a getter that throws on Object.prototype changes nothing: the result is JSON.parse's", async () => {
  const body = JSON.stringify({ response: { accounts: [{ customer_email: "a@example.com" }] } });
  Object.defineProperty(Object.prototype, "company", { get() { throw new Error("a page's getter"); }, configurable: true });
  try {
    const result = await clientAnswering(() => new Response(body)).listAccounts();
    assert.equal(Object.getOwnPropertyDescriptor(result.accounts[0], "customer_email")?.value, "a@example.com");
  } finally {
    delete Object.prototype.company;
  }
});

test("a getAccount makes 2 strings from wasm memory: the request and the outcome", async () => {
  const body = JSON.stringify({ response: { ...row(1), account_status: "A", lifecycle_status: "I" } });
  // Not a Response: its body would be decoded by TextDecoder too.
  const client = clientAnswering(() => ({ status: 200, headers: { get: () => null }, text: async () => body }));
  await client.getAccount("a");
  const before = decodes;
  const account = await client.getAccount("b");
  assert.equal(account.customer_email, "c1@example.com");
  assert.equal(decodes - before, 2, `${decodes - before} strings made from wasm memory for one getAccount`);
});
