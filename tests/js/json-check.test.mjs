// Hostile response bodies (API.md: "Any response, however hostile…"): the
// core's streaming JSON check refuses what JSON.parse would, and nesting
// past its limit, before anything parses or reads the body, so a deep
// array never reaches a recursive reader on the host's stack. Each ends in
// a result or a LiveAgentError, and every client works next, 1,000 times
// over (before the check, the first such call rejected with a RangeError
// and about 870 of them broke every client in the process).
import { test } from "node:test";
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { answering, deep, deepBodies, good, malformed, row } from "../support/bodies.mjs";

const { ResellerClient, LiveAgentError } = await import(pathToFileURL(resolve(import.meta.dirname, "../../pkg/node.js")).href);

/** A client whose fetch answers the text that `next()` gives, with status 200. */
const clientAnswering = (next) => answering(ResellerClient, next);

const isDecode = (e) => e instanceof LiveAgentError && e.kind === "decode";

for (const depth of [5_000, 100_000]) {
  const nested = deep(depth);
  for (const [where, body] of Object.entries(deepBodies(nested))) {
    test(`a ${depth.toLocaleString("en")}-deep array in ${where}: decode, 1,000 times, and every client works next`, async () => {
      let answer = body;
      const client = clientAnswering(() => answer);
      const other = clientAnswering(() => good);
      for (let i = 0; i < 1000; i++) {
        answer = body;
        await assert.rejects(client.listAccounts(), (e) => {
          assert.ok(isDecode(e), `${e?.name}: ${e?.message}`);
          assert.match(e.message, /nests more than 128 levels/);
          return true;
        });
        if (i % 100 === 99) {
          answer = good;
          assert.equal((await client.listAccounts()).accounts.length, 2);
          assert.equal((await other.listAccounts()).accounts[1].account_id, "id1");
        }
      }
      const fresh = clientAnswering(() => good);
      assert.equal((await fresh.listAccounts()).accounts[0].domain, "d0.example.com");
    });
  }
}

test("nesting up to the limit is a result; undocumented deep fields are kept as sent", async () => {
  const nested = deep(120);
  const client = clientAnswering(() => `{"response":{"accounts":[],"extra":${nested}}}`);
  const result = await client.listAccounts();
  let value = result.extra;
  let levels = 0;
  while (Array.isArray(value)) {
    levels++;
    value = value[0];
  }
  assert.equal(levels, 120);
});

test("JSON that JSON.parse refuses is refused: a price of 1.2.3, trailing commas, a second value", async () => {
  for (const body of malformed) {
    await assert.rejects(clientAnswering(() => body).listAccountAddons("acc"), (e) => {
      assert.ok(isDecode(e), `${body}: ${e?.name}: ${e?.message}`);
      assert.equal(e.message.includes("1.2.3"), false, "the message is the package's words");
      return true;
    });
  }
  const exact = await clientAnswering(() => '{"response":{"addons":[{"id":"a","price": 99.90}]}}').listAccountAddons("acc");
  assert.equal(exact.addons[0].price, "99.90");
});

test("__proto__ keys are own members: nothing is polluted, the prototype is Object's", async () => {
  const body = `{"__proto__":{"polluted":1},"response":{"__proto__":{"polluted":2},`
    + `"accounts":[{"__proto__":{"polluted":3},"account_id":"a","domain":"d"}]}}`;
  const result = await clientAnswering(() => body).listAccounts();
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.equal(result.polluted, undefined);
  assert.equal(Object.getPrototypeOf(result.accounts[0]), Object.prototype);
  assert.equal(result.accounts[0].polluted, undefined);
  assert.equal(result.accounts[0].account_id, "a");
  assert.equal({}.polluted, undefined);
});

test("bytes that are not UTF-8 reach the core as they came (no host decodes them first): decode, as in the Rust face", async () => {
  const bytes = new TextEncoder().encode('{"response":{"accounts":[{"account_id":"aXb","domain":"d"}]}}');
  bytes[bytes.indexOf(0x58)] = 0xff;
  const client = new ResellerClient({
    baseUrl: "https://example.com/api", reseller: "r", apiKey: "k",
    fetch: async () => new Response(bytes, { status: 200 }),
  });
  await assert.rejects(client.listAccounts(), (e) => {
    assert.equal(e.kind, "decode");
    assert.match(e.message, /UTF-8/);
    return true;
  });
});

/** A client whose fetch answers `body` (bytes), with status 200, streamed in pieces of `size` bytes. */
const clientStreaming = (body, size) => new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k", maxRetries: 0,
  fetch: async () => new Response(new ReadableStream({
    start(c) {
      for (let at = 0; at < body.length; at += size) c.enqueue(body.slice(at, at + size));
      c.close();
    },
  }), { status: 200 }),
});

test("a body reads as the server wrote it: all ASCII through Buffer's Latin-1 in Node, any other as UTF-8, cut anywhere", async () => {
  const latin1 = [];
  const toString = Buffer.prototype.toString;
  Buffer.prototype.toString = function (encoding, ...rest) {
    latin1.push(encoding === "latin1" ? this.length : -1);
    return toString.call(this, encoding, ...rest);
  };
  try {
    // As written in the JSON text (escapes are ASCII).
    for (const name of ["Plain", String.raw`J\u00f6rg`, "Jörg Müller", "李小龍", "emoji 😀", String.raw`tab\t\"q\"`]) {
      const body = new TextEncoder().encode(`{"response":{"accounts":[${JSON.stringify({ ...row(0), customer_name: "" }).replace('"customer_name":""', `"customer_name":"${name}"`)}]}}`);
      const ascii = body.every((b) => b < 0x80);
      for (const size of [1, 3, 64 << 10]) {
        latin1.length = 0;
        const { accounts } = await clientStreaming(body, size).listAccounts();
        assert.equal(accounts[0].customer_name, JSON.parse(`"${name}"`), `${name} in pieces of ${size}`);
        const read = latin1.reduce((sum, length) => sum + length, 0);
        assert.equal(read, ascii ? body.length : 0, `${name} in pieces of ${size}: bytes read as Latin-1`);
      }
    }
    // With edits (a number in a text field is quoted), in pieces too.
    for (const name of ["Jo", "Jö"]) {
      const body = new TextEncoder().encode(`{"response":{"accounts":[{"account_id":7,"customer_name":"${name}"}]}}`);
      for (const size of [1, 5]) {
        const { accounts } = await clientStreaming(body, size).listAccounts();
        assert.deepEqual(accounts, [{ account_id: "7", customer_name: name }], `${name} in pieces of ${size}`);
      }
    }
    // A large body is read in pieces under 1 MB: Node makes a longer
    // Latin-1 string external, which brings full collections.
    const rows = Array.from({ length: 12_000 }, (_, i) => row(i));
    const big = JSON.stringify({ response: { accounts: rows } });
    latin1.length = 0;
    assert.equal((await clientAnswering(() => big).listAccounts()).accounts.length, 12_000);
    assert.ok(big.length > 2_000_000 && latin1.reduce((a, b) => a + b, 0) === big.length, `${latin1}`);
    assert.ok(latin1.every((length) => length > 0 && length <= 512 << 10), `${latin1}`);
  } finally {
    Buffer.prototype.toString = toString;
  }
});
