// The request log, built on the client's `onEvent`: one entry per call, its
// attempts nested inside ("503 → waited 1 s (Retry-After) → 200"), the time
// of day, the final outcome named by its kind, and the call as TypeScript to
// copy. Entries are kept for the tab (sessionStorage: URLs are redacted by
// the package, the key is never in them) and can be filtered. The calls in
// flight are listed from the header, each with Cancel.
//
// Events are grouped by their `callId` when the package sends one; without
// it, each call made through `wrap()` opens an entry and its events are
// matched by operation and attempt number.
import { h, $, clockTime } from "./dom.js";
import { duration, elapsed } from "./ui.js";

/** The HTTP method of each operation (API.md), shown before any event. */
export const METHODS = {
  listAccountAddons: "GET", addAccountAddon: "POST", listAccounts: "GET", getAccount: "GET",
  createAccount: "POST", getAccountStatus: "GET", changeAccountStatus: "PUT",
  changeAccountVariation: "PUT", checkDomain: "GET", checkEmail: "GET", listVariations: "GET",
  getAccountAttribute: "GET", setAccountAttribute: "PUT", removeAccountUser: "DELETE",
  listAccountUsers: "GET", listLicenseAddons: "GET", addLicenseAddon: "POST",
  changeLicenseAddonValidity: "PUT", listLicenses: "GET", getLicenseAttribute: "GET",
  setLicenseAttribute: "PUT",
};

const MAX_ENTRIES = 100;
const STORE_KEY = "liveagent-console:log";

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

/** The attempts of a call as one line: "503 → waited 1 s (Retry-After) → 200". */
export function trailText(call) {
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

/** The path and query of an event's URL (its origin is the base URL's). */
function urlText(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return String(url);
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

function readStore() {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((r) => r && typeof r === "object" && typeof r.op === "string") : [];
  } catch {
    return [];
  }
}

export function createTracker() {
  const list = $("#log-list");
  const empty = $("#log-empty");
  const activity = $("#activity");
  const inflight = $("#inflight");
  const inflightList = $("#inflight-list");
  const filterText = $("#log-filter");
  const filterShow = $("#log-show");
  const filterCount = $("#log-filter-count");
  const events = new EventTarget();
  const open = []; // calls in flight, oldest first
  const byCallId = new Map();
  const bySignal = new WeakMap(); // the caller's signal → its call
  const watchers = new Map(); // AbortSignal → progress callback
  let current = null; // the call whose method is being invoked right now
  let config = {};
  let records = readStore(); // settled entries of this tab, oldest first
  let seq = records.reduce((max, r) => Math.max(max, Number(r.id) || 0), 0);

  // ---- the calls in flight, from the header ----

  function setActivity() {
    activity.hidden = open.length === 0;
    activity.textContent = open.length === 1 ? "1 call in flight" : `${open.length} calls in flight`;
    if (!open.length && !inflight.hidden) {
      const hadFocus = inflight.contains(document.activeElement);
      toggleInflight(false);
      if (hadFocus) $("#main").focus();
      return;
    }
    if (!inflight.hidden) drawInflight();
  }

  function drawInflight() {
    inflightList.replaceChildren(...open.map((call) => {
      const last = call.attempts[call.attempts.length - 1];
      return h("li", { dataset: { op: call.op } },
        h("span", { class: `method method-${(call.method ?? "").toLowerCase()}` }, call.method ?? "?"),
        h("span", { class: "log-op" }, call.op),
        h("span", { class: "muted" }, last ? ` attempt ${last.n}` : " starting"),
        h("span", { class: "muted" }, ` · since ${call.time}`),
        h("button", {
          type: "button", class: "small cancel", disabled: !call.controller,
          title: call.controller ? null : "Started without a signal: cannot be cancelled from here",
          "aria-label": `Cancel ${call.op} (#${call.id})`,
          onclick: () => cancel(call),
        }, "Cancel"));
    }));
  }

  function toggleInflight(show = inflight.hidden) {
    inflight.hidden = !show;
    activity.setAttribute("aria-expanded", String(show));
    if (show) drawInflight();
  }
  activity.addEventListener("click", () => {
    toggleInflight();
    if (!inflight.hidden) inflight.querySelector("button")?.focus();
  });
  inflight.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      toggleInflight(false);
      activity.focus();
    }
  });

  function cancel(call) {
    if (!call.controller || call.settled) return;
    call.cancelled = true;
    call.controller.abort("cancelled");
  }

  // ---- entries ----

  /** The stored form of a call: plain data, no key, no signal. */
  function recordOf(call) {
    const last = call.attempts[call.attempts.length - 1];
    const err = call.error;
    let status = "pending";
    let state = "pending";
    if (call.settled && !err) {
      status = last?.status !== undefined && last?.status !== null ? String(last.status) : "OK";
      state = "ok";
    } else if (call.settled) {
      status = err.kind === "api" && err.status ? `api ${err.status}` : String(err.kind ?? "error");
      state = `failed kind-${err.kind ?? "error"}`;
    } else if (last?.retry) {
      status = `retry ${last.n + 1} in ${duration(last.retry.delayMs)}`;
    } else if (last) {
      status = `attempt ${last.n}`;
    }
    const params = call.args.find((a) => a && typeof a === "object" && !isOptions(a) && !Array.isArray(a));
    const form = params && ["POST", "PUT"].includes(call.method)
      ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString()
      : "";
    return {
      id: call.id, op: call.op, method: call.method ?? "", time: call.time, callId: call.callId ?? null,
      url: last?.url ? urlText(last.url) : "", form, status, state,
      ms: call.settled ? call.ms : null,
      trail: call.attempts.length > 1 || (call.settled && err) || last?.retry ? trailText(call) : "",
      attempts: call.attempts.length > 1 ? call.attempts.map((a) => ({
        n: a.n, text: a.done ? attemptText(a) : "sent…", failed: a.done && !(a.status >= 200 && a.status < 300),
        ms: a.done && a.kind !== "timeout" ? a.ms : null,
        wait: a.retry ? `${duration(a.retry.delayMs)} (${a.retry.source})` : null,
      })) : [],
      snippet: codeSnippet(call, config),
    };
  }

  /** Draws an entry from its record; a live call keeps its ticking clock. */
  function draw(rec, call = null) {
    const li = call?.li ?? h("li", {});
    const wasOpen = li.querySelector("details")?.open ?? false;
    li.className = `call ${rec.state}`;
    li.dataset.op = rec.op;
    li.dataset.seq = String(rec.id);
    if (rec.callId) li.dataset.callId = rec.callId;
    const time = call && !call.settled ? call.clock : h("span", { class: "log-ms" }, rec.ms === null ? "" : duration(rec.ms));
    const code = h("pre", { class: "log-code", tabindex: "0" }, h("code", {}, rec.snippet));
    const copied = h("span", { class: "log-copied", role: "status" });
    const copy = h("button", { type: "button", class: "small", onclick: () => copyCode(rec.snippet, code, copied) }, "Copy");
    li.replaceChildren(...[
      h("div", { class: "log-line" },
        h("span", { class: `method method-${rec.method.toLowerCase()}` }, rec.method || "?"),
        h("span", { class: "log-op" }, rec.op),
        h("span", { class: "log-status" }, rec.status),
        time,
        h("time", { class: "log-time", title: "Time of day the call started" }, rec.time),
        h("span", { class: "log-seq" }, `#${rec.id}`)),
      h("code", { class: "log-url" }, rec.url ? pathNodes(rec.url) : ""),
      rec.form ? h("code", { class: "log-body" }, rec.form) : null,
      rec.trail ? h("p", { class: "log-trail" }, rec.trail) : null,
      rec.attempts.length ? h("ol", { class: "log-attempts", "aria-label": "Attempts" }, rec.attempts.map((a) =>
        h("li", { class: a.failed ? "failed" : null },
          h("span", { class: "log-attempt-n" }, `${a.n}`),
          ` ${a.text}`,
          a.ms !== null ? h("span", { class: "log-ms" }, ` ${duration(a.ms)}`) : null,
          a.wait ? ` · then waited ${a.wait}` : null))) : null,
      h("details", { class: "log-snippet", open: wasOpen },
        h("summary", {}, "Copy as code"),
        code,
        h("div", { class: "log-copy-row" }, copy, copied)),
    ].filter(Boolean));
    li.hidden = !matchesFilter(rec);
    return li;
  }

  async function copyCode(text, codeEl, copied) {
    try {
      await navigator.clipboard.writeText(text);
      copied.textContent = "Copied.";
    } catch {
      // No clipboard permission: select the text so that Ctrl+C copies it.
      const range = document.createRange();
      range.selectNodeContents(codeEl);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      codeEl.focus();
      copied.textContent = "Selected: press Ctrl+C to copy.";
    }
  }

  // ---- the filter ----

  function matchesFilter(rec) {
    const show = filterShow.value;
    if (show === "failed" && !rec.state.startsWith("failed")) return false;
    if (show === "retried" && rec.attempts.length < 2) return false;
    if (show === "pending" && rec.state !== "pending") return false;
    const needle = filterText.value.trim().toLowerCase();
    if (!needle) return true;
    return [rec.op, rec.method, rec.status, rec.url, rec.form, rec.trail, rec.time]
      .some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
  }

  function applyFilter() {
    let shown = 0;
    let total = 0;
    for (const li of list.children) {
      const rec = li.record;
      if (!rec) continue;
      total += 1;
      li.hidden = !matchesFilter(rec);
      if (!li.hidden) shown += 1;
    }
    const filtering = filterText.value.trim() || filterShow.value !== "all";
    filterCount.textContent = filtering ? `${shown} of ${total} shown` : "";
    empty.hidden = total > 0;
    onFilter();
  }
  let onFilter = () => {};
  filterText.addEventListener("input", applyFilter);
  filterShow.addEventListener("change", applyFilter);

  // ---- storage ----

  function persist() {
    try {
      sessionStorage.setItem(STORE_KEY, JSON.stringify(records.slice(-MAX_ENTRIES)));
    } catch {
      // Storage full or refused: the log still works for this page.
    }
  }

  function keep(rec) {
    const i = records.findIndex((r) => r.id === rec.id);
    if (i >= 0) records[i] = rec;
    else records.push(rec);
    if (records.length > MAX_ENTRIES) records = records.slice(-MAX_ENTRIES);
    persist();
  }

  // Entries of this tab from before a reload; calls that were running then are over.
  for (const rec of records) {
    if (rec.state === "pending") Object.assign(rec, { state: "failed kind-interrupted", status: "interrupted", trail: "the page was reloaded before it ended" });
    const li = draw(rec);
    li.record = rec;
    list.prepend(li);
  }
  persist();
  empty.hidden = records.length > 0;

  // ---- calls ----

  function newCall(op, args) {
    const call = {
      id: ++seq, op, method: METHODS[op], args, signal: null, controller: null,
      started: performance.now(), time: clockTime(), attempts: [], expect: 1, inFlight: null, settled: false,
    };
    call.clock = elapsed(call.started);
    call.clock.classList.add("log-ms");
    call.li = h("li", {});
    empty.hidden = true;
    list.prepend(call.li);
    while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
    open.push(call);
    update(call);
    setActivity();
    return call;
  }

  function update(call) {
    const rec = recordOf(call);
    call.li.record = rec;
    draw(rec, call);
    if (call.settled) keep(rec);
    if (!call.settled) {
      const last = call.attempts[call.attempts.length - 1];
      const cb = call.signal && watchers.get(call.signal);
      if (cb) {
        if (last?.retry) cb(`${attemptText(last)}, retrying in ${duration(last.retry.delayMs)} (${last.retry.source})`);
        else if (last && last.n > 1) cb(`attempt ${last.n}`);
        else cb("");
      }
      if (!inflight.hidden) drawInflight();
    }
  }

  function settle(call, error) {
    call.settled = true;
    call.error = error;
    call.ms = call.clock.stop();
    const i = open.indexOf(call);
    if (i >= 0) open.splice(i, 1);
    if (call.callId) byCallId.delete(call.callId);
    update(call);
    setActivity();
    events.dispatchEvent(new CustomEvent("settled", { detail: { op: call.op, error, call } }));
  }

  function track(op, args, invoke) {
    // A signal of our own beside the caller's: Cancel in the header's list.
    const options = args.find(isOptions);
    let sent = args;
    let controller = null;
    if (options) {
      controller = new AbortController();
      sent = args.map((a) => (a === options ? { ...a, signal: AbortSignal.any([a.signal, controller.signal]) } : a));
    }
    const call = newCall(op, args);
    call.controller = controller;
    call.signal = options?.signal ?? null;
    if (call.signal) bySignal.set(call.signal, call);
    let promise;
    current = call;
    try {
      promise = Promise.resolve(invoke(sent));
    } catch (err) {
      promise = Promise.reject(err);
    } finally {
      current = null;
    }
    return promise.then(
      (value) => { settle(call, null); return value; },
      (error) => { settle(call, error); throw error; });
  }

  /** The call an event belongs to: by its callId, else by operation and step. */
  function callOf(ev) {
    const same = open.filter((c) => c.op === ev.operation);
    const last = (c) => c.attempts[c.attempts.length - 1];
    const hasId = ev.callId !== undefined && ev.callId !== null;
    if (hasId && byCallId.has(ev.callId)) return byCallId.get(ev.callId);
    let call = null;
    if (ev.type === "request") {
      call = current?.op === ev.operation && !current.inFlight && !current.callId && current.expect === ev.attempt
        ? current
        : same.find((c) => !c.inFlight && !c.callId && c.expect === ev.attempt && !(ev.attempt === 1 && c.attempts.length));
      if (!call) call = newCall(ev.operation, []); // a call made around the tracker
    } else if (hasId) {
      return null;
    } else if (ev.type === "response" || ev.type === "failure") {
      const flying = same.filter((c) => c.inFlight && c.inFlight.n === ev.attempt);
      call = flying.find((c) => !ev.url || c.inFlight.url === ev.url) ?? flying[0] ?? same.find((c) => c.inFlight);
    } else if (ev.type === "retry") {
      call = same.find((c) => !c.inFlight && last(c)?.done && !last(c).retry);
    }
    if (call && hasId) {
      call.callId = String(ev.callId);
      byCallId.set(ev.callId, call);
    }
    return call;
  }

  function handle(ev) {
    if (!["request", "response", "failure", "retry"].includes(ev?.type)) return;
    const call = callOf(ev);
    if (!call || call.settled) return;
    if (ev.type === "request") {
      if (ev.method) call.method = ev.method;
      const a = { n: ev.attempt, url: ev.url, started: performance.now(), done: false };
      call.attempts.push(a);
      call.inFlight = a;
    } else if (ev.type === "response" || ev.type === "failure") {
      const a = call.attempts.find((x) => x.n === ev.attempt && !x.done) ?? call.inFlight;
      if (!a) return;
      if (call.inFlight === a) call.inFlight = null;
      Object.assign(a, { done: true, status: ev.status, kind: ev.kind, ms: ev.ms ?? performance.now() - a.started });
    } else {
      const a = call.attempts[call.attempts.length - 1];
      if (!a) return;
      a.retry = { delayMs: ev.delayMs ?? 0, reason: ev.reason, source: waitSource(ev) };
      call.expect = a.n + 1;
    }
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
            return (...args) => track(prop, args, (sent) => value.apply(target, sent));
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
    /**
     * What the log knows of the call made with `signal`: its attempts (with
     * their statuses), whether the header's Cancel stopped it, its trail.
     */
    callFor(signal) {
      const call = signal ? bySignal.get(signal) : null;
      if (!call) return null;
      return {
        attempts: call.attempts.length,
        sent: call.attempts.length > 0,
        cancelled: Boolean(call.cancelled),
        trail: trailText(call),
      };
    },
    /** Runs `fn` after each change of the filter (the log's region relabels). */
    onFilter(fn) {
      onFilter = fn;
    },
    clear() {
      list.replaceChildren();
      records = [];
      persist();
      applyFilter();
      empty.hidden = false;
    },
  };
}
