// The package as published (`npm pack`, installed once into an empty
// project), built into a page by each bundler a user may have, with no
// configuration beyond what the README's "Bundlers" section states: webpack 5,
// Rollup (+ @rollup/plugin-node-resolve), esbuild and Bun's bundler (esbuild
// and Rollup: the README's one copy step). Each page lists the sandbox's
// accounts in headless Chromium. Then a page under the strict
// Content-Security-Policy of issue 18 (no 'wasm-unsafe-eval'), which lists
// them through the .wasm's JavaScript form; and what happens when no form can run.
// One sandbox, one browser, one install.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import webpack from "webpack";
import { transform } from "esbuild";
import { rollup } from "rollup";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import { api, apiKey, bin, pkgDir, preflight, reseller, run, sandbox, serveStatic, tempDir } from "./helpers.mjs";
import { readmeBlock } from "./readme-snippets.mjs";

const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const WASM = "liveagent_reseller_bg.wasm";
const FALLBACK = `${WASM}.js`;
const CSP = `default-src 'self'; script-src 'self'; connect-src 'self' ${sandbox}`;
let app; // the project the tarball is installed in; each bundler writes dist/<name>/
let browser;
let server; // serves app/dist
const sizes = {}; // bundler -> gzip bytes of its JavaScript output
const firstCall = {}; // page -> ms of its first call, the load of the .wasm (or its JavaScript form) included

// Lists the accounts, or shows the LiveAgentError it got; never throws.
const page = `import { LiveAgentError, ResellerClient } from "liveagent-reseller";
async function main() {
  const params = new URLSearchParams(location.search);
  const out = {};
  const started = performance.now();
  try {
    const client = new ResellerClient({ baseUrl: params.get("api"), reseller: params.get("reseller"), apiKey: params.get("key") });
    out.domains = ((await client.listAccounts()).accounts ?? []).map((a) => a.domain);
    out.ms = Math.round(performance.now() - started); // the first call, loading included
  } catch (error) {
    out.caught = { instance: error instanceof LiveAgentError, kind: error?.kind, retryable: error?.retryable, message: String(error?.message) };
  }
  document.querySelector("#out").textContent = JSON.stringify(out);
  document.body.dataset.state = "done";
}
main();
`;

const html = (script, { module = true, csp = false } = {}) => `<!doctype html><meta charset="utf-8">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${CSP}">\n` : ""}<link rel="icon" href="${csp ? "favicon.svg" : "data:,"}">
<title>accounts</title><pre id="out"></pre>
<script ${module ? 'type="module" ' : ""}src="${script}"></script>
`;

before(async () => {
  await preflight();
  const packDir = tempDir("bundlers-pack");
  const { stdout } = await run("npm", ["pack", pkgDir, "--pack-destination", packDir, "--json", "--silent"]);
  const [packed] = JSON.parse(stdout);
  app = tempDir("bundlers-app");
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "bundlers-app", private: true, type: "module" }));
  await run("npm", ["install", join(packDir, packed.filename), "--no-audit", "--no-fund", "--no-update-notifier"], { cwd: app });
  writeFileSync(join(app, "app.js"), page);
  mkdirSync(join(app, "dist"));
  server = await serveStatic(join(app, "dist"));
  browser = await chromium.launchPersistentContext(tempDir("chromium-profile"), {
    executablePath: "/usr/bin/chromium", headless: true, args: flags,
  });
});

after(async (t) => {
  await browser?.close();
  await server?.close();
  if (Object.keys(sizes).length) console.log(`# bundle sizes (gzip -9 of the JavaScript): ${JSON.stringify(sizes)}`);
  if (Object.keys(firstCall).length) console.log(`# first call, load included (ms): ${JSON.stringify(firstCall)}`);
});

/** Opens dist/<dir>/index.html; resolves the page's #out JSON, its problems and the package files it fetched. */
async function open(dir) {
  const tab = await browser.newPage();
  const problems = [];
  const fetched = [];
  tab.on("pageerror", (error) => problems.push(String(error)));
  tab.on("console", (message) => { if (message.type() === "error") problems.push(message.text()); });
  tab.on("response", (response) => {
    // The .wasm, and any script but the bundle: the JavaScript form (webpack names both by their hash).
    const path = new URL(response.url()).pathname;
    if (path.endsWith(".wasm")) fetched.push(`wasm ${response.status()}`);
    else if (path.endsWith(".js") && !path.endsWith("/app.js")) fetched.push(`js ${response.status()}`);
  });
  try {
    const query = `?api=${encodeURIComponent(api)}&reseller=${encodeURIComponent(reseller)}&key=${apiKey}`;
    await tab.goto(`${server.url}/${dir}/index.html${query}`);
    await tab.waitForSelector("body[data-state]", { state: "attached", timeout: 30_000 }).catch(() => {});
    const text = await tab.textContent("#out");
    return { out: text ? JSON.parse(text) : null, problems, fetched };
  } finally {
    await tab.close();
  }
}

/**
 * gzip -9 of the bundle, dist/<dir>/app.js (the .wasm and its JavaScript form
 * are separate files). Rollup does not minify by itself, and nobody ships its
 * output unminified: that bundle is measured as esbuild minifies it.
 */
async function measure(name, dir, { minify = false } = {}) {
  let code = readFileSync(join(app, "dist", dir, "app.js"), "utf8");
  if (minify) code = (await transform(code, { minify: true, format: "esm" })).code;
  sizes[name] = gzipSync(code, { level: 9 }).length;
}

const lists = (result, name) => {
  firstCall[name] = result.out?.ms;
  assert.deepEqual(result.problems, []);
  assert.ok(result.out?.domains?.includes("mysupport.ladesk.com"), JSON.stringify(result));
  assert.deepEqual(result.fetched, ["wasm 200"], "the page fetched the .wasm once, and not its JavaScript form");
};

/** The README's copy step: the .wasm and its JavaScript form beside the bundle. */
function copyStep(dir) {
  const command = readmeBlock("Bundlers", "sh", /--format=esm/).split("\n").find((line) => line.startsWith("cp "));
  assert.equal(command, `cp node_modules/liveagent-reseller/${WASM}* dist/`);
  for (const file of [WASM, FALLBACK]) cpSync(join(app, "node_modules/liveagent-reseller", file), join(app, "dist", dir, file));
}

test("webpack 5 with no configuration: emits the .wasm and its JavaScript form as assets; the page lists accounts", async () => {
  const stats = await new Promise((resolve, reject) => {
    webpack({
      mode: "production", entry: join(app, "app.js"), output: { path: join(app, "dist/webpack"), filename: "app.js" },
      devtool: false, infrastructureLogging: { level: "error" },
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), stats.toString("errors-warnings"));
  const emitted = readdirSync(join(app, "dist/webpack"));
  assert.equal(emitted.filter((f) => f.endsWith(".wasm")).length, 1, String(emitted));
  writeFileSync(join(app, "dist/webpack/index.html"), html("app.js", { module: false }));
  await measure("webpack", "webpack");
  lists(await open("webpack"), "webpack");
});

test("Rollup with @rollup/plugin-node-resolve and the README's copy step: the page lists accounts", async () => {
  const bundle = await rollup({ input: join(app, "app.js"), plugins: [nodeResolve({ browser: true })], logLevel: "silent" });
  await bundle.write({ dir: join(app, "dist/rollup"), format: "es" });
  await bundle.close();
  copyStep("rollup");
  writeFileSync(join(app, "dist/rollup/index.html"), html("app.js"));
  await measure("rollup", "rollup", { minify: true });
  lists(await open("rollup"), "rollup");
});

test("esbuild with the README's command and copy step: the page lists accounts", async () => {
  const command = readmeBlock("Bundlers", "sh", /--format=esm/).split("\n").find((line) => line.startsWith("npx esbuild "));
  assert.ok(command, "no `npx esbuild` line in the README's esbuild recipe");
  const args = command.replace(/^npx esbuild /, "").split(/\s+/).map((arg) => arg.replace(/^--outdir=dist$/, "--outdir=dist/esbuild"));
  const built = await run(bin("esbuild"), args, { cwd: app });
  assert.doesNotMatch(built.stderr, /warning|error/i, built.stderr);
  copyStep("esbuild");
  writeFileSync(join(app, "dist/esbuild/index.html"), html("app.js"));
  await measure("esbuild", "esbuild");
  lists(await open("esbuild"), "esbuild");
});

test("Bun's bundler (bun build --target=browser): the page lists accounts", async () => {
  await run(bin("bun"), ["build", "app.js", "--target=browser", "--outdir=dist/bun", "--minify"], { cwd: app });
  const emitted = readdirSync(join(app, "dist/bun"));
  // Bun emits what `new URL(…, import.meta.url)` names as assets; if not, the copy step applies.
  if (!emitted.some((f) => f.endsWith(".wasm"))) copyStep("bun");
  writeFileSync(join(app, "dist/bun/index.html"), html("app.js"));
  await measure("bun", "bun");
  lists(await open("bun"), "bun");
});

test("a page with the strict CSP (no 'wasm-unsafe-eval') lists accounts through the JavaScript form; the .wasm is never fetched", async () => {
  const dir = join(app, "dist/csp");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  for (const file of readdirSync(join(app, "dist/esbuild"))) {
    if (!file.endsWith(".html")) cpSync(join(app, "dist/esbuild", file), join(dir, file));
  }
  writeFileSync(join(dir, "index.html"), html("app.js", { csp: true }));
  const result = await open("csp");
  // Chromium reports the refused compile (our probe) on the console: that is the CSP at work, not a failure.
  const problems = result.problems.filter((p) => !/WebAssembly|wasm-unsafe-eval|Content Security Policy/i.test(p));
  assert.deepEqual(problems, []);
  assert.ok(result.out?.domains?.includes("mysupport.ladesk.com"), JSON.stringify(result));
  assert.ok(result.out.domains.includes("sonatha.ladesk.com"));
  assert.deepEqual(result.fetched, ["js 200"]);
  firstCall["esbuild, strict CSP"] = result.out.ms;
});

test("under the strict CSP with no JavaScript form to fetch, with /inline and with /manual, the error is not retryable and names the directive", async () => {
  // Default entry, the JavaScript form missing.
  const dir = join(app, "dist/csp-missing");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  cpSync(join(app, "dist/esbuild/app.js"), join(dir, "app.js"));
  writeFileSync(join(dir, "index.html"), html("app.js", { csp: true }));
  const missing = await open("csp-missing");
  assert.deepEqual({ ...missing.out?.caught, message: undefined },
    { instance: true, kind: "network", retryable: false, message: undefined }, JSON.stringify(missing));
  assert.match(missing.out.caught.message, /'wasm-unsafe-eval'/);
  assert.match(missing.out.caught.message, /script-src/);
  assert.match(missing.out.caught.message, new RegExp(`${FALLBACK.replace(/\./g, "\\.")}`));

  // The inline entry has no other form.
  const inlineDir = join(app, "dist/csp-inline");
  mkdirSync(inlineDir, { recursive: true });
  writeFileSync(join(inlineDir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(app, "inline-app.js"), page.replace('from "liveagent-reseller"', 'from "liveagent-reseller/inline"'));
  await run(bin("esbuild"), ["inline-app.js", "--bundle", "--format=esm", `--outfile=${join(inlineDir, "app.js")}`], { cwd: app });
  writeFileSync(join(inlineDir, "index.html"), html("app.js", { csp: true }));
  const inline = await open("csp-inline");
  assert.deepEqual({ ...inline.out?.caught, message: undefined },
    { instance: true, kind: "network", retryable: false, message: undefined }, JSON.stringify(inline));
  assert.match(inline.out.caught.message, /'wasm-unsafe-eval'.*script-src/);
  assert.deepEqual(inline.fetched, []);

  // The manual entry compiles only what init() is given.
  const manualDir = join(app, "dist/csp-manual");
  mkdirSync(manualDir, { recursive: true });
  writeFileSync(join(manualDir, "favicon.svg"), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  cpSync(join(app, "node_modules/liveagent-reseller", WASM), join(manualDir, WASM));
  writeFileSync(join(app, "manual-app.js"), page
    .replace('from "liveagent-reseller"', 'from "liveagent-reseller/manual"')
    .replace("LiveAgentError, ResellerClient }", "LiveAgentError, ResellerClient, init }")
    .replace("    const client = new", `    await init({ module_or_path: new URL("./${WASM}", import.meta.url) });\n    const client = new`));
  await run(bin("esbuild"), ["manual-app.js", "--bundle", "--format=esm", `--outfile=${join(manualDir, "app.js")}`], { cwd: app });
  writeFileSync(join(manualDir, "index.html"), html("app.js", { csp: true }));
  const manual = await open("csp-manual");
  assert.deepEqual({ ...manual.out?.caught, message: undefined },
    { instance: true, kind: "network", retryable: false, message: undefined }, JSON.stringify(manual));
  assert.match(manual.out.caught.message, /'wasm-unsafe-eval'.*script-src/);
  assert.match(manual.out.caught.message, new RegExp(WASM.replace(/\./g, "\\.")));
});

test("each bundler's output is measured (gzip -9 of its JavaScript, the .wasm aside)", () => {
  for (const name of ["webpack", "rollup", "esbuild", "bun"]) {
    assert.ok(sizes[name] > 1000 && sizes[name] < 20_000, `${name}: ${sizes[name]} B`);
  }
  assert.ok(statSync(join(app, "node_modules/liveagent-reseller", FALLBACK)).size > 0);
});
