// Hostile and good response bodies, and a client answering them, shared by
// the package's tests in Node (tests/js/json-check.test.mjs) and in workerd
// (tests/runtimes/hostile-worker.js).

/**
 * A client of `ResellerClient` (the entry under test) whose fetch answers
 * the text that `next()` gives, with status 200; no retries.
 */
export const answering = (ResellerClient, next) => new ResellerClient({
  baseUrl: "https://example.com/api", reseller: "r", apiKey: "k", maxRetries: 0,
  fetch: async () => new Response(next(), { status: 200, headers: { "content-type": "application/json" } }),
});

/** A listAccounts row of every documented field. */
export const row = (i) => ({
  customer_email: `c${i}@example.com`, account_id: `id${i}`, domain: `d${i}.example.com`, customer_name: "N",
  company: null, date_created: "2026-01-02 03:04:05", variation_id: "v", status: "A", version: "1",
  last_login_date: null,
});

/** A good listAccounts body of two rows. */
export const good = JSON.stringify({ response: { accounts: [row(0), row(1)] } });

/** `n` arrays nested. */
export const deep = (n) => "[".repeat(n) + "]".repeat(n);

/** A listAccounts body holding `nested` in a documented text field, an undocumented field or the envelope. */
export const deepBodies = (nested) => ({
  "a documented text field": `{"response":{"accounts":[${JSON.stringify(row(0))},{"domain":${nested}}]}}`,
  "an undocumented field": `{"response":{"accounts":[],"extra":${nested}}}`,
  "the envelope's status": `{"response":{"status":${nested}}}`,
});

/** listAccountAddons bodies that JSON.parse refuses, so the check does: each is `decode`. */
export const malformed = [
  '{"response":{"addons":[{"id":"a","price": 1.2.3}]}}',
  '{"response":{"addons":[{"id":"a","price": 01}]}}',
  '{"response":{"addons":[{"id":"a","price": 1.}]}}',
  '{"response":{"addons":[],}}',
  '{"response":{"addons":[]}} {}',
  '{"response":{"addons":[{"id":"a\u0001"}]}}',
];
