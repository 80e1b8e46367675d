// The npm package (pkg/) in Node against hostile servers written here and
// hostile pages: a redirect to a second server that must receive nothing, a
// bad Location, a 300 MB body read once with memory bounded, a body cut after
// the status, a status of 65736, a polluted Object.prototype, an async
// observer that throws, forbidden headers, lone surrogates, misspelled
// options, a short key; and `retryable` / `maybeApplied` for GET and POST.
//   node --expose-gc --test tests/js/hostile.test.mjs   (PKG_DIR overrides pkg/)
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { resolve } from "node:path";
import { inspect } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const { ResellerClient, LiveAgentError } = await import(resolve(process.env.PKG_DIR ?? resolve(root, "pkg"), "node.js"));

const KEY = "k3y/+secret";
const RESELLER = "reseller@example.com";
const MB = 1 << 20;
const NEW_ACCOUNT = { variation_id: "r7g4y7ya", customer_email: "a@b.c", customer_name: "A", subdomain: "acme" };
const OK_STATUS = JSON.stringify({ response: { account_status: "a" } });

const servers = [];
after(() => Promise.all(servers.map((s) => new Promise((done) => { s.closeAllConnections(); s.close(done); }))));

/** A server on 127.0.0.1 answering with `handle(req, res)`; counts the requests it got. */
async function serve(handle) {
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handle(req, res);
    });
  });
  servers.push(server);
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, seen, server };
}

const client = (origin, more = {}) => new ResellerClient({ baseUrl: `${origin}/api`, reseller: RESELLER, apiKey: KEY, ...more });

/** What a user may print of an error: no trace of the key. */
function assertKeyless(error) {
  for (const shown of [error.message, String(error), error.stack, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
    assert.ok(!shown?.includes("k3y"), shown);
  }
}

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof LiveAgentError, `not a LiveAgentError: ${error}`);
    return error;
  }
  assert.fail("resolved");
}

test("a redirect is never followed: the second server receives nothing, the error names the scrubbed Location", async () => {
  const target = await serve((req, res) => res.end(OK_STATUS));
  for (const status of [301, 302, 303, 307, 308]) {
    const location = `${target.origin}/stolen?apikey=${encodeURIComponent(KEY)}`;
    const redirecting = await serve((req, res) => res.writeHead(status, { location }).end());
    const c = client(redirecting.origin);
    for (const call of [() => c.getAccountStatus("a1"), () => c.createAccount(NEW_ACCOUNT)]) {
      const e = await rejection(call());
      assert.equal(e.kind, "api");
      assert.equal(e.status, status);
      assert.ok(e.message.includes(`redirected to ${target.origin}/stolen?apikey=[redacted]`), e.message);
      assert.ok(e.message.includes("point baseUrl at"), e.message);
      assert.equal(e.retryable, false);
      assert.equal(e.maybeApplied, false);
      assertKeyless(e);
    }
    assert.equal(redirecting.seen.length, 2, "a redirect is not retried");
  }
  assert.equal(target.seen.length, 0, "the redirect's target received a request");
});

test("a bad Location is named without the key, and nothing in the error holds the key", async () => {
  const s = await serve((req, res) => res.writeHead(302, { location: `http://[::1/x?apikey=${KEY}` }).end());
  const e = await rejection(client(s.origin).getAccount("a1"));
  assert.equal(e.kind, "api");
  assert.equal(e.status, 302);
  assert.ok(e.message.includes("http://[::1/x?apikey=[redacted]"), e.message);
  assertKeyless(e);
});

test("a 300 MB body is read once, up to maxResponseBytes, with memory bounded", async () => {
  let written = 0;
  const s = await serve((req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": 300 * MB });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (written < 300 * MB && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => {});
    pump();
  });
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const e = await rejection(client(s.origin).listAccounts());
  const grown = process.memoryUsage().rss - before;
  assert.equal(e.kind, "decode", e.message);
  assert.ok(e.message.includes("67108864 bytes"), e.message);
  assert.equal(e.retryable, false);
  assert.equal(s.seen.length, 1, "downloaded again");
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(written < 120 * MB, `the client read on: ${written} bytes written`);
  assert.ok(grown < 400 * MB, `memory grew by ${grown} bytes`);
  // A smaller cap of the client's own.
  written = 0;
  const small = await rejection(client(s.origin, { maxResponseBytes: MB }).listAccounts());
  assert.ok(small.message.includes("1048576 bytes"), small.message);
  assert.equal(s.seen.length, 2);
});

test("a body cut after the status: a GET is retried, a POST is not and may have landed", async () => {
  const s = await serve((req, res) => {
    res.writeHead(200, { "content-length": 1000 });
    res.write('{"response":{');
    setTimeout(() => res.destroy(), 10);
  });
  const c = client(s.origin);
  const get = await rejection(c.getAccount("a1", { maxRetries: 1 }));
  assert.equal(get.kind, "network", get.message);
  assert.deepEqual([get.retryable, get.maybeApplied], [true, true]);
  assert.equal(s.seen.length, 2);
  const post = await rejection(c.createAccount(NEW_ACCOUNT));
  assert.equal(post.kind, "network", post.message);
  assert.deepEqual([post.retryable, post.maybeApplied], [false, true]);
  assert.equal(s.seen.length, 3, "a POST is sent once");
});

test("a status outside 200..599 from a custom fetch is a network error", async () => {
  for (const status of [65736, 600, 0, 199, "200", undefined]) {
    const fetch = async () => ({ status, headers: new Headers(), text: async () => OK_STATUS });
    const c = client("http://127.0.0.1:9", { fetch, maxRetries: 0 });
    const e = await rejection(c.getAccountStatus("a1"));
    assert.equal(e.kind, "network", `${status}: ${e.message}`);
  }
});

test("a custom fetch's body that never ends, or whose reads ignore the abort, still ends the call at its timeout", async () => {
  const head = new TextEncoder().encode('{"response":{');
  const bodies = {
    "a stream that never closes": () => new Response(new ReadableStream({ start: (c) => c.enqueue(head) })),
    "a stream that never pulls": () => new Response(new ReadableStream({ pull: () => new Promise(() => {}) })),
    "a reader whose reads never settle": () => ({
      status: 200, headers: new Headers(),
      body: { getReader: () => ({ read: () => new Promise(() => {}), cancel: () => new Promise(() => {}) }) },
    }),
  };
  for (const [name, answer] of Object.entries(bodies)) {
    const c = client("http://127.0.0.1:9", { fetch: async () => answer(), timeoutMs: 100, maxRetries: 0 });
    const started = performance.now();
    let hung;
    const guard = new Promise((done) => (hung = setTimeout(() => done("still pending after 5 s"), 5000)));
    const e = await Promise.race([rejection(c.getAccountStatus("a1")), guard]);
    clearTimeout(hung);
    assert.equal(e?.kind, "timeout", `${name}: ${e?.message ?? e}`);
    assert.ok(performance.now() - started < 2000, name);
  }
});

test("POST outcomes: a timeout may have landed and is not retryable; a refused connection sent nothing", async () => {
  const silent = await serve(() => {});
  const e = await rejection(client(silent.origin, { timeoutMs: 200 }).createAccount(NEW_ACCOUNT));
  assert.equal(e.kind, "timeout");
  assert.deepEqual([e.retryable, e.maybeApplied], [false, true]);
  const get = await rejection(client(silent.origin, { timeoutMs: 100, maxRetries: 0 }).getAccount("a1"));
  assert.deepEqual([get.retryable, get.maybeApplied], [true, true]);
  const closed = await serve(() => {});
  await new Promise((done) => closed.server.close(done));
  const refused = await rejection(client(closed.origin).createAccount(NEW_ACCOUNT));
  assert.equal(refused.kind, "network");
  assert.deepEqual([refused.retryable, refused.maybeApplied], [true, false]);
  for (const [status, retryable, maybeApplied] of [[429, true, false], [503, true, false], [502, false, true], [504, false, true], [500, false, false]]) {
    const s = await serve((req, res) => res.writeHead(status).end("busy"));
    const post = await rejection(client(s.origin).createAccount(NEW_ACCOUNT));
    assert.deepEqual([post.status, post.retryable, post.maybeApplied], [status, retryable, maybeApplied]);
  }
});

/** Runs `body` with `members` put on Object.prototype, then takes them away. */
async function polluted(members, body) {
  for (const [k, v] of Object.entries(members)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true });
  try {
    return await body();
  } finally {
    for (const k of Object.keys(members)) delete Object.prototype[k];
  }
}

test("a polluted Object.prototype.fetch is never used, and never gets the key", async () => {
  const s = await serve((req, res) => res.end(OK_STATUS));
  let stolen = 0;
  const fetch = () => { stolen++; return Promise.reject(new Error("stolen")); };
  await polluted({ fetch }, async () => {
    const made = client(s.origin);
    await client(s.origin).getAccountStatus("a1");
    await made.getAccountStatus("a1", {});
  });
  assert.equal(stolen, 0, "the polluted fetch was called");
  assert.equal(s.seen.length, 2);
});

test("an inherited baseUrl or reseller is never used: the config lacks them", async () => {
  await polluted({ baseUrl: "https://evil.example/api", reseller: "evil@example.com" }, async () => {
    const fetch = async () => new Response(OK_STATUS);
    assert.throws(() => new ResellerClient({ apiKey: KEY, fetch }), (e) => e instanceof LiveAgentError && e.kind === "invalid_input" && /baseUrl/.test(e.message));
    const c = new ResellerClient({ baseUrl: "http://127.0.0.1:9/api", reseller: RESELLER, apiKey: KEY, fetch });
    assert.deepEqual([c.baseUrl, c.reseller], ["http://127.0.0.1:9/api", RESELLER]);
  });
});

test("inherited note, headers and body are never sent (Node's own fetch breaks on them: a recording fetch stands in)", async () => {
  const seen = [];
  const fetch = async (url, init) => {
    seen.push({ url, body: init.body, headers: { ...init.headers }, own: Object.keys(init) });
    return new Response(JSON.stringify({ response: { status: "OK", statuscode: 0, account_status: "a" } }));
  };
  await polluted({ note: "injected", headers: { "X-Injected": "1" }, body: "injected=1" }, async () => {
    const c = client("http://127.0.0.1:9", { fetch });
    await c.getAccountStatus("a1");
    await c.getAccountStatus("a1", {});
    await c.changeAccountStatus("a1", { status: "s", note: "own" });
    await assert.rejects(c.changeAccountStatus("a1", { status: "s" }), (e) => e.kind === "invalid_input" && /note/.test(e.message));
  });
  assert.equal(seen.length, 3);
  for (const r of seen) {
    assert.equal(r.headers["X-Injected"], undefined, "inherited headers were sent");
    assert.ok(!String(r.body).includes("injected") && !r.url.includes("injected"), `${r.url} ${r.body}`);
  }
  assert.equal(seen[0].body, null, "a GET got a body");
  assert.ok(seen[2].body.includes("note=own"), seen[2].body);
});

test("an async observer that throws or rejects changes nothing and is never unhandled", async () => {
  const s = await serve((req, res) => res.end(OK_STATUS));
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    const events = [];
    const c = client(s.origin, {
      onEvent: async (event) => {
        events.push(event.type);
        throw new Error("observer failed");
      },
    });
    const result = await c.getAccountStatus("a1");
    assert.equal(result.account_status, "a");
    const sync = client(s.origin, { onEvent: () => { throw new Error("sync observer failed"); } });
    assert.equal((await sync.getAccountStatus("a1")).account_status, "a");
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(events, ["request", "response"]);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});

test("forbidden and malformed headers are invalid_input, never a retried network error", async () => {
  let calls = 0;
  const fetch = async () => { calls++; return new Response(OK_STATUS); };
  const bad = [
    { "Transfer-Encoding": "chunked" }, { Expect: "100-continue" }, { Upgrade: "h2c" }, { "Keep-Alive": "5" },
    { Connection: "close" }, { Host: "evil" }, { "Content-Length": "3" }, { "X-Ok": "\u0100" }, { "X-Ok": "a\r\nb" },
    { "X-Ok": "a\0b" }, { "bad name": "1" },
  ];
  for (const headers of bad) {
    assert.throws(() => client("http://127.0.0.1:9", { fetch, headers }), (e) => e instanceof LiveAgentError && e.kind === "invalid_input", JSON.stringify(headers));
    const e = await rejection(client("http://127.0.0.1:9", { fetch }).getAccountStatus("a1", { headers }));
    assert.equal(e.kind, "invalid_input", JSON.stringify(headers));
  }
  assert.equal(calls, 0);
  await client("http://127.0.0.1:9", { fetch, headers: { "X-Latin": "caf\u00e9" } }).getAccountStatus("a1");
  assert.equal(calls, 1);
});

test("lone surrogates, impossible dates and misspelled options are invalid_input with the closest name", async () => {
  let calls = 0;
  const fetch = async () => { calls++; return new Response(OK_STATUS); };
  const c = client("http://127.0.0.1:9", { fetch });
  for (const call of [
    () => c.getAccountStatus("a\ud800b"),
    () => c.changeAccountStatus("a1", { status: "s", note: "\udc00" }),
    () => c.listAccounts({ created_from: "2024-02-30 10:00:00" }),
    () => c.listAccounts({ created_from: "2023-02-29 10:00:00" }),
  ]) {
    const e = await rejection(call());
    assert.equal(e.kind, "invalid_input", e.message);
  }
  await c.listAccounts({ created_from: "2024-02-29 10:00:00" }).catch(() => {});
  assert.equal(calls, 1);
  assert.throws(() => client("http://127.0.0.1:9", { timeout: 5 }), (e) => e.kind === "invalid_input" && /"timeout" \(did you mean timeoutMs\?\)/.test(e.message));
  assert.throws(() => client("http://127.0.0.1:9", { maxResponseBytes: 0 }), (e) => e.kind === "invalid_input");
  const e = await rejection(c.getAccountStatus("a1", { timeout: 5 }));
  assert.match(e.message, /options has no key "timeout" \(did you mean timeoutMs\?\)/);
  assert.equal(calls, 1);
});

test("a short key never rewrites the package's own words; every string of a cause chain is scrubbed", async () => {
  const short = new ResellerClient({ baseUrl: "http://127.0.0.1:9/api", reseller: RESELLER, apiKey: "e" });
  const e = await rejection(short.createAccount());
  assert.equal(e.message, "createAccount: the params object is required");
  const timeZone = await rejection(short.getAccountStatus("a1", { timeout: 5 }));
  assert.ok(!timeZone.message.replace(/"[^"]*"/g, "").includes("[redacted]"), timeZone.message);
  // A host error whose nested causes carry the URL, key included.
  const fetch = async (url) => {
    const inner = new TypeError("Invalid URL");
    inner.base = url;
    inner.input = `${url}#x`;
    inner.code = "ERR_INVALID_URL";
    const middle = new Error(`could not parse ${url}`, { cause: inner });
    throw new TypeError("fetch failed", { cause: middle });
  };
  const c = client("http://127.0.0.1:9", { fetch, maxRetries: 0 });
  const failed = await rejection(c.getAccountStatus("a1"));
  assert.equal(failed.kind, "network");
  assertKeyless(failed);
  assert.equal(failed.cause.cause.cause.code, "ERR_INVALID_URL");
  assert.ok(failed.cause.cause.cause.base.includes("apikey=[redacted]"), failed.cause.cause.cause.base);
});

test("every event and error carries its call's id; a retry event its url and Retry-After", async () => {
  let n = 0;
  const s = await serve((req, res) => (++n === 1 ? res.writeHead(503, { "retry-after": "0" }).end("busy") : res.end(OK_STATUS)));
  const events = [];
  const c = client(s.origin, { onEvent: (e) => events.push(e) });
  await Promise.all([c.getAccountStatus("a1"), c.getAccountStatus("a2")]);
  const ids = new Set(events.map((e) => e.callId));
  assert.equal(ids.size, 2, JSON.stringify(events));
  const retry = events.find((e) => e.type === "retry");
  assert.ok(retry.url.includes("apikey=[redacted]"), retry.url);
  assert.equal(retry.retryAfterMs, 0);
  const missing = await serve((req, res) => res.writeHead(404).end("no"));
  const seen = [];
  const e = await rejection(client(missing.origin, { onEvent: (ev) => seen.push(ev) }).getAccount("a1"));
  assert.equal(typeof e.callId, "string");
  assert.ok(seen.length > 0 && seen.every((ev) => ev.callId === e.callId));
});

test("drift: a new field, an unknown code and a statuscode are told once per client, the result keeps them, a field's value never shows", async () => {
  const rows = [];
  for (let i = 0; i < 10_002; i++) rows.push({ account_id: `id${i}`, status: i % 2 ? "q" : "a", plan: `private${i}` });
  const list = JSON.stringify({ response: { status: "OK", statuscode: 0, accounts: rows } });
  const odd = JSON.stringify({ response: { status: "OK", statuscode: 7, account_status: "a" } });
  const s = await serve((req, res) => res.end(req.url.includes("/status") ? odd : list));
  const events = [];
  const c = client(s.origin, { onEvent: (e) => events.push(e) });
  const { accounts } = await c.listAccounts();
  assert.equal(accounts.length, 10_002);
  assert.equal(accounts[1].plan, "private1");
  assert.equal(accounts[1].status, "q");
  await c.listAccounts();
  await c.getAccountStatus("a1");
  await c.getAccountStatus("a1");
  const drift = events.filter((e) => e.type === "drift");
  const shown = drift.map(({ operation, path, what, value }) => ({ operation, path, what, value }));
  assert.deepEqual(shown, [
    { operation: "listAccounts", path: "accounts[].plan", what: "field", value: undefined },
    { operation: "listAccounts", path: "accounts[].status", what: "code", value: "q" },
    { operation: "getAccountStatus", path: "statuscode", what: "statuscode", value: "7" },
  ]);
  assert.ok(drift.every((e) => e.method === "GET" && e.attempt === 1 && typeof e.callId === "string"));
  assert.ok(!("value" in drift[0]), "a field's value is never told");
  assert.ok(!JSON.stringify(drift).includes("private"));
  // Another client tells it again: once per client.
  const other = [];
  await client(s.origin, { onEvent: (e) => other.push(e) }).listAccounts();
  assert.equal(other.filter((e) => e.type === "drift").length, 2);
});
