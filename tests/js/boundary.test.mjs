// How often the package's wasm calls out to JS while it checks a result,
// and how many strings it makes from its memory per call: each call costs
// tens of nanoseconds, so a check that asks per field would cost a
// 10,000-row list tens of milliseconds, and each string about a
// microsecond (`TextDecoder`), a dozen of them a tenth of a call's budget
// (bench/: within 1.10× and 1.25× of a hand-written client). Counted by
// wrapping every import of the instance and `TextDecoder#decode`; its own
// process (node --test runs each file alone), so nothing else loads the
// .wasm first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

let calls = 0;
let decodes = 0;
const decode = TextDecoder.prototype.decode;
TextDecoder.prototype.decode = function (...args) {
  decodes++;
  return decode.apply(this, args);
};
const Instance = WebAssembly.Instance;
WebAssembly.Instance = function (module, imports) {
  const counted = {};
  for (const [name, fields] of Object.entries(imports ?? {})) {
    counted[name] = {};
    for (const [field, value] of Object.entries(fields)) {
      counted[name][field] = typeof value === "function"
        ? (...args) => { calls++; return value(...args); }
        : value;
    }
  }
  return new Instance(module, counted);
};

const { ResellerClient } = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/node.js")).href);

const row = (i) => ({
  customer_email: `c${i}@example.com`, account_id: `id${i}`, domain: `d${i}.example.com`, customer_name: "N",
  company: null, date_created: "2026-01-02 03:04:05", variation_id: "v", status: "A", version: "1",
  last_login_date: null, undocumented: 1,
});

/** Import calls for one listAccounts of `rows` rows, served by a fake fetch. */
async function importCalls(rows) {
  const body = JSON.stringify({ response: { accounts: Array.from({ length: rows }, (_, i) => row(i)) } });
  const client = new ResellerClient({
    baseUrl: "https://example.com/api", reseller: "r", apiKey: "k",
    fetch: async () => new Response(body, { status: 200 }),
  });
  await client.listAccounts(); // loads the .wasm; its start-up calls are not counted below
  const before = calls;
  const result = await client.listAccounts();
  assert.equal(result.accounts.length, rows);
  assert.equal(result.accounts[7].undocumented, 1, "an undocumented field is kept");
  return calls - before;
}

test("a listAccounts row of text fields costs the wasm at most 5 calls to JS, not 2 per field", async () => {
  const small = await importCalls(100);
  const large = await importCalls(1100);
  const perRow = (large - small) / 1000;
  // element(i): isArray + get; is_object: isObject + isArray; all_text: 1.
  // Plus, per 256 Ki UTF-16 units of body (not per row), the two crossings
  // of one chunk copied into the wasm for the core's JSON check: 0.002 here.
  assert.ok(perRow <= 5.005, `${perRow} import calls per row (${small} for 100 rows, ${large} for 1,100)`);
  assert.ok(perRow >= 1, `the count saw ${perRow} calls per row: is it counting?`);
});

/** A client whose fetch answers `body` (a Response, or any object with `status`, `headers` and `text`). */
const clientAnswering = (answer) => new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k", fetch: async () => answer(),
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

test("a getter that throws on Object.prototype is read as absent, as before the one-call row check", async () => {
  const body = JSON.stringify({ response: { accounts: [{ customer_email: "a@example.com" }] } });
  Object.defineProperty(Object.prototype, "company", { get() { throw new Error("a page's getter"); }, configurable: true });
  try {
    const result = await clientAnswering(() => new Response(body)).listAccounts();
    assert.equal(Object.getOwnPropertyDescriptor(result.accounts[0], "customer_email")?.value, "a@example.com");
  } finally {
    delete Object.prototype.company;
  }
});

test("a getAccount makes 2 strings from wasm memory: the URL and the URL shown", async () => {
  const body = JSON.stringify({ response: { ...row(1), account_status: "A", lifecycle_status: "I" } });
  // Not a Response: its text() would decode the body with TextDecoder too.
  const client = clientAnswering(() => ({ status: 200, headers: { get: () => null }, text: async () => body }));
  await client.getAccount("a"); // the first call makes the member names, once per client
  const before = decodes;
  const account = await client.getAccount("b");
  assert.equal(account.customer_email, "c1@example.com");
  assert.equal(decodes - before, 2, `${decodes - before} strings made from wasm memory for one getAccount`);
});
