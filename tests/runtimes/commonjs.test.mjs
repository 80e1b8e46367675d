// CommonJS and test runners, from the packed tarball installed once: a Jest 29
// project with the default config (a CommonJS test file) and a vitest 3
// project each list the sandbox's accounts through the package; `tsc`
// compiles a consumer of every entry (`.`, /inline, /manual, /testing) under
// moduleResolution node10, node16, nodenext and bundler, from ES module and
// CommonJS files, and resolves each to the declarations of its module kind.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import ts from "typescript";
import { api, apiKey, bin, pkgDir, preflight, reseller, root, run, tempDir } from "./helpers.mjs";

let app; // the tarball installed; jest/, vitest/ and types/ projects inside
const env = { API: api, CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };

before(async () => {
  await preflight();
  const packDir = tempDir("cjs-pack");
  const { stdout } = await run("npm", ["pack", pkgDir, "--pack-destination", packDir, "--json", "--silent"]);
  const [packed] = JSON.parse(stdout);
  app = tempDir("cjs-app");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "cjs-app", private: true }));
  await run("npm", ["install", join(packDir, packed.filename), "--no-audit", "--no-fund", "--no-update-notifier"], { cwd: app });
});

const listing = (expectation) => `const config = { baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" };

test("lists the sandbox's accounts through the package", async () => {
  const { accounts } = await new ResellerClient(config).listAccounts();
  ${expectation}
  const error = await new ResellerClient({ ...config, apiKey: "wrong" }).listVariations().catch((e) => e);
  expect(error).toBeInstanceOf(LiveAgentError);
  expect(error.status).toBe(401);
});
`;

test("Jest 29, default config, a CommonJS test file: require() loads the package and the test lists accounts", async () => {
  const dir = join(app, "jest");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "jest-app", private: true }));
  writeFileSync(join(dir, "accounts.test.js"), `const { LiveAgentError, ResellerClient } = require("liveagent-reseller");
${listing('expect(accounts.map((a) => a.domain)).toEqual(expect.arrayContaining(["mysupport.ladesk.com", "sonatha.ladesk.com"]));')}`);
  const { stdout, stderr } = await run(bin("jest"), ["--ci", "--colors=false"], { cwd: dir, env, timeout: 120_000 });
  assert.match(`${stdout}${stderr}`, /Tests:\s+1 passed, 1 total/);
});

test("vitest 3, no config: the test lists accounts", async () => {
  const dir = join(app, "vitest");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "vitest-app", private: true, type: "module" }));
  writeFileSync(join(dir, "accounts.test.js"), `import { expect, test } from "vitest";
import { LiveAgentError, ResellerClient } from "liveagent-reseller";
${listing('expect(accounts.map((a) => a.domain)).toEqual(expect.arrayContaining(["mysupport.ladesk.com", "sonatha.ladesk.com"]));')}`);
  const { stdout, stderr } = await run(bin("vitest"), ["run", "--root", dir, "--reporter=verbose"], { cwd: dir, env, timeout: 120_000 });
  assert.match(`${stdout}${stderr}`, /Tests\s+1 passed \(1\)/);
});

// A consumer of every entry: the same names from each, typed.
const consumer = `import { LiveAgentError, ResellerClient, init, initSync, toLiveAgentDateTime, valueSet } from "liveagent-reseller";
import type { Account, LiveAgentErrorKind } from "liveagent-reseller";
import * as inline from "liveagent-reseller/inline";
import * as manual from "liveagent-reseller/manual";
import * as testing from "liveagent-reseller/testing";
const client: ResellerClient = new inline.ResellerClient({ baseUrl: "http://127.0.0.1/api", reseller: "r", apiKey: "k" });
export async function domains(): Promise<string[]> {
  const { accounts } = await client.listAccounts();
  return (accounts ?? []).map((account: Account) => account.domain ?? "");
}
export const kind = (error: unknown): LiveAgentErrorKind | undefined => (error instanceof LiveAgentError ? error.kind : undefined);
export const names = [valueSet("AccountStatus"), toLiveAgentDateTime(new Date(0)), init, initSync, manual.init] as const;
export const sandbox: typeof testing.createSandbox = testing.createSandbox;`;

const strict = { strict: true, noEmit: true, skipLibCheck: false, target: ts.ScriptTarget.ES2022,
                 lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: ["node"], typeRoots: [join(root, "node_modules/@types")] };
const R = ts.ModuleResolutionKind;
const M = ts.ModuleKind;
// [name, options, files]: .mts/.cts are ES module and CommonJS under node16/nodenext;
// node10 is CommonJS; bundler is read as ESM (.ts) and CommonJS (.cts, module preserve).
const settings = [
  ["node10", { module: M.CommonJS, moduleResolution: R.Node10 }, ["consumer.ts"]],
  ["node16", { module: M.Node16, moduleResolution: R.Node16 }, ["consumer.mts", "consumer.cts"]],
  ["nodenext", { module: M.NodeNext, moduleResolution: R.NodeNext }, ["consumer.mts", "consumer.cts"]],
  ["bundler", { module: M.ESNext, moduleResolution: R.Bundler }, ["consumer.ts"]],
  ["bundler", { module: M.Preserve, moduleResolution: R.Bundler }, ["consumer.cts"]],
];

test("tsc: a consumer of every entry compiles under node10, node16, nodenext and bundler, ESM and CommonJS", () => {
  const dir = join(app, "types");
  mkdirSync(dir);
  for (const file of ["consumer.ts", "consumer.mts", "consumer.cts"]) writeFileSync(join(dir, file), consumer);
  const failures = [];
  for (const [name, options, files] of settings) {
    const program = ts.createProgram(files.map((f) => join(dir, f)), { ...strict, ...options });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const where = d.file ? `${basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      failures.push(`${name} (${files.join(", ")}) ${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    }
  }
  assert.equal(failures.join("\n"), "");
});

test("tsc resolves each entry to the declarations of the importing file's module kind", () => {
  const dir = join(app, "types");
  const resolved = (setting, file, entry) => {
    const [, options] = settings.find(([name]) => name === setting);
    // The importing file's module kind, as the compiler gives it (.mts: ESM, .cts: CommonJS).
    const mode = file.endsWith(".mts") ? M.ESNext : file.endsWith(".cts") ? M.CommonJS : undefined;
    const { resolvedModule } = ts.resolveModuleName(entry, join(dir, file), { ...strict, ...options }, ts.sys,
      undefined, undefined, mode);
    return resolvedModule ? basename(resolvedModule.resolvedFileName) : undefined;
  };
  const entries = ["liveagent-reseller", "liveagent-reseller/inline", "liveagent-reseller/manual", "liveagent-reseller/testing"];
  const table = Object.fromEntries(entries.map((entry) => [entry, {
    node10: resolved("node10", "consumer.ts", entry),
    nodeEsm: resolved("node16", "consumer.mts", entry),
    nodeCjs: resolved("nodenext", "consumer.cts", entry),
    bundler: resolved("bundler", "consumer.ts", entry),
  }]));
  assert.deepEqual(table["liveagent-reseller"], { node10: "index.d.ts", nodeEsm: "index.d.ts", nodeCjs: "index.d.cts", bundler: "index.d.ts" });
  assert.deepEqual(table["liveagent-reseller/inline"], { node10: "inline.d.ts", nodeEsm: "index.d.ts", nodeCjs: "index.d.cts", bundler: "index.d.ts" });
  assert.deepEqual(table["liveagent-reseller/manual"], { node10: "manual.d.ts", nodeEsm: "index.d.ts", nodeCjs: "index.d.cts", bundler: "index.d.ts" });
  assert.deepEqual(table["liveagent-reseller/testing"], { node10: "testing.d.ts", nodeEsm: "testing.d.ts", nodeCjs: "testing.d.cts", bundler: "testing.d.ts" });
});

test("each CommonJS declaration file is its ES module twin but for `.cjs` specifiers", () => {
  const installed = join(app, "node_modules/liveagent-reseller");
  const queue = ["index.d.ts"];
  const seen = new Set();
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const esm = readFileSync(join(installed, file), "utf8");
    const cjs = readFileSync(join(installed, file.replace(/\.d\.ts$/, ".d.cts")), "utf8");
    assert.equal(cjs, esm.replace(/((?:from\s+|import\()")(\.{1,2}\/[^"]+)\.js"/g, '$1$2.cjs"'), file);
    for (const [, spec] of esm.matchAll(/(?:from\s+|import\()"(\.{1,2}\/[^"]+)\.js"/g)) {
      queue.push(join(file, "..", `${spec}.d.ts`));
    }
  }
  assert.ok(seen.size >= 4, [...seen].join(", "));
});
