// The .wasm's JavaScript form (liveagent_reseller_bg.wasm.js, wasm2js) gives
// what the .wasm gives: the same results and the same errors, for a body
// large enough that its memory grows several times (wasm2js copies memory
// into a new buffer; the glue must notice). Run in Node, in a child process
// whose WebAssembly is removed, as a page's strict CSP refuses it.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pkgDir, preflight, run, sandbox, tempDir } from "./helpers.mjs";

let dir;

before(async () => {
  await preflight();
  dir = tempDir("fallback");
});

// Calls every kind of outcome through a canned fetch; prints what came back.
// Node's own HTTP client (undici) compiles llhttp as WebAssembly when first
// needed: one real request has it do so before WebAssembly goes.
const refuseWasm = `await (await fetch(${JSON.stringify(`${sandbox}/sandbox.json`)})).text();
delete globalThis.WebAssembly;
`;
const script = (entry, refuse) => `${refuse ? refuseWasm : ""}const m = await import(${JSON.stringify(join(pkgDir, entry))});
const accounts = Array.from({ length: 20000 }, (_, i) => ({
  account_id: i.toString(16).padStart(32, "0"), status: "a", domain: \`d\${i}.ladesk.com\`, customer_email: \`c\${i}@example.org\`,
  customer_name: "Ünïcödé \\u{1F600} " + "x".repeat(i % 50), company: null, date_created: "2012-11-10 07:12:51", variation_id: "r7g4y7ya",
}));
const bodies = {
  list: JSON.stringify({ response: { accounts } }),
  notFound: JSON.stringify({ response: { status: "ERROR", statuscode: 404, errormessage: "no such account" } }),
  garbage: "<html>not json</html>",
};
const reply = (name, status = 200) => async () => new Response(bodies[name], { status });
const config = (fetch) => ({ baseUrl: "https://example.com/api", reseller: "reseller@example.com", apiKey: "secret-key", fetch, maxRetries: 0 });
const facts = (e) => ({ instance: e instanceof m.LiveAgentError, kind: e.kind, status: e.status, retryable: e.retryable, message: e.message });
const out = {};
const listed = await new m.ResellerClient(config(reply("list"))).listAccounts();
out.count = listed.accounts.length;
out.last = listed.accounts.at(-1);
out.notFound = facts(await new m.ResellerClient(config(reply("notFound", 404))).getAccount("a".repeat(32)).catch((e) => e));
out.garbage = facts(await new m.ResellerClient(config(reply("garbage"))).listVariations().catch((e) => e));
out.invalid = facts(await new m.ResellerClient(config(reply("list"))).listAccounts({ created_from: "yesterday", nope: 1 }).catch((e) => e));
out.badConfig = facts(await Promise.resolve().then(() => new m.ResellerClient({ ...config(reply("list")), baseUrl: "ftp://x" }).listVariations()).catch((e) => e));
// A 3 MB input goes through the module's memory (the request body is laid out there): it grows several times.
let sent;
const capture = async (url, init) => {
  sent = String(init.body);
  return new Response(JSON.stringify({ response: { account_id: "f".repeat(32), status: "c" } }));
};
const name = "N\u{1F600}".repeat(1_000_000);
out.created = await new m.ResellerClient(config(capture)).createAccount({
  variation_id: "r7g4y7ya", customer_email: "big@example.org", customer_name: name, subdomain: "big",
}).catch(facts);
out.sentLength = sent?.length;
out.sentName = new URLSearchParams(sent ?? "").get("customer_name") === name;
out.wasm = typeof globalThis.WebAssembly;
console.log(JSON.stringify(out));
`;

test("the JavaScript form and the .wasm give the same results and errors: a 20,000-account body, a 3 MB input (its memory grows)", async () => {
  writeFileSync(join(dir, "wasm.mjs"), script("node.js", false));
  writeFileSync(join(dir, "js.mjs"), script("module.js", true));
  const wasm = JSON.parse((await run(process.execPath, [join(dir, "wasm.mjs")], { cwd: dir })).stdout);
  const js = JSON.parse((await run(process.execPath, [join(dir, "js.mjs")], { cwd: dir })).stdout);
  assert.equal(wasm.wasm, "object");
  assert.equal(js.wasm, "undefined", "the JavaScript form's run still had WebAssembly");
  assert.equal(wasm.count, 20000);
  assert.match(wasm.last.customer_name, /^Ünïcödé \u{1F600} x+$/u);
  assert.deepEqual({ ...js, wasm: undefined }, { ...wasm, wasm: undefined });
  assert.equal(js.notFound.kind, "api");
  assert.equal(js.garbage.kind, "decode");
  assert.equal(js.invalid.kind, "invalid_input");
  assert.deepEqual(js.created, { account_id: "f".repeat(32), status: "c" });
  assert.ok(js.sentName && js.sentLength > 3_000_000, `the 3 MB name did not go out intact: ${js.sentLength}`);
  assert.ok(!JSON.stringify(js).includes("secret-key"));
});
