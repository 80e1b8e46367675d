// Browser tests of the demo console (www/), served by the sandbox with the
// built package (pkg/). Run from the repository root: `node --test tests/e2e/`.
//
// SANDBOX_BIN overrides the sandbox binary (default: target/debug/sandbox,
// else /tmp/target-sandbox/debug/sandbox); DEMO_PKG the package folder
// (default pkg). Screenshots go to tests/screenshots/ (look at them).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = join(ROOT, "tests", "screenshots");
const PKG = resolve(ROOT, process.env.DEMO_PKG ?? "pkg");
const AXE = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const RESELLER_PATH = "/api/resellers/reseller@example.com";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const JOHN = "9900a49c321c871cd1a572a1dc21a33c";

let sandbox;
let base; // http://127.0.0.1:PORT
let apiKey; // the sandbox's key, read from /sandbox.json
let browser;

function sandboxBin() {
  if (process.env.SANDBOX_BIN) return process.env.SANDBOX_BIN;
  const local = join(ROOT, "target", "debug", "sandbox");
  return existsSync(local) ? local : "/tmp/target-sandbox/debug/sandbox";
}

/** Starts a sandbox on a free port; resolves to it and its URL (first stdout line). */
function startSandbox() {
  return new Promise((resolvePromise, reject) => {
    const bin = sandboxBin();
    const child = spawn(bin, ["--port", "0", "--www", "www", "--pkg", PKG], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 15_000);
    child.on("error", (err) => { clearTimeout(timer); reject(new Error(`cannot run ${bin}: ${err.message}`)); });
    const onExit = (code) => { clearTimeout(timer); reject(new Error(`sandbox exited (${code}): ${stderr}`)); };
    child.on("exit", onExit);
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      child.off("exit", onExit);
      const m = /sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      child.stdout.resume(); // keep draining the rest of its output
      resolvePromise({ child, url: m[1] });
    });
  });
}

before(async () => {
  assert.ok(existsSync(join(PKG, "index.js")), `no package at ${PKG}: run scripts/build-pkg.sh`);
  const started = await startSandbox();
  sandbox = started.child;
  base = started.url;
  apiKey = (await (await fetch(`${base}/sandbox.json`)).json()).apiKey;
  assert.ok(apiKey, "the sandbox reports its key");
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  if (sandbox && sandbox.exitCode === null) sandbox.kill();
});

// ---- helpers ---------------------------------------------------------------------

async function resetSandbox(url = base) {
  const reset = await fetch(`${url}/_sandbox/reset`, { method: "POST" });
  assert.equal(reset.status, 200);
}

/** Registers a fault rule on the sandbox (see sandbox/src/config.rs). */
async function fault(rule, url = base) {
  const res = await fetch(`${url}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule),
  });
  assert.equal(res.status, 200, await res.text());
}

async function clearFaults(url = base) {
  await fetch(`${url}/_sandbox/faults`, { method: "DELETE" });
}

/** The API requests the sandbox received whose path contains `part`. */
async function received(part = "") {
  const res = await fetch(`${base}/_sandbox/requests?path_contains=${encodeURIComponent(part)}`);
  return (await res.json()).requests;
}

/**
 * A fresh page (own context) on fresh seed data, connected (the page
 * connects itself), with console errors, page errors and JS dialogs
 * collected. `done()` asserts there were none and closes it.
 */
async function openDemo({ viewport = DESKTOP, path = "/", reset = true, url = base, ready = true, allow = [] } = {}) {
  if (reset) await resetSandbox(url);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  await page.goto(`${url}${path}`);
  if (ready) {
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await page.locator("#accounts-table tbody tr[data-account-id]").first().waitFor({ state: "attached" });
  }
  const done = async () => {
    // Every test's last state is checked by axe too.
    await assertAxe(page, "the test's last state");
    // The browser notes failed HTTP answers itself; the tests that cause them say which.
    assert.deepEqual(errors.filter((e) => !allow.some((re) => re.test(e))), [], "no console or page errors");
    assert.deepEqual(dialogs, [], "no alert/confirm dialogs");
    await context.close();
  };
  return { page, errors, dialogs, context, done };
}

async function shot(page, name, { fullPage = true } = {}) {
  await page.waitForTimeout(120); // let transitions settle
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
}

const row = (page, text) => page.locator("#accounts-table tbody tr", { hasText: text });

async function openJohn(page) {
  await row(page, "john@example.com").getByRole("button", { name: "John Oniell" }).click();
  const detail = page.locator("#account-detail");
  await detail.locator("#account-lifecycle .badge[data-code=a]").waitFor();
  await detail.locator(".big-number", { hasText: "99" }).waitFor();
  await detail.locator("td", { hasText: "Proactive chat" }).first().waitFor();
  return detail;
}

/** On a phone an open record lies over the tabs: close it (a step in the history). */
async function closeOverlay(page, selector) {
  if (page.viewportSize().width > 700) return;
  const close = page.locator(selector).getByRole("button", { name: "Close", exact: true });
  if (await close.isVisible()) await close.click();
}

/** Chooses an add-on in a picker and confirms the "Add X at Y to Z?" question. */
async function addAddon(page, scope, id) {
  await scope.getByLabel("Add-on", { exact: true }).selectOption(id);
  await scope.getByRole("button", { name: "Add add-on" }).click();
  const dialog = page.locator("#confirm-dialog");
  await dialog.waitFor();
  await dialog.locator("#confirm-ok").click();
}

async function openLicense(page) {
  await closeOverlay(page, "#account-detail");
  await page.click("#tab-licenses");
  await page.locator("#licenses-table").getByRole("button", { name: "lat47ts4" }).click();
  const detail = page.locator("#license-detail");
  await detail.locator("tr", { hasText: "ss5l5sa6" }).waitFor();
  await detail.locator(".big-number").waitFor();
  return detail;
}

/** axe-core on the page as it is: no serious or critical violation. */
async function assertAxe(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(bad, [], `axe in "${state}"`);
}

/** No sideways scrolling of the page itself. */
async function assertNoSideScroll(page, state) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, width: window.innerWidth,
  }));
  assert.ok(scroll <= width, `${state}: the page scrolls sideways (${scroll} > ${width})`);
}

/**
 * Every visible table ends inside its card, or scrolls inside a box within
 * it; and the cells named by `keep` end inside the visible part of the card.
 */
async function assertTablesFit(page, state, keep = []) {
  const problems = await page.evaluate((keepSelectors) => {
    const out = [];
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    for (const table of document.querySelectorAll("main table")) {
      if (!visible(table)) continue;
      const card = table.closest(".card");
      if (!card) { out.push(`${table.id || table.className}: not in a card`); continue; }
      const c = card.getBoundingClientRect();
      const t = table.getBoundingClientRect();
      if (t.right <= c.right + 1 && t.left >= c.left - 1) continue;
      // Wider than the card: fine only if a box inside the card scrolls it.
      let box = table.parentElement;
      while (box && box !== card.parentElement) {
        const style = getComputedStyle(box);
        if (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth) break;
        box = box.parentElement;
      }
      const b = box?.getBoundingClientRect();
      if (!box || box === card.parentElement || b.right > c.right + 1) {
        out.push(`${table.id || table.className}: ends at ${Math.round(t.right)}, its card at ${Math.round(c.right)}`);
      }
    }
    for (const selector of keepSelectors) {
      for (const cell of document.querySelectorAll(selector)) {
        if (!visible(cell)) continue;
        const card = cell.closest(".card").getBoundingClientRect();
        const r = cell.getBoundingClientRect();
        if (r.right > card.right + 1) out.push(`${selector}: cut off (${Math.round(r.right)} > ${Math.round(card.right)})`);
      }
    }
    return out;
  }, keep);
  assert.deepEqual(problems, [], state);
}

/** Asserts the API key is in no storage, cookie, URL, visible text or log. */
async function assertKeyNowhere(page) {
  const found = await page.evaluate((key) => {
    const where = [];
    const scan = (name, store) => {
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        if (k.includes(key) || String(store.getItem(k)).includes(key)) where.push(name);
      }
    };
    scan("localStorage", localStorage);
    scan("sessionStorage", sessionStorage);
    if (document.cookie.includes(key)) where.push("document.cookie");
    if (location.href.includes(key)) where.push("location.href");
    if (document.body.innerText.includes(key)) where.push("page text");
    if (document.querySelector("#log-list").textContent.includes(key)) where.push("request log");
    return where;
  }, apiKey);
  assert.deepEqual(found, [], `the key must not be in: ${found.join(", ")}`);
}

/** Focus is inside `locator` (an element the user can see). */
async function assertFocusIn(page, locator, what) {
  const inside = await locator.evaluate((el) => el.contains(document.activeElement));
  const active = await page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.className ?? ""}`);
  assert.ok(inside, `${what}: focus is on ${active}`);
}

async function assertInViewport(page, locator, what) {
  const box = await locator.boundingBox();
  const vp = page.viewportSize();
  assert.ok(box, `${what}: not rendered`);
  assert.ok(box.y >= 0 && box.y + Math.min(box.height, 40) <= vp.height, `${what}: outside the viewport (y=${Math.round(box.y)})`);
}

/** On a phone the connect settings fold away once connected: unfold them. */
async function showConnectFields(page) {
  const toggle = page.locator("#connect-toggle");
  if (await toggle.isVisible() && (await toggle.getAttribute("aria-expanded")) === "false") await toggle.click();
}

/** The newest log entry of an operation. */
const logEntry = (page, op) => page.locator(`#log-list > li[data-op="${op}"]`).first();

// ---- the basics -------------------------------------------------------------------

test("loads with no errors, lists the seeded accounts, logs each call (1280 and 390 px, axe)", { timeout: 30_000 }, async () => {
  for (const viewport of [DESKTOP, PHONE]) {
    const { page, done } = await openDemo({ viewport });
    const john = row(page, "john@example.com");
    assert.match(await john.innerText(), /mysupport\.ladesk\.com/);
    assert.match(await john.innerText(), /John Oniell/);
    assert.equal(await john.locator(".badge").getAttribute("data-code"), "a");
    assert.equal((await john.locator(".badge").innerText()).trim(), "Active");
    assert.match(await row(page, "marcus@sonatha.com").innerText(), /sonatha\.ladesk\.com/);
    assert.equal(await page.inputValue("#base-url"), `${base}/api`);
    assert.equal(await page.inputValue("#reseller"), "reseller@example.com");
    assert.equal(await page.locator("#connection-state").innerText(), "Connected as reseller@example.com");
    assert.ok(await page.locator("#connection-state").isVisible(), "the badge shows at every width");
    // One log entry per call, with the URL as sent and the key redacted.
    const entry = logEntry(page, "listAccounts");
    await entry.locator(".log-status", { hasText: "200" }).waitFor();
    assert.match(await entry.innerText(), /GET\s+listAccounts\s+200[\s\S]*\/api\/resellers\/reseller@example\.com\/accounts\?apikey=(\[redacted\]|%5Bredacted%5D)/);
    assert.equal(await page.locator("#log-list > li").count(), 3, "catalogue, accounts, licenses: one entry each");
    await assertNoSideScroll(page, `list at ${viewport.width}`);
    await assertAxe(page, `list at ${viewport.width}`);
    await shot(page, `01-loaded-${viewport.width}`);
    await assertKeyNowhere(page);
    await done();
  }
});

// ---- 1: results next to the control ------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`1: a failed add-on shows inside the add-on card, in view, focused; success stays until dismissed (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of 400/] });
    const detail = await openJohn(page);
    const addons = detail.locator(".section", { has: page.locator("h4", { hasText: "Add-ons" }) });
    await fault({ path_contains: `/accounts/${JOHN}/addons`, status: 400, count: 1 });
    await addAddon(page, addons, "c4l7c3n8");

    const error = addons.locator(".add-form .result-error");
    await error.waitFor();
    assert.match(await error.innerText(), /api[\s\S]*HTTP 400[\s\S]*not retryable/i);
    assert.match(await error.innerText(), /addAccountAddon/);
    assert.equal(await error.getByRole("button", { name: "Retry" }).count(), 0, "no Retry for a 400");
    await assertInViewport(page, error, "the add-on error");
    await assertFocusIn(page, addons.locator(".add-form .outcome"), "after the failed add-on");
    assert.equal(await page.locator("#banners .banner").count(), 0, "no page-wide banner for one call's failure");
    await shot(page, `02-addon-error-in-card-${viewport.width}`, { fullPage: false });
    await assertAxe(page, "add-on error");

    // The same action again: its result replaces the error, in the same place.
    await addAddon(page, addons, "c4l7c3n8");
    const ok = addons.locator(".add-form .result-success");
    await ok.waitFor();
    assert.match(await ok.innerText(), /Added Call center/);
    await addons.locator("tr", { hasText: "Call center" }).waitFor();
    await assertFocusIn(page, addons.locator(".add-form .outcome"), "after the add-on");
    await assertInViewport(page, ok, "the add-on success");
    if (viewport === DESKTOP) await page.waitForTimeout(6500); // the old notice vanished after 6 s
    assert.ok(await ok.isVisible(), "a result stays until dismissed");
    await ok.getByRole("button", { name: "Dismiss this message" }).click();
    assert.equal(await addons.locator(".add-form .result").count(), 0);

    // max_agents: the result in the max_agents card, focused.
    const agents = detail.locator(".section", { has: page.locator("h4", { hasText: "Maximum agents" }) });
    await agents.getByLabel("New maximum agents").fill("12");
    await agents.getByRole("button", { name: "Save" }).click();
    await agents.locator(".result-success", { hasText: "Maximum agents set to 12" }).waitFor();
    await agents.locator(".big-number", { hasText: /^12$/ }).waitFor();
    await assertFocusIn(page, agents, "after max_agents");
    await shot(page, `02-max-agents-result-${viewport.width}`, { fullPage: false });
    await done();
  });
}


test("1: a 503 with Retry-After 120 on a POST says so next to the control, not in an old banner", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo({ allow: [/status of 503/] });
  const detail = await openJohn(page);
  // A failing list first (GET, retried then given up: Retry-After over 60 s is not waited for).
  await fault({ path_contains: "/accounts", status: 503, count: 1, retry_after: 120 });
  await page.click("#accounts-filter button[type=submit]");
  const listError = page.locator("#accounts-outcome .result-error");
  await listError.waitFor();
  assert.match(await listError.innerText(), /HTTP 503[\s\S]*wait 120 s/);
  assert.ok(await listError.getByRole("button", { name: "Retry" }).isVisible(), "Retry where it helps");

  // Then a failing POST: its own result, next to its own button.
  await fault({ path_contains: "/addons", status: 503, count: 1, retry_after: 120 });
  const addons = detail.locator(".section", { has: page.locator("h4", { hasText: "Add-ons" }) });
  await addAddon(page, addons, "c4l7c3n8");
  const error = addons.locator(".add-form .result-error");
  await error.waitFor();
  assert.match(await error.innerText(), /HTTP 503[\s\S]*The server asked to wait 120 s/);
  await assertFocusIn(page, addons.locator(".add-form .outcome"), "after the failed POST");
  assert.doesNotMatch(await listError.innerText(), /addAccountAddon|Also failed/, "the list's error is untouched");
  // The list's Retry works once the server is well.
  await listError.getByRole("button", { name: "Retry" }).click();
  await page.locator("#accounts-outcome .result").waitFor({ state: "detached" });
  await done();
});

// ---- 2: phone and desktop layouts -----------------------------------------------------

test("2: at 390 px nothing scrolls sideways: list, account, license; tables become cards", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo({ viewport: PHONE });
  await assertNoSideScroll(page, "list");
  // The table's rows are cards: the status of a row is under its name.
  const john = row(page, "john@example.com");
  const name = await john.locator("td.customer").boundingBox();
  const status = await john.locator("td.status").boundingBox();
  assert.ok(status.y > name.y && status.x + status.width <= PHONE.width, "status below the name, inside the screen");
  const detail = await openJohn(page);
  await detail.locator("td", { hasText: "user@example.com" }).waitFor();
  await assertNoSideScroll(page, "open account");
  await assertTablesFit(page, "open account at 390");
  await assertAxe(page, "open account at 390");
  await shot(page, "03-phone-account");
  const license = await openLicense(page);
  await license.locator(".validity-form").first().waitFor();
  await assertNoSideScroll(page, "open license");
  await assertTablesFit(page, "open license at 390");
  await assertAxe(page, "open license at 390");
  await shot(page, "03-phone-license");
  await closeOverlay(page, "#license-detail");
  await page.click("#tab-catalogue");
  await page.locator("#catalogue .variation").first().waitFor();
  await assertNoSideScroll(page, "catalogue");
  await page.click("#tab-signup");
  await assertNoSideScroll(page, "new account");
  await done();
});

test("2: at 1280 px with a 60-character email every table fits its card; name and status stay visible", { timeout: 30_000 }, async () => {
  await resetSandbox();
  const email = `${"l".repeat(60 - "@example.com".length)}@example.com`;
  assert.equal(email.length, 60);
  const res = await fetch(`${base}${RESELLER_PATH}/accounts`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      apikey: apiKey, variation_id: "r7g4y7ya", customer_email: email,
      customer_name: "Maximilian Alexander von Hohenzollern-Sigmaringen",
      company: "Internationale Handelsgesellschaft für Kommunikationssysteme mbH",
      subdomain: "a-very-long-subdomain-for-the-layout-test-of-the-console",
    }),
  });
  assert.equal(res.status, 200, await res.text());
  const { page, done } = await openDemo({ reset: false });
  const long = row(page, email);
  await long.waitFor();
  await assertNoSideScroll(page, "list with long data");
  await assertTablesFit(page, "accounts at 1280", ["#accounts-table td.customer", "#accounts-table td.status"]);
  // A name wraps between words, not inside one.
  const nameLines = await long.locator("button.name").evaluate((el) => el.getClientRects().length);
  const wordsBroken = await long.locator("button.name").evaluate((el) => {
    const range = document.createRange();
    const text = el.firstChild;
    const tops = [];
    for (let i = 0; i < text.length; i++) {
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      tops.push(Math.round(range.getBoundingClientRect().top));
    }
    // A line break inside a word: two letters of one word on different lines.
    return [...text.data].some((ch, i) => i > 0 && /\S/.test(ch) && /[^\s-]/.test(text.data[i - 1]) && tops[i] !== tops[i - 1]);
  });
  assert.ok(nameLines >= 1 && !wordsBroken, "the name breaks between words");
  await shot(page, "04-desktop-long-email");
  await long.getByRole("button").first().click();
  const detail = page.locator("#account-detail");
  await detail.locator("td", { hasText: email }).waitFor();
  await detail.locator(".add-form").waitFor();
  await assertNoSideScroll(page, "account with long data");
  await assertTablesFit(page, "account detail at 1280");
  const license = await openLicense(page);
  await assertTablesFit(page, "license detail at 1280", ["#license-detail td.wide-cell button"]);
  // A license's Save buttons stay inside their card.
  const card = await license.locator(".section", { has: page.locator("h4", { hasText: "Add-ons" }) }).boundingBox();
  for (const save of await license.locator(".validity-form button").all()) {
    const b = await save.boundingBox();
    assert.ok(b.x + b.width <= card.x + card.width, "Save is inside the card");
  }
  await assertAxe(page, "license at 1280");
  await shot(page, "04-desktop-license");
  await done();
});

// ---- 3: elapsed time and Cancel -------------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`3: a hung call shows its elapsed time; Cancel frees the panel at once (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    const detail = await openJohn(page);
    const addons = detail.locator(".section", { has: page.locator("h4", { hasText: "Add-ons" }) });
    await fault({ path_contains: `/accounts/${JOHN}/addons`, status: 200, delay_ms: 120_000, count: 1 });
    const add = addons.getByRole("button", { name: "Add add-on" });
    await addAddon(page, addons, "c4l7c3n8");
    const pending = addons.locator(".add-form .result-pending");
    await pending.waitFor();
    await page.waitForTimeout(1200);
    assert.match(await pending.innerText(), /Adding Call center[\s\S]*… 1\.\d s/);
    assert.ok(await add.isDisabled(), "the button waits while the call is in flight");
    await assertFocusIn(page, pending, "focus stays by the control, on Cancel");
    await shot(page, `05-pending-with-cancel-${viewport.width}`, { fullPage: false });
    const started = Date.now();
    await pending.getByRole("button", { name: "Cancel" }).click();
    // Cancelled after it was sent: whether it landed is checked, not guessed.
    const cancelled = addons.locator(".add-form .result-notice");
    await cancelled.waitFor();
    assert.ok(Date.now() - started < 2000, "cancelled at once");
    assert.match(await cancelled.innerText(), /outcome was unknown \(it was cancelled after it was sent\)/);
    assert.ok(await add.isEnabled(), "the panel is usable again");
    await assertFocusIn(page, addons.locator(".add-form .outcome"), "after Cancel");
    // The log names it: aborted, not a timeout.
    await logEntry(page, "addAccountAddon").locator(".log-status", { hasText: "aborted" }).waitFor();
    // The add was sent before Cancel: the console checked that it did not land.
    assert.match(await cancelled.innerText(), /has no new Call center[\s\S]*sending it again is safe/);
    // And the panel works: the next add goes through.
    await addAddon(page, addons, "c4l7c3n8");
    await addons.locator(".add-form .result-success", { hasText: "Added Call center" }).waitFor();
    await shot(page, `05-after-cancel-${viewport.width}`, { fullPage: false });
    await done();
  });
}


test("3: the connect bar's timeoutMs and maxRetries apply; a hung Connect can be replaced", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo();
  // A short timeout and no retries: a hung list times out quickly, named "timeout".
  await page.fill("#timeout-ms", "700");
  await page.fill("#max-retries", "0");
  await page.click("#connect-button");
  await page.locator("#connect-outcome .result-success").waitFor();
  await fault({ path_contains: "/accounts", status: 200, delay_ms: 120_000, count: 1 });
  await page.click("#accounts-filter button[type=submit]");
  const error = page.locator("#accounts-outcome .result-error");
  await error.waitFor({ timeout: 5000 });
  assert.match(await error.innerText(), /timeout[\s\S]*timed out after 700 ms/i);
  assert.ok(await error.getByRole("button", { name: "Retry" }).isVisible(), "a failed read offers Retry");
  await logEntry(page, "listAccounts").locator(".log-status", { hasText: "timeout" }).waitFor();
  assert.match(await logEntry(page, "listAccounts").locator(".log-trail").innerText(), /^timeout after [\d.]+ m?s$/);
  assert.equal(await page.locator("#connection-state").getAttribute("data-state"), "offline");
  assert.match(await page.locator("#connection-state").innerText(), /not answering/i);

  // Every call hangs; Connect again with the server healthy: the new connection wins.
  await page.fill("#timeout-ms", "30000");
  await page.fill("#max-retries", "2");
  await fault({ path_contains: "", status: 200, delay_ms: 120_000, count: 3 });
  await page.click("#connect-button");
  const pending = page.locator("#connect-outcome .result-pending");
  await pending.waitFor();
  await page.waitForTimeout(600);
  assert.match(await pending.innerText(), /Connecting… \d+\.\d s/);
  assert.equal(await page.locator("#connection-state").innerText(), "Connecting…");
  assert.ok(await page.locator("#connect-button").isEnabled(), "Connect stays available");
  await shot(page, "05-hung-connect", { fullPage: false });
  await clearFaults();
  await page.click("#connect-button");
  await page.locator("#connect-outcome .result-success").waitFor();
  await page.locator("#connection-state[data-state=ok]").waitFor();
  await row(page, "john@example.com").waitFor();
  // The hung calls of the replaced connection were aborted, not left running.
  await page.locator("#log-list > li.kind-aborted").nth(2).waitFor();
  await done();
});

// ---- 4: the connection badge ------------------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`4: a wrong key: the badge says so and no data of the old connection is left (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of 401/] });
    await showConnectFields(page);
    await page.click("#tab-catalogue");
    await page.locator("#catalogue .variation").first().waitFor();
    await page.fill("#api-key", "not-the-key");
    await page.click("#connect-button");
    const error = page.locator("#connect-outcome .result-error");
    await error.waitFor();
    assert.match(await error.innerText(), /api[\s\S]*HTTP 401[\s\S]*wrong API key/i);
    await assertFocusIn(page, page.locator("#connect-outcome"), "after a failed Connect");
    await page.locator("#connection-state[data-state=auth]").waitFor();
    assert.equal(await page.locator("#connection-state").innerText(), "Key rejected (401)");
    assert.equal(await page.locator("#catalogue .variation").count(), 0, "the old catalogue is gone");
    assert.match(await page.locator("#catalogue").innerText(), /Could not load/);
    await page.click("#tab-accounts");
    assert.equal(await page.locator("#accounts-table tbody tr[data-account-id]").count(), 0, "the old rows are gone");
    await shot(page, `06-wrong-key-${viewport.width}`, { fullPage: false });
    await assertAxe(page, "wrong key");
    await assertKeyNowhere(page);
    // The right key again: connected.
    await page.fill("#api-key", apiKey);
    await page.click("#connect-button");
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await row(page, "john@example.com").waitFor();
    await done();
  });
}


test("4: the sandbox stops: the badge turns, the data is marked out of date", { timeout: 30_000 }, async () => {
  const own = await startSandbox();
  try {
    const { page, done } = await openDemo({ url: own.url, allow: [/ERR_CONNECTION_REFUSED|Failed to load resource/] });
    own.child.kill();
    await new Promise((r) => own.child.once("exit", r));
    await page.click("#accounts-filter button[type=submit]");
    await page.locator("#connection-state[data-state=offline]").waitFor({ timeout: 15_000 });
    assert.equal(await page.locator("#connection-state").innerText(), "Server unreachable");
    const stale = page.locator("#stale-note");
    assert.match(await stale.innerText(), /Out of date: what is shown was loaded at \d\d:\d\d:\d\d; the last call failed \(network error\)/);
    assert.match(await page.locator("#banners .banner").innerText(), /not answering[\s\S]*network/);
    assert.match(await page.locator("#accounts-outcome .result-error").innerText(), /network/);
    await shot(page, "06-sandbox-stopped", { fullPage: false });
    await assertAxe(page, "sandbox stopped");
    await done();
  } finally {
    if (own.child.exitCode === null) own.child.kill();
  }
});

// ---- 5: the request log on onEvent ----------------------------------------------------------

test("5: the log shows one entry per call with its retries; timeout and aborted named right; copy as code", { timeout: 40_000 }, async () => {
  const { page, context, done } = await openDemo({ allow: [/status of 503/] });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  await fetch(`${base}/_sandbox/requests`, { method: "DELETE" });
  await fault({ path_contains: "/accounts", status: 503, count: 2, retry_after: 1 });
  await page.fill("#created-from", "2013-01-01");
  await page.click("#accounts-filter button[type=submit]");
  const entry = logEntry(page, "listAccounts");
  // While it waits, the panel says what is going on.
  await page.locator("#accounts-outcome .progress", { hasText: /503, retrying in 1 s \(Retry-After\)/ }).waitFor();
  await entry.locator(".log-status", { hasText: "200" }).waitFor({ timeout: 10_000 });
  assert.equal(await entry.locator(".log-trail").innerText(),
    "503 → waited 1 s (Retry-After) → 503 → waited 1 s (Retry-After) → 200");
  assert.equal(await entry.locator(".log-attempts > li").count(), 3);
  assert.equal(await page.locator('#log-list > li[data-op="listAccounts"]').count(), 2, "one entry for the 3 attempts (plus the first load)");
  // What the log shows is what the server received, three times.
  const got = await received("/accounts");
  assert.equal(got.length, 3);
  const shown = await entry.locator(".log-url").innerText();
  for (const r of got) {
    assert.equal(`${r.path}?${r.query.replace(/apikey=[^&]*/, "")}`.replace("?&", "?"), shown.replace(/apikey=[^&]*&?/, ""));
  }
  assert.match(shown, /created_from=2013-01-01\+00%3A00%3A00/);
  await shot(page, "07-log-retries", { fullPage: false });

  // Copy as code: TypeScript with a placeholder, never the key.
  await entry.locator("summary", { hasText: "Copy as code" }).click();
  const code = await entry.locator(".log-code").innerText();
  assert.match(code, /import \{ ResellerClient, LiveAgentError \} from "liveagent-reseller";/);
  assert.match(code, /apiKey: "YOUR_API_KEY"/);
  assert.match(code, /await client\.listAccounts\(\{ created_from: "2013-01-01 00:00:00" \}\);/);
  assert.ok(!code.includes(apiKey));
  await entry.getByRole("button", { name: "Copy" }).click();
  await entry.locator(".log-copied", { hasText: /Copied|Selected/ }).waitFor();
  if ((await entry.locator(".log-copied").innerText()).startsWith("Copied")) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
  }
  assertSnippetCompiles(code);

  // A timeout and a cancel, named as such.
  await page.fill("#timeout-ms", "600");
  await page.fill("#max-retries", "1");
  await page.click("#connect-button");
  await page.locator("#connect-outcome .result-success").waitFor();
  await fault({ path_contains: "/licenses", status: 200, delay_ms: 120_000, count: 1 });
  await page.click("#tab-licenses");
  await page.click("#licenses-filter button[type=submit]");
  const licenses = logEntry(page, "listLicenses");
  await licenses.locator(".log-status", { hasText: "200" }).waitFor({ timeout: 5000 });
  assert.match(await licenses.locator(".log-trail").innerText(), /^timeout after [\d.]+ m?s → waited \d+ ms \(backoff\) → 200$/);
  await fault({ path_contains: "/licenses", status: 200, delay_ms: 120_000, count: 5 });
  await page.click("#licenses-filter button[type=submit]");
  await page.locator("#licenses-outcome .result-pending").getByRole("button", { name: "Cancel" }).click();
  await logEntry(page, "listLicenses").locator(".log-status", { hasText: "aborted" }).waitFor();
  assert.match(await logEntry(page, "listLicenses").locator(".log-trail").innerText(), /aborted/);
  assert.doesNotMatch(await logEntry(page, "listLicenses").innerText(), /timeout/);
  await clearFaults();
  // The log scrolls by keyboard (a focusable region).
  assert.equal(await page.locator(".log-scroll").getAttribute("tabindex"), "0");
  await assertAxe(page, "log with entries");
  await assertKeyNowhere(page);
  await done();
});

/** The snippet type-checks against the package's declarations. */
function assertSnippetCompiles(code) {
  const dir = mkdtempSync(join(tmpdir(), "snippet-"));
  try {
    writeFileSync(join(dir, "snippet.ts"), `${code}\nexport {};\n`);
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "es2022", module: "esnext", moduleResolution: "bundler",
        lib: ["es2022", "dom"], types: [], skipLibCheck: true,
        paths: { "liveagent-reseller": [join(PKG, "index.d.ts")] },
      },
      files: ["snippet.ts"],
    }));
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { stdio: "pipe" });
  } catch (err) {
    assert.fail(`the snippet does not type-check:\n${err.stdout ?? ""}${err.stderr ?? ""}\n${code}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- 6: the chaos panel ------------------------------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`6: the chaos panel drives the sandbox: 503 burst, slow, hang, wrong key, clear (${viewport.width} px)`, { timeout: 40_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of (503|401)/] });
    const chaos = page.locator("#chaos");
    assert.ok(await chaos.isVisible(), "shown when served by the sandbox");
    await chaos.getByLabel("Applies to").selectOption("/licenses");
    await chaos.getByRole("button", { name: "503 burst" }).click();
    await chaos.locator(".result-success", { hasText: "503" }).waitFor();
    await chaos.locator("#chaos-rules li", { hasText: "503 (Retry-After 1) · paths with “/licenses” · 2 left" }).waitFor();
    await page.click("#tab-licenses");
    await page.click("#licenses-filter button[type=submit]");
    const entry = logEntry(page, "listLicenses");
    await entry.locator(".log-status", { hasText: "200" }).waitFor({ timeout: 10_000 });
    assert.match(await entry.locator(".log-trail").innerText(), /^503 → waited 1 s \(Retry-After\) → 503 → waited 1 s \(Retry-After\) → 200$/);
    await chaos.locator("#chaos-rules li").waitFor({ state: "detached" });
    await shot(page, `08-chaos-burst-${viewport.width}`, { fullPage: false });

    if (viewport === DESKTOP) {
      await chaos.getByRole("button", { name: "Slow (3 s)" }).click();
      await chaos.locator(".result-success", { hasText: "take 3 s more" }).waitFor();
      await page.click("#licenses-filter button[type=submit]");
      await page.locator("#licenses-outcome .result-pending", { hasText: /Loading the licenses… [12]\.\d s/ }).waitFor();
      await page.locator("#licenses-outcome .result-pending").waitFor({ state: "detached", timeout: 10_000 });
      await chaos.getByRole("button", { name: "Clear faults" }).click();
      await chaos.locator(".result-success", { hasText: "Faults cleared" }).waitFor();
    }

    await chaos.getByRole("button", { name: "Hang" }).click();
    await chaos.locator(".result-success", { hasText: "hangs" }).waitFor();
    await page.click("#licenses-filter button[type=submit]");
    await page.locator("#licenses-outcome .result-pending").getByRole("button", { name: "Cancel" }).click();
    await page.locator("#licenses-outcome .result-cancelled").waitFor();

    await chaos.getByLabel("Applies to").selectOption("");
    await chaos.getByRole("button", { name: "Wrong key" }).click();
    await chaos.locator(".result-success", { hasText: "401" }).waitFor();
    await page.click("#licenses-filter button[type=submit]");
    await page.locator("#connection-state[data-state=auth]").waitFor();
    // Said once, by the key field: no banner, no error in the panel.
    await page.locator("#connect-outcome .result-error", { hasText: "rejects the key" }).waitFor();
    assert.equal(await page.locator("#banners .banner").count(), 0);
    assert.equal(await page.locator("#licenses-outcome .result-error").count(), 0);
    assert.ok(await page.locator("#stale-note").isVisible());
    await shot(page, `08-chaos-wrong-key-${viewport.width}`, { fullPage: false });
    await chaos.getByRole("button", { name: "Clear faults" }).click();
    await chaos.locator(".result-success", { hasText: "Faults cleared" }).waitFor();
    await page.click("#connect-button");
    await page.locator("#connection-state[data-state=ok]").waitFor();
    assert.equal(await page.locator("#banners .banner").count(), 0);
    assert.ok(await page.locator("#stale-note").isHidden());
    await assertAxe(page, "chaos panel");
    await done();
  });
}


// ---- 7: the URL ------------------------------------------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`7: the open tab and record are in the URL; reload and back/forward keep them (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    await openJohn(page);
    assert.equal(new URL(page.url()).search, `?account=${JOHN}`);
    await openLicense(page);
    assert.equal(new URL(page.url()).search, "?tab=licenses&license=lat47ts4");
    // On a phone the record lies over the tabs: Close is one more step.
    const phone = viewport === PHONE;
    await closeOverlay(page, "#license-detail");
    await page.click("#tab-catalogue");
    assert.equal(new URL(page.url()).search, "?tab=catalogue");

    await page.reload();
    await page.locator("#catalogue .variation").first().waitFor();
    assert.equal(await page.getAttribute("#tab-catalogue", "aria-selected"), "true");
    if (phone) await page.goBack();
    await page.goBack();
    await page.locator("#license-detail h3", { hasText: "lat47ts4" }).waitFor();
    assert.equal(await page.getAttribute("#tab-licenses", "aria-selected"), "true");
    // Each view was a step: the licenses list, then the account before it.
    await page.goBack();
    await page.locator("#license-detail").waitFor({ state: "hidden" });
    assert.equal(new URL(page.url()).search, "?tab=licenses");
    if (phone) await page.goBack();
    await page.goBack();
    await page.locator("#account-detail h3", { hasText: "John Oniell" }).waitFor();
    assert.ok(await page.locator("#panel-accounts").isVisible());
    if (phone) await page.goForward();
    await page.goForward();
    await page.goForward();
    await page.locator("#license-detail h3", { hasText: "lat47ts4" }).waitFor();
    assert.ok(await page.locator("#panel-licenses").isVisible());

    // A link straight to an account opens it (after connecting by itself).
    const direct = await openDemo({ viewport, path: `/?account=${JOHN}`, reset: false });
    await direct.page.locator("#account-detail h3", { hasText: "John Oniell" }).waitFor();
    await assertKeyNowhere(direct.page);
    await direct.done();
    await done();
  });
}


// ---- 9: keyboard -------------------------------------------------------------------------------------

for (const viewport of [DESKTOP, PHONE]) {
  test(`9: keyboard: tabs, panels, focus after confirm and remove, the log region (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    // Tabs: arrows move between them; the panel itself is not a tab stop.
    await page.focus("#tab-accounts");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.id), "tab-signup");
    assert.equal(await page.getAttribute("#tab-signup", "aria-selected"), "true");
    await page.keyboard.press("Home");
    assert.equal(await page.getAttribute("#tab-accounts", "aria-selected"), "true");
    for (const panel of await page.locator("[role=tabpanel]").all()) {
      assert.equal(await panel.getAttribute("tabindex"), null, "tab panels are not tab stops");
    }
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "accounts-find", "Tab goes from the tabs into the panel's first control");

    // Open an account by keyboard, suspend it by keyboard.
    await row(page, "john@example.com").getByRole("button", { name: "John Oniell" }).focus();
    await page.keyboard.press("Enter");
    const detail = page.locator("#account-detail");
    await detail.locator("#account-lifecycle .badge[data-code=a]").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.id), "account-detail-title");
    await detail.getByRole("button", { name: "Suspend", exact: true }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.locator("#confirm-dialog");
    await dialog.waitFor();
    await page.keyboard.type("Unpaid invoice");
    await dialog.getByRole("button", { name: "Suspend", exact: true }).focus();
    await page.keyboard.press("Enter");
    const status = detail.locator(".section", { has: page.locator("h4", { hasText: "Status" }) });
    await status.locator(".result-success", { hasText: "Suspended John Oniell" }).waitFor();
    await detail.locator("#account-lifecycle .badge[data-code=s]").waitFor();
    await assertFocusIn(page, status.locator(".outcome").last(), "after the status change");

    // Remove the only owner: a specific warning, then focus on the result.
    await detail.getByRole("button", { name: "Remove user John User" }).focus();
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /only Owner of this account/);
    assert.equal(await dialog.locator("#confirm-ok").innerText(), "Remove the only owner");
    await shot(page, `09-only-owner-confirm-${viewport.width}`, { fullPage: false });
    await dialog.locator("#confirm-ok").focus();
    await page.keyboard.press("Enter");
    const users = detail.locator(".section", { has: page.locator("h4", { hasText: "Users" }) });
    await users.locator(".result-success", { hasText: "Removed John User" }).waitFor();
    await users.locator("td", { hasText: "No users." }).waitFor();
    await assertFocusIn(page, users, "after removing the user");
    assert.notEqual(await page.evaluate(() => document.activeElement.tagName), "BODY");

    // The log is a focusable, scrollable region with a visible focus ring
    // (on a phone the open account covers it: Escape closes the account).
    if (viewport === PHONE) {
      await page.keyboard.press("Escape");
      await detail.waitFor({ state: "hidden" });
    }
    await page.focus(".log-scroll");
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(ring, "none", "the focused log shows an outline");
    await assertAxe(page, "after keyboard actions");
    await done();
  });
}


// ---- 9: smaller items ------------------------------------------------------------------------------

test("9: smaller items: variation label, blank names, date ranges, find, currency note", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo();
  // "Find" matches any part of a name, email or domain.
  await page.fill("#accounts-find", "sonat");
  await page.locator("#accounts-table tbody tr", { hasText: "john@example.com" }).waitFor({ state: "detached" });
  assert.equal(await page.locator("#accounts-table tbody tr[data-account-id]").count(), 1);
  assert.equal(await page.locator("#accounts-count").innerText(), "1 of 2");
  await page.fill("#accounts-find", "");

  // The "(current variation)" label follows a change of variation.
  const detail = await openJohn(page);
  const currentGroup = () => detail.locator(".add-form optgroup").first().getAttribute("label");
  assert.equal(await currentGroup(), "Ticket+Chat (current variation)");
  await detail.getByLabel("New plan", { exact: true }).selectOption("r7g4y7ya");
  await detail.getByRole("button", { name: "Change plan" }).click();
  await detail.locator(".result-success", { hasText: "Plan changed to Free." }).waitFor();
  await detail.locator("dd .plan", { hasText: /^Free$/ }).waitFor();
  assert.equal(await currentGroup(), "Free (current variation)");

  // "to" before "from" is refused before anything is sent.
  await fetch(`${base}/_sandbox/requests`, { method: "DELETE" });
  await detail.getByRole("button", { name: "Close", exact: true }).click();
  await page.click("#tab-licenses");
  await page.fill("#valid-from", "2020-05-01");
  await page.fill("#valid-to", "2020-04-01");
  await page.click("#licenses-filter button[type=submit]");
  assert.match(await page.locator("#licenses-filter-error").innerText(), /end \(2020-04-01\) is before the start \(2020-05-01\)/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "valid-to");
  assert.equal((await received("/licenses")).length, 0);
  await page.click("#licenses-filter button[type=reset]");
  await page.locator("#licenses-filter-error").waitFor({ state: "hidden" });
  // Find takes any part of the customer's name or email, in any case.
  await page.fill("#licenses-find", "JOHN@d");
  await page.locator("#licenses-table tr", { hasText: "lat47ts4" }).waitFor();
  await page.fill("#licenses-find", "acme");
  await page.locator("#licenses-table td", { hasText: "No listed license has “acme”" }).waitFor();
  await page.fill("#licenses-find", "");

  // A name of spaces is refused inline, nothing is sent.
  await page.click("#tab-signup");
  await page.locator("#signup-variation option", { hasText: "Free" }).waitFor({ state: "attached" });
  await page.fill("#signup-name", "   ");
  await page.fill("#signup-email", "spaces@example.org");
  await page.fill("#signup-subdomain", "spaces");
  await page.click("#signup-submit");
  assert.equal(await page.locator("#signup-name-check").innerText(), "Enter a name, not only spaces.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "signup-name");
  assert.equal((await received("/accounts")).filter((r) => r.method === "POST").length, 0);

  // Prices: exact text, with the currency explained.
  await page.click("#tab-catalogue");
  await page.locator("#catalogue .variation").first().waitFor();
  assert.match(await page.locator("#catalogue").innerText(), /Proactive chat[\s\S]*99\.90/);
  assert.match(await page.locator("#price-note").innerText(), /billing currency[\s\S]*does not name a currency/);
  await shot(page, "10-catalogue-currency", { fullPage: false });
  await done();
});

// ---- the flows that worked before, kept working --------------------------------------------

test("filters accounts by creation date and opens an account's detail", { timeout: 20_000 }, async () => {
  const { page, done } = await openDemo();
  await page.fill("#created-from", "2013-01-01");
  await page.click("#accounts-filter button[type=submit]");
  await page.locator("#accounts-table tbody tr", { hasText: "john@example.com" }).waitFor({ state: "detached" });
  assert.equal(await page.locator("#accounts-table tbody tr[data-account-id]").count(), 1);
  assert.match(await logEntry(page, "listAccounts").innerText(), /accounts\?\S*created_from=2013-01-01\+00%3A00%3A00/);
  await page.click("#accounts-filter button[type=reset]");
  await row(page, "john@example.com").waitFor();
  const detail = await openJohn(page);
  await detail.locator("td", { hasText: "user@example.com" }).waitFor();
  await detail.locator("td", { hasText: "ss5l5sa6" }).waitFor();
  assert.equal(await detail.locator(".all-codes .badge").count(), 12, "all lifecycle codes are listed");
  await done();
});

test("licenses: filter, add-on, validity (result in its row) and max_agents", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo();
  await page.click("#tab-licenses");
  const licenses = page.locator("#licenses-table tbody");
  await licenses.locator("tr", { hasText: "lat47ts4" }).waitFor();
  await page.fill("#licenses-find", "nobody@example.com");
  await licenses.locator("td", { hasText: "No listed license has" }).waitFor();
  await page.fill("#licenses-find", "john@doe.com");
  await licenses.getByRole("button", { name: "lat47ts4" }).click();
  const detail = page.locator("#license-detail");
  // The vendor's malformed time is shown as sent, marked as no real time.
  await detail.locator("dd", { hasText: "2008-12-11 08:95:41" }).waitFor();
  assert.match(await detail.locator("dd", { hasText: "08:95:41" }).innerText(), /08:95:41 not a valid time/i);
  await detail.locator("tr", { hasText: "ss5l5sa6" }).waitFor();
  await addAddon(page, detail, "s8m4d7a2");
  await detail.locator(".add-form .result-success", { hasText: "Added Social media" }).waitFor();
  await detail.locator("tr", { hasText: "Social media" }).waitFor();

  const proactive = detail.locator("tr", { hasText: "ss5l5sa6" });
  await proactive.getByLabel(/New valid-to date/).fill("2031-06-30");
  await proactive.getByRole("button", { name: "Save" }).click();
  const saved = detail.locator("tr", { hasText: "ss5l5sa6" }).locator(".result-success");
  await saved.waitFor();
  assert.match(await saved.innerText(), /valid to 2031-06-30 23:59:59/);
  await assertFocusIn(page, detail.locator("tr", { hasText: "ss5l5sa6" }), "after saving a validity");
  await detail.locator("tr", { hasText: "ss5l5sa6" }).locator("td.date", { hasText: "2031-06-30" }).waitFor();

  await detail.getByLabel("New maximum agents").fill("5");
  await detail.locator("form.attribute-form").getByRole("button", { name: "Save" }).click();
  await detail.locator(".big-number", { hasText: /^5$/ }).waitFor();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden" && !el.labels?.length && !el.getAttribute("aria-label"))
      .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  await shot(page, "11-license-detail");
  await done();
});

test("creates an account through the form and suspends it", { timeout: 30_000 }, async () => {
  const { page, done } = await openDemo();
  const email = "ada@example.org";
  await page.click("#tab-signup");
  await page.locator("#signup-variation option", { hasText: "Free" }).waitFor({ state: "attached" });
  await page.selectOption("#signup-variation", "r7g4y7ya");
  await page.fill("#signup-name", "Ada Lovelace");
  // A taken email first: the live check says why, inline.
  await page.fill("#signup-email", "john@example.com");
  await page.locator("#signup-email-check[data-state=invalid]", { hasText: "already exists" }).waitFor();
  await page.fill("#signup-email", email);
  await page.fill("#signup-subdomain", "ada-demo");
  await page.fill("#signup-company", "Analytical Engines");
  await page.locator("#signup-email-check[data-state=valid]").waitFor();
  await page.locator("#signup-subdomain-check[data-state=valid]").waitFor();
  await page.click("#signup-submit");
  const result = page.locator("#signup-outcome .result-success");
  await result.waitFor();
  assert.match(await result.innerText(), /Created the account of Ada Lovelace \(ada-demo\.ladesk\.com\)/);
  await assertFocusIn(page, page.locator("#signup-outcome"), "after creating");
  assert.match(await logEntry(page, "createAccount").innerText(),
    /POST\s+createAccount\s+200[\s\S]*\/api\/resellers\/reseller@example\.com\/accounts[\s\S]*variation_id=r7g4y7ya&/);
  await shot(page, "12-created", { fullPage: false });

  await result.getByRole("button", { name: "Open the account" }).click();
  const detail = page.locator("#account-detail");
  await detail.locator("h3", { hasText: "Ada Lovelace" }).waitFor();
  assert.equal(await row(page, email).locator(".badge").getAttribute("data-code"), "c");
  // Still being created: no status change is possible yet, and it says why.
  await detail.locator("#account-lifecycle .badge[data-code=c]").waitFor();
  assert.ok(await detail.getByRole("button", { name: "Suspend", exact: true }).isDisabled());
  assert.ok(await detail.getByRole("button", { name: "Terminate", exact: true }).isDisabled());
  assert.match(await detail.locator("#account-status-reasons").innerText(), /Suspend: the account is still being created/);
  await assertKeyNowhere(page);
  await done();
});

test("server data is shown as text, never run as HTML", { timeout: 20_000 }, async () => {
  const name = "<img src=x onerror=alert(1)>";
  await resetSandbox();
  const res = await fetch(`${base}${RESELLER_PATH}/accounts`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      apikey: apiKey,
      variation_id: "r7g4y7ya",
      customer_email: "xss@example.com",
      customer_name: name,
      company: "<b onmouseover=alert(2)>bold</b>",
      subdomain: "xss-probe",
    }),
  });
  assert.equal(res.status, 200, await res.text());
  const { page, done } = await openDemo({ reset: false });
  const evil = row(page, "xss@example.com");
  await evil.waitFor();
  assert.equal((await evil.getByRole("button").first().innerText()).trim(), name);
  assert.match(await evil.innerText(), /<b onmouseover=alert\(2\)>bold<\/b>/);
  assert.equal(await page.locator("main img, main b").count(), 0, "no element was made from the data");
  await evil.getByRole("button").first().click();
  await page.locator("#account-detail h3", { hasText: name }).waitFor();
  await page.locator("#account-detail td", { hasText: "Owner" }).waitFor();
  await evil.hover();
  await page.waitForTimeout(300);
  assert.equal(await page.locator("main img, main b").count(), 0);
  await done();
});
