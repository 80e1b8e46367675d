// Hostile pages and responses for the npm face, run by wasm-bindgen-test in
// Node and in headless Chromium (tests/wasm.rs, `mod wasm_hostile`). `make`
// builds a client as the package's ResellerClient does (a ClientCore driven
// by driver.js's `run`): make(config) -> { call(op, args, params, options) }.
// Each scenario throws an Error naming what broke.

function check(ok, what) {
  if (!ok) throw new Error(what);
}

async function rejection(promise, what) {
  try {
    await promise;
  } catch (error) {
    check(error?.name === "LiveAgentError", `${what}: not a LiveAgentError: ${error}`);
    return error;
  }
  throw new Error(`${what}: resolved`);
}

const OK = JSON.stringify({ response: { status: "OK", statuscode: 0, account_status: "a" } });
const NEW_ACCOUNT = { variation_id: "r7g4y7ya", customer_email: "a@b.c", customer_name: "A", subdomain: "acme" };

/** A fetch that answers `answer(url, init)` and records each call. */
function fake(answer) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), init });
    return answer(url, init);
  };
  return { fetch, calls };
}

export async function statuses(make, base) {
  for (const status of [65736, 600, 199, "200", undefined]) {
    const { fetch } = fake(async () => ({ status, headers: new Headers(), text: async () => OK }));
    const e = await rejection(make({ ...base, fetch, maxRetries: 0 }).call("getAccountStatus", ["a1"]), String(status));
    check(e.kind === "network", `status ${status}: ${e.kind} ${e.message}`);
  }
  // A browser's opaque redirect: status 0, the target hidden.
  const { fetch } = fake(async () => ({ type: "opaqueredirect", status: 0, headers: new Headers(), text: async () => "" }));
  const e = await rejection(make({ ...base, fetch }).call("getAccountStatus", ["a1"]), "opaque");
  check(e.kind === "api" && e.status === 0 && /redirect/.test(e.message) && /baseUrl/.test(e.message), e.message);
  check(e.retryable === false && e.maybeApplied === false, "opaque: retryable/maybeApplied");
  // A 3xx with a Location that names the key.
  const moved = fake(async () => new Response(null, { status: 302, headers: { location: `https://elsewhere.example/api?apikey=${base.apiKey}` } }));
  const r = await rejection(make({ ...base, fetch: moved.fetch }).call("createAccount", [], NEW_ACCOUNT), "302");
  check(r.kind === "api" && r.status === 302, `302: ${r.message}`);
  check(r.message.includes("https://elsewhere.example/api?apikey=[redacted]"), r.message);
  check(moved.calls.length === 1 && moved.calls[0].init.redirect === "manual", "302: not asked with redirect: manual");
}

export async function maxResponseBytes(make, base) {
  const big = "x".repeat(2048);
  const { fetch, calls } = fake(async () => new Response(big));
  const e = await rejection(make({ ...base, fetch, maxResponseBytes: 1024 }).call("getAccountStatus", ["a1"]), "cap");
  check(e.kind === "decode" && e.retryable === false, `cap: ${e.kind} ${e.message}`);
  check(e.message.includes("1024 bytes"), e.message);
  check(calls.length === 1, "downloaded again");
}

export async function pollution(make, base) {
  const seen = fake(async () => new Response(OK));
  let stolen = 0;
  const members = {
    fetch: () => { stolen++; return Promise.reject(new Error("stolen")); },
    note: "injected",
    headers: { "X-Injected": "1" },
    body: "injected=1",
  };
  for (const [k, v] of Object.entries(members)) Object.defineProperty(Object.prototype, k, { value: v, configurable: true, writable: true });
  try {
    const c = make({ ...base, fetch: seen.fetch });
    await c.call("getAccountStatus", ["a1"], undefined, {});
    await c.call("changeAccountStatus", ["a1"], { status: "s", note: "own" });
    const e = await rejection(c.call("changeAccountStatus", ["a1"], { status: "s" }), "inherited note");
    check(e.kind === "invalid_input", e.message);
  } finally {
    for (const k of Object.keys(members)) delete Object.prototype[k];
  }
  check(stolen === 0, "the polluted fetch was called");
  check(seen.calls.length === 2, `${seen.calls.length} calls`);
  for (const { url, init } of seen.calls) {
    check(!Object.hasOwn(init.headers, "X-Injected"), "inherited headers sent");
    check(!String(init.body).includes("injected") && !url.includes("injected"), `${url} ${init.body}`);
  }
  check(seen.calls[0].init.body === null, "a GET got a body");
}

export async function observers(make, base) {
  const unhandled = [];
  const onUnhandled = (event) => unhandled.push(event.reason ?? event);
  globalThis.process?.on?.("unhandledRejection", onUnhandled);
  globalThis.addEventListener?.("unhandledrejection", onUnhandled);
  try {
    const { fetch } = fake(async () => new Response(OK));
    const types = [];
    const onEvent = async (event) => {
      types.push(event.type);
      throw new Error("observer failed");
    };
    const result = await make({ ...base, fetch, onEvent }).call("getAccountStatus", ["a1"]);
    check(result.account_status === "a", "result");
    await new Promise((r) => setTimeout(r, 50));
    check(types.join() === "request,response", types.join());
  } finally {
    globalThis.process?.off?.("unhandledRejection", onUnhandled);
    globalThis.removeEventListener?.("unhandledrejection", onUnhandled);
  }
  check(unhandled.length === 0, `unhandled: ${unhandled}`);
}

export async function inputs(make, base) {
  const { fetch, calls } = fake(async () => new Response(OK));
  const c = make({ ...base, fetch });
  const bad = [
    ["getAccountStatus", ["a1"], undefined, { headers: { "Transfer-Encoding": "chunked" } }],
    ["getAccountStatus", ["a1"], undefined, { headers: { Expect: "100-continue" } }],
    ["getAccountStatus", ["a1"], undefined, { headers: { Upgrade: "h2c" } }],
    ["getAccountStatus", ["a1"], undefined, { headers: { "Keep-Alive": "5" } }],
    ["getAccountStatus", ["a1"], undefined, { headers: { "X-V": "\u0100" } }],
    ["getAccountStatus", ["a\ud800"], undefined, undefined],
    ["changeAccountStatus", ["a1"], { status: "s", note: "\udc00" }, undefined],
    ["listAccounts", [], { created_from: "2024-02-30 10:00:00" }, undefined],
    ["getAccountStatus", ["a1"], undefined, { timeout: 5 }],
  ];
  for (const [op, args, params, options] of bad) {
    const e = await rejection(c.call(op, args, params, options), `${op} ${JSON.stringify([args, params, options])}`);
    check(e.kind === "invalid_input", `${op}: ${e.kind}: ${e.message}`);
  }
  check(calls.length === 0, "a bad input was sent");
  let thrown;
  try {
    make({ ...base, timeout: 5 });
  } catch (error) {
    thrown = error;
  }
  check(thrown?.kind === "invalid_input" && /did you mean timeoutMs/.test(thrown.message), `config: ${thrown?.message}`);
}

export async function outcomes(make, base) {
  for (const [status, retryable, maybeApplied] of [[429, true, false], [503, true, false], [502, false, true], [504, false, true], [500, false, false]]) {
    const { fetch, calls } = fake(async () => new Response("busy", { status }));
    const e = await rejection(make({ ...base, fetch }).call("createAccount", [], NEW_ACCOUNT), String(status));
    check(e.status === status && e.retryable === retryable && e.maybeApplied === maybeApplied,
      `POST ${status}: retryable ${e.retryable}, maybeApplied ${e.maybeApplied}`);
    check(calls.length === 1, "a POST was retried");
  }
  const cut = fake(async () => new Response(new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"response":{'));
      controller.error(new TypeError("connection reset"));
    },
  })));
  const e = await rejection(make({ ...base, fetch: cut.fetch }).call("createAccount", [], NEW_ACCOUNT), "cut");
  check(e.kind === "network" && e.retryable === false && e.maybeApplied === true, `cut: ${e.kind} ${e.retryable} ${e.maybeApplied}`);
}

export async function causes(make, base) {
  const fetch = async (url) => {
    const inner = new TypeError("Invalid URL");
    inner.base = url;
    const middle = new Error(`could not parse ${url}`, { cause: inner });
    throw new TypeError("fetch failed", { cause: middle });
  };
  const e = await rejection(make({ ...base, fetch, maxRetries: 0 }).call("getAccountStatus", ["a1"]), "cause");
  const texts = [e.message, e.cause?.message, e.cause?.cause?.message, e.cause?.cause?.cause?.base, JSON.stringify(e)];
  for (const t of texts) check(!String(t).includes(base.apiKey), `the key in ${t}`);
  check(String(e.cause?.cause?.cause?.base).includes("apikey=[redacted]"), String(e.cause?.cause?.cause?.base));
  // A short key never rewrites the package's own words.
  const short = await rejection(make({ ...base, apiKey: "e" }).call("createAccount", []), "short key");
  check(short.message === "createAccount: the params object is required", short.message);
}

export async function callIds(make, base) {
  let n = 0;
  const { fetch } = fake(async () => (++n === 1 ? new Response("busy", { status: 503, headers: { "retry-after": "0" } }) : new Response(OK)));
  const events = [];
  const c = make({ ...base, fetch, onEvent: (e) => events.push(e) });
  const [a, b] = await Promise.all([c.call("getAccountStatus", ["a1"]), c.call("getAccountStatus", ["a2"])]);
  check(a.account_status === "a" && b.account_status === "a", "results");
  const ids = new Set(events.map((e) => e.callId));
  check(ids.size === 2 && events.every((e) => typeof e.callId === "string" && e.url), `callIds ${[...ids]}`);
  const retry = events.find((e) => e.type === "retry");
  check(retry && retry.url.includes("apikey=[redacted]") && retry.retryAfterMs === 0 && retry.reason === 503, JSON.stringify(retry));
  const failing = fake(async () => new Response("no", { status: 404 }));
  const seen = [];
  const e = await rejection(make({ ...base, fetch: failing.fetch, onEvent: (ev) => seen.push(ev) }).call("getAccount", ["a1"]), "404");
  check(typeof e.callId === "string" && seen.every((ev) => ev.callId === e.callId), `error callId ${e.callId}`);
}

export async function drift(make, base) {
  const rows = [];
  for (let i = 0; i < 10_002; i++) rows.push({ account_id: `id${i}`, status: i % 2 ? "q" : "a", plan: `private${i}` });
  const list = JSON.stringify({ response: { status: "OK", statuscode: 0, accounts: rows } });
  const odd = JSON.stringify({ response: { status: "OK", statuscode: 7, account_status: "a" } });
  const { fetch } = fake(async (url) => new Response(String(url).includes("/status") ? odd : list));
  const events = [];
  const c = make({ ...base, fetch, onEvent: (e) => events.push(e) });
  const first = await c.call("listAccounts", []);
  check(first.accounts.length === 10_002 && first.accounts[1].plan === "private1" && first.accounts[1].status === "q", "the result keeps what was sent");
  await c.call("listAccounts", []);
  await c.call("getAccountStatus", ["a1"]);
  await c.call("getAccountStatus", ["a1"]);
  const told = events.filter((e) => e.type === "drift");
  const shown = JSON.stringify(told.map(({ operation, path, what, value }) => [operation, path, what, value ?? null]));
  const expected = JSON.stringify([
    ["listAccounts", "accounts[].plan", "field", null],
    ["listAccounts", "accounts[].status", "code", "q"],
    ["getAccountStatus", "statuscode", "statuscode", "7"],
  ]);
  check(shown === expected, `drift events ${shown}`);
  check(told.every((e) => typeof e.callId === "string" && e.attempt === 1 && e.method === "GET"), JSON.stringify(told));
  check(!("value" in told[0]) && !JSON.stringify(told).includes("private"), "a field's value is never told");
}
