// The sandbox's control surface, in one place: its connection details, its
// fault rules, reset and the requests it received. Served by the sandbox
// binary, these are HTTP routes (/sandbox.json, /_sandbox/*); with
// `?sandbox=memory` they are the package's `createSandbox()` in this tab and
// no server is needed (`liveagent-reseller/testing`, loaded only then).

/** Operations whose path contains each chaos scope (for the in-memory faults). */
const SCOPE_OPERATIONS = {
  "/accounts": ["listAccounts", "getAccount", "createAccount", "getAccountStatus", "changeAccountStatus",
    "changeAccountVariation", "listAccountAddons", "addAccountAddon", "getAccountAttribute",
    "setAccountAttribute", "listAccountUsers", "removeAccountUser"],
  "/addons": ["listAccountAddons", "addAccountAddon", "listLicenseAddons", "addLicenseAddon", "changeLicenseAddonValidity"],
  "/users": ["listAccountUsers", "removeAccountUser"],
  "/attributes": ["getAccountAttribute", "setAccountAttribute", "getLicenseAttribute", "setLicenseAttribute"],
  "/licenses": ["listLicenses", "listLicenseAddons", "addLicenseAddon", "changeLicenseAddonValidity",
    "getLicenseAttribute", "setLicenseAttribute"],
  "/variations": ["listVariations"],
};

async function controlFetch(path, { method = "GET", body } = {}) {
  const res = await fetch(path, {
    method,
    headers: body ? { "content-type": "application/json" } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    cache: "no-store",
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

/** The sandbox binary (or `npx liveagent-reseller sandbox`) that serves this page. */
function httpBackend() {
  return {
    name: "http",
    /** What can be injected: everything the rules take. */
    supports: { delay: true, body: true },
    /** `{ baseUrl, reseller, apiKey }`, or null when no sandbox serves the page. */
    async config() {
      try {
        const cfg = await controlFetch("/sandbox.json");
        return cfg && typeof cfg.baseUrl === "string" ? cfg : null;
      } catch {
        return null;
      }
    },
    /** `rule`: the sandbox's fault rule (`{path_contains, status, count, retry_after, delay_ms, body}`). */
    async addFault(rule) {
      return (await controlFetch("/_sandbox/faults", { method: "POST", body: rule })).rules ?? [];
    },
    async faults() {
      return (await controlFetch("/_sandbox/faults")).rules ?? [];
    },
    async clearFaults() {
      await controlFetch("/_sandbox/faults", { method: "DELETE" });
    },
    async reset() {
      await controlFetch("/_sandbox/reset", { method: "POST" });
    },
    async requests(pathContains = "") {
      return (await controlFetch(`/_sandbox/requests?path_contains=${encodeURIComponent(pathContains)}`)).requests ?? [];
    },
  };
}

/**
 * `createSandbox()` from the package's testing entry, in this tab. Its
 * faults take an operation, a status, a Retry-After and a count (no delay):
 * a scope becomes one rule per operation of that scope; the rules are
 * remembered here to be listed (they do not count down in this list).
 */
async function memoryBackend(pkgBase, options) {
  const { createSandbox } = await import(`${pkgBase}/testing.js`);
  const sandbox = createSandbox(options);
  let rules = [];
  return {
    name: "memory",
    supports: { delay: false, body: false }, // a 401 keeps the package's own body
    async config() {
      return { ...sandbox.config, memory: true };
    },
    async addFault(rule) {
      if (rule.delay_ms) throw new Error("the in-memory sandbox cannot delay answers");
      const operations = rule.path_contains ? SCOPE_OPERATIONS[rule.path_contains] ?? [] : [undefined];
      for (const operation of operations) {
        sandbox.fault({ operation, status: rule.status, retryAfter: rule.retry_after, times: rule.count });
      }
      rules = [...rules, rule];
      return rules;
    },
    async faults() {
      return rules;
    },
    async clearFaults() {
      // The testing API has no "clear faults" of its own: a reset clears them (and the data).
      rules = [];
      sandbox.reset();
    },
    async reset() {
      rules = [];
      sandbox.reset();
    },
    async requests() {
      return sandbox.requests();
    },
  };
}

/** The backend this page uses: `?sandbox=memory` picks the in-tab one. */
export async function openBackend({ pkgBase = "/pkg", search = location.search } = {}) {
  const q = new URLSearchParams(search);
  if (q.get("sandbox") === "memory") {
    const seedAccounts = Number.parseInt(q.get("seed-accounts") ?? "0", 10);
    return memoryBackend(pkgBase, { seedAccounts: Number.isInteger(seedAccounts) && seedAccounts > 0 ? seedAccounts : 0, seed: 1 });
  }
  return httpBackend();
}
