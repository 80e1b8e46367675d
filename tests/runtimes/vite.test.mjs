// examples/vite: built with the root's Vite 7 (the example has no lockfile
// and no vite.config of its own), served as static files and opened in
// headless Chromium, which must show the sandbox's accounts. Then the same
// app under `vite dev`, which pre-bundles the package.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createServer } from "vite";
import { bin, consumer, preflight, run, sandbox, serveStatic, tempDir } from "./helpers.mjs";

const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"];
let app;
let browser;
const closers = [];

before(async () => {
  await preflight();
  // A copy, not a link: Vite pre-bundles only what lies in node_modules.
  app = consumer("vite", { example: "vite", copy: true });
  await run(bin("vite"), ["build", app, "--outDir", join(app, "dist"), "--emptyOutDir", "--logLevel", "warn"]);
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

/** Opens the app, waits for it to settle; resolves the page's rows, status line, problems and wasm responses. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  const wasm = [];
  page.on("console", (message) => { if (["error", "warning"].includes(message.type())) problems.push(message.text()); });
  page.on("pageerror", (error) => problems.push(String(error)));
  page.on("response", (response) => {
    if (/\.wasm(-[\w-]+\.js)?$|\.wasm\.js$/.test(new URL(response.url()).pathname)) {
      wasm.push({ status: response.status(), type: response.headers()["content-type"] });
    }
  });
  await page.goto(`${url}/?sandbox=${encodeURIComponent(sandbox)}`);
  await page.waitForSelector("body[data-state]", { state: "attached", timeout: 15_000 }).catch(() => {});
  const state = await page.getAttribute("body", "data-state");
  const status = await page.textContent("#status");
  const rows = await page.$$eval("#accounts tbody tr", (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  await page.close();
  return { state, status, rows, problems, wasm };
}

test("vite build emits one hashed .wasm asset and its JavaScript form beside the bundle", () => {
  const assets = readdirSync(join(app, "dist/assets"));
  assert.equal(assets.filter((f) => /^liveagent_reseller_bg-[\w-]+\.wasm$/.test(f)).length, 1, String(assets));
  assert.equal(assets.filter((f) => /^liveagent_reseller_bg\.wasm-[\w-]+\.js$/.test(f)).length, 1, String(assets));
  const js = assets.filter((f) => f.endsWith(".js") && !f.startsWith("liveagent_reseller_bg.wasm"));
  assert.equal(js.length, 1, String(assets));
  const bundle = readFileSync(join(app, "dist/assets", js[0]), "utf8");
  assert.doesNotMatch(bundle, /node:fs|readFileSync/, "the node entry was bundled for the browser");
});

test("the built app shows the sandbox's accounts in headless Chromium", async () => {
  const server = await serveStatic(join(app, "dist"));
  closers.push(server.close);
  const { state, status, rows, problems, wasm } = await open(server.url);
  assert.equal(state, "ready", `${status}\n${problems.join("\n")}`);
  assert.match(status, /^\d+ accounts of reseller@example\.com$/);
  assert.deepEqual(rows.find((row) => row[0] === "9900a49c321c871cd1a572a1dc21a33c"),
    ["9900a49c321c871cd1a572a1dc21a33c", "a (Active)", "mysupport.ladesk.com", "John Oniell", "2012-11-10 07:12:51"]);
  assert.ok(rows.some((row) => row[2] === "sonatha.ladesk.com"));
  assert.deepEqual(wasm, [{ status: 200, type: "application/wasm" }]);
  assert.deepEqual(problems, []);
});

// The dev server pre-bundles the package into node_modules/.vite/deps, away
// from its .wasm: the package asks for it in its own folder instead.
test("the app also runs under `vite dev` with no configuration", async () => {
  const server = await createServer({
    root: app,
    configFile: false,
    logLevel: "silent",
    server: { host: "127.0.0.1", port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  closers.push(() => server.close());
  const url = server.resolvedUrls.local[0].replace(/\/$/, "");
  const { state, status, rows, problems, wasm } = await open(url);
  assert.equal(state, "ready", `${status}\n${problems.join("\n")}`);
  assert.ok(rows.some((row) => row[2] === "mysupport.ladesk.com"));
  assert.deepEqual(wasm, [{ status: 200, type: "application/wasm" }]);
  assert.deepEqual(problems, []);
});
