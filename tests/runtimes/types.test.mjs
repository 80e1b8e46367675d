// What TypeScript users see: a strict consumer compiles in three settings,
// deliberate misuse does not, the values the package returns at run time are
// what its declarations say, and the declarations match the reviewed
// reference in tests/reference/ (refresh with BLESS=1).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import { api, apiKey, consumer, pkgDir, preflight, reseller, root, unique } from "./helpers.mjs";

const fixtures = join(import.meta.dirname, "types");
const reference = join(root, "tests/reference/liveagent-reseller.d.ts");
let app;

const strict = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: false,
  skipLibCheck: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
};
const settings = {
  bundler: { ...strict, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
             lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], types: [] },
  node: { ...strict, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
          lib: ["lib.es2022.d.ts"], types: ["node"], typeRoots: [join(root, "node_modules/@types")] },
};

// Parsed files are shared between programs: the libs are most of the time.
const parsed = new Map();
function compile(files, options) {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, version, ...rest) => {
    const key = `${file}\0${JSON.stringify(version)}`;
    if (!parsed.has(key)) parsed.set(key, read(file, version, ...rest));
    return parsed.get(key);
  };
  const program = ts.createProgram(files, options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    file: d.file?.fileName ?? "",
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`,
  }));
}
const show = (diagnostics) => diagnostics.map((d) => `${d.file}:${d.line} ${d.text}`).join("\n");

before(async () => {
  await preflight();
  app = consumer("types");
});

test("a strict consumer compiles for bundlers (DOM lib), Node ESM and Node CommonJS (@types/node, no DOM lib)", () => {
  const source = readFileSync(join(fixtures, "consumer.ts"), "utf8");
  for (const name of ["consumer.ts", "consumer.mts", "consumer.cts"]) writeFileSync(join(app, name), source);
  assert.equal(show(compile([join(app, "consumer.ts")], settings.bundler)), "");
  assert.equal(show(compile([join(app, "consumer.mts"), join(app, "consumer.cts")], settings.node)), "");
});

test("misuse fails to compile, on exactly the lines marked @ts-expect-error", () => {
  const source = readFileSync(join(fixtures, "misuse.ts"), "utf8");
  writeFileSync(join(app, "misuse.ts"), source);
  assert.equal(show(compile([join(app, "misuse.ts")], settings.bundler)), "", "an expected error did not occur");

  const lines = source.split("\n");
  const marked = lines.flatMap((line, i) => (line.includes("// @ts-expect-error") ? [i + 2] : []));
  assert.ok(marked.length >= 15, String(marked.length));
  writeFileSync(join(app, "misuse-bare.ts"), lines.map((l) => l.replace(/\/\/ @ts-expect-error.*/, "//")).join("\n"));
  const errors = compile([join(app, "misuse-bare.ts")], settings.bundler);
  assert.deepEqual([...new Set(errors.map((e) => e.line))], marked, show(errors));
});

/** A runtime value as TypeScript source; `undefined` stays visible as a present key. */
function literal(value) {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  const proto = Object.getPrototypeOf(value);
  assert.ok(proto === Object.prototype || proto === null, `not a plain object: ${proto?.constructor?.name}`);
  return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`).join(", ")} }`;
}

test("what the calls return at run time is what the declarations say (null vs absent, no extra keys)", async () => {
  const { ResellerClient, LiveAgentError } = await import(join(app, "node_modules/liveagent-reseller/node.js"));
  const client = new ResellerClient({ baseUrl: api, reseller, apiKey });
  const account = "9900a49c321c871cd1a572a1dc21a33c";
  const sub = unique("types");
  const samples = [
    ["ListAccountsResponse", await client.listAccounts()],
    ["Account", await client.getAccount(account)],
    ["AccountStatusResponse", await client.getAccountStatus(account)],
    ["ListAccountUsersResponse", await client.listAccountUsers(account)],
    ["ListAccountAddonsResponse", await client.listAccountAddons(account)],
    ["AttributeResponse", await client.getAccountAttribute(account, "max_agents")],
    ["ListVariationsResponse", await client.listVariations()],
    ["ListLicensesResponse", await client.listLicenses()],
    ["ListLicenseAddonsResponse", await client.listLicenseAddons("lat47ts4")],
    ["AttributeResponse", await client.getLicenseAttribute("lat47ts4", "max_agents")],
    ["SignupCheckResponse", await client.checkEmail({ productid: "LiveAgent", email: `${sub}@example.org` })],
    ["SignupCheckResponse", await client.checkDomain({ productid: "LiveAgent", subdomain: "mysupport" })],
  ];
  const created = await client.createAccount({
    variation_id: "r7g4y7ya", customer_email: `${sub}@example.org`, customer_name: "Type Check", subdomain: sub,
  });
  samples.push(["CreateAccountResponse", created]);
  samples.push(["Account", await client.getAccount(created.account_id)]);
  samples.push(["StatusResponse", await client.changeAccountStatus(created.account_id, { status: "s", note: "types" })]);
  samples.push(["StatusResponse", await client.setAccountAttribute(created.account_id, "max_agents", { value: "4" })]);
  const facts = ["kind", "operation", "retryable", "status", "statuscode", "errormessage", "debugmessage", "body"];
  const failing = [
    () => client.getAccount("0".repeat(32)), // api: 404 envelope
    () => client.getAccount(""), // invalid_input, nothing sent
    () => client.listAccounts({ created_from: "yesterday" }), // invalid_input
    () => new ResellerClient({ baseUrl: api, reseller, apiKey: "wrong" }).listVariations(), // api: 401
  ];
  for (const call of failing) {
    const error = await call().then(() => assert.fail("resolved"), (e) => e);
    assert.ok(error instanceof LiveAgentError);
    samples.push([`Pick<LiveAgentError, ${facts.map((f) => JSON.stringify(f)).join(" | ")}>`,
      Object.fromEntries(facts.map((f) => [f, error[f]]))]);
  }
  // Something in the samples must be null or absent, or this proves little.
  assert.match(samples.map(([, v]) => literal(v)).join("\n"), /: null|: undefined/);

  const source = `import type * as T from "liveagent-reseller";
import type { LiveAgentError } from "liveagent-reseller";
${samples.map(([type, value], i) => `export const sample${i}: ${type.startsWith("Pick") ? type : `T.${type}`} = ${literal(value)};`).join("\n")}
`;
  writeFileSync(join(app, "runtime-values.ts"), source);
  const errors = compile([join(app, "runtime-values.ts")], settings.bundler);
  assert.equal(show(errors), "", "a runtime value does not fit its declared type");
});

/**
 * The declarations a user of the package gets: package.json's types map,
 * then every .d.ts reachable from it, the snippet's hash masked.
 */
function surface() {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const lines = ["// The TypeScript surface of liveagent-reseller, as built into pkg/. Generated by",
                 "// tests/runtimes/types.test.mjs; review a change, then refresh with BLESS=1.", "//",
                 `// types: ${pkg.types}`];
  const queue = [];
  for (const [path, target] of Object.entries(pkg.exports)) {
    // The /testing entry's declarations are reviewed with it (tests/testing), not here.
    if (path === "./testing") continue;
    // ESM and CommonJS declarations: the same text but for the specifiers (resolution.test.mjs).
    const types = typeof target === "object" ? target.types?.default ?? target.types : undefined;
    if (types) {
      lines.push(`// exports[${JSON.stringify(path)}].types: ${types}`);
      queue.push(types);
    }
  }
  const seen = new Set();
  while (queue.length) {
    const file = join(".", queue.shift());
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(pkgDir, file), "utf8");
    lines.push("", `// ==== ${file} ====`, text.trimEnd());
    for (const [, spec] of text.matchAll(/from\s+"(\.[^"]+)"/g)) {
      queue.push(join(dirname(file), spec.replace(/\.js$/, ".d.ts")));
    }
  }
  return `${lines.join("\n")}\n`.replace(/snippets\/liveagent-reseller-[0-9a-f]+\//g, "snippets/liveagent-reseller-HASH/");
}

test("the declarations match tests/reference/liveagent-reseller.d.ts (BLESS=1 refreshes it)", () => {
  const now = surface();
  if (process.env.BLESS === "1") {
    mkdirSync(dirname(reference), { recursive: true });
    writeFileSync(reference, now);
    return;
  }
  assert.ok(existsSync(reference), "no reference yet: run with BLESS=1");
  const was = readFileSync(reference, "utf8");
  if (was === now) return;
  const fresh = join(app, "liveagent-reseller.d.ts");
  writeFileSync(fresh, now);
  const diff = spawnSync("diff", ["-u", reference, fresh], { encoding: "utf8" }).stdout;
  assert.fail(`the package's declarations changed: review, then refresh with BLESS=1\n${diff.slice(0, 6000)}`);
});
