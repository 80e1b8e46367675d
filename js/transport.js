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

/** One attempt: resolves to [status, retryAfter, body] or rejects with [kind, message, cause]. */
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
  try {
    const fetcher = request.fetch ?? globalThis.fetch;
    const init = { method: request.method, headers: request.headers, body: request.body, signal: controller.signal };
    const response = await Promise.race([fetcher(request.url, init), cutShort]);
    const body = await Promise.race([response.text(), cutShort]);
    if (typeof body !== "string") throw new TypeError("the response body is not text");
    return [response.status, response.headers?.get?.("retry-after") ?? undefined, body];
  } catch (error) {
    if (signal?.aborted) throw [abortKind(signal), "", signal.reason];
    if (controller.signal.aborted) throw ["timeout", "", undefined];
    const cause = error?.cause?.message ?? error?.cause?.code;
    throw ["network", String(error?.message ?? error) + (cause ? ` (${cause})` : ""), error];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
    cut();
  }
}

/** Calls the observer; what it throws never changes the call. */
function notify(onEvent, event) {
  try {
    onEvent(event);
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
export async function run(core, op, args, params, options) {
  // A thenable until the .wasm is loaded (see load.js); it rejects with the
  // LiveAgentError that says why it could not be, and tries again next call.
  if (typeof core.then === "function") core = await core;
  const request = core.prepare(op, args, params, options);
  const signal = options?.signal ?? undefined;
  const { onEvent, method, shownUrl: url } = request;
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw core.fail(op, 0, n, abortKind(signal), "", request.timeoutMs, signal.reason);
    const started = Date.now();
    if (onEvent) notify(onEvent, { type: "request", operation: op, method, attempt: n, url });
    let next, reason;
    try {
      const [status, retryAfter, body] = await attempt(request, signal);
      if (onEvent) notify(onEvent, { type: "response", operation: op, method, attempt: n, url, status, ms: Date.now() - started });
      reason = status;
      next = core.finish(op, request.retries, n, status, retryAfter, body);
    } catch (thrown) {
      if (!Array.isArray(thrown)) throw thrown;
      const [kind, message, cause] = thrown;
      reason = kind === "deadline" ? "timeout" : kind;
      if (onEvent) notify(onEvent, { type: "failure", operation: op, method, attempt: n, kind: reason, ms: Date.now() - started });
      next = core.fail(op, request.retries, n, kind, message, request.timeoutMs, cause);
    }
    if (typeof next !== "number") return next;
    if (onEvent) notify(onEvent, { type: "retry", operation: op, method, attempt: n, delayMs: next, reason });
    await sleep(next, signal);
  }
}
