// The package as published: `npm pack` of pkg/, installed into an empty
// project, then used there by Node (ESM and CommonJS), Deno 2 and Bun 1.x
// against the sandbox. Nothing is fetched from a registry.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { api, apiKey, bin, pkgDir, preflight, reseller, run, tempDir } from "./helpers.mjs";

let packed; // npm pack --json's entry
let app; // the project it is installed in
const env = { API: api, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", NO_COLOR: "1" };

// The same short TypeScript script for Deno and Bun: a listing, and an error
// that must be the package's LiveAgentError.
const script = (runtime, getEnv) => `import { LiveAgentError, ResellerClient } from "liveagent-reseller";
const baseUrl: string = ${getEnv} ?? "";
const client = new ResellerClient({ baseUrl, reseller: "${reseller}", apiKey: "${apiKey}" });
const { accounts } = await client.listAccounts();
const error = await new ResellerClient({ baseUrl, reseller: "${reseller}", apiKey: "wrong" }).getAccountStatus("x").catch((e: unknown) => e);
if (!(error instanceof LiveAgentError)) throw new Error("not a LiveAgentError");
console.log(${runtime}, accounts?.map((a) => a.domain).join(" "), error.kind, error.status, error.operation);
`;

before(async () => {
  await preflight();
  const packDir = tempDir("pack");
  const { stdout } = await run("npm", ["pack", pkgDir, "--pack-destination", packDir, "--json", "--silent"]);
  [packed] = JSON.parse(stdout);
  app = tempDir("tarball-app");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "tarball-app", private: true }));
  await run("npm", ["install", join(packDir, packed.filename), "--no-audit", "--no-fund", "--no-update-notifier"],
    { cwd: app });
  writeFileSync(join(app, "deno.ts"), script("`deno ${Deno.version.deno}`", 'Deno.env.get("API")'));
  writeFileSync(join(app, "bun.ts"), script("`bun ${Bun.version}`", "Bun.env.API"));
  // As on releases from before process.getBuiltinModule (Deno 2.0, older Bun 1.x):
  // the Node entry reads the .wasm with the runtime's own synchronous read.
  for (const runtime of ["deno", "bun"]) {
    writeFileSync(join(app, `${runtime}-older.ts`),
      `delete (globalThis as any).process.getBuiltinModule;\nawait import("./${runtime}.ts");\n`);
  }
});

test("the tarball holds the entries, their types, one .wasm, and installs into an empty project", () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const file of ["package.json", "index.js", "node.js", "workerd.js", "manual.js", "init.js",
                      "index.d.ts", "init.d.ts", "client.js", "client.d.ts", "liveagent_reseller.js",
                      "liveagent_reseller_bg.wasm"]) {
    assert.ok(files.includes(file), `${file} is not in the tarball: ${files}`);
  }
  // One client .wasm (the testing entry's rules have their own, sandbox_*.wasm) and its JavaScript form.
  assert.deepEqual(files.filter((f) => f.endsWith(".wasm") && !f.startsWith("sandbox_")), ["liveagent_reseller_bg.wasm"]);
  for (const file of ["liveagent_reseller_bg.wasm.js", "module.js", "node.cjs", "node-commonjs.cjs", "inline.cjs",
                      "manual.cjs", "index.d.cts", "inline.d.ts", "manual.d.ts"]) {
    assert.ok(files.includes(file), `${file} is not in the tarball`);
  }
  assert.ok(files.some((f) => /^snippets\/[^/]+\/js\/error\.js$/.test(f)));

  const installed = JSON.parse(readFileSync(join(app, "node_modules/liveagent-reseller/package.json"), "utf8"));
  for (const key of ["version", "license", "repository", "types", "files", "exports"]) {
    assert.ok(installed[key], `package.json has no ${key}`);
  }
  assert.equal(installed.sideEffects, false);
  assert.deepEqual(Object.keys(installed.exports["."]), ["types", "workerd", "node", "browser", "require", "default"]);
  const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8"));
  assert.deepEqual(Object.keys(lock.packages).filter(Boolean), ["node_modules/liveagent-reseller"], "it pulled other packages");
});

test("Node: a three-line script lists the accounts", async () => {
  writeFileSync(join(app, "list.mjs"), `import { ResellerClient } from "liveagent-reseller";
const client = new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" });
for (const a of (await client.listAccounts()).accounts ?? []) console.log(a.account_id, a.domain);
`);
  const { stdout, stderr } = await run(process.execPath, ["list.mjs"], { cwd: app, env });
  assert.match(stdout, /^9900a49c321c871cd1a572a1dc21a33c mysupport\.ladesk\.com$/m);
  assert.match(stdout, /^f7u4g79c321cf77td1a572a1dcg7uyf4 sonatha\.ladesk\.com$/m);
  assert.equal(stderr, "");
});

test("Node: require() gets the very module import() gets, so one wasm and one LiveAgentError", async () => {
  writeFileSync(join(app, "require.cjs"), `const { ResellerClient, LiveAgentError } = require("liveagent-reseller");
const client = new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "wrong" });
import("liveagent-reseller").then(async (esm) => {
  const error = await client.listAccounts().catch((e) => e);
  console.log(esm.ResellerClient === ResellerClient, error instanceof LiveAgentError, error instanceof esm.LiveAgentError, error.status);
});
`);
  const { stdout, stderr } = await run(process.execPath, ["require.cjs"], { cwd: app, env });
  assert.equal(stdout.trim(), "true true true 401");
  assert.equal(stderr, "", "require(esm) warned");
});

test("Node: liveagent-reseller/manual loads nothing until init() is given the wasm", async () => {
  writeFileSync(join(app, "manual.mjs"), `import { readFile } from "node:fs/promises";
import { ResellerClient, init, initSync } from "liveagent-reseller/manual";
const bytes = await readFile(new URL(import.meta.resolve("liveagent-reseller/liveagent_reseller_bg.wasm")));
let before;
try { new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" }); before = "usable"; }
catch { before = "not loaded"; }
await init({ module_or_path: await WebAssembly.compile(bytes) });
initSync({ module: bytes }); // a second load does nothing
const client = new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" });
console.log(before, (await client.listVariations()).variations?.[0]?.id);
`);
  const { stdout } = await run(process.execPath, ["manual.mjs"], { cwd: app, env });
  assert.equal(stdout.trim(), "not loaded r7g4y7ya");
});

test("Deno 2 runs a script importing the package (npm layout, node entry)", async () => {
  const args = ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env=API", "deno.ts"];
  const { stdout } = await run(bin("deno"), args, { cwd: app, env });
  assert.match(stdout, /^deno 2\.\d+\.\d+ mysupport\.ladesk\.com sonatha\.ladesk\.com.* api 401 getAccountStatus$/m);
});

test("Deno and Bun without process.getBuiltinModule still load the .wasm", async () => {
  const deno = await run(bin("deno"), ["run", "--allow-net=127.0.0.1", "--allow-read", "--allow-env=API", "deno-older.ts"], { cwd: app, env });
  assert.match(deno.stdout, /^deno 2\.\d+\.\d+ mysupport\.ladesk\.com sonatha\.ladesk\.com.* api 401 getAccountStatus$/m);
  const bun = await run(bin("bun"), ["run", "bun-older.ts"], { cwd: app, env });
  assert.match(bun.stdout, /^bun 1\.\d+\.\d+ mysupport\.ladesk\.com sonatha\.ladesk\.com.* api 401 getAccountStatus$/m);
});

test("Node without process.getBuiltinModule: the first call says which read is missing", async () => {
  writeFileSync(join(app, "older.mjs"), `delete process.getBuiltinModule;
const { ResellerClient } = await import("liveagent-reseller");
const error = await new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" }).listVariations().catch((e) => e);
console.log(error.kind, error.message);
`);
  const { stdout } = await run(process.execPath, ["older.mjs"], { cwd: app, env });
  assert.match(stdout, /^network .*no synchronous file read \(process\.getBuiltinModule/);
});

test("Deno type-checks the same script against the package's declarations", async () => {
  await run(bin("deno"), ["check", "deno.ts"], { cwd: app, env });
});

test("Bun 1.x runs a script importing the package", async () => {
  const { stdout } = await run(bin("bun"), ["run", "bun.ts"], { cwd: app, env });
  assert.match(stdout, /^bun 1\.\d+\.\d+ mysupport\.ladesk\.com sonatha\.ladesk\.com.* api 401 getAccountStatus$/m);
});
