// The request loop over the host's fetch: one attempt at a time, bounded by a
// timeout and the caller's AbortSignal, retried with backoff when the error
// says it may help. Everything about the API itself (input checks, the URL
// and form, the envelope, errors, the key) happens in the wasm, behind
// `core` (a ClientCore); this file only moves bytes and waits, which the
// host does best and the wasm would pay for in size.

const BASE_MS = 250; // first backoff step
const CAP_MS = 8000; // longest backoff step
const MAX_WAIT_MS = 60000; // a longer Retry-After goes back to the caller

/** Delay before retry number `attempt`: half fixed, half random. */
export function backoffMs(attempt, random = Math.random()) {
  const step = Math.min(CAP_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return step / 2 + Math.floor((step / 2) * random);
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined if unreadable. */
export function retryAfterMs(value, now = Date.now()) {
  if (value == null) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day and month; anything else is unreadable.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

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

/** One attempt: resolves to [status, retryAfter, body] or rejects with [kind, message]. */
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
    return [response.status, response.headers?.get?.("retry-after"), body];
  } catch (error) {
    if (signal?.aborted) throw ["aborted", ""];
    if (controller.signal.aborted) throw ["timeout", ""];
    const cause = error?.cause?.message ?? error?.cause?.code;
    throw ["network", String(error?.message ?? error) + (cause ? ` (${cause})` : "")];
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
    cut();
  }
}

/**
 * Runs the operation `op` (a JS method name) on `core`: checks and lays out
 * the request (may throw), sends it until it succeeds or may not be retried,
 * and returns the payload. Every rejection is a LiveAgentError made by `core`.
 */
export async function run(core, op, args, params, options) {
  const request = core.prepare(op, args, params, options);
  const signal = options?.signal ?? undefined;
  for (let tries = 0; ; tries++) {
    let error, retryAfter;
    try {
      if (signal?.aborted) throw ["aborted", ""];
      const [status, after, body] = await attempt(request, signal);
      retryAfter = after;
      return core.finish(op, status, body);
    } catch (thrown) {
      error = Array.isArray(thrown) ? core.failure(op, request.timeoutMs, thrown[0], thrown[1]) : thrown;
    }
    if (!error.retryable || tries >= request.retries) throw error;
    const delay = retryAfterMs(retryAfter) ?? backoffMs(tries);
    if (delay > MAX_WAIT_MS) throw error;
    await sleep(delay, signal);
    if (signal?.aborted) throw core.failure(op, request.timeoutMs, "aborted", "");
  }
}
