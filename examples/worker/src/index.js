// An edge signup backend for a LiveAgent reseller, on Cloudflare Workers.
//
//   POST /signup  {"email": "...", "subdomain": "...", "name": "..."}
//
// checks the email and the subdomain with the vendor, then creates the account
// on the configured variation. The reseller's API key lives in the worker's
// environment (a secret) and never reaches the browser: answers carry only
// what the sign-up form needs.
//
// Environment (wrangler.jsonc `vars`, and `wrangler secret put RESELLER_API_KEY`):
//   RESELLER_API_URL  the API root, e.g. https://support.example.com/api
//   RESELLER_ID       the reseller's email or userid
//   RESELLER_API_KEY  the API key (a secret)
//   PRODUCT_ID        the product the signup checks are for
//   VARIATION_ID      the variation (plan) new accounts get
//   ALLOWED_ORIGIN    optional: the sign-up page's origin, for CORS
import { LiveAgentError, ResellerClient } from "liveagent-reseller";

export default {
  /**
   * @param {Request} request
   * @param {Record<string, string | undefined>} env
   */
  async fetch(request, env) {
    const cors = corsHeaders(env);
    const { pathname } = new URL(request.url);
    if (pathname !== "/signup") return reply(404, { ok: false, error: "not_found" }, cors);
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (request.method !== "POST") {
      return reply(405, { ok: false, error: "method_not_allowed" }, { ...cors, Allow: "POST, OPTIONS" });
    }

    const form = await request.json().catch(() => null);
    const email = text(form?.email);
    const subdomain = text(form?.subdomain);
    const name = text(form?.name);
    if (!email || !subdomain || !name) {
      return reply(400, {
        ok: false,
        error: "invalid_request",
        message: "send JSON with the strings email, subdomain and name",
      }, cors);
    }

    const client = new ResellerClient({
      baseUrl: env.RESELLER_API_URL ?? "",
      reseller: env.RESELLER_ID ?? "",
      apiKey: env.RESELLER_API_KEY ?? "",
      timeoutMs: 10_000,
      maxRetries: 1, // someone is waiting on the form
    });
    const productid = env.PRODUCT_ID ?? "";
    try {
      const emailCheck = await client.checkEmail({ productid, email });
      if (emailCheck.is_valid !== "1") {
        return reply(422, { ok: false, error: "rejected", field: "email", message: emailCheck.error ?? "email rejected" }, cors);
      }
      const domainCheck = await client.checkDomain({ productid, subdomain });
      if (domainCheck.is_valid !== "1") {
        return reply(422, { ok: false, error: "rejected", field: "subdomain", message: domainCheck.error ?? "subdomain rejected" }, cors);
      }
      const created = await client.createAccount({
        variation_id: env.VARIATION_ID ?? "",
        customer_email: email,
        customer_name: name,
        subdomain,
      });
      return reply(201, { ok: true, account_id: created.account_id, account_status: created.account_status }, cors);
    } catch (error) {
      return reply(...failure(error), cors);
    }
  },
};

/**
 * The status and body for a failed call. Messages of a LiveAgentError never
 * contain the API key; other errors are logged, not shown.
 * @param {unknown} error
 * @returns {[number, object]}
 */
function failure(error) {
  if (!(error instanceof LiveAgentError)) {
    console.error("signup failed", error);
    return [500, { ok: false, error: "internal" }];
  }
  console.error(`signup: ${error.operation} failed (${error.kind}): ${error.message}`);
  if (error.retryable) return [503, { ok: false, error: "unavailable", retryable: true }];
  if (error.kind === "invalid_input") return [400, { ok: false, error: "invalid_request", message: error.message }];
  if (error.kind === "api" && error.status !== undefined && error.status < 500 && error.status !== 401 && error.status !== 403) {
    // The vendor refused this signup (e.g. the subdomain was taken meanwhile).
    return [422, { ok: false, error: "rejected", message: error.errormessage ?? error.message }];
  }
  return [502, { ok: false, error: "upstream" }];
}

/** @param {unknown} value */
function text(value) {
  return typeof value === "string" ? value.trim() : "";
}

/** @param {Record<string, string | undefined>} env */
function corsHeaders(env) {
  if (!env.ALLOWED_ORIGIN) return {};
  return {
    "Access-Control-Allow-Origin": env.ALLOWED_ORIGIN,
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    Vary: "Origin",
  };
}

/**
 * @param {number} status
 * @param {object} body
 * @param {Record<string, string>} headers
 */
function reply(status, body, headers) {
  return Response.json(body, { status, headers: { ...headers, "Cache-Control": "no-store" } });
}
