// The API key in every place a user can see: with a recognisable key (`/`,
// `+`, `=`, `&`, non-ASCII), against the built package (pkg/) and a sandbox
// of our own that accepts that key, every error (message, toString, stack,
// util.inspect, JSON.stringify, each field, its cause), the client, every
// onEvent event, every POST/PUT URL and the sandbox's output are searched for
// the key: as is, percent-encoded (either case), form-encoded and
// JSON-escaped (`\/`, `\u00e9`), whole or any 8 characters of it. Servers
// echo the key back in each of those forms, in errormessage, debugmessage and
// bodies that are not JSON.
//   node --test tests/js/secrets.test.mjs   (SANDBOX_BIN overrides the sandbox binary, PKG_DIR the package)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { inspect } from "node:util";

const root = resolve(import.meta.dirname, "../..");
const { ResellerClient, LiveAgentError } = await import(resolve(process.env.PKG_DIR ?? resolve(root, "pkg"), "node.js"));

const KEY = "sk/Zz+9=&é-SECRET";
const RESELLER = "reseller@example.com";
const JOHN = "9900a49c321c871cd1a572a1dc21a33c";
/** The shortest piece of a form of the key that counts as a leak. */
const PIECE = 8;

// ---------------------------------------------------------------- the key's forms

/** `\uXXXX` for every non-ASCII unit, as JSON encoders that escape Unicode write it. */
const asciiJson = (s, upper = false) =>
  s.replace(/[^\x00-\x7f]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, "0");
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });
const percent = encodeURIComponent(KEY); // sk%2FZz%2B9%3D%26%C3%A9-SECRET
const FORMS = (() => {
  const forms = {
    "raw": KEY,
    "percent-encoded": percent,
    "percent-encoded, lower-case hex": percent.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    "form-encoded": new URLSearchParams({ k: KEY }).toString().slice(2),
    "JSON-escaped \\/": KEY.replaceAll("/", "\\/"),
    "JSON-escaped \\u00e9": asciiJson(KEY),
    "JSON-escaped \\u00E9": asciiJson(KEY, true),
    "JSON-escaped \\/ and \\u00e9": asciiJson(KEY).replaceAll("/", "\\/"),
    "JSON-escaped \\/ and \\u00E9": asciiJson(KEY, true).replaceAll("/", "\\/"),
  };
  // Each escaped form once more, as it reads inside JSON.stringify's output.
  for (const [name, value] of Object.entries(forms)) {
    if (value.includes("\\")) forms[`${name}, inside JSON`] = JSON.stringify(value).slice(1, -1);
  }
  return forms;
})();

/**
 * The longest piece (at least PIECE characters, or all of a shorter form) of
 * any form of the key in `text`: {form, piece, around}, or null.
 */
function leak(text) {
  if (typeof text !== "string") return null;
  let best = null;
  for (const [form, value] of Object.entries(FORMS)) {
    const size = Math.min(PIECE, value.length);
    for (let i = 0; i + size <= value.length; i++) {
      if (!text.includes(value.slice(i, i + size))) continue;
      let end = i + size;
      while (end < value.length && text.includes(value.slice(i, end + 1))) end++;
      const piece = value.slice(i, end);
      if (!best || piece.length > best.piece.length) {
        const at = text.indexOf(piece);
        best = { form, piece, around: text.slice(Math.max(0, at - 40), at + piece.length + 40) };
      }
    }
  }
  return best;
}

/**
 * What a user may print of `value`, each labelled: for an error, its message,
 * toString, stack, inspect (cause included), JSON and each field; for
 * anything else its inspect, JSON and String.
 */
function renderings(label, value) {
  const out = [];
  const add = (how, f) => {
    try {
      out.push([`${label}: ${how}`, f()]);
    } catch (error) {
      out.push([`${label}: ${how} threw`, String(error)]);
    }
  };
  add("util.inspect", () => inspect(value, { depth: Infinity, showHidden: true }));
  add("JSON.stringify", () => JSON.stringify(value));
  add("String", () => String(value));
  if (value instanceof Error) {
    add("message", () => value.message);
    add("toString()", () => value.toString());
    add("stack", () => value.stack);
    for (const field of Object.getOwnPropertyNames(value)) {
      add(`.${field}`, () => (typeof value[field] === "string" ? value[field] : inspect(value[field], { depth: Infinity })));
    }
    if (value.cause !== undefined) add("cause, inspected", () => inspect(value.cause, { depth: Infinity, showHidden: true }));
  }
  return out;
}

/** Fails with every leak in `shown` ([label, text] pairs): each piece found, and where. */
function assertNoKey(shown, context) {
  const found = new Map(); // "form: piece" -> {labels, around}
  for (const [label, text] of shown) {
    const l = leak(text);
    if (!l) continue;
    const key = `the key ${l.form} (${JSON.stringify(l.piece)})`;
    if (!found.has(key)) found.set(key, { labels: [], around: l.around });
    found.get(key).labels.push(label);
  }
  const report = [...found].map(([what, { labels, around }]) =>
    `${what} in ${labels.join(", ")}; e.g. …${JSON.stringify(around)}…`);
  assert.equal(report.length, 0, `${context}: the key leaked\n  ${report.join("\n  ")}`);
}

// The detector finds what it must, and nothing in ordinary text.
test("the leak detector sees each form of the key, and pieces of it", () => {
  for (const [form, value] of Object.entries(FORMS)) {
    assert.equal(leak(`x ${value} y`)?.piece, value, form);
    assert.ok(leak(`cut ${value.slice(0, -1)}`), `${form} without its last character`);
    assert.ok(leak(`cut ${value.slice(1)}`), `${form} without its first character`);
  }
  assert.ok(leak(JSON.stringify({ body: `{"k":"${FORMS["JSON-escaped \\/ and \\u00e9"]}"}` })));
  assert.equal(leak("getAccount: HTTP 404: account [redacted] not found (statuscode 404) apikey=[redacted]"), null);
});

// ---------------------------------------------------------------- the sandbox

let sandbox; // { api, origin, output(), stop() }

function sandboxBinary() {
  const candidates = [process.env.SANDBOX_BIN, resolve(root, "target/debug/sandbox"), resolve(root, "target/release/sandbox")]
    .filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`no sandbox binary (tried ${candidates.join(", ")}); run \`cargo build -p sandbox\``);
  return found;
}

/** `sandbox --port 0 --api-key KEY`, ready once its first line names its address. */
function startSandbox() {
  const child = spawn(sandboxBinary(), ["--host", "127.0.0.1", "--port", "0", "--api-key", KEY], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d) => { stdout += d; });
  child.stderr.setEncoding("utf8").on("data", (d) => { stderr += d; });
  const exited = new Promise((done) => child.once("exit", done));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => { stop(); fail(new Error(`the sandbox did not start in 20 s: ${stderr}`)); }, 20_000);
    exited.then((code) => { clearTimeout(timer); fail(new Error(`the sandbox exited (${code}): ${stderr}`)); });
    const look = () => {
      if (!stdout.includes("\n")) return;
      clearTimeout(timer);
      child.stdout.off("data", look);
      const line = stdout.split("\n")[0];
      const m = line.match(/^sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/);
      if (!m) { stop(); fail(new Error(`unexpected first line: ${line}`)); return; }
      ready({ origin: m[1], api: `${m[1]}/api`, output: () => ({ stdout, stderr }), stop });
    };
    child.stdout.on("data", look);
  });
}

before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox?.stop(); });

/** Registers a sandbox fault rule. */
async function fault(rule) {
  const res = await fetch(`${sandbox.origin}/_sandbox/faults`, { method: "POST", body: JSON.stringify(rule) });
  assert.equal(res.status, 200, await res.text());
}

let serial = 0;
const fresh = (what) => `sec-${what}-${process.pid}-${++serial}`;

/**
 * A client on our sandbox whose every event, request (through a recording
 * fetch over the global one) and error are kept for searching.
 */
function watched(extra = {}) {
  const seen = { events: [], requests: [] };
  const inner = extra.fetch ?? globalThis.fetch;
  const client = new ResellerClient({
    baseUrl: sandbox.api,
    reseller: RESELLER,
    apiKey: KEY,
    maxRetries: 0,
    ...extra,
    onEvent: (event) => seen.events.push(event),
    fetch: (url, init) => {
      seen.requests.push({ url: String(url), method: init.method, body: init.body });
      return inner(url, init);
    },
  });
  return { client, seen };
}

/** Everything a user of `client` saw: its renderings, its events, its POST/PUT URLs, `errors`. */
function everything(client, seen, errors) {
  const shown = [...renderings("the client", client)];
  seen.events.forEach((event, i) => shown.push(...renderings(`event ${i + 1} (${event.type})`, event)));
  for (const r of seen.requests) {
    if (r.method === "POST" || r.method === "PUT") shown.push([`${r.method} URL`, r.url]);
  }
  errors.forEach((error, i) => shown.push(...renderings(`error ${i + 1} (${error?.kind})`, error)));
  return shown;
}

async function failure(promise) {
  const error = await promise.then(
    (v) => assert.fail(`the call succeeded: ${JSON.stringify(v)}`),
    (e) => e,
  );
  assert.ok(error instanceof LiveAgentError, `not a LiveAgentError: ${inspect(error)}`);
  return error;
}

// ---------------------------------------------------------------- the key at work

test("the key works on the wire: in GET URLs and POST/PUT bodies only, never in POST/PUT URLs", async () => {
  const { client, seen } = watched();
  const { variations } = await client.listVariations();
  assert.ok(variations.length > 0);
  const status = await client.getAccountStatus(JOHN);
  assert.ok(status.account_status);
  await client.setAccountAttribute(JOHN, "max_agents", { value: "3" });
  await client.addAccountAddon(JOHN, { addon_id: "p4g7y4ft7" });
  const sub = fresh("acct").replaceAll("-", "");
  const created = await client.createAccount({ variation_id: "r7g4y7ya", customer_email: `${sub}@example.com`,
    customer_name: "Key Test", subdomain: sub });
  const { users } = await client.listAccountUsers(created.account_id);
  await client.removeAccountUser(created.account_id, users[0].userid);
  await client.changeAccountStatus(created.account_id, { status: "s", note: `note ${KEY.length}` });

  const methods = new Set(seen.requests.map((r) => r.method));
  assert.deepEqual([...methods].sort(), ["DELETE", "GET", "POST", "PUT"]);
  for (const r of seen.requests) {
    if (r.method === "GET" || r.method === "DELETE") {
      // Where the vendor's API puts it (and so the detector's positive control).
      assert.ok(r.url.endsWith(`apikey=${FORMS["form-encoded"]}`), r.url);
      assert.ok(leak(r.url));
    } else {
      assert.equal(leak(r.url), null, r.url);
      assert.ok(new URLSearchParams(r.body).get("apikey") === KEY, r.body);
    }
  }
  for (const event of seen.events) {
    if (event.url) assert.ok(!event.url.includes("apikey") || event.url.endsWith("apikey=[redacted]"), event.url);
  }
  assertNoKey(everything(client, seen, []), "successful calls");
});

// ---------------------------------------------------------------- servers that echo the key

const envelope = (fields) => JSON.stringify({ response: { status: "ERROR", ...fields } });
/** A JSON text with the key written as `form` (for escapes JSON.stringify would not make). */
const withKey = (template, form) => template.replaceAll("KEY", FORMS[form]);

/**
 * Each echo: the fault rule's answer (on a fresh path), the call, and how
 * many attempts. `retry_after: "0"` where a GET is retried.
 */
const ECHOES = [
  { name: "errormessage, raw (400)", status: 400,
    body: envelope({ statuscode: 400, errormessage: `key ${KEY} refused`, debugmessage: "-" }) },
  { name: "errormessage, JSON-escaped \\/ and \\u00e9 (401)", status: 401,
    body: withKey('{"response":{"status":"ERROR","statuscode":401,"errormessage":"bad key KEY"}}', "JSON-escaped \\/ and \\u00e9") },
  { name: "errormessage, percent-encoded (403)", status: 403,
    body: envelope({ statuscode: 403, errormessage: `denied for apikey=${FORMS["percent-encoded"]}` }) },
  { name: "debugmessage, percent-encoded lower-case (URL echo, 404)", status: 404,
    body: envelope({ statuscode: 404, errormessage: "not found",
      debugmessage: `GET /api/x?apikey=${FORMS["percent-encoded, lower-case hex"]}&y=1` }) },
  { name: "debugmessage, form-encoded (body echo, 422)", status: 422,
    body: envelope({ statuscode: 422, errormessage: "bad form", debugmessage: `addon_id=x&apikey=${FORMS["form-encoded"]}` }) },
  { name: "both, ERROR envelope under 200", status: 200,
    body: envelope({ statuscode: 9, errormessage: `${KEY}`, debugmessage: `apikey=${FORMS["percent-encoded"]}` }) },
  { name: "non-JSON 500 body, raw", status: 500, content_type: "text/html",
    body: `<html><body>Internal error for key ${KEY}</body></html>` },
  { name: "non-JSON 500 body, percent-encoded", status: 500, content_type: "text/plain",
    body: `upstream failed: GET /x?apikey=${FORMS["percent-encoded"]}` },
  { name: "non-JSON 500 body, JSON-escaped \\/", status: 500, content_type: "text/plain",
    body: withKey('{"response":{"status":"ERROR","errormessage":"key KEY refused"', "JSON-escaped \\/") },
  { name: "non-JSON 500 body, JSON-escaped \\/ and \\u00e9", status: 500, content_type: "text/plain",
    body: withKey('{"response":{"status":"ERROR","errormessage":"key KEY refused"', "JSON-escaped \\/ and \\u00e9") },
  { name: "502 HTML page, raw, retried", status: 502, content_type: "text/html", retries: 1,
    body: `<html><h1>Bad gateway</h1><pre>?apikey=${KEY}</pre></html>` },
  { name: "non-JSON 500 body, the key across the 4,096-character excerpt's end", status: 500, content_type: "text/plain",
    body: `${"x".repeat(4096 - (KEY.length - 1))}${KEY} and more` },
  { name: "decode error under 200, JSON-escaped \\/ in an extra field", status: 200, call: "listAccountAddons",
    body: withKey('{"echo":"KEY","response":{"addons":5}}', "JSON-escaped \\/") },
  { name: "decode error under 200, JSON-escaped \\/ and \\u00E9", status: 200, call: "listAccountAddons",
    body: withKey('{"response":{"addons":[1],"echo":"KEY"}}', "JSON-escaped \\/ and \\u00E9") },
  { name: "decode error under 200, truncated JSON, raw", status: 200,
    body: `{"response":{"status":"OK","echo":"${KEY}` },
  { name: "decode error under 200, money to quote, JSON-escaped \\/", status: 200, call: "listAccountAddons",
    body: withKey('{"response":{"addons":[{"id":"a","price": 99.90,"note":"KEY"}],"x":}', "JSON-escaped \\/") },
];

test("a server that echoes the key, in every form and field: no error, event or URL shows it", async (t) => {
  for (const echo of ECHOES) {
    await t.test(echo.name, async () => {
      const id = fresh("echo");
      const retries = echo.retries ?? 0;
      await fault({ path_contains: `/${id}`, status: echo.status, count: retries + 1, body: echo.body,
        content_type: echo.content_type ?? "application/json", retry_after: retries ? "0" : undefined });
      const { client, seen } = watched({ maxRetries: retries });
      const call = echo.call ?? "getAccountStatus";
      const error = await failure(client[call](id));
      assert.equal(seen.requests.length, retries + 1);
      // The echo arrived: the error is what the body makes it.
      assert.ok(["api", "decode"].includes(error.kind), error.kind);
      assertNoKey(everything(client, seen, [error]), echo.name);
    });
  }
});

test("the key as a path argument, echoed by the server: [redacted]", async () => {
  const { client, seen } = watched();
  const error = await failure(client.getAccount(KEY));
  assert.equal(error.status, 404);
  assert.match(error.errormessage, /\[redacted\]/);
  assertNoKey(everything(client, seen, [error]), "path argument");
});

test("a response too large to scan, with the key at its start: a decode error without the key", async () => {
  const body = `{"response":{"echo":"${KEY}","addons":[{"price": 1.50}],"pad":"${"x".repeat(64 * 2 ** 20)}"}}`;
  const { client, seen } = watched({ fetch: async () => new Response(body, { status: 200 }) });
  const error = await failure(client.listAccountAddons("big"));
  assert.equal(error.kind, "decode");
  assertNoKey(everything(client, seen, [error]), "a response too large to scan");
});

// ---------------------------------------------------------------- failures without a response

test("network errors, timeouts and aborts show no key, their causes included", async (t) => {
  const cases = [
    ["a closed port", { baseUrl: "http://127.0.0.1:2/api" }, (c) => c.getAccountStatus(JOHN)],
    ["a fetch that throws naming the URL (GET)", {
      fetch: (url) => { throw new TypeError(`Failed to parse URL from ${url}`); },
    }, (c) => c.getAccountStatus(JOHN)],
    ["a fetch that rejects naming the URL and body (POST)", {
      fetch: async (url, init) => { throw new Error(`cannot send ${init.body} to ${url}`); },
    }, (c) => c.addAccountAddon(JOHN, { addon_id: "p4g7y4ft7" })],
    ["a per-attempt timeout", {}, async (c) => {
      const id = fresh("slow");
      await fault({ path_contains: `/${id}`, status: 200, count: 1, delay_ms: 2000 });
      return c.getAccountStatus(id, { timeoutMs: 50 });
    }],
    ["an abort", {}, (c) => {
      const controller = new AbortController();
      controller.abort(new Error(`stopped; key ${KEY.length} chars`));
      return c.listVariations({ signal: controller.signal });
    }],
  ];
  for (const [name, extra, call] of cases) {
    await t.test(name, async () => {
      const { client, seen } = watched(extra);
      const error = await failure(call(client));
      assert.ok(["network", "timeout", "aborted"].includes(error.kind), error.kind);
      assertNoKey(everything(client, seen, [error]), name);
    });
  }
});

// ---------------------------------------------------------------- input errors that could quote the key

test("input and configuration errors that quote an input never quote the key", async (t) => {
  const good = { baseUrl: sandbox.api, reseller: RESELLER, apiKey: KEY };
  const calls = [
    ["a datetime that is the key", (c) => c.listAccounts({ created_from: KEY })],
    ["an unknown params key that is the key", (c) => c.addAccountAddon(JOHN, { addon_id: "x", [KEY]: "1" })],
    ["a value set given the key", (c) => c.changeAccountStatus(JOHN, { status: KEY, note: "n" })],
    ["extra_params that are the key", (c) => c.createAccount({ variation_id: "v", customer_email: "e", customer_name: "n",
      subdomain: "s", extra_params: KEY })],
    ["a per-call header value that is the key", (c) => c.listVariations({ headers: { "x-k": `${KEY}\n` } })],
  ];
  for (const [name, call] of calls) {
    await t.test(name, async () => {
      const { client, seen } = watched();
      const error = await failure(call(client));
      assert.equal(error.kind, "invalid_input", error.message);
      assert.equal(seen.requests.length, 0);
      assertNoKey(everything(client, seen, [error]), name);
    });
  }
  const configs = [
    ["a baseUrl that holds the key", { baseUrl: `ftp://h/${KEY}` }],
    ["a baseUrl with the key as its query", { baseUrl: `${sandbox.api}?apikey=${percent}` }],
    ["a header name that is the key", { headers: { [KEY]: "1" } }],
    ["a header value that is the key", { headers: { "x-k": `${KEY}\r\n` } }],
    ["a bad timeout beside the key", { timeoutMs: -1 }],
  ];
  for (const [name, extra] of configs) {
    await t.test(name, () => {
      let error;
      try {
        new ResellerClient({ ...good, ...extra });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof LiveAgentError, `${name}: accepted`);
      assert.equal(error.kind, "invalid_input");
      assertNoKey(renderings("the configuration error", error), name);
    });
  }
});

// ---------------------------------------------------------------- too large to scan

test("a response too large to scan for money is a LiveAgentError of kind decode, never a plain Error", async () => {
  // Over 64 Mi UTF-16 units, with a money field, to a call with prices.
  const units = 64 * 2 ** 20 + 1024;
  const head = '{"response":{"addons":[{"id":"a","price": 99.90}],"pad":"';
  const body = head + "x".repeat(units - head.length - 3) + '"}}';
  assert.ok(body.length > 64 * 2 ** 20);
  let fetched = 0;
  const client = new ResellerClient({ baseUrl: sandbox.api, reseller: RESELLER, apiKey: KEY, maxRetries: 2,
    fetch: async () => { fetched++; return new Response(body, { status: 200 }); } });
  const error = await client.listAccountAddons("big").then(
    () => assert.fail("a body too large to scan was accepted"),
    (e) => e,
  );
  assert.ok(error instanceof LiveAgentError, `a plain ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.kind, "decode");
  assert.equal(error.operation, "listAccountAddons");
  assert.equal(error.retryable, false);
  assert.equal(fetched, 1, "a decode error is not retried");
  assert.equal(error.status, 200, "the HTTP status of the response");
  assert.ok(error.body.length <= 4096 && body.startsWith(error.body), "the body excerpt is the start of the body");
  // The same client goes on working.
  const { variations } = await new ResellerClient({ baseUrl: sandbox.api, reseller: RESELLER, apiKey: KEY }).listVariations();
  assert.ok(variations.length > 0);
});

// ---------------------------------------------------------------- the sandbox's own output (last)

test("the sandbox's stdout and stderr never show the key (beyond its start-up line naming it)", async () => {
  await sandbox.stop();
  const { stdout, stderr } = sandbox.output();
  assert.match(stdout, /^sandbox listening on /);
  // The sandbox announces the key it accepts when it starts: that one line
  // is its configuration, not a log of a request.
  const lines = stdout.split("\n").filter((line) => !/^api key: /.test(line));
  assertNoKey([["sandbox stdout", lines.join("\n")], ["sandbox stderr", stderr]], "the sandbox's output");
});
