// The inputs of a call cross into the wasm as one text (js/inputs.js):
// what JSON cannot say (BigInt, symbols, functions, NaN, ±Infinity,
// undefined against null, Dates, other objects, getters and proxies that
// throw) still gets the precise invalid_input message it always got, before
// anything is sent, and only own properties are ever read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const { ResellerClient } = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/node.js")).href);

const sent = [];
const client = new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k", timeZone: "UTC",
  fetch: async (url, init) => {
    sent.push({ url: String(url), body: init.body, headers: { ...init.headers } });
    return new Response('{"response":{"accounts":[],"account_id":"a1"}}', { status: 200 });
  },
});

/** The invalid_input message of `call()`, which must send nothing. */
async function refused(call) {
  const before = sent.length;
  const error = await call().then(() => assert.fail("accepted"), (e) => e);
  assert.equal(error.name, "LiveAgentError");
  assert.equal(error.kind, "invalid_input", error.message);
  assert.equal(sent.length, before, "a request was sent");
  return error.message;
}

test("path arguments of every JS type are named precisely", async () => {
  assert.match(await refused(() => client.getAccount(undefined)), /account_id is required/);
  assert.match(await refused(() => client.getAccount(null)), /account_id is required/);
  for (const value of [5, 10n, Symbol("s"), () => "a", NaN, Infinity, true, new Map(), ["a"], new Date()]) {
    assert.match(await refused(() => client.getAccount(value)), /account_id must be a string/, String(typeof value));
  }
  assert.match(await refused(() => client.getAccount("a\ud800")), /not well-formed Unicode/);
});

test("params: undefined is absent, other types are named, a Date is written in the client's zone", async () => {
  const created_from = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  await client.listAccounts({ created_from, created_to: undefined });
  assert.match(sent.at(-1).url, /created_from=2024-01-02(\+|%20)03%3A04%3A05/);
  assert.doesNotMatch(sent.at(-1).url, /created_to/);
  assert.match(await refused(() => client.listAccounts({ created_from: new Date(NaN) })), /created_from must be a valid Date/);
  assert.match(await refused(() => client.listAccounts({ created_to: 10n })), /created_to must be a string/);
  assert.match(await refused(() => client.listAccounts({ created_from: { toString: () => "x" } })), /created_from must be a string/);
  assert.match(await refused(() => client.listAccounts({ createdFrom: "2024-01-02 03:04:05" })), /unknown parameter "createdFrom" \(did you mean created_from\?\)/);
  assert.match(await refused(() => client.listAccounts("2024")), /params must be an object/);
  assert.match(await refused(() => client.listAccounts([])), /params must be an object/);
});

test("getters and proxies that throw are input errors, not exceptions", async () => {
  const getter = Object.defineProperty({}, "created_from", { enumerable: true, get() { throw new Error("a getter"); } });
  assert.match(await refused(() => client.listAccounts(getter)), /params must be an object/);
  const proxy = new Proxy({}, { ownKeys() { throw new Error("a proxy"); } });
  assert.match(await refused(() => client.listAccounts(proxy)), /params must be an object/);
  const options = Object.defineProperty({}, "timeoutMs", { enumerable: true, get() { throw new Error("a getter"); } });
  assert.match(await refused(() => client.getAccount("a", options)), /options must be an object/);
});

test("only own properties are read: an inherited param, option or header is never used", async () => {
  const params = Object.create({ created_from: "2024-01-02 03:04:05" });
  await client.listAccounts(params);
  assert.doesNotMatch(sent.at(-1).url, /created_from/);
  const options = Object.create({ timeoutMs: "not a number" });
  await client.getAccount("a", options);
  Object.prototype["x-polluted"] = "1";
  try {
    await client.getAccount("a", { headers: { "x-mine": "2" } });
  } finally {
    delete Object.prototype["x-polluted"];
  }
  assert.equal(sent.at(-1).headers["x-mine"], "2");
  assert.equal(Object.hasOwn(sent.at(-1).headers, "x-polluted"), false);
});

test("options: numbers JSON cannot say, non-signals and non-plain headers are named", async () => {
  for (const timeoutMs of [NaN, Infinity, -Infinity, 1.5, -1, 2 ** 64, 10n, "5"]) {
    assert.match(await refused(() => client.getAccount("a", { timeoutMs })), /options\.timeoutMs must be a whole number of milliseconds/, String(timeoutMs));
  }
  assert.match(await refused(() => client.getAccount("a", { maxRetries: NaN })), /maxRetries must be a whole number from 0 to 10/);
  assert.match(await refused(() => client.getAccount("a", { signal: {} })), /options\.signal must be an AbortSignal/);
  assert.match(await refused(() => client.getAccount("a", { headers: new Headers({ a: "b" }) })), /options\.headers must be a plain object of strings/);
  assert.match(await refused(() => client.getAccount("a", { headers: { a: 1 } })), /options\.headers must be a plain object of strings/);
  assert.match(await refused(() => client.getAccount("a", { timeout: 5 })), /options has no key "timeout" \(did you mean timeoutMs\?\)/);
  // A header value with a lone surrogate is not a string here (fetch would send U+FFFD).
  assert.match(await refused(() => client.getAccount("a", { headers: { "X-A": "a\ud800" } })), /options\.headers must be a plain object of strings/);
  assert.match(await refused(() => client.getAccount("a", { headers: { "X-A": "\u0100" } })), /header "X-A" has a character outside Latin-1/);
  // The options are checked in JS (config.js), but their error comes after the arguments' and params'.
  assert.match(await refused(() => client.getAccount(5, { timeout: 5 })), /account_id must be a string/);
  assert.match(await refused(() => client.listAccounts({ createdFrom: "x" }, { signal: {} })), /unknown parameter "createdFrom"/);
  // undefined members are as absent; null options too.
  await client.getAccount("a", { timeoutMs: undefined, signal: undefined });
  await client.getAccount("a", null);
});

test("a config crosses as one text too: its errors are the same, thrown by the constructor", () => {
  const base = { baseUrl: "https://example.com/api", reseller: "r", apiKey: "k" };
  const thrown = (config) => {
    try {
      new ResellerClient(config);
    } catch (error) {
      assert.equal(error.name, "LiveAgentError");
      return error.message;
    }
    return assert.fail("accepted");
  };
  assert.match(thrown(undefined), /the config object is required/);
  assert.match(thrown({ ...base, fetch: "fetch" }), /fetch must be a function/);
  assert.match(thrown({ ...base, maxResponseBytes: 0 }), /maxResponseBytes must be a whole number of bytes from 1 to 9007199254740992/);
  assert.match(thrown({ ...base, timeZone: "Mars/Olympus" }), /is not an IANA time zone this host knows/);
  assert.match(thrown({ ...base, timeout: 5 }), /has no key "timeout" \(did you mean timeoutMs\?\)/);
  assert.doesNotMatch(thrown({ ...base, apiKey: "secret-key-1", headers: { "secret-key-1": "\n" } }), /secret-key-1/);
});
