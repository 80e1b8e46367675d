// The npm package's driver: it moves bytes and waits, and does what the
// wasm's core says. Every rule (input checks, the URL and form, headers,
// timeouts, the body's size limit and checks, errors, the key, retries and
// their waits, events) is the core's: `core` is a ClientCore holding each
// call's Exchange (npm/src/client.rs). Per call, only text and bytes cross:
// the inputs as one text (inputs.js), the request as one text, the status
// and the body's chunks, one step text per outcome.
import { fromRecord } from "./error.js";
import { encodeCall } from "./inputs.js";
import { bodyText, join } from "./text.js";

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

/** Bytes handed to the wasm at once: its memory holds no more of a body than this. */
const SLICE = 256 << 10;

// One for every call (making one costs more than using it).
const encoder = new TextEncoder();

/**
 * A client of checked settings (config.js `checkConfig`): its ClientCore
 * (`make(text)`, which throws the record of an error) and what stays in JS
 * (fetch, onEvent, the time zone of Date inputs). Throws a LiveAgentError.
 */
export function connect(settings, make) {
  const { text, ...kept } = settings;
  let core;
  try {
    core = make(text);
  } catch (record) {
    throw typeof record === "string" ? fromRecord(record) : record;
  }
  return { core, ...kept };
}

/** Splits a step text: [kind, payload, events or undefined]. */
function split(step) {
  const cut = step.indexOf("\u0001");
  const body = cut < 0 ? step : step.slice(0, cut);
  return [body[0], body.slice(1), cut < 0 ? undefined : JSON.parse(step.slice(cut + 1))];
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

/** The body as parts to read in order: `chunks`, with `edits` ([[start, end, text], …], byte offsets) applied. */
function assemble(chunks, edits) {
  if (edits === undefined) return chunks;
  const whole = chunks.length === 1 ? chunks[0] : join(chunks);
  const parts = [];
  let at = 0;
  for (const [start, end, text] of edits) {
    parts.push(whole.subarray(at, start), encoder.encode(text));
    at = end;
  }
  parts.push(whole.subarray(at));
  return parts;
}

/**
 * Runs the operation `op` (a JS method name) on `client` (from `connect`,
 * or a thenable of one while the .wasm loads) until the core hands over
 * the result or an error. Every rejection is a LiveAgentError.
 */
let calls = 0;

export async function run(client, op, args, params, options) {
  const callId = ++calls;
  try {
    return await send(client, op, args, params, options, callId);
  } catch (error) {
    // Tie the error to the call's events.
    if (error?.name === "LiveAgentError") error.callId = String(callId);
    throw error;
  }
}

async function send(client, op, args, params, options, id) {
  // A thenable until the .wasm is loaded (see load.js): it rejects with the
  // LiveAgentError that says why it could not be, and tries again next call.
  if (typeof client.then === "function") client = await client;
  const { core, onEvent, timeZone } = client;
  const fetcher = client.fetch ?? globalThis.fetch;
  const tell = (events) => {
    if (events !== undefined) for (const event of events) notify(onEvent, event);
  };
  const signal = own(options, "signal");
  const inputs = encodeCall(op, args, params, options, timeZone);
  const aborted = signal?.aborted ? (abortKind(signal) === "deadline" ? 2 : 1) : 0;
  const [kind, sent, first] = split(core.start(id, inputs, typeof onEvent === "function", aborted, Date.now()));
  tell(first);
  // The signal's reason is the cause of an abort, not of an input error.
  if (kind === "f") throw fromRecord(sent, aborted && !sent.includes('"kind":"invalid_input"') ? signal.reason : undefined);
  const [method, url, timeoutMs, body, headers] = JSON.parse(sent);
  let done = false;
  /** A step text: the value to return, a wait in ms, or it throws; `cause`: the host's, for an error. */
  const obey = (step, cause) => {
    const [what, payload, events] = split(step);
    tell(events);
    if (what === "w") return Number(payload);
    done = true;
    if (what === "f") throw fromRecord(payload, cause);
    return undefined;
  };
  try {
    for (;;) {
      const outcome = await attempt(core, id, { method, url, body, headers, timeoutMs, fetcher }, signal);
      if (outcome.step === undefined) {
        done = true;
        return outcome.result; // `response` as the server sent it (null or absent too)
      }
      const wait = obey(outcome.step, outcome.cause);
      await sleep(wait, signal);
      if (signal?.aborted) obey(core.fail(id, abortKind(signal), "", Date.now(), Math.random()), signal.reason);
      const again = core.again(id, Date.now());
      if (again !== undefined) tell(split(again)[2]);
    }
  } finally {
    if (!done) core.forget(id);
  }

  /** One attempt, its outcome told to the core: `{result}` or `{step, cause}`. */
  async function attempt(core, id, request, signal) {
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
    let reached = false;
    let reader;
    try {
      // No prototype, and every member set (`body: null` too): Node's fetch
      // copies init into a plain object, and would read an absent member from
      // a polluted Object.prototype.
      // Own data members (fromEntries never calls an inherited setter).
      const headers = Object.fromEntries(request.headers);
      const init = Object.assign(Object.create(null), {
        method: request.method, headers, body: request.body, redirect: "manual", signal: controller.signal,
      });
      const fetcher = request.fetcher; // called as a plain function: a browser's fetch refuses another `this`
      const response = await Promise.race([fetcher(request.url, init), cutShort]);
      reached = true;
      const given = response?.status;
      const status = response?.type === "opaqueredirect" ? 0 : typeof given === "number" && given !== 0 ? given : NaN;
      const header = (name) => response?.headers?.get?.(name) ?? undefined;
      let step = core.head(id, status, header("retry-after"), header("location"), Date.now(), Math.random());
      const chunks = [];
      let whole; // the body as the host gave it, when it gave text
      const feed = (bytes) => {
        for (let at = 0; step === undefined && at < bytes.byteLength; at += SLICE) {
          step = core.chunk(id, bytes.subarray(at, at + SLICE));
        }
        chunks.push(bytes);
      };
      const stream = response.body;
      if (step === undefined && typeof stream?.getReader !== "function") {
        // A custom fetch's response without a stream: its text.
        const text = await Promise.race([response.text(), cutShort]);
        if (typeof text !== "string") throw new TypeError("the response body is not text");
        feed(encoder.encode((whole = text)));
      } else if (step === undefined) {
        reader = stream.getReader();
        while (step === undefined) {
          const { done, value } = await Promise.race([reader.read(), cutShort]);
          if (done) break;
          feed(value);
        }
      }
      if (step !== undefined) {
        // Decided before the body's end (a redirect, a bad status, too large, not JSON): not read further.
        try {
          (reader ?? stream)?.cancel?.().catch?.(() => {});
        } catch {
          // A custom fetch's body that cannot be cancelled: left to the host.
        }
        return { step };
      }
      step = core.end(id, Date.now(), Math.random());
      if (step[0] !== "d") return { step };
      const [, done, events] = split(step);
      tell(events);
      const ascii = done[0] === "a";
      const edits = ascii ? done.slice(1) : done;
      const text = edits === "" && whole !== undefined
        ? whole
        : bodyText(assemble(chunks, edits === "" ? undefined : JSON.parse(edits)), ascii);
      try {
        return { result: JSON.parse(text).response };
      } catch (error) {
        return { step: "f" + core.undecodable(id, String(error?.message ?? error)) };
      }
    } catch (error) {
      const now = Date.now();
      if (signal?.aborted) return { step: core.fail(id, abortKind(signal), "", now, Math.random()), cause: signal.reason };
      if (controller.signal.aborted) return { step: core.fail(id, "timeout", "", now, Math.random()) };
      const code = error?.cause?.code ?? error?.cause?.errors?.[0]?.code;
      const detail = error?.cause?.message ?? code;
      const kind = !reached && NOT_SENT.has(code) ? "not_sent" : "network";
      const message = String(error?.message ?? error) + (detail ? ` (${detail})` : "");
      return { step: core.fail(id, kind, message, now, Math.random()), cause: cleanCause(core, error) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      cut();
    }
  }
}
