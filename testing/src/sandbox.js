// createSandbox: the sandbox's rules in memory, as a fetch that never
// touches the network. See README "Testing without a server".
import { isLoaded, loadRules, glue } from "./rules.js";
import { BODY_LIMIT, apiPath, noBody, sleep, tooLarge, unixSeconds } from "./wire.js";

const OPTIONS = ["seedAccounts", "seed", "latencyMs", "failRate", "now", "reseller", "apiKey", "baseUrl", "wasm"];
// A fault rule's JS names and the server's.
const RULE_FIELDS = {
  operation: "operation", pathContains: "path_contains", status: "status", times: "count",
  retryAfter: "retry_after", delayMs: "delay_ms", body: "body", contentType: "content_type", preset: "preset",
};
const DEFAULT_BASE = "https://sandbox.liveagent-reseller.invalid/api";

/** Own, defined members of `object`; an unknown one is a TypeError naming it. */
function ownFields(object, known, what) {
  if (object === undefined || object === null) return {};
  if (typeof object !== "object") throw new TypeError(`${what} must be an object`);
  const fields = {};
  for (const key of Object.keys(object)) {
    if (object[key] === undefined) continue;
    if (!known.includes(key)) {
      throw new TypeError(`${what} has an unknown member "${key}" (known: ${known.join(", ")})`);
    }
    fields[key] = object[key];
  }
  return fields;
}

function seedOf(seed) {
  if (seed === undefined) return 0n;
  if (typeof seed === "bigint" && seed >= 0n && seed < 1n << 64n) return seed;
  if (Number.isSafeInteger(seed) && seed >= 0) return BigInt(seed);
  throw new TypeError("seed must be a whole number from 0 (a bigint up to 2^64 - 1)");
}

const parseReply = (text) => JSON.parse(text);

function toResponse(reply) {
  const headers = new Headers(reply.headers);
  return new Response(noBody(reply.status) ? null : reply.body, { status: reply.status, headers });
}

/**
 * A sandbox in memory: the same rules, records and fault rules as the
 * `sandbox` server, answering `Request`s without a network.
 */
export function createSandbox(options) {
  const given = ownFields(options, OPTIONS, "createSandbox options");
  const reseller = given.reseller ?? "reseller@example.com";
  const apiKey = given.apiKey ?? "sandbox-api-key";
  const base = new URL(given.baseUrl ?? DEFAULT_BASE);
  const baseUrl = base.href.replace(/\/$/, "");
  const seed = seedOf(given.seed);
  const now = given.now;
  unixSeconds(now); // a bad `now` fails here, not at the first call
  // Beside this module, unless the caller hands the .wasm over (workerd has
  // no file URL for a module).
  const wasmUrl = given.wasm === undefined ? new URL("./sandbox_rules.wasm", import.meta.url) : given.wasm;
  let rules = null;
  const queued = []; // fault() and reset() before the .wasm arrived (browsers)
  const make = () => new glue.Rules(reseller, apiKey, given.latencyMs ?? 0, given.failRate ?? 0, seed,
    given.seedAccounts ?? 0);

  let queuedError = null; // what a queued fault() threw, for the next call
  const ready = loadRules(given.wasm, wasmUrl).then(() => {
    rules ??= make();
    for (const run of queued.splice(0)) {
      try {
        run();
      } catch (error) {
        queuedError ??= error;
      }
    }
  });
  ready.catch(() => {}); // reported by handle() and fetch, never unhandled
  if (isLoaded()) rules = make(); // settings checked now, where the host allows it

  const control = (method, path, body = "", query = "") =>
    parseReply(rules.control(method, path, query, new TextEncoder().encode(body), baseUrl));
  const whenReady = (run) => {
    if (queuedError) {
      const error = queuedError;
      queuedError = null;
      throw error;
    }
    if (rules) run();
    else queued.push(run);
  };

  async function handle(request) {
    await ready;
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const query = url.search.slice(1);
    const path = apiPath(url, base);
    const body = new Uint8Array(await request.arrayBuffer());
    const contentType = request.headers.get("content-type") ?? undefined;
    if (path === null) {
      const reply = url.origin === base.origin && glue.isControlPath(url.pathname)
        ? rules.control(method, url.pathname, query, body, baseUrl)
        : undefined;
      return reply ? toResponse(parseReply(reply)) : new Response("not found\n", { status: 404 });
    }
    if (body.length > BODY_LIMIT) {
      return toResponse(parseReply(rules.refuse(method, path, query, contentType, 413, tooLarge)));
    }
    const arrival = parseReply(rules.arrive(method, path, query, contentType, body));
    await sleep(arrival.delayMs, request.signal);
    const reply = arrival.reply ?? parseReply(rules.answer(method, path, query, contentType, body, unixSeconds(now)));
    return toResponse(reply);
  }

  const sandboxFetch = (input, init) => {
    try {
      return handle(new Request(input, init));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    config: { baseUrl, reseller, apiKey, fetch: sandboxFetch },
    /** Resolves once the rules are loaded (at once in Node, Deno and Bun). */
    ready,
    handle,
    /** Registers a fault rule for the API requests it matches. */
    fault(rule) {
      const fields = ownFields(rule, Object.keys(RULE_FIELDS), "fault rule");
      const wire = Object.fromEntries(Object.entries(fields).map(([key, value]) => [RULE_FIELDS[key], value]));
      const run = () => {
        const reply = control("POST", "/_sandbox/faults", JSON.stringify(wire));
        if (reply.status !== 200) throw new TypeError(JSON.parse(reply.body).error);
      };
      whenReady(run);
    },
    /** The API requests received, oldest first (at most 200), every `apikey` value redacted. */
    requests(filter) {
      whenReady(() => {});
      if (!rules) return [];
      const query = filter?.pathContains ? `path_contains=${encodeURIComponent(filter.pathContains)}` : "";
      const { requests } = JSON.parse(control("GET", "/_sandbox/requests", "", query).body);
      return requests.map((r) => ({ method: r.method, path: r.path, query: r.query, body: r.body,
        bodyTruncated: r.body_truncated, contentType: r.content_type }));
    },
    /** Back to the seeded records, no fault rules, an empty request log. */
    reset() {
      whenReady(() => rules.reset());
    },
  };
}
