// Demo console for the liveagent-reseller package: wiring and connection.
//
// The package is imported as the browser would import it from npm
// (`/pkg/index.js` instantiates the wasm with top-level await).
import { ResellerClient } from "/pkg/index.js";
import { $ } from "./js/dom.js";
import { loggingFetch, clearLog } from "./js/log.js";
import { showError, clearErrors, initTabs } from "./js/ui.js";
import { setupAccounts } from "./js/accounts.js";
import { setupSignup } from "./js/signup.js";
import { setupLicenses } from "./js/licenses.js";
import { setupCatalogue } from "./js/catalogue.js";

/** Shared state of the page. The API key is not in here: only the client has it. */
const ctx = {
  client: null,
  variations: [],
  events: new EventTarget(),
  variationName(id) {
    return this.variations.find((v) => v.id === id)?.name ?? null;
  },
  selectTab: null,
};

ctx.selectTab = initTabs($(".tabs"));
ctx.accounts = setupAccounts(ctx);
ctx.signup = setupSignup(ctx);
ctx.licenses = setupLicenses(ctx);
ctx.catalogue = setupCatalogue(ctx);

const form = $("#connect-form");
const state = $("#connection-state");

function setState(name, text) {
  state.dataset.state = name;
  state.textContent = text;
}

async function connect() {
  const baseUrl = $("#base-url").value.trim();
  const reseller = $("#reseller").value.trim();
  const apiKey = $("#api-key").value;
  let client;
  try {
    client = new ResellerClient({ baseUrl, reseller, apiKey, fetch: loggingFetch });
  } catch (err) {
    showError(err);
    setState("error", "Not connected");
    return;
  }
  ctx.client = client;
  clearErrors();
  ctx.accounts.reset();
  ctx.licenses.reset();
  setState("busy", "Connecting…");
  const button = $("#connect-button");
  button.disabled = true;
  button.classList.add("is-busy");
  const ok = await Promise.all([ctx.catalogue.load(), ctx.accounts.load(), ctx.licenses.load()]);
  button.disabled = false;
  button.classList.remove("is-busy");
  if (ctx.client !== client) return; // a newer connection took over
  if (ok.every(Boolean)) setState("ok", `Connected as ${client.reseller}`);
  else setState("error", "Connection failed");
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  connect();
});
$("#log-clear").addEventListener("click", clearLog);

/** When the sandbox serves the page, it tells us its own endpoint and key. */
async function sandboxConfig() {
  try {
    const res = await fetch("/sandbox.json", { cache: "no-store" });
    if (!res.ok) return null;
    const cfg = await res.json();
    return cfg && typeof cfg.baseUrl === "string" ? cfg : null;
  } catch {
    return null;
  }
}

const cfg = await sandboxConfig();
if (cfg) {
  $("#base-url").value = cfg.baseUrl;
  $("#reseller").value = cfg.reseller ?? "";
  $("#api-key").value = cfg.apiKey ?? "";
  $("#connect-hint").textContent = "Filled in by the local sandbox. The key is kept in memory only.";
  connect();
} else {
  $("#base-url").focus();
}
