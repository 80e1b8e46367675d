// Loading the .wasm (API.md "Loading"): no entry uses top-level await,
// nothing fails at import, a .wasm that cannot be loaded rejects the first
// call with a LiveAgentError naming its URL and the fix (in the page's own
// try/catch), the inline entry works as an es2020 IIFE in a classic script,
// and the minified entries have source maps that name real lines.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { transformSync } from "esbuild";
import { chromium } from "playwright-core";
import webpack from "webpack";
import { api, apiKey, bin, consumer, pkgDir, preflight, reseller, run, serveStatic, tempDir } from "./helpers.mjs";
import { readmeBlock } from "./readme-snippets.mjs";

const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WASM = "liveagent_reseller_bg.wasm";
let browser;
const closers = [];

before(async () => {
  await preflight();
  browser = await chromium.launchPersistentContext(tempDir("chromium-profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: flags,
  });
});

after(async () => {
  await browser?.close();
  for (const close of closers) await close();
});

/** Every .js file of the package, relative to pkg/. */
function packageModules(dir = pkgDir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return packageModules(path);
    return entry.name.endsWith(".js") ? [relative(pkgDir, path)] : [];
  });
}

test("no module of the package uses top-level await; every entry of package.json exists", () => {
  const modules = packageModules();
  for (const entry of ["index.js", "node.js", "workerd.js", "inline.js", "manual.js", "load.js"]) {
    assert.ok(modules.includes(entry), `${entry} is missing from pkg/`);
  }
  for (const file of modules) {
    // CommonJS output cannot hold a top-level await: esbuild refuses it.
    assert.doesNotThrow(() => transformSync(readFileSync(join(pkgDir, file), "utf8"), { format: "cjs", logLevel: "silent" }),
      `${file} uses top-level await`);
  }
  // An ESM import of a Node builtin costs the cold start 2-3 ms (Node builds
  // its namespace): the Node entry takes node:fs from process.getBuiltinModule.
  assert.doesNotMatch(readFileSync(join(pkgDir, "node.js"), "utf8"), /\bfrom\s*["']node:/,
    "node.js imports a Node builtin");
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const flat = (target) => (typeof target === "string" ? [target] : Object.values(target).flatMap(flat));
  for (const target of flat(pkg.exports)) assert.ok(statSync(join(pkgDir, target), { throwIfNoEntry: false }), `exports names ${target}`);
  assert.deepEqual(pkg.exports["./inline"],
    { types: { require: "./index.d.cts", default: "./index.d.ts" }, require: "./inline.cjs", default: "./inline.js" });
  // Nothing runs at import (no entry configures anything): bundlers may drop any unused module.
  assert.equal(pkg.sideEffects, false);
});

test("Node: with the .wasm missing nothing fails at import; the first call rejects with a LiveAgentError naming the file; once it is back, the next client and the same client's next call load it", async () => {
  const app = consumer("loading-node", { copy: true });
  const installed = join(app, "node_modules/liveagent-reseller");
  rmSync(join(installed, WASM));
  writeFileSync(join(app, "main.mjs"), `let unhandled = 0;
process.on("unhandledRejection", (error) => { unhandled++; console.error("unhandled:", error); });
import { copyFileSync } from "node:fs";
const node = await import("liveagent-reseller");
const inline = await import("liveagent-reseller/inline");
const manual = await import("liveagent-reseller/manual");
const browserEntry = await import("./node_modules/liveagent-reseller/index.js");
const config = { baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" };
const facts = (m, error) => ({ instance: error instanceof m.LiveAgentError, kind: error.kind, operation: error.operation,
  retryable: error.retryable, message: error.message, cause: error.cause !== undefined });
const out = {};
new node.ResellerClient(config); // never called: its rejection must not be unhandled
new browserEntry.ResellerClient(config);
const early = {};
const firstError = {};
for (const [name, m] of [["node", node], ["browser", browserEntry]]) {
  try {
    early[name] = new m.ResellerClient(config);
    await early[name].listVariations();
    out[name] = "resolved";
  } catch (error) {
    out[name] = facts(m, error);
    firstError[name] = error;
  }
}
// A second call of the same client tries to load again: a new error, not the first one kept.
const second = await early.node.listVariations().catch((error) => error);
out.nodeAgain = { kind: second.kind, fresh: second !== firstError.node };
// A config the core would refuse is refused by the constructor, .wasm or not (js/config.js).
try {
  new node.ResellerClient({ ...config, baseUrl: "ftp://example.com" });
  out.refused = "constructed";
} catch (error) {
  out.refused = [error.kind, error instanceof node.LiveAgentError, error.message];
}
// A config that is not a plain object is kept as it is (no copy) until the core has read it.
let held = Object.assign(Object.create(null), config);
const heldClient = new node.ResellerClient(held);
const heldRef = new WeakRef(held);
held = undefined;
out.preload = await node.init().then(() => "loaded", (error) => facts(node, error));
try {
  new manual.ResellerClient(config);
  out.manual = "constructed";
} catch (error) {
  out.manual = facts(manual, error);
}
out.manualInit = await manual.init({ module_or_path: new URL("file:///nowhere/x.wasm") }).then(() => "loaded", (error) => facts(manual, error));
// The inline entry needs no file.
out.inline = (await new inline.ResellerClient(config).listVariations()).variations?.[0]?.id;
// The .wasm put back: the next client of the node entry loads it.
copyFileSync(process.env.WASM, new URL(import.meta.resolve("liveagent-reseller/${WASM}")));
out.again = (await new node.ResellerClient(config).listVariations()).variations?.[0]?.id;
// ...and so does the client made while it was missing, at its next call.
out.sameClient = (await early.node.listVariations()).variations?.[0]?.id;
// Once the core holds the config, the client lets go of the caller's object (and its key).
out.heldCall = (await heldClient.listVariations()).variations?.[0]?.id;
await new Promise((resolve) => setTimeout(resolve, 0));
globalThis.gc();
out.released = heldRef.deref() === undefined;
await new Promise((resolve) => setTimeout(resolve, 50));
out.unhandled = unhandled;
console.log(JSON.stringify(out));
`);
  writeFileSync(join(app, "require.cjs"), `const m = require("liveagent-reseller");
console.log(typeof m.ResellerClient, typeof m.toLiveAgentDateTime, typeof m.fromLiveAgentDateTime);
`);
  // require() first, while the .wasm is missing: it must not throw either.
  const required = await run(process.execPath, ["require.cjs"], { cwd: app });
  assert.equal(required.stdout.trim(), "function function function");
  assert.equal(required.stderr, "");

  const { stdout, stderr } = await run(process.execPath, ["--expose-gc", "main.mjs"], { cwd: app, env: { API: api, WASM: join(pkgDir, WASM) } });
  assert.equal(stderr, "");
  const out = JSON.parse(stdout);
  const file = new URL(`file://${join(installed, WASM)}`).href;
  for (const name of ["node", "browser", "preload"]) {
    const error = out[name];
    assert.equal(typeof error, "object", `${name}: ${JSON.stringify(error)}`);
    assert.deepEqual({ ...error, message: undefined },
      { instance: true, kind: "network", operation: "ResellerClient", retryable: true, message: undefined, cause: true });
    assert.ok(error.message.includes(file), `${name}: the message does not name ${file}: ${error.message}`);
    assert.match(error.message, /liveagent-reseller\/inline/);
  }
  assert.deepEqual({ ...out.manual, message: undefined },
    { instance: true, kind: "invalid_input", operation: "ResellerClient", retryable: false, message: undefined, cause: false });
  assert.match(out.manual.message, /init\(\)/);
  assert.equal(out.manualInit.kind, "network");
  assert.match(out.manualInit.message, /file:\/\/\/nowhere\/x\.wasm/);
  assert.equal(out.inline, "r7g4y7ya");
  assert.deepEqual(out.nodeAgain, { kind: "network", fresh: true });
  assert.equal(out.again, "r7g4y7ya");
  assert.equal(out.sameClient, "r7g4y7ya");
  assert.deepEqual(out.refused, ["invalid_input", true,
    "ResellerClient: baseUrl must be an absolute http(s) URL without credentials, query or fragment"]);
  assert.equal(out.heldCall, "r7g4y7ya");
  assert.equal(out.released, true, "the client still holds the config it was made with");
  assert.equal(out.unhandled, 0);
});

test("a stack trace from the minified Node entry names the package's files and lines (--enable-source-maps)", async () => {
  const app = consumer("sourcemaps");
  writeFileSync(join(app, "main.mjs"), `import { ResellerClient } from "liveagent-reseller";
const client = new ResellerClient({ baseUrl: process.env.API, reseller: "${reseller}", apiKey: "${apiKey}" });
const error = await client.getAccount("").catch((e) => e);
console.log(error.stack);
`);
  const mapped = (await run(process.execPath, ["--enable-source-maps", "main.mjs"], { cwd: app, env: { API: api } })).stdout;
  // The consumer links pkg/, so Node names the files by their real paths.
  const inPkg = new RegExp(`${pkgDir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/([\\w./-]+\\.js):(\\d+):(\\d+)`, "g");
  const frames = [...mapped.matchAll(inPkg)]
    .map(([, file, line, column]) => ({ file, line: Number(line), column: Number(column) }));
  assert.ok(frames.some((f) => f.file === "driver.js"), `no frame in driver.js:\n${mapped}`);
  assert.ok(!frames.some((f) => f.file === "node.js"), `a frame still points into the bundle:\n${mapped}`);
  for (const frame of frames) {
    const lines = readFileSync(join(pkgDir, frame.file), "utf8").split("\n");
    const text = lines[frame.line - 1] ?? "";
    assert.ok(text.trim().length > 0 && frame.column <= text.length + 1, `${frame.file}:${frame.line} is not a line of code`);
    if (frame.file.endsWith("error.js")) assert.match(text, /LiveAgentError/, `${frame.file}:${frame.line}: ${text}`);
  }
  // Without the maps the same frames point into one minified line.
  const bare = (await run(process.execPath, ["main.mjs"], { cwd: app, env: { API: api } })).stdout;
  assert.ok(bare.includes(`${pkgDir}/node.js:`), bare);
  assert.doesNotMatch(bare, /driver\.js/);
});

test("every minified entry ships its source map, whose sources are in the package", async () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.ok(pkg.files.includes("*.js.map"), String(pkg.files));
  const { stdout } = await run("npm", ["pack", pkgDir, "--dry-run", "--json", "--silent"]);
  const packed = JSON.parse(stdout)[0].files.map((f) => f.path);
  for (const entry of ["index.js", "node.js", "inline.js"]) {
    const code = readFileSync(join(pkgDir, entry), "utf8");
    assert.ok(code.trimEnd().endsWith(`//# sourceMappingURL=${entry}.map`), `${entry} names no source map`);
    assert.ok(packed.includes(`${entry}.map`), `${entry}.map is not in the tarball`);
    const map = JSON.parse(readFileSync(join(pkgDir, `${entry}.map`), "utf8"));
    assert.equal(map.version, 3);
    assert.ok(map.sources.includes("driver.js") && map.sources.includes("client.js"), String(map.sources));
    map.sources.forEach((source, i) => {
      const shipped = packed.includes(join(dirname(entry), source)) || packed.includes(source);
      assert.ok(shipped || typeof map.sourcesContent?.[i] === "string", `${entry}.map: ${source} is neither shipped nor inlined`);
    });
  }
  // Not by its size (the sources it carries grow): by the .wasm's own text.
  const embedded = readFileSync(join(pkgDir, WASM)).toString("base64").slice(0, 1024);
  assert.ok(!readFileSync(join(pkgDir, "inline.js.map"), "utf8").includes(embedded), "inline.js.map carries the .wasm");
});

/** Opens `url`, waits for body[data-state]; resolves the page's #out JSON, problems, requests and console. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  const logs = [];
  const requests = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("console", (message) => logs.push(`${message.type()}: ${message.text()}`));
  page.on("request", (request) => requests.push(new URL(request.url()).pathname));
  await page.goto(url);
  await page.waitForSelector("body[data-state]", { state: "attached", timeout: 20_000 }).catch(() => {});
  const text = await page.textContent("#out").catch(() => null);
  await page.close();
  return { out: text ? JSON.parse(text) : null, problems, logs, requests };
}

// A page that computes datetimes across DST too: the host's Intl in Chromium agrees with Node's.
const esmApp = `import { LiveAgentError, ResellerClient, fromLiveAgentDateTime, toLiveAgentDateTime } from "liveagent-reseller";
const params = new URLSearchParams(location.search);
const out = {
  dates: [toLiveAgentDateTime(new Date("2024-03-10T10:00:00Z")), toLiveAgentDateTime(new Date("2024-11-03T09:30:00Z")),
          fromLiveAgentDateTime("2024-03-10 02:30:00").toISOString(), fromLiveAgentDateTime("2024-11-03 01:30:00").toISOString()],
};
async function main() {
  try {
    const client = new ResellerClient({ baseUrl: params.get("api"), reseller: params.get("reseller"), apiKey: params.get("key") });
    const { accounts } = await client.listAccounts();
    out.domains = (accounts ?? []).map((a) => a.domain);
  } catch (error) {
    out.caught = { instance: error instanceof LiveAgentError, kind: error?.kind, operation: error?.operation, message: String(error?.message) };
  }
  document.querySelector("#out").textContent = JSON.stringify(out);
  document.body.dataset.state = "done";
}
main();
`;
const dstTexts = ["2024-03-10 03:00:00", "2024-11-03 01:30:00", "2024-03-10T10:30:00.000Z", "2024-11-03T08:30:00.000Z"];

test("in a browser, a client whose first call found no .wasm lists accounts at its next call once the .wasm is served", async () => {
  const app = consumer("esm-retry");
  writeFileSync(join(app, "app.js"), `import { ResellerClient } from "liveagent-reseller";
const params = new URLSearchParams(location.search);
const client = new ResellerClient({ baseUrl: params.get("api"), reseller: params.get("reseller"), apiKey: params.get("key") });
const call = () => client.listAccounts().then(({ accounts }) => accounts.length, (error) => error.kind);
window.first = call();
window.call = call;
`);
  writeFileSync(join(app, "index.html"), `<!doctype html><meta charset="utf-8"><title>retry</title><script type="module" src="dist/app.js"></script>\n`);
  await run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--target=es2020", "--outdir=dist"], { cwd: app });
  const server = await serveStatic(app);
  closers.push(server.close);
  const page = await browser.newPage();
  const problems = [];
  let fetched = 0; // requests for the .wasm
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("request", (request) => { if (request.url().endsWith(`/dist/${WASM}`)) fetched++; });
  try {
    await page.goto(`${server.url}/?api=${encodeURIComponent(api)}&reseller=${encodeURIComponent(reseller)}&key=${apiKey}`);
    await page.waitForFunction(() => window.first !== undefined);
    assert.equal(await page.evaluate(() => window.first), "network");
    assert.equal(fetched, 1);
    assert.equal(await page.evaluate(() => window.call()), "network", "the second call found the .wasm");
    assert.equal(fetched, 2, "the second call did not try to load the .wasm again");
    copyFileSync(join(app, "node_modules/liveagent-reseller", WASM), join(app, "dist", WASM));
    const count = await page.evaluate(() => window.call());
    assert.ok(typeof count === "number" && count > 0, `the same client's next call: ${count}`);
    assert.equal(fetched, 3);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("an esbuild ESM page (es2020) served without the .wasm: its own try/catch gets a LiveAgentError naming the URL; with the .wasm beside the bundle it lists accounts", async () => {
  const app = consumer("esm-page");
  writeFileSync(join(app, "app.js"), esmApp);
  writeFileSync(join(app, "index.html"), `<!doctype html><meta charset="utf-8"><title>esm</title><pre id="out"></pre><script type="module" src="dist/app.js"></script>\n`);
  const built = await run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--target=es2020", "--outdir=dist"], { cwd: app });
  assert.doesNotMatch(built.stderr, /warning|error/i, built.stderr);
  const server = await serveStatic(app);
  closers.push(server.close);
  const query = `?api=${encodeURIComponent(api)}&reseller=${encodeURIComponent(reseller)}&key=${apiKey}`;

  const missing = await open(`${server.url}/${query}`);
  assert.deepEqual(missing.problems, [], "an error escaped the page's try/catch");
  assert.ok(missing.out?.caught, JSON.stringify(missing));
  assert.deepEqual({ ...missing.out.caught, message: undefined },
    { instance: true, kind: "network", operation: "ResellerClient", message: undefined });
  assert.ok(missing.out.caught.message.includes(`${server.url}/dist/${WASM}`), missing.out.caught.message);
  assert.match(missing.out.caught.message, /404/);
  assert.match(missing.out.caught.message, /liveagent-reseller\/inline/);
  assert.deepEqual(missing.out.dates, dstTexts);
  assert.ok(missing.requests.includes(`/dist/${WASM}`));

  // The README's esbuild recipe: copy the .wasm (and its JavaScript form, for CSP pages) beside the bundle.
  const recipe = readmeBlock("Bundlers", "sh", /--format=esm/);
  assert.match(recipe, /^cp node_modules\/liveagent-reseller\/liveagent_reseller_bg\.wasm\* dist\/$/m);
  for (const file of [WASM, `${WASM}.js`]) copyFileSync(join(app, "node_modules/liveagent-reseller", file), join(app, "dist", file));
  const served = await open(`${server.url}/${query}`);
  assert.deepEqual(served.problems, []);
  assert.ok(served.out?.domains?.includes("mysupport.ladesk.com"), JSON.stringify(served));
  assert.deepEqual(served.out.dates, dstTexts);
});

test("webpack 5 with no settings emits the .wasm as an asset; the page lists accounts", async () => {
  const app = consumer("webpack-page");
  writeFileSync(join(app, "app.js"), esmApp);
  const stats = await new Promise((resolve, reject) => {
    webpack({
      mode: "production", entry: join(app, "app.js"), output: { path: join(app, "dist"), filename: "app.js" },
      devtool: false, infrastructureLogging: { level: "error" },
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), stats.toString("errors-warnings"));
  const emitted = readdirSync(join(app, "dist"));
  assert.equal(emitted.filter((f) => f.endsWith(".wasm")).length, 1, String(emitted));
  writeFileSync(join(app, "dist/index.html"), `<!doctype html><meta charset="utf-8"><title>webpack</title><pre id="out"></pre><script src="app.js"></script>\n`);
  const server = await serveStatic(join(app, "dist"));
  closers.push(server.close);
  const query = `?api=${encodeURIComponent(api)}&reseller=${encodeURIComponent(reseller)}&key=${apiKey}`;
  const { out, problems, requests } = await open(`${server.url}/${query}`);
  assert.deepEqual(problems, []);
  assert.ok(out?.domains?.includes("mysupport.ladesk.com"), JSON.stringify(out));
  assert.deepEqual(out.dates, dstTexts);
  assert.equal(requests.filter((path) => path.endsWith(".wasm")).length, 1, String(requests));
});

test("the README's <script> recipe: the inline entry as an es2020 IIFE lists the sandbox's accounts, fetching no .wasm", async () => {
  const app = consumer("iife-page");
  writeFileSync(join(app, "app.ts"), readmeBlock("Bundlers", "ts", /liveagent-reseller\/inline/));
  const command = readmeBlock("Bundlers", "sh", /--format=iife/).trim();
  assert.match(command, /^npx esbuild .*--format=iife .*--target=es2020/);
  const built = await run(bin("esbuild"), command.replace(/^npx esbuild /, "").split(/\s+/), { cwd: app });
  assert.doesNotMatch(built.stderr, /warning|error/i, built.stderr);
  const bundle = readFileSync(join(app, "dist/app.js"), "utf8");
  assert.doesNotMatch(bundle, /import\.meta|\bimport\s*\(/, "the IIFE still refers to a module URL or imports");
  const html = readmeBlock("Bundlers", "html", /<script src="app\.js">/)
    .replace('"/api"', JSON.stringify(api)).replace('"reseller@example.com"', JSON.stringify(reseller))
    .replace('"…"', JSON.stringify(apiKey))
    .replace("console.log(n, \"accounts\")",
      "(document.querySelector('#out').textContent = JSON.stringify({ count: n }), document.body.dataset.state = 'done')");
  assert.doesNotMatch(html, /type="module"/);
  writeFileSync(join(app, "dist/index.html"), `<!doctype html><meta charset="utf-8"><title>iife</title><pre id="out"></pre>\n${html}`);
  const server = await serveStatic(join(app, "dist"));
  closers.push(server.close);
  const { out, problems, requests } = await open(`${server.url}/`);
  assert.deepEqual(problems, []);
  const expected = (await (await fetch(`${api}/resellers/${reseller}/accounts?apikey=${apiKey}`)).json()).response.accounts.length;
  assert.ok(expected >= 2);
  assert.deepEqual(out, { count: expected });
  assert.deepEqual(requests.filter((path) => path.endsWith(".wasm")), []);
});
