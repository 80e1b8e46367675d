// A Rust app that depends on liveagent-reseller with the `tsify` feature
// (tests/tsify/src/lib.rs) gets tsify's declarations of our types in its
// own .d.ts, and nothing of the npm face: no ClientCore, no JS snippets.
// Builds it for wasm32 (in target/tsify-consumer/), runs
// wasm-bindgen --target web, then checks the .d.ts, compiles a use of it
// with strict tsc, and runs the module in Node to see that the values match
// what the declarations say.
//
//   node --test tests/tsify/
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const here = import.meta.dirname;
const root = resolve(here, "../..");
// A directory of its own under the workspace's target dir (kept between
// runs, removed by `cargo clean`), not the workspace's own: cargo names a
// cdylib's artifacts without a hash, so a build of liveagent-reseller with
// other features (this one has `tsify`, the npm build `npm`) in the same
// target/<triple>/<profile>/ would overwrite the other's and be linked by it.
const targetDir = join(
  process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(root, "target"),
  "tsify-consumer",
);
const wasm = join(targetDir, "wasm32-unknown-unknown/release/tsify_consumer.wasm");

let out; // wasm-bindgen's output: tsify_consumer.{js,d.ts}, tsify_consumer_bg.wasm
let declared; // its .d.ts
let dts; // the same with our types' prefix removed (`LiveAgentAccount` as `Account`), to compare with the npm face
let app; // the module, instantiated

/** Runs a command; returns its stdout, or throws with its output. */
function run(cmd, args, options = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (result.error) throw new Error(`${cmd}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`${basename(cmd)} ${args.slice(0, 2).join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.stdout;
}

/** The body of `export interface NAME { … }` in a .d.ts, or undefined. */
function interfaceBody(text, name) {
  return text.match(new RegExp(`export (?:declare )?interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))?.[1];
}

/** `name?: type;` lines of an interface body, doc comments left out. */
function members(body) {
  return body
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^\w+\??: .*;$/.test(line));
}

before(() => {
  // The versions the workspace builds with.
  copyFileSync(join(root, "Cargo.lock"), join(here, "Cargo.lock"));
  run("cargo", ["build", "--target", "wasm32-unknown-unknown", "--release"], {
    cwd: here,
    env: { ...process.env, CARGO_TARGET_DIR: targetDir },
  });
  out = mkdtempSync(join(tmpdir(), "liveagent-tsify-"));
  if (!process.env.KEEP_TMP) process.on("exit", () => rmSync(out, { recursive: true, force: true }));
  run("wasm-bindgen", ["--target", "web", "--out-dir", out, wasm]);
  declared = readFileSync(join(out, "tsify_consumer.d.ts"), "utf8");
  dts = declared.replace(/\bLiveAgent(?=[A-Z])/g, "");
});

test("our declarations are named LiveAgent<Name>: an app's own User and Account do not collide with them", () => {
  for (const name of ["Account", "AccountStatus", "ListAccountsResponse", "ListAccountsParams", "AccountStatusChange", "User"]) {
    assert.match(declared, new RegExp(`\\nexport (interface|type) LiveAgent${name}\\b`), `no LiveAgent${name}`);
  }
  // The app's own, unprefixed, in the same file; the strict tsc test below
  // reads it with skipLibCheck off, so a clash (TS2717) fails it.
  assert.match(declared, /\nexport interface User \{\n[\s\S]*?id: number;/);
  assert.match(declared, /\nexport interface Account \{\n[\s\S]*?account_id: number;/);
  assert.match(declared, /export function own_account_id\(account: Account\): number;/);
});

test("the .d.ts declares Account as an interface, its fields documented", () => {
  assert.match(dts, /\/\*\*\n \* An account \(a row of the accounts list[^\n]*\n[\s\S]*?\*\/\nexport interface Account \{/);
  const body = interfaceBody(dts, "Account");
  assert.ok(body, "no `export interface Account`");
  for (const field of ["customer_email", "account_id", "domain", "date_created", "status", "last_login_date"]) {
    assert.match(body, new RegExp(`    /\\*\\*\\n     \\* [^\\n]+\\n[\\s\\S]*?\\*/\\n    ${field}\\?: `), `${field} has no doc comment`);
  }
  assert.match(body, /\n    account_id\?: string \| null;/);
  assert.match(body, /\n    status\?: AccountStatus \| null;/);
  assert.match(body, /America\/Los_Angeles time; passed through as sent/);
  assert.match(dts, /export interface ListAccountsResponse \{[\s\S]*?accounts\?: Account\[\] \| null;/);
});

test("the value sets are their codes: open for responses, closed for inputs", () => {
  assert.match(dts, /\nexport type AccountStatus = "a" \| "s" \| "t" \| "n" \| "b" \| "c" \| \(string & \{\}\);\n/);
  assert.match(dts, /\nexport type AddonStatus = "A" \| "R" \| \(string & \{\}\);\n/);
  assert.match(dts, /\nexport type AccountStatusChange = "a" \| "s" \| "t";\n/);
  assert.match(dts, /- `s`: Suspended\n[\s\S]*?\*\/\nexport type AccountStatus =/, "the set's doc lists its codes");
  assert.doesNotMatch(dts, /Other/, "tsify's default for the open enums ({ Other: string }) leaked");
});

test("the declarations are the npm face's: same value sets, same response interfaces", () => {
  const npm = readFileSync(join(root, "js/client.d.ts"), "utf8");
  const names = npm.match(/^export type ValueSetName = (.*);$/m)?.[1].split(" | ").map((n) => JSON.parse(n));
  assert.ok(names?.length >= 5, "js/client.d.ts changed shape");
  for (const name of names) {
    const known = npm.match(new RegExp(`^export type Known${name} = (.*);$`, "m"))?.[1];
    const closed = npm.match(new RegExp(`^export type ${name} = (".*);$`, "m"))?.[1];
    const want = known ? `${known} | (string & {})` : closed;
    assert.ok(want, `js/client.d.ts has no codes for ${name}`);
    assert.ok(dts.includes(`\nexport type ${name} = ${want};\n`), `${name} differs`);
  }
  const responses = [...npm.matchAll(/^export interface (\w+) \{$/gm)]
    .map(([, name]) => name)
    .filter((name) => !name.endsWith("Params") && interfaceBody(dts, name) !== undefined);
  assert.ok(responses.includes("Account") && responses.length >= 15, `only ${responses}`);
  for (const name of responses) {
    assert.deepEqual(members(interfaceBody(dts, name)), members(interfaceBody(npm, name)), name);
  }
});

test("the functions take and return the declared types", () => {
  assert.match(dts, /export function first_account\(list: ListAccountsResponse\): Account;/);
  assert.match(dts, /export function sample_account\(status: AccountStatus\): Account;/);
  assert.match(dts, /export function status_change\(code: string\): AccountStatusChange;/);
  assert.match(
    dts,
    /export function list_accounts\(base_url: string, reseller: string, api_key: string, params\?: ListAccountsParams \| null\): Promise<ListAccountsResponse>;/,
  );
  assert.match(dts, /export interface ListAccountsParams \{[\s\S]*?created_from\?: string;/);
});

test("a Rust app gets no npm face: no ClientCore, no LiveAgentError, no JS snippets", () => {
  assert.doesNotMatch(declared, /ClientCore|LiveAgentError/);
  assert.doesNotMatch(readFileSync(join(out, "tsify_consumer.js"), "utf8"), /ClientCore|snippets\//);
  assert.equal(existsSync(join(out, "snippets")), false, "wasm-bindgen wrote snippets/");
});

test("strict tsc accepts a use of the declarations, and refuses what they exclude", () => {
  writeFileSync(
    join(out, "use.ts"),
    `import { first_account, sample_account, status_change, own_account_id, type LiveAgentAccount as Account, type LiveAgentAccountStatus as AccountStatus, type LiveAgentAccountStatusChange as AccountStatusChange, type LiveAgentListAccountsResponse as ListAccountsResponse, type Account as OwnAccount } from "./tsify_consumer.js";
const own: OwnAccount = { account_id: 7, owner: { id: 1 } };
own_account_id(own);
const list: ListAccountsResponse = { accounts: [{ account_id: "1", status: "s" }, { status: null }] };
const account: Account = first_account(list);
const status: AccountStatus | null | undefined = account.status;
const unknown: AccountStatus = "zz";
const change: AccountStatusChange = status_change("t");
sample_account(unknown);
// @ts-expect-error: an input set is closed
const wrong: AccountStatusChange = "x";
// @ts-expect-error: fields are typed
const bad: Account = { account_id: 1 };
export { status, change, wrong, bad };
`,
  );
  writeFileSync(
    join(out, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "es2022", module: "es2022", moduleResolution: "bundler",
        lib: ["es2022", "dom"], types: [], skipLibCheck: false,
      },
      files: ["use.ts"],
    }),
  );
  run(join(root, "node_modules/.bin/tsc"), ["-p", join(out, "tsconfig.json")]);
});

test("in Node, the values are what the declarations say", async () => {
  app = await import(pathToFileURL(join(out, "tsify_consumer.js")).href);
  app.initSync({ module: readFileSync(join(out, "tsify_consumer_bg.wasm")) });
  const fields = members(interfaceBody(dts, "Account")).map((line) => line.split("?:")[0]);

  const made = app.sample_account("zz");
  assert.deepEqual(Object.keys(made).sort(), [...fields].sort(), "every field is there");
  assert.equal(made.account_id, "a1");
  assert.equal(made.status, "zz", "an unknown code is kept as its text");
  assert.equal(made.domain, null, "None is null, as declared");

  const first = app.first_account({ accounts: [{ account_id: "1", status: "s", domain: null }] });
  assert.equal(first.status, "s");
  assert.equal(first.customer_email, null);
  assert.equal(app.status_meaning("s"), "Suspended");
  assert.equal(app.status_meaning("zz"), undefined);
  assert.equal(app.status_change("t"), "t");
  assert.throws(() => app.first_account({ accounts: [] }), /no accounts/);
  assert.throws(() => app.first_account({ accounts: [{ account_id: 1 }] }), /invalid type/);
});

test("in Node, the Rust client fetches and hands the result to JS as declared", async () => {
  assert.ok(app, "the module did not load");
  const seen = [];
  const server = createServer((request, response) => {
    seen.push(request.url);
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({
      response: { accounts: [{ account_id: "1", status: "a", domain: "one.ladesk.com" }, { account_id: "2", status: "w" }] },
    }));
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  try {
    const base = `http://127.0.0.1:${server.address().port}/api`;
    const list = await app.list_accounts(base, "reseller@example.com", "k", { created_from: "2020-01-01 00:00:00" });
    assert.equal(seen.length, 1);
    assert.match(seen[0], /^\/api\/resellers\/reseller(@|%40)example\.com\/accounts\?/);
    assert.match(seen[0], /created_from=2020-01-01(%20|\+)00%3A00%3A00/);
    assert.equal(list.accounts.length, 2);
    assert.equal(list.accounts[0].domain, "one.ladesk.com");
    assert.equal(list.accounts[1].status, "w");
    assert.equal(list.accounts[1].domain, null);
    await assert.rejects(app.list_accounts(base, "reseller@example.com", "k", { created_from: "yesterday" }), /created_from/);
    assert.equal(seen.length, 1, "an invalid input is not sent");
  } finally {
    server.close();
  }
});

test("in Node, a per-call timeout fires alone, and a dropped call is aborted with no retry", async () => {
  assert.ok(app, "the module did not load");
  // Never answers in time: each request waits 2 s. Records when each
  // request arrived and when its connection was closed by the client.
  const seen = [];
  const server = createServer((request, response) => {
    const entry = { url: request.url, at: Date.now(), closedAt: null };
    seen.push(entry);
    request.socket.on("close", () => { entry.closedAt = Date.now(); });
    const timer = setTimeout(() => {
      response.statusCode = 503;
      response.setHeader("retry-after", "0");
      response.end('{"response":{"status":"ERROR","statuscode":503}}');
    }, 2000);
    response.on("close", () => clearTimeout(timer));
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  try {
    const base = `http://127.0.0.1:${server.address().port}/api`;
    const started = Date.now();
    const kind = await app.status_within(base, "reseller@example.com", "k", "slow", 300);
    const took = Date.now() - started;
    assert.equal(kind, "timeout");
    assert.ok(took >= 280 && took < 1500, `timed out after ${took} ms`);
    assert.equal(seen.length, 1, "max_retries(0): one request");

    seen.length = 0;
    const dropped = Date.now();
    await app.status_dropped_after(base, "reseller@example.com", "k", "dropped", 100);
    await new Promise((done) => setTimeout(done, 2500));
    assert.equal(seen.length, 1, "nothing is sent after the drop");
    assert.ok(seen[0].closedAt, "the request was not aborted");
    assert.ok(seen[0].closedAt - dropped < 100 + 300, `aborted ${seen[0].closedAt - dropped - 100} ms after the drop`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("cargo tree: the wasm32 client is gloo-net over web-sys, decoding with serde_json; natively, reqwest; never codegen", () => {
  const wasmTree = run("cargo", ["tree", "-p", "liveagent-reseller", "--target", "wasm32-unknown-unknown", "-e", "normal"], { cwd: root });
  for (const name of ["gloo-net", "web-sys", "wasm-bindgen-futures", "serde_json"]) {
    assert.match(wasmTree, new RegExp(`\\b${name} v`), `${name} is not in the wasm32 tree`);
  }
  // The checked, edited body is deserialized as bytes: no result is read field by field from JS values.
  assert.doesNotMatch(wasmTree, /\bserde-wasm-bindgen v/, "serde-wasm-bindgen is back in the wasm32 tree");
  const nativeTree = run("cargo", ["tree", "-p", "liveagent-reseller", "--features", "native", "-e", "normal"], { cwd: root });
  assert.match(nativeTree, /\breqwest v/);
  for (const tree of [wasmTree, nativeTree]) {
    assert.doesNotMatch(tree, /\b(codegen|prettyplease) v/, "a build-time crate reached the library");
  }
});
