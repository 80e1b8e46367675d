// The request log: a `fetch` wrapper handed to the ResellerClient, so the
// page shows each request exactly as the package sends it (minus the key).
import { h, $ } from "./dom.js";

const MAX_ROWS = 100;
let seq = 0;
let inFlight = 0;

/** Drops the `apikey` field from a query string or form body. */
export function withoutKey(encoded) {
  return encoded
    .split("&")
    .filter((part) => part !== "" && !/^apikey(=|$)/i.test(part))
    .join("&");
}

/** Path and query of a request URL, without the key. */
export function redactedPath(url) {
  const u = new URL(String(url), location.href);
  const query = withoutKey(u.search.replace(/^\?/, ""));
  return u.pathname + (query ? `?${query}` : "");
}

/** The path as text with break opportunities after `/`, `?` and `&`; the
 *  `/…/resellers/{reseller}` prefix is quieter than the call's own part. */
function pathNode(path) {
  const m = /^(.*?\/resellers\/[^/?]+)(.*)$/.exec(path);
  const [prefix, rest] = m ? [m[1], m[2]] : ["", path];
  const breakable = (text) => text.split(/(?<=[/?&])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));
  return h("code", { class: "log-url" },
    prefix ? h("span", { class: "log-prefix" }, breakable(prefix)) : null,
    breakable(rest));
}

function bodyText(body) {
  if (typeof body === "string") return withoutKey(body);
  if (body instanceof URLSearchParams) return withoutKey(body.toString());
  return body ? "(binary body)" : "";
}

function setActivity() {
  const el = $("#activity");
  el.hidden = inFlight === 0;
  el.textContent = inFlight === 1 ? "1 request in flight" : `${inFlight} requests in flight`;
  document.body.classList.toggle("is-fetching", inFlight > 0);
}

/** A fetch-compatible function that times and logs each call. */
export function loggingFetch(url, init = {}) {
  const method = (init.method ?? "GET").toUpperCase();
  const body = bodyText(init.body);
  const status = h("span", { class: "log-status" }, "pending");
  const ms = h("span", { class: "log-ms" }, "");
  const entry = h("li", { class: "pending" },
    h("div", { class: "log-line" },
      h("span", { class: `method method-${method.toLowerCase()}` }, method),
      status,
      ms,
      h("span", { class: "log-seq" }, `#${++seq}`)),
    pathNode(redactedPath(url)),
    body ? h("code", { class: "log-body" }, body) : null);
  const list = $("#log-list");
  $("#log-empty").hidden = true;
  list.prepend(entry);
  while (list.children.length > MAX_ROWS) list.lastElementChild.remove();

  inFlight++;
  setActivity();
  const started = performance.now();
  const finish = (code, cls) => {
    ms.textContent = `${Math.round(performance.now() - started)} ms`;
    status.textContent = code;
    entry.className = cls;
    inFlight--;
    setActivity();
  };
  return fetch(url, init).then(
    (res) => {
      finish(String(res.status), res.ok ? "ok" : "failed");
      return res;
    },
    (err) => {
      finish(err?.name === "AbortError" ? "aborted" : "network error", "failed");
      throw err;
    },
  );
}

export function clearLog() {
  $("#log-list").replaceChildren();
  $("#log-empty").hidden = false;
}
