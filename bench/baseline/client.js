// A plain, hand-written client for the LiveAgent Reseller API v1 (21 calls),
// over fetch + JSON.parse: the baseline the wasm package is measured against.
// It does the same work per call as the package: checks mandatory inputs,
// datetimes and value sets before sending; percent-encodes path segments;
// sends the key and params in the query (GET/DELETE) or as form fields
// (POST/PUT); removes the {"response": ...} envelope; treats a
// "status":"ERROR" envelope as an error even under 200; checks documented
// lists; bounds each attempt with a timeout; retries idempotent calls on
// 502/503/504, network errors and timeouts. Prices are left as JSON.parse
// gives them (the docs send them as strings).

const DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const RETRY_STATUS = new Set([502, 503, 504]);

/** Every failure of a ResellerClient call. */
export class LiveAgentError extends Error {
  constructor(message, fields) {
    super(message);
    this.name = "LiveAgentError";
    this.kind = fields.kind;
    this.operation = fields.operation;
    this.retryable = fields.retryable === true;
    this.status = fields.status;
    this.statuscode = fields.statuscode;
    this.errormessage = fields.errormessage;
    this.debugmessage = fields.debugmessage;
    this.body = fields.body;
  }
}

const invalid = (operation, message) =>
  new LiveAgentError(`${operation}: ${message}`, { kind: "invalid_input", operation });

// Parameter kinds: T text, D datetime, J JSON text, or an array of allowed codes.
const T = "text", D = "datetime", J = "json";
const req = (name, kind = T) => ({ name, kind, required: true });
const opt = (name, kind = T) => ({ name, kind, required: false });

function isJson(text) {
  try { JSON.parse(text); return true; } catch { return false; }
}

/** One path argument as one percent-encoded segment. */
function segment(operation, name, value) {
  if (value === undefined || value === null) throw invalid(operation, `${name} is required`);
  if (typeof value !== "string") throw invalid(operation, `${name} must be a string`);
  if (value === "" || value === "." || value === "..") {
    throw invalid(operation, `${name} must not be empty, "." or ".."`);
  }
  return encodeURIComponent(value).replace(/%40/g, "@");
}

/** Checks `params` against `spec` and returns the fields to send, in documented order. */
function fields(operation, spec, params, paramsRequired) {
  const out = new URLSearchParams();
  if (params === undefined || params === null) {
    if (paramsRequired) throw invalid(operation, "the params object is required");
    return out;
  }
  if (typeof params !== "object") throw invalid(operation, "params must be an object");
  for (const { name, kind, required } of spec) {
    const value = params[name];
    if (value === undefined || value === null) {
      if (required) throw invalid(operation, `${name} is required`);
      continue;
    }
    if (typeof value !== "string") throw invalid(operation, `${name} must be a string`);
    if (value === "" && required) throw invalid(operation, `${name} must not be empty`);
    if (kind === D && !DATETIME.test(value)) {
      throw invalid(operation, `${name} must be a datetime "YYYY-MM-DD HH:MM:SS"`);
    }
    if (kind === J && !isJson(value)) throw invalid(operation, `${name} must be JSON text`);
    if (Array.isArray(kind) && !kind.includes(value)) {
      throw invalid(operation, `${name} must be one of ${kind.map((c) => `"${c}"`).join(", ")}`);
    }
    out.append(name, value);
  }
  return out;
}

/** Documented lists must be arrays of objects (nested lists too). */
function checkLists(payload, lists) {
  for (const [field, nested] of lists) {
    const rows = payload[field];
    if (rows === undefined || rows === null) continue;
    if (!Array.isArray(rows)) return `${field} is not a list`;
    for (const row of rows) {
      if (typeof row !== "object" || row === null || Array.isArray(row)) {
        return `${field} has a row that is not an object`;
      }
      if (nested) {
        const problem = checkLists(row, nested);
        if (problem) return problem;
      }
    }
  }
  return null;
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(done, ms);
  function done() { clearTimeout(timer); signal?.removeEventListener("abort", done); resolve(); }
  signal?.addEventListener("abort", done, { once: true });
});

export class ResellerClient {
  #base; #key; #timeoutMs; #maxRetries; #fetch; #headers;

  constructor({ baseUrl, reseller, apiKey, timeoutMs = 30_000, maxRetries = 2, fetch: f, headers } = {}) {
    for (const [name, value] of [["baseUrl", baseUrl], ["reseller", reseller], ["apiKey", apiKey]]) {
      if (typeof value !== "string" || value === "") {
        throw new LiveAgentError(`ResellerClient: ${name} is required`, { kind: "invalid_input", operation: "ResellerClient" });
      }
    }
    this.#base = `${baseUrl.replace(/\/+$/, "")}/resellers/${segment("ResellerClient", "reseller", reseller)}`;
    this.#key = apiKey;
    this.#timeoutMs = timeoutMs;
    this.#maxRetries = maxRetries;
    this.#fetch = f ?? globalThis.fetch;
    this.#headers = { ...headers };
  }

  toJSON() { return { baseUrl: this.#base }; }

  #scrub(text) {
    return typeof text === "string" ? text.split(this.#key).join("[redacted]") : text;
  }

  /** Sends one call (with retries) and returns the payload without its envelope. */
  async #call(operation, method, path, form, lists, options) {
    form.append("apikey", this.#key);
    const query = method === "GET" || method === "DELETE";
    const url = query ? `${this.#base}${path}?${form}` : `${this.#base}${path}`;
    const init = { method, headers: { ...this.#headers } };
    if (!query) {
      init.headers["content-type"] = "application/x-www-form-urlencoded";
      init.body = form.toString();
    }
    const signal = options?.signal;
    const timeoutMs = options?.timeoutMs ?? this.#timeoutMs;
    const retries = method === "POST" ? 0 : this.#maxRetries;
    for (let attempt = 0; ; attempt++) {
      let error, retryAfter;
      try {
        return await this.#attempt(operation, url, init, lists, signal, timeoutMs);
      } catch (e) {
        error = e;
        retryAfter = e.retryAfter;
        delete e.retryAfter;
      }
      if (!error.retryable || attempt >= retries || signal?.aborted) throw error;
      const seconds = Number(retryAfter);
      const backoff = Number.isFinite(seconds) && seconds >= 0
        ? seconds * 1000
        : 2 ** attempt * 200 * (0.5 + Math.random());
      await sleep(Math.min(backoff, 30_000), signal);
      if (signal?.aborted) throw new LiveAgentError(`${operation}: aborted`, { kind: "aborted", operation });
    }
  }

  async #attempt(operation, url, init, lists, signal, timeoutMs) {
    if (signal?.aborted) throw new LiveAgentError(`${operation}: aborted`, { kind: "aborted", operation });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
    let status, text, retryAfter;
    try {
      const res = await this.#fetch(url, { ...init, signal: controller.signal });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw new LiveAgentError(`${operation}: aborted`, { kind: "aborted", operation });
      if (timedOut) {
        throw new LiveAgentError(`${operation}: timed out after ${timeoutMs} ms`, { kind: "timeout", operation, retryable: true });
      }
      const detail = e?.cause?.message ?? e?.cause?.code;
      const message = this.#scrub(`${operation}: ${e?.message ?? "fetch failed"}${detail ? ` (${detail})` : ""}`);
      throw new LiveAgentError(message, { kind: "network", operation, retryable: true });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }

    const ok = status >= 200 && status < 300;
    const undecodable = (why) => ok
      ? new LiveAgentError(`${operation}: ${why}`, { kind: "decode", operation, status, body: this.#scrub(text) })
      : new LiveAgentError(`${operation}: HTTP ${status}`, { kind: "api", operation, status, retryable: RETRY_STATUS.has(status) });
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      throw Object.assign(undecodable("the body is not JSON"), { retryAfter });
    }
    const payload = doc?.response;
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      throw Object.assign(undecodable('the body has no {"response": {...}} envelope'), { retryAfter });
    }
    if (payload.status === "ERROR" || !ok) {
      const errormessage = this.#scrub(payload.errormessage ?? undefined);
      const debugmessage = this.#scrub(payload.debugmessage ?? undefined);
      const code = Number(payload.statuscode);
      const statuscode = payload.statuscode == null || !Number.isInteger(code) ? undefined : code;
      const message = `${operation}: HTTP ${status}: ${errormessage ?? "error"}` +
        (statuscode === undefined ? "" : ` (statuscode ${statuscode})`);
      throw Object.assign(new LiveAgentError(message, {
        kind: "api", operation, status, statuscode, errormessage, debugmessage,
        retryable: RETRY_STATUS.has(status),
      }), { retryAfter });
    }
    const problem = checkLists(payload, lists);
    if (problem) throw undecodable(problem);
    return payload;
  }

  // --- Resellers_accounts ---------------------------------------------------
  async listAccountAddons(accountId, options) {
    const op = "listAccountAddons";
    return this.#call(op, "GET", `/accounts/${segment(op, "account_id", accountId)}/addons`,
      fields(op, [], null, false), [["addons"]], options);
  }
  async addAccountAddon(accountId, params, options) {
    const op = "addAccountAddon";
    return this.#call(op, "POST", `/accounts/${segment(op, "account_id", accountId)}/addons`,
      fields(op, [req("addon_id"), opt("valid_to", D)], params, true), [], options);
  }
  async listAccounts(params, options) {
    const op = "listAccounts";
    return this.#call(op, "GET", "/accounts",
      fields(op, [opt("created_from", D), opt("created_to", D)], params, false), [["accounts"]], options);
  }
  async getAccount(accountId, options) {
    const op = "getAccount";
    return this.#call(op, "GET", `/accounts/${segment(op, "account_id", accountId)}`,
      fields(op, [], null, false), [], options);
  }
  async createAccount(params, options) {
    const op = "createAccount";
    const spec = [req("variation_id"), req("customer_email"), req("customer_name"), req("subdomain"),
      opt("company"), opt("top_domain"), opt("language"), opt("extra_params", J)];
    return this.#call(op, "POST", "/accounts", fields(op, spec, params, true), [], options);
  }
  async getAccountStatus(accountId, options) {
    const op = "getAccountStatus";
    return this.#call(op, "GET", `/accounts/${segment(op, "account_id", accountId)}/status`,
      fields(op, [], null, false), [], options);
  }
  async changeAccountStatus(accountId, params, options) {
    const op = "changeAccountStatus";
    return this.#call(op, "PUT", `/accounts/${segment(op, "account_id", accountId)}/status`,
      fields(op, [req("status", ["a", "s", "t"]), req("note")], params, true), [], options);
  }
  async changeAccountVariation(accountId, params, options) {
    const op = "changeAccountVariation";
    return this.#call(op, "PUT", `/accounts/${segment(op, "account_id", accountId)}/variation`,
      fields(op, [req("variationid"), opt("variation_params")], params, true), [], options);
  }
  async checkDomain(params, options) {
    const op = "checkDomain";
    return this.#call(op, "GET", "/signupcheck/domain",
      fields(op, [req("productid"), req("subdomain"), opt("customtopdomain")], params, true), [], options);
  }
  async checkEmail(params, options) {
    const op = "checkEmail";
    return this.#call(op, "GET", "/signupcheck/email",
      fields(op, [req("productid"), req("email")], params, true), [], options);
  }
  async listVariations(options) {
    const op = "listVariations";
    return this.#call(op, "GET", "/variations", fields(op, [], null, false),
      [["variations", [["addons"]]]], options);
  }

  // --- Resellers_accounts_attributes -----------------------------------------
  async getAccountAttribute(accountId, attributeName, options) {
    const op = "getAccountAttribute";
    const path = `/accounts/${segment(op, "account_id", accountId)}/attributes/${segment(op, "attribute_name", attributeName)}`;
    return this.#call(op, "GET", path, fields(op, [], null, false), [], options);
  }
  async setAccountAttribute(accountId, attributeName, params, options) {
    const op = "setAccountAttribute";
    const path = `/accounts/${segment(op, "account_id", accountId)}/attributes/${segment(op, "attribute_name", attributeName)}`;
    return this.#call(op, "PUT", path, fields(op, [req("value")], params, true), [], options);
  }

  // --- Resellers_accounts_users ----------------------------------------------
  async removeAccountUser(accountId, userid, options) {
    const op = "removeAccountUser";
    const path = `/accounts/${segment(op, "account_id", accountId)}/users/${segment(op, "userid", userid)}`;
    return this.#call(op, "DELETE", path, fields(op, [], null, false), [], options);
  }
  async listAccountUsers(accountId, options) {
    const op = "listAccountUsers";
    return this.#call(op, "GET", `/accounts/${segment(op, "account_id", accountId)}/users`,
      fields(op, [], null, false), [["users"]], options);
  }

  // --- Resellers_licenses ----------------------------------------------------
  async listLicenseAddons(licenseCode, options) {
    const op = "listLicenseAddons";
    return this.#call(op, "GET", `/licenses/${segment(op, "license_code", licenseCode)}/addons`,
      fields(op, [], null, false), [["addons"]], options);
  }
  async addLicenseAddon(licenseCode, params, options) {
    const op = "addLicenseAddon";
    return this.#call(op, "POST", `/licenses/${segment(op, "license_code", licenseCode)}/addons`,
      fields(op, [req("addon_id"), opt("valid_to", D)], params, true), [], options);
  }
  async changeLicenseAddonValidity(licenseCode, addonLicense, params, options) {
    const op = "changeLicenseAddonValidity";
    const path = `/licenses/${segment(op, "license_code", licenseCode)}/addons/${segment(op, "addon_license", addonLicense)}/validity`;
    return this.#call(op, "PUT", path, fields(op, [req("valid_to", D)], params, true), [], options);
  }
  async listLicenses(params, options) {
    const op = "listLicenses";
    const spec = [opt("valid_from", D), opt("valid_to", D), opt("customer_identifier")];
    return this.#call(op, "GET", "/licenses", fields(op, spec, params, false), [["licenses"]], options);
  }

  // --- Resellers_license_attributes ------------------------------------------
  async getLicenseAttribute(licenseCode, attributeName, options) {
    const op = "getLicenseAttribute";
    const path = `/licenses/${segment(op, "license_code", licenseCode)}/attributes/${segment(op, "attribute_name", attributeName)}`;
    return this.#call(op, "GET", path, fields(op, [], null, false), [], options);
  }
  async setLicenseAttribute(licenseCode, attributeName, params, options) {
    const op = "setLicenseAttribute";
    const path = `/licenses/${segment(op, "license_code", licenseCode)}/attributes/${segment(op, "attribute_name", attributeName)}`;
    return this.#call(op, "PUT", path, fields(op, [req("value")], params, true), [], options);
  }
}
