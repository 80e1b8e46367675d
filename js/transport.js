// The npm package's driver: it sends bytes through the host's (or the
// caller's) fetch, bounds each attempt by its timeout and the caller's
// AbortSignal, waits when told to, and reports each attempt to `onEvent`.
// Every rule (input checks, the URL and form, the envelope, errors, the key,
// which failures are retried and how long to wait) is the wasm's sans-IO
// core, behind `core` (a ClientCore).

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done);
  });
}

/** How the caller's signal ended the call: its own deadline, or an abort. */
function abortKind(signal) {
  return signal.reason?.name === "TimeoutError" ? "deadline" : "aborted";
}

/** An own member of `object` only: nothing inherited from a polluted `Object.prototype`. */
const own = (object, key) => (object != null && Object.hasOwn(object, key) ? object[key] : undefined);

/** Host errors that mean no request left (nothing reached the server). */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

/**
 * The body as text, read no further than `max` bytes: null beyond it (the
 * stream is cancelled, memory stays bounded, nothing is read twice).
 */
async function readBounded(response, max, cutShort) {
  const stream = response.body;
  if (typeof stream?.getReader !== "function") {
    // A custom fetch's response without a stream: its text, measured.
    const text = await Promise.race([response.text(), cutShort]);
    if (typeof text !== "string") throw new TypeError("the response body is not text");
    return text.length > max ? null : text;
  }
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await Promise.race([reader.read(), cutShort]);
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * One attempt: resolves to [status, retryAfter, location, body] or rejects
 * with [kind, message, cause, status]. Redirects are never followed (the
 * next request would carry the key); the status goes to the core as given.
 */
async function attempt(request, signal) {
  const controller = new AbortController();
  // Settles when the attempt is cut short, so that a fetch that ignores its
  // signal cannot hang us; settled in `finally` too, so nothing stays attached.
  let cut;
  const cutShort = new Promise((_, reject) => (cut = reject));
  cutShort.catch(() => {});
  const abort = () => {
    controller.abort();
    cut();
  };
  const timer = setTimeout(abort, request.timeoutMs);
  signal?.addEventListener("abort", abort);
  let sent = false;
  try {
    const fetcher = own(request, "fetch") ?? globalThis.fetch;
    // No prototype, and every member set (`body: null` too): Node's fetch
    // copies init into a plain object, and would read an absent member from
    // a polluted Object.prototype.
    const init = Object.assign(Object.create(null), {
      method: request.method,
      headers: request.headers,
      body: own(request, "body") ?? null,
      redirect: "manual",
      signal: controller.signal,
    });
    const response = await Promise.race([fetcher(request.url, init), cutShort]);
    sent = true;
    const given = response?.status;
    const status = response?.type === "opaqueredirect" ? 0 : typeof given === "number" && given !== 0 ? given : NaN;
    const header = (name) => response?.headers?.get?.(name) ?? undefined;
    const body = await readBounded(response, request.maxBytes, cutShort);
    if (body === null) throw ["too_large", "", undefined, status];
    return [status, header("retry-after"), header("location"), body];
  } catch (error) {
    if (Array.isArray(error)) throw error;
    if (signal?.aborted) throw [abortKind(signal), "", signal.reason];
    if (controller.signal.aborted) throw ["timeout", "", undefined];
    const code = error?.cause?.code ?? error?.cause?.errors?.[0]?.code;
    const cause = error?.cause?.message ?? code;
    const kind = !sent && NOT_SENT.has(code) ? "not_sent" : "network";
    throw [kind, String(error?.message ?? error) + (cause ? ` (${cause})` : ""), error];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
    cut();
  }
}

/**
 * What the host threw, or when a string anywhere in it names the key (its
 * message or stack, a `base`, `input` or `url` member, a nested `cause`), a
 * copy of it with every string scrubbed by the core, 8 levels down.
 */
function cleanCause(core, cause) {
  let changed = false;
  const walk = (value, depth) => {
    if (typeof value === "string") {
      const clean = core.scrub(value);
      changed ||= clean !== value;
      return clean;
    }
    if (value === null || typeof value !== "object" || depth < 1) return value;
    const copy = new Error(walk(String(value.message ?? ""), depth));
    copy.name = walk(String(value.name ?? "Error"), depth);
    walk(String(value.stack ?? ""), depth);
    for (const [name, member] of Object.entries(value)) copy[name] = walk(member, depth - 1);
    if (value.cause !== undefined) copy.cause = walk(value.cause, depth - 1);
    return copy;
  };
  try {
    const copy = walk(cause, 8);
    return changed ? copy : cause;
  } catch {
    return undefined; // a proxy or a getter that throws: nothing of it is kept
  }
}

/** Calls the observer; what it throws, or a promise of it that rejects, never changes the call. */
function notify(onEvent, event) {
  try {
    const result = onEvent(event);
    if (typeof result?.then === "function") result.then(undefined, () => {});
  } catch {
    // An observer's failure is its own.
  }
}

/**
 * Runs the operation `op` (a JS method name) on `core` (a ClientCore, or a
 * thenable of one while the .wasm loads): checks and lays out
 * the request (may throw), sends attempts until the core hands over the
 * payload or an error. Every rejection is a LiveAgentError.
 */
let calls = 0;

export async function run(core, op, args, params, options) {
  const callId = String(++calls);
  try {
    return await send(core, op, args, params, options, callId);
  } catch (error) {
    // Tie the error to the call's events.
    if (error?.name === "LiveAgentError") error.callId = callId;
    throw error;
  }
}

async function send(core, op, args, params, options, callId) {
  // A thenable until the .wasm is loaded (see load.js); it rejects with the
  // LiveAgentError that says why it could not be, and tries again next call.
  if (typeof core.then === "function") core = await core;
  const request = core.prepare(op, args, params, options);
  const signal = own(options, "signal");
  const onEvent = own(request, "onEvent");
  const { method, shownUrl: url } = request;
  const event = (fields) => notify(onEvent, { operation: op, method, callId, url, ...fields });
  for (let n = 1; ; n++) {
    // Attempt n - 1 is the last one sent.
    if (signal?.aborted) throw core.fail(op, 0, n - 1, abortKind(signal), "", request.timeoutMs, 0, signal.reason);
    const started = Date.now();
    if (onEvent) event({ type: "request", attempt: n });
    let next, reason;
    try {
      const [status, retryAfter, location, body] = await attempt(request, signal);
      if (onEvent) event({ type: "response", attempt: n, status, ms: Date.now() - started });
      reason = status;
      next = core.finish(op, request.retries, n, status, retryAfter, location, body);
      // What the response held that the docs do not, each once per client.
      if (onEvent && typeof next !== "number") {
        const found = core.takeDrift();
        for (let i = 0; i < found.length; i += 3) {
          const [path, what, value] = found.slice(i, i + 3);
          notify(onEvent, { type: "drift", operation: op, method, callId, attempt: n, path, what, ...(value === undefined ? {} : { value }) });
        }
      }
    } catch (thrown) {
      if (!Array.isArray(thrown)) throw thrown;
      const [kind, message, cause, status = 0] = thrown;
      reason = kind === "deadline" ? "timeout" : kind === "not_sent" ? "network" : kind;
      if (onEvent) {
        const ms = Date.now() - started;
        event(kind === "too_large" ? { type: "response", attempt: n, status, ms } : { type: "failure", attempt: n, kind: reason, ms });
      }
      const kept = kind === "network" || kind === "not_sent" ? cleanCause(core, cause) : cause;
      next = core.fail(op, request.retries, n, kind, message, request.timeoutMs, status, kept);
    }
    if (typeof next !== "number") return next;
    if (onEvent) {
      const retryAfterMs = core.retryAfterMs;
      event({ type: "retry", attempt: n, delayMs: next, reason, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
    }
    await sleep(next, signal);
  }
}
