// `make demo-static` (scripts/build-static-demo.sh): the console, the
// package and its testing entry as plain files, served by Python's
// http.server with no API and no sandbox process behind them. In headless
// Chromium the page runs the sandbox's rules in the tab: it lists the
// accounts, creates one, and shows an injected fault.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
const PORT = Number(process.env.STATIC_DEMO_PORT ?? 18390);
const JOHN = "9900a49c321c871cd1a572a1dc21a33c";
let dir;
let server;
let browser;
let base;
const served = []; // every path the static server was asked for

before(async () => {
  assert.ok(existsSync(join(ROOT, "pkg/testing.js")), "pkg/ with its testing entry is needed: make pkg");
  dir = join(mkdtempSync(join(tmpdir(), "liveagent-static-demo-")), "site");
  await promisify(execFile)("bash", [join(ROOT, "scripts/build-static-demo.sh"), dir], { cwd: ROOT });
  server = spawn("python3", ["-u", "-m", "http.server", String(PORT), "--bind", "127.0.0.1", "--directory", dir],
    { stdio: ["ignore", "pipe", "pipe"] });
  server.stderr.setEncoding("utf8").on("data", (chunk) => {
    for (const [, path] of chunk.matchAll(/"[A-Z]+ (\S+) HTTP/g)) served.push(path);
  });
  base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/`).catch(() => null))?.ok) break;
    if (i > 100) throw new Error("python3 -m http.server did not start");
    await new Promise((ok) => setTimeout(ok, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  if (server?.exitCode === null) server.kill();
  if (dir && !process.env.KEEP_TMP) rmSync(resolve(dir, ".."), { recursive: true, force: true });
});

test("the static folder holds the page, the package and the testing entry, with relative paths", () => {
  for (const file of ["index.html", "console.html", "app.js", "pkg/index.js", "pkg/testing.js", "pkg/sandbox_rules.wasm"]) {
    assert.ok(existsSync(join(dir, file)), file);
  }
});

test("in Chromium, from a plain static server: accounts listed, one created, a fault shown", { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 503/.test(message.text())) errors.push(message.text());
  });
  // No API behind the page: any request that is not a file here fails loudly.
  await page.goto(`${base}/`);
  await page.waitForURL(/console\.html\?sandbox=memory/);
  await page.locator("#connection-state[data-state=ok]").waitFor({ timeout: 20_000 });
  await page.locator(`#accounts-table tbody tr[data-account-id="${JOHN}"]`).waitFor({ state: "attached" });

  await page.click("#tab-signup");
  await page.locator("#signup-variation option", { hasText: "Free" }).waitFor({ state: "attached" });
  await page.selectOption("#signup-variation", "r7g4y7ya");
  await page.fill("#signup-name", "Ada Lovelace");
  await page.fill("#signup-email", "ada@example.org");
  await page.fill("#signup-subdomain", "ada-static");
  await page.locator("#signup-email-check[data-state=valid]").waitFor();
  await page.locator("#signup-subdomain-check[data-state=valid]").waitFor();
  await page.click("#signup-submit");
  const created = page.locator("#signup-outcome .result-success");
  await created.waitFor();
  assert.match(await created.innerText(), /Created the account of Ada Lovelace \(ada-static\.ladesk\.com\)/);

  const chaos = page.locator("#chaos");
  await chaos.waitFor();
  await chaos.getByLabel("Applies to").selectOption("/licenses");
  await chaos.locator("[data-fault=error500]").click();
  await page.click("#tab-licenses");
  await page.click("#licenses-filter button[type=submit]");
  const entry = page.locator('#log-list > li[data-op="listLicenses"]').first();
  await entry.locator(".log-status", { hasText: "500" }).waitFor({ timeout: 15_000 });

  const apiCalls = served.filter((path) => path.includes("/api/") || path.includes("/_sandbox") || path.includes("sandbox.json"));
  assert.deepEqual(apiCalls, [], "the static server saw no API request");
  assert.ok(served.some((path) => path.endsWith("/pkg/sandbox_rules.wasm")), served.join(" "));
  assert.deepEqual(errors.filter((e) => !/status of 500/.test(e)), []);
  await page.close();
});
