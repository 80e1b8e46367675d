// Demo console for the liveagent-reseller package: wiring, the connection
// and its badge, the URL (every view: tab, open record, find text, filters,
// sort, page, timeout; never the key).
//
// The package is imported as the browser would import it from npm.
import { ResellerClient } from "/pkg/index.js";
import { h, $, clockTime } from "./js/dom.js";
import { createTracker } from "./js/calls.js";
import { action, initTabs, errorBlock, showOutcome, clearOutcome, connectionBanner, duration, onAuthError } from "./js/ui.js";
import { openBackend } from "./js/backend.js";
import { setupAccounts } from "./js/accounts.js";
import { setupSignup } from "./js/signup.js";
import { setupLicenses } from "./js/licenses.js";
import { setupCatalogue } from "./js/catalogue.js";
import { setupChaos } from "./js/chaos.js";
import { watchOverflow } from "./js/shared.js";

const tracker = createTracker();
let connection = new AbortController(); // aborted when a new connection replaces this one
connection.abort("replaced");

/** Shared state of the page. The API key is not in here: only the client has it. */
const ctx = {
  client: null,
  variations: [],
  events: new EventTarget(),
  tracker,
  get connectionSignal() { return connection.signal; },
  /** Whose data this is (server and reseller, never the key): scopes stored history. */
  get scope() { return settings ? `${settings.baseUrl}|${settings.reseller}` : "none"; },
  variationName(id) {
    return this.variations.find((v) => v.id === id)?.name ?? null;
  },
  /** Runs an action of this connection (see `action()` in ui.js). */
  act(opts) {
    return action({ tracker, signal: connection.signal, ...opts });
  },
  markLoaded() {
    loadedAt = clockTime();
  },
  selectTab: null,
  syncRoute: (opts) => syncRoute(opts),
  /** The open record's detail sits beside the list (over it on a phone). */
  updateDrawer() {
    const tab = currentTab();
    const open = (tab === "accounts" && this.accounts?.openId) || (tab === "licenses" && this.licenses?.openId);
    document.body.classList.toggle("has-drawer", Boolean(open));
    coverBehind(open ? $(tab === "accounts" ? "#account-detail" : "#license-detail") : null);
  },
  /** Account → license: shows the license in its tab. */
  openLicense(license) {
    this.selectTab("licenses");
    this.licenses.open(license);
  },
  /** License → account: the account with this customer email, if listed. */
  openAccountOf(email) {
    this.selectTab("accounts");
    const found = this.accounts.openByEmail(email);
    if (!found) {
      this.selectTab("licenses");
      syncRoute();
    }
    return found;
  },
};

let loadedAt = null;

// ---- the open record over the list on a phone ----------------------------------------

const phone = matchMedia("(max-width: 700px)");
let covered = [];

/**
 * On a phone the open record lies over the page: what it covers is made
 * inert (no focus, no screen reader) until it closes; Escape closes it.
 */
function coverBehind(detail) {
  for (const el of covered) el.inert = false;
  covered = [];
  if (!detail || !phone.matches) return;
  for (let node = detail; node.parentElement && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement.children) {
      if (sibling === node || sibling.inert || ["DIALOG", "SCRIPT"].includes(sibling.tagName)) continue;
      sibling.inert = true;
      covered.push(sibling);
    }
  }
}
phone.addEventListener("change", () => ctx.updateDrawer());
document.addEventListener("keydown", (e) => {
  if (e.key !== "Escape" || e.defaultPrevented || document.querySelector("dialog[open]")) return;
  // From inside the record, or from nowhere in particular (focus on the page itself).
  const inside = e.target instanceof Element ? e.target.closest(".detail") : null;
  const detail = inside ?? (e.target === document.body ? $("[role=tabpanel]:not([hidden]) .detail:not([hidden])") : null);
  if (!detail) return;
  e.preventDefault();
  (detail.id === "account-detail" ? ctx.accounts : ctx.licenses).close();
});
let settings = null; // what the current client was made with (no key)

ctx.selectTab = initTabs($(".tabs"), (tab, user) => {
  ctx.updateDrawer?.();
  if (user) syncRoute();
});
ctx.accounts = setupAccounts(ctx);
ctx.signup = setupSignup(ctx);
ctx.licenses = setupLicenses(ctx);
ctx.catalogue = setupCatalogue(ctx);
const backend = await openBackend();
const chaos = setupChaos(ctx, backend);
for (const hint of document.querySelectorAll(".scroll-hint[data-for]")) {
  const card = document.getElementById(hint.dataset.for);
  watchOverflow(card, hint, card.querySelector("caption")?.textContent ?? "Table");
}

// ---- the URL: ?tab=licenses&license=CODE, ?account=ID&q=…&status=s&sort=…&page=2, &timeout=… ----

const TABS = ["accounts", "signup", "licenses", "catalogue"];

function currentTab() {
  return $('.tabs [aria-selected="true"]')?.dataset.tab ?? "accounts";
}

/** Settings worth keeping in the URL (never the key, the base URL or the reseller). */
const SETTINGS = [["timeout-ms", "timeout", "30000"], ["max-retries", "retries", "2"]];
const MODE = new URLSearchParams(location.search).get("sandbox") === "memory" ? "memory" : null;
/** The in-memory sandbox's size, kept so that a reload shows the same data. */
const MEMORY_SEED = new URLSearchParams(location.search).get("seed-accounts");

function routeUrl() {
  const tab = currentTab();
  const q = new URLSearchParams();
  if (MODE) q.set("sandbox", MODE);
  if (MODE && MEMORY_SEED) q.set("seed-accounts", MEMORY_SEED);
  if (tab !== "accounts") q.set("tab", tab);
  if (tab === "accounts" && ctx.accounts.openId) q.set("account", ctx.accounts.openId);
  if (tab === "licenses" && ctx.licenses.openId) q.set("license", ctx.licenses.openId);
  ctx.accounts.viewParams(q);
  ctx.licenses.viewParams(q);
  for (const [id, name, fallback] of SETTINGS) {
    const value = settings?.[id === "timeout-ms" ? "timeoutMs" : "maxRetries"];
    if (value !== undefined && String(value) !== fallback) q.set(name, String(value));
  }
  const query = q.toString();
  return `${location.pathname}${query ? `?${query}` : ""}`;
}

/**
 * Records the view in the URL: a history entry for a new tab, record or
 * page; typing in a find box only replaces the current entry.
 */
function syncRoute({ replace = false } = {}) {
  const url = routeUrl();
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
}

function readRoute() {
  const q = new URLSearchParams(location.search);
  const tab = TABS.includes(q.get("tab")) ? q.get("tab") : q.get("license") ? "licenses" : "accounts";
  return { tab, account: q.get("account"), license: q.get("license"), q };
}

/** Settings from the URL into the connect form (before connecting). */
function applySettings(q) {
  for (const [id, name] of SETTINGS) {
    const value = q.get(name);
    if (value !== null && /^\d{1,6}$/.test(value)) $(`#${id}`).value = value;
  }
}

/** Shows what the URL says (on load, and on back/forward). */
function applyRoute() {
  const route = readRoute();
  ctx.selectTab(route.tab);
  const accountsQuery = ctx.accounts.applyView(route.q);
  const licensesQuery = ctx.licenses.applyView(route.q);
  if (!ctx.client) return;
  if (accountsQuery) ctx.accounts.load();
  if (licensesQuery) ctx.licenses.load();
  if (route.tab === "accounts") {
    if (route.account && route.account !== ctx.accounts.openId) ctx.accounts.open(route.account, { focus: false, push: false });
    else if (!route.account && ctx.accounts.openId) ctx.accounts.close({ push: false, focus: false });
  }
  if (route.tab === "licenses") ctx.licenses.openCode(route.license);
  ctx.updateDrawer();
}

window.addEventListener("popstate", applyRoute);

// ---- the connection badge -------------------------------------------------------------

const state = $("#connection-state");

function setState(name, text, title = "") {
  state.dataset.state = name;
  state.textContent = text;
  state.title = title;
}

function markStale(reason) {
  const note = $("#stale-note");
  if (!reason) {
    note.hidden = true;
    delete document.body.dataset.stale;
    return;
  }
  document.body.dataset.stale = "true";
  note.textContent = loadedAt
    ? `Out of date: what is shown was loaded at ${loadedAt}; the last call failed (${reason}).`
    : `Nothing could be loaded: the last call failed (${reason}).`;
  note.hidden = false;
}

/** What a failure says about the whole connection, or null if it is about one call. */
function connectionProblem(err) {
  if (!err) return null;
  if (err.kind === "network") return { state: "offline", badge: "Server unreachable", why: "network error" };
  if (err.kind === "timeout") return { state: "offline", badge: "Server not answering", why: "timeout" };
  if (err.kind === "api" && (err.status === 401 || err.status === 403)) {
    return { state: "auth", badge: `Key rejected (${err.status})`, why: `HTTP ${err.status}` };
  }
  if (err.kind === "api" && (err.status >= 500 || err.status === 429)) {
    return { state: "degraded", badge: `Server error (${err.status})`, why: `HTTP ${err.status}` };
  }
  return null;
}

function reconnectButton() {
  return h("button", { type: "button", class: "small", onclick: () => connect() }, "Reconnect");
}

/** After every call: the badge tells the last outcome of the connection. */
tracker.events.addEventListener("settled", (e) => {
  const { error } = e.detail;
  if (!settings || !ctx.client) return;
  if (!error) {
    if (state.dataset.state !== "ok" && state.dataset.state !== "busy") {
      setState("ok", `Connected as ${settings.reseller}`, `Last answer at ${clockTime()}`);
      connectionBanner(null);
      markStale(null);
    }
    return;
  }
  const problem = connectionProblem(error);
  if (!problem || state.dataset.state === "busy") return;
  setState(problem.state, problem.badge, `${error.message} (at ${clockTime()})`);
  // A rejected key is told once, by the key field (see reportAuth).
  if (problem.state === "auth") return;
  // Server errors may be one endpoint's: the badge says so, nothing more
  // (and the server is reachable, so an older "not answering" is over).
  if (problem.state === "degraded") {
    connectionBanner(null);
    markStale(null);
    return;
  }
  markStale(problem.why);
  connectionBanner([
    h("p", { class: "banner-title" }, problem.state === "auth"
      ? "The server rejects the key or the reseller id."
      : `The server at ${settings.baseUrl} is not answering.`),
    ...errorBlock(error, `${error.operation ?? "A call"} failed`),
  ], { actions: [reconnectButton()] });
});

// ---- a rejected key: said once, where it is fixed -------------------------------------------

/**
 * Every panel's call fails alike when the key is wrong: instead of one error
 * per panel (and a banner), the connection form says it once, by the key.
 */
function reportAuth(error) {
  fold(false);
  $("#api-key").setAttribute("aria-invalid", "true");
  $("#reseller").setAttribute("aria-invalid", "true");
  const current = connectSlot.querySelector(".result-error");
  if (current?.dataset.auth === String(error.status)) return;
  showOutcome(connectSlot, "error", [
    h("p", { class: "result-title" },
      h("span", { class: "kind", dataset: { kind: "api" } }, "api"),
      h("span", {}, "The server rejects the key or the reseller id"),
      h("span", { class: "facts" }, `HTTP ${error.status}`)),
    h("p", { class: "result-message" }, error.message ?? ""),
    h("p", { class: "result-hint" }, "Check the API key and the reseller id here, then Connect. Nothing else was loaded."),
  ]);
  connectSlot.querySelector(".result-error").dataset.auth = String(error.status);
  // Focus goes there when the user was at the form (or nowhere), not from a panel they are reading.
  const active = document.activeElement;
  if (!active || active === document.body || form.contains(active)) connectSlot.focus({ preventScroll: false });
  markStale(`HTTP ${error.status}`);
  connectionBanner(null);
}
onAuthError(reportAuth);

// ---- connecting ---------------------------------------------------------------------------

const form = $("#connect-form");
const connectSlot = $("#connect-outcome");

function numberField(input, min, max, fallback) {
  const text = input.value.trim();
  if (text === "") return fallback;
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : NaN;
}

async function connect({ user = true } = {}) {
  const baseUrl = $("#base-url").value.trim();
  const reseller = $("#reseller").value.trim();
  const apiKey = $("#api-key").value;
  const timeoutMs = numberField($("#timeout-ms"), 100, 600_000, 30_000);
  const maxRetries = numberField($("#max-retries"), 0, 10, 2);
  const problems = [
    !baseUrl && ["base-url", "Enter the base URL of the API."],
    !reseller && ["reseller", "Enter the reseller id."],
    !apiKey && ["api-key", "Enter the API key."],
    Number.isNaN(timeoutMs) && ["timeout-ms", "Timeout: a whole number of milliseconds, 100 to 600000."],
    Number.isNaN(maxRetries) && ["max-retries", "Max retries: a whole number, 0 to 10."],
  ].filter(Boolean);
  for (const input of form.querySelectorAll("input")) input.removeAttribute("aria-invalid");
  clearOutcome(connectSlot);
  if (problems.length) {
    for (const [id] of problems) $(`#${id}`).setAttribute("aria-invalid", "true");
    showOutcome(connectSlot, "error", h("p", { class: "result-message" }, problems.map(([, text]) => text).join(" ")));
    $(`#${problems[0][0]}`).focus();
    return;
  }

  // A new connection replaces the old one: its calls stop, its data goes.
  connection.abort("replaced");
  connection = new AbortController();
  const mine = connection;
  ctx.client = null;
  settings = null;
  loadedAt = null;
  connectionBanner(null);
  markStale(null);
  ctx.accounts.reset("Connecting…");
  ctx.licenses.reset("Connecting…");
  ctx.catalogue.reset("Connecting…");

  let client;
  try {
    // The in-memory sandbox answers through its own fetch, for its own base URL only.
    const viaMemory = memory && baseUrl === memory.baseUrl ? { fetch: memory.fetch } : {};
    client = new ResellerClient({ baseUrl, reseller, apiKey, timeoutMs, maxRetries, onEvent: tracker.onEvent, ...viaMemory });
  } catch (err) {
    setState("error", "Not connected", err?.message ?? "");
    showOutcome(connectSlot, "error", errorBlock(err, "Cannot connect with these settings"), { focus: true });
    return;
  }
  settings = { baseUrl, reseller, timeoutMs, maxRetries };
  ctx.client = tracker.wrap(client, settings);
  setState("busy", "Connecting…");

  const started = performance.now();
  const res = await ctx.act({
    slot: connectSlot, busy: [], returnFocus: $("#connect-button"), pending: "Connecting", key: "connect", focus: user,
    title: "Could not connect",
    call: async ({ signal }) => {
      const results = await Promise.all([
        ctx.catalogue.load({ signal }),
        ctx.accounts.load({ signal }),
        ctx.licenses.load({ signal }),
      ]);
      if (signal.aborted) throw { kind: "aborted", message: "Cancelled." };
      const failed = results.find((r) => !r.ok && r.error);
      if (failed) throw failed.error;
      return results;
    },
    // Said only when asked for: on page load the badge is enough.
    done: () => (user ? `Connected in ${duration(performance.now() - started)}: ${reseller} at ${baseUrl}.` : null),
  });
  if (connection !== mine) return; // a newer connection took over
  if (res.ok) {
    setState("ok", `Connected as ${reseller}`, `Last answer at ${clockTime()}`);
    if (!form.contains(document.activeElement)) fold(true);
    applyRoute();
    syncRoute({ replace: true });
    return;
  }
  if (res.cancelled) {
    setState("idle", "Not connected", "Connecting was cancelled");
    ctx.accounts.reset("Not loaded (connecting was cancelled).");
    ctx.licenses.reset("Not loaded (connecting was cancelled).");
    ctx.catalogue.reset("Not loaded (connecting was cancelled).");
    return;
  }
  const problem = connectionProblem(res.error);
  setState(problem?.state ?? "error", problem?.badge ?? "Connection failed", res.error?.message ?? "");
}

// On a phone the settings fold away once connected; the toggle shows them.
const toggle = $("#connect-toggle");
function fold(folded) {
  form.classList.toggle("is-folded", folded);
  toggle.setAttribute("aria-expanded", String(!folded));
  toggle.textContent = folded ? "Connection settings" : "Hide settings";
  $("#connect-summary-text").textContent = settings ? `${settings.reseller} at ${settings.baseUrl}` : "";
}
toggle.addEventListener("click", () => {
  fold(!form.classList.contains("is-folded"));
  if (!form.classList.contains("is-folded")) $("#base-url").focus();
});
fold(false);

form.addEventListener("submit", (e) => {
  e.preventDefault();
  connect();
});
$("#log-clear").addEventListener("click", () => tracker.clear());

const first = readRoute();
ctx.selectTab(first.tab);
ctx.accounts.applyView(first.q);
ctx.licenses.applyView(first.q);
applySettings(first.q);
// A sandbox (the one serving this page, or the package's in-memory one with
// ?sandbox=memory) tells us its own endpoint and key.
let memory = null;
let cfg = null;
try {
  cfg = await backend.config();
} catch (err) {
  showOutcome(connectSlot, "error", errorBlock(err, "The in-memory sandbox could not start"));
}
if (cfg) {
  if (cfg.memory) memory = { baseUrl: cfg.baseUrl, fetch: cfg.fetch };
  $("#base-url").value = cfg.baseUrl;
  $("#reseller").value = cfg.reseller ?? "";
  $("#api-key").value = cfg.apiKey ?? "";
  $("#connect-hint").textContent = cfg.memory
    ? "The package's in-memory sandbox (?sandbox=memory): no server. The key is kept in memory only."
    : "Filled in by the local sandbox. The key is kept in memory only.";
  chaos.enable();
  connect({ user: false });
} else if (!connectSlot.dataset.state) {
  clearOutcome(connectSlot);
  $("#base-url").focus();
}
