// The request log, built on the client's `onEvent`: one entry per call, its
// attempts nested inside ("503 → waited 1 s (Retry-After) → 200"), the final
// outcome named by its kind, and the call as TypeScript to copy.
//
// Events carry the operation and the attempt number but no call id, so each
// call made through `wrap()` opens an entry and the events are matched to it:
// the first `request` is sent while the method is being called (synchronously),
// later ones go to the open call of that operation at the matching step.
import { h, $ } from "./dom.js";
import { duration, elapsed } from "./ui.js";

/** The HTTP method of each operation (API.md), shown before any event. */
const METHODS = {
  listAccountAddons: "GET", addAccountAddon: "POST", listAccounts: "GET", getAccount: "GET",
  createAccount: "POST", getAccountStatus: "GET", changeAccountStatus: "PUT",
  changeAccountVariation: "PUT", checkDomain: "GET", checkEmail: "GET", listVariations: "GET",
  getAccountAttribute: "GET", setAccountAttribute: "PUT", removeAccountUser: "DELETE",
  listAccountUsers: "GET", listLicenseAddons: "GET", addLicenseAddon: "POST",
  changeLicenseAddonValidity: "PUT", listLicenses: "GET", getLicenseAttribute: "GET",
  setLicenseAttribute: "PUT",
};

const MAX_ENTRIES = 100;

/** Per-call options are the last argument, recognised by their signal. */
const isOptions = (v) => v !== null && typeof v === "object" && v.signal instanceof AbortSignal;

/** Why a retry waited as long as it did. */
function waitSource(ev) {
  if (ev.retryAfterMs !== undefined && ev.retryAfterMs !== null) return "Retry-After";
  if (typeof ev.source === "string") return ev.source === "retry-after" ? "Retry-After" : ev.source;
  // Backoff has jitter; a whole number of seconds is what Retry-After asks for.
  return ev.delayMs >= 1000 && ev.delayMs % 1000 === 0 ? "Retry-After" : "backoff";
}

/** What a finished attempt got: its HTTP status or its failure kind. */
function attemptText(a) {
  if (a.status !== undefined && a.status !== null) return String(a.status);
  if (a.kind === "timeout") return `timeout after ${duration(a.ms)}`;
  if (a.kind) return a.kind;
  return "sent…";
}

// ---- TypeScript snippet ---------------------------------------------------------

function tsValue(value, indent = "") {
  if (value === null) return "null";
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (Array.isArray(value)) return `[${value.map((v) => tsValue(v, indent)).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (!entries.length) return "{}";
    const key = (k) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
    const inner = entries.map(([k, v]) => `${key(k)}: ${tsValue(v, indent)}`);
    const line = `{ ${inner.join(", ")} }`;
    if (line.length <= 60) return line;
    return `{\n${inner.map((s) => `${indent}  ${s},`).join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** The call as TypeScript against the npm package, with a placeholder key. */
export function codeSnippet(call, config) {
  const options = [];
  if (config.timeoutMs !== undefined && config.timeoutMs !== 30_000) options.push(`  timeoutMs: ${config.timeoutMs},`);
  if (config.maxRetries !== undefined && config.maxRetries !== 2) options.push(`  maxRetries: ${config.maxRetries},`);
  const args = call.args.map((a) => {
    if (!isOptions(a)) return a;
    const { signal, ...rest } = a; // eslint-disable-line no-unused-vars
    return Object.keys(rest).length ? rest : undefined;
  });
  while (args.length && args[args.length - 1] === undefined) args.pop();
  return [
    'import { ResellerClient, LiveAgentError } from "liveagent-reseller";',
    "",
    "const client = new ResellerClient({",
    `  baseUrl: ${JSON.stringify(config.baseUrl ?? "")},`,
    `  reseller: ${JSON.stringify(config.reseller ?? "")},`,
    '  apiKey: "YOUR_API_KEY", // placeholder: load the real key from a secret store',
    ...options,
    "});",
    "",
    "try {",
    `  const result = await client.${call.op}(${args.map((a) => tsValue(a, "  ")).join(", ")});`,
    "  console.log(result);",
    "} catch (error) {",
    "  if (!(error instanceof LiveAgentError)) throw error;",
    "  console.error(error.kind, error.status, error.message);",
    "}",
  ].join("\n");
}

// ---- the tracker ----------------------------------------------------------------

export function createTracker() {
  const list = $("#log-list");
  const empty = $("#log-empty");
  const activity = $("#activity");
  const events = new EventTarget();
  const open = []; // calls in flight, oldest first
  const watchers = new Map(); // AbortSignal → progress callback
  let current = null; // the call whose method is being invoked right now
  let seq = 0;
  let config = {};

  function setActivity() {
    activity.hidden = open.length === 0;
    activity.textContent = open.length === 1 ? "1 call in flight" : `${open.length} calls in flight`;
  }

  /** A log entry: built once, its parts updated as events arrive. */
  function entry(call) {
    const method = call.method ?? "";
    call.el = {
      status: h("span", { class: "log-status" }, "pending"),
      time: elapsed(call.started),
      url: h("code", { class: "log-url" }),
      trail: h("p", { class: "log-trail" }),
      attempts: h("ol", { class: "log-attempts", "aria-label": "Attempts" }),
      code: h("pre", { class: "log-code", tabindex: "0" }, h("code", {}, "")),
      copied: h("span", { class: "log-copied", role: "status" }),
    };
    const params = call.args.find((a) => a && typeof a === "object" && !isOptions(a) && !Array.isArray(a));
    const form = params && ["POST", "PUT"].includes(method)
      ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString()
      : "";
    const copy = h("button", { type: "button", class: "small", onclick: () => copyCode(call) }, "Copy");
    const li = h("li", { class: "call pending", dataset: { op: call.op, seq: String(call.id) } },
      h("div", { class: "log-line" },
        h("span", { class: `method method-${method.toLowerCase()}` }, method || "?"),
        h("span", { class: "log-op" }, call.op),
        call.el.status,
        h("span", { class: "log-ms" }, call.el.time),
        h("span", { class: "log-seq" }, `#${call.id}`)),
      call.el.url,
      form ? h("code", { class: "log-body" }, form) : null,
      call.el.trail,
      call.el.attempts,
      h("details", { class: "log-snippet" },
        h("summary", {}, "Copy as code"),
        call.el.code,
        h("div", { class: "log-copy-row" }, copy, call.el.copied)));
    call.li = li;
    empty.hidden = true;
    list.prepend(li);
    while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
  }

  async function copyCode(call) {
    const text = codeSnippet(call, config);
    try {
      await navigator.clipboard.writeText(text);
      call.el.copied.textContent = "Copied.";
    } catch {
      // No clipboard permission: select the text so that Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(call.el.code);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      call.el.code.focus();
      call.el.copied.textContent = "Selected: press Ctrl+C to copy.";
    }
  }

  function trailText(call) {
    const parts = [];
    call.attempts.forEach((a, i) => {
      parts.push(a.done ? attemptText(a) : "sent…");
      if (a.retry) {
        const next = call.attempts[i + 1];
        const wait = `${duration(a.retry.delayMs)} (${a.retry.source})`;
        parts.push(next ? `waited ${wait}` : call.settled ? `cancelled while waiting ${wait}` : `waiting ${wait}…`);
      }
    });
    const err = call.error;
    if (call.settled && err) {
      const last = call.attempts[call.attempts.length - 1];
      if (!call.attempts.length) parts.push(err.kind === "invalid_input" ? "not sent (invalid_input)" : err.kind);
      else if (err.kind === "aborted" && last?.done && !last.retry && last.kind !== "aborted") parts.push("aborted");
      else if (typeof err.retryAfterMs === "number" && err.retryAfterMs > 60_000 && !last?.retry) {
        parts.push(`not retried: Retry-After ${duration(err.retryAfterMs)}`);
      }
    }
    return parts.join(" → ");
  }

  function update(call) {
    const { el } = call;
    const last = call.attempts[call.attempts.length - 1];
    if (last?.url && el.url.dataset.url !== last.url) {
      el.url.dataset.url = last.url;
      el.url.replaceChildren(...pathNodes(urlText(last.url)));
    }
    // The trail tells a story only when there was more than one step.
    el.trail.textContent = call.attempts.length > 1 || (call.settled && call.error) || last?.retry ? trailText(call) : "";
    el.attempts.replaceChildren(...(call.attempts.length > 1 ? call.attempts.map((a) =>
      h("li", { class: a.done && !(a.status >= 200 && a.status < 300) ? "failed" : null },
        h("span", { class: "log-attempt-n" }, `${a.n}`),
        ` ${a.done ? attemptText(a) : "sent…"}`,
        a.done && a.kind !== "timeout" ? h("span", { class: "log-ms" }, ` ${duration(a.ms)}`) : null,
        a.retry ? ` · then waited ${duration(a.retry.delayMs)} (${a.retry.source})` : null)) : []));
    el.code.firstChild.textContent = codeSnippet(call, config);
    if (!call.settled) {
      el.status.textContent = last?.retry ? `retry ${last.n + 1} in ${duration(last.retry.delayMs)}` : last ? `attempt ${last.n}` : "pending";
      const cb = call.signal && watchers.get(call.signal);
      if (cb) {
        if (last?.retry) cb(`${attemptText(last)}, retrying in ${duration(last.retry.delayMs)} (${last.retry.source})`);
        else if (last && last.n > 1) cb(`attempt ${last.n}`);
        else cb("");
      }
      return;
    }
    el.time.stop();
    el.time.textContent = duration(call.ms);
    const err = call.error;
    if (!err) {
      el.status.textContent = last?.status !== undefined ? String(last.status) : "OK";
      call.li.className = "call ok";
    } else {
      el.status.textContent = err.kind === "api" && err.status ? `api ${err.status}` : String(err.kind ?? "error");
      call.li.className = `call failed kind-${err.kind ?? "error"}`;
    }
  }

  /** The path as text that breaks after `/`, `?` and `&`; the
   *  `/…/resellers/{reseller}` prefix quieter than the call's own part. */
  function pathNodes(path) {
    const m = /^(.*?\/resellers\/[^/?]+)(.*)$/.exec(path);
    const [prefix, rest] = m ? [m[1], m[2]] : ["", path];
    const breakable = (text) => text.split(/(?<=[/?&])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));
    return [prefix ? h("span", { class: "log-prefix" }, breakable(prefix)) : null, ...breakable(rest)].filter(Boolean);
  }

  /** The path and query of an event's URL (its origin is the base URL's). */
  function urlText(url) {
    try {
      const u = new URL(url);
      return u.pathname + u.search;
    } catch {
      return String(url);
    }
  }

  function newCall(op, args) {
    const options = args.find(isOptions);
    const call = {
      id: ++seq, op, method: METHODS[op], args, signal: options?.signal,
      started: performance.now(), attempts: [], expect: 1, inFlight: null, settled: false,
    };
    entry(call);
    open.push(call);
    setActivity();
    return call;
  }

  function settle(call, error) {
    call.settled = true;
    call.error = error;
    call.ms = performance.now() - call.started;
    const i = open.indexOf(call);
    if (i >= 0) open.splice(i, 1);
    setActivity();
    update(call);
    events.dispatchEvent(new CustomEvent("settled", { detail: { op: call.op, error, call } }));
  }

  function track(op, args, invoke) {
    const call = newCall(op, args);
    let promise;
    current = call;
    try {
      promise = Promise.resolve(invoke());
    } catch (err) {
      promise = Promise.reject(err);
    } finally {
      current = null;
    }
    return promise.then(
      (value) => { settle(call, null); return value; },
      (error) => { settle(call, error); throw error; });
  }

  function handle(ev) {
    const same = open.filter((c) => c.op === ev.operation);
    const last = (c) => c.attempts[c.attempts.length - 1];
    let call;
    if (ev.type === "request") {
      call = current?.op === ev.operation && !current.inFlight && current.expect === ev.attempt
        ? current
        : same.find((c) => !c.inFlight && c.expect === ev.attempt && !(ev.attempt === 1 && c.attempts.length));
      if (!call) call = newCall(ev.operation, []); // a call made around the tracker
      if (ev.method) call.method = ev.method;
      const a = { n: ev.attempt, url: ev.url, started: performance.now(), done: false };
      call.attempts.push(a);
      call.inFlight = a;
    } else if (ev.type === "response" || ev.type === "failure") {
      const flying = same.filter((c) => c.inFlight && c.inFlight.n === ev.attempt);
      call = flying.find((c) => !ev.url || c.inFlight.url === ev.url) ?? flying[0] ?? same.find((c) => c.inFlight);
      if (!call) return;
      const a = call.inFlight;
      call.inFlight = null;
      Object.assign(a, { done: true, status: ev.status, kind: ev.kind, ms: ev.ms ?? performance.now() - a.started });
    } else if (ev.type === "retry") {
      call = same.find((c) => !c.inFlight && last(c)?.done && !last(c).retry);
      if (!call) return;
      last(call).retry = { delayMs: ev.delayMs ?? 0, reason: ev.reason, source: waitSource(ev) };
      call.expect = last(call).n + 1;
    } else return;
    update(call);
  }

  return {
    events,
    /** For the client's `onEvent`; never throws. */
    onEvent(ev) {
      try {
        handle(ev);
      } catch {
        // A log must never change a call's outcome.
      }
    },
    /** The client, each of whose 21 methods is logged. */
    wrap(client, cfg) {
      config = cfg;
      return new Proxy(client, {
        get(target, prop) {
          const value = Reflect.get(target, prop, target);
          if (typeof value !== "function") return value;
          if (typeof prop === "string" && prop in METHODS) {
            return (...args) => track(prop, args, () => value.apply(target, args));
          }
          return value.bind(target);
        },
      });
    },
    /** Calls `fn(text)` with the progress of the call made with `signal`. */
    watch(signal, fn) {
      watchers.set(signal, fn);
      return () => watchers.delete(signal);
    },
    clear() {
      list.replaceChildren();
      empty.hidden = false;
    },
  };
}
