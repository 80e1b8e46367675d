// Browser tests of the demo console as a reseller with hundreds of customers
// uses it (issue 19): one sandbox with 500 generated accounts, one browser,
// each item at 1280 and 390 px, axe in every state visited. Run from the
// repository root: `node --test tests/e2e/`. Screenshots go to
// tests/screenshots/19-*.png (the chosen ones are copied to www/screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
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
const VIEWPORTS = [DESKTOP, PHONE];
const JOHN = "9900a49c321c871cd1a572a1dc21a33c";
const WRONG_KEY_BODY = JSON.stringify({
  response: { status: "ERROR", statuscode: 401, errormessage: "authentication failed: wrong API key" },
});

let sandbox;
let base;
let apiKey;
let browser;

function sandboxBin() {
  if (process.env.SANDBOX_BIN) return process.env.SANDBOX_BIN;
  const local = join(ROOT, "target", "debug", "sandbox");
  return existsSync(local) ? local : "/tmp/target-sandbox/debug/sandbox";
}

/** A sandbox with 500 generated accounts on a free port (127.0.0.1). */
function startSandbox() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(sandboxBin(), ["--port", "0", "--www", "www", "--pkg", PKG, "--seed-accounts", "500"], {
      cwd: ROOT, stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 15_000);
    child.on("error", (err) => { clearTimeout(timer); reject(err); });
    createInterface({ input: child.stdout }).once("line", (line) => {
      clearTimeout(timer);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      child.stdout.resume();
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
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  if (sandbox && sandbox.exitCode === null) sandbox.kill();
});

// ---- helpers ---------------------------------------------------------------------

const resetSandbox = async () => assert.equal((await fetch(`${base}/_sandbox/reset`, { method: "POST" })).status, 200);

async function fault(rule) {
  const res = await fetch(`${base}/_sandbox/faults`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The API requests the sandbox received whose path contains `part` (and method). */
async function received(part, method) {
  const res = await fetch(`${base}/_sandbox/requests?path_contains=${encodeURIComponent(part)}`);
  return (await res.json()).requests.filter((r) => !method || r.method === method);
}

/** Creates an account straight at the sandbox (not through the page). */
async function createAccount(fields) {
  const res = await fetch(`${base}${RESELLER_PATH}/accounts`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ apikey: apiKey, variation_id: "r7g4y7ya", ...fields }),
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return JSON.parse(text).response;
}

/** A fresh page on fresh data, connected; `done()` checks axe and that no error was logged. */
async function openDemo({ viewport = DESKTOP, path = "/", reset = true, allow = [], connected = "[data-state=ok]" } = {}) {
  if (reset) await resetSandbox();
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000); // a stuck step names its locator before the test's own timeout
  const errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("dialog", (dialog) => { errors.push(`dialog: ${dialog.message()}`); dialog.dismiss().catch(() => {}); });
  await page.goto(`${base}${path}`);
  await page.locator(`#connection-state${connected}`).waitFor();
  await page.locator("#accounts-table tbody tr[data-account-id]").first().waitFor({ state: "attached" });
  const done = async () => {
    await assertAxe(page, "the test's last state");
    assert.deepEqual(errors.filter((e) => !allow.some((re) => re.test(e))), [], "no console or page errors");
    await context.close();
  };
  return { page, context, done };
}

const shot = async (page, name, viewport, { fullPage = false } = {}) => {
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SHOTS, `19-${name}-${viewport.width}.png`), fullPage });
};

async function assertAxe(page, state) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
  assert.deepEqual(bad, [], `axe in "${state}"`);
}

async function assertKeyNowhere(page) {
  const found = await page.evaluate((key) => {
    const where = [];
    for (const [name, store] of [["localStorage", localStorage], ["sessionStorage", sessionStorage]]) {
      for (let i = 0; i < store.length; i++) {
        const k = store.key(i);
        if (k.includes(key) || String(store.getItem(k)).includes(key)) where.push(name);
      }
    }
    if (location.href.includes(key)) where.push("location.href");
    if (document.body.innerText.includes(key)) where.push("page text");
    return where;
  }, apiKey);
  assert.deepEqual(found, [], `the key must not be in: ${found.join(", ")}`);
}

const section = (page, root, title) => page.locator(root).locator(".section", { has: page.locator("h4", { hasText: title }) });
const dialog = (page) => page.locator("#confirm-dialog");
const pageHeight = (page) => page.evaluate(() => document.documentElement.scrollHeight);

/** Opens John's account from the list (found by name). */
async function openJohn(page) {
  await page.fill("#accounts-find", "john@example");
  await page.locator("#accounts-table").getByRole("button", { name: "John Oniell" }).click();
  const detail = page.locator("#account-detail");
  await detail.locator(".big-number").waitFor();
  await detail.locator("#account-lifecycle .badge[data-code=a]").waitFor();
  await detail.locator("td", { hasText: "Proactive chat" }).first().waitFor();
  return detail;
}

// ---- 1: the add-on picker ----------------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`1: no add-on is chosen for you; "Add X at Y to Z?" warns about a second X; the form resets (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of 503/] });
    const detail = await openJohn(page);
    const addons = section(page, "#account-detail", "Add-ons");
    const select = addons.getByLabel("Add-on", { exact: true });
    assert.equal(await select.inputValue(), "", "nothing is chosen at first");
    assert.equal(await select.locator("option:checked").innerText(), "Choose an add-on…");
    await addons.getByRole("button", { name: "Add add-on" }).click();
    await addons.locator(".field-error", { hasText: "Choose an add-on first." }).waitFor();
    assert.equal((await received("/addons", "POST")).length, 0, "nothing was sent");

    // Proactive chat again: the question names price and account, and warns.
    await select.selectOption("p4g7y4ft7");
    await addons.getByRole("button", { name: "Add add-on" }).click();
    await dialog(page).waitFor();
    assert.match(await page.locator("#confirm-message").innerText(),
      /^Add Proactive chat at 99\.90 \(contract currency\) to John Oniell \(mysupport\.ladesk\.com\)\? No end date\.$/);
    assert.match(await page.locator("#confirm-warning").innerText(), /already has Proactive chat: adding it again bills it again/);
    await assertAxe(page, "add-on question");
    await shot(page, "1-addon-confirm-after", viewport);
    await page.locator("#confirm-cancel").click();
    assert.equal((await received("/addons", "POST")).length, 0, "Cancel sends nothing");

    // Call center, with a date: no warning; after success the form is empty.
    await select.selectOption("c4l7c3n8");
    await addons.getByLabel(/Valid to/).fill("2031-01-31");
    await addons.getByRole("button", { name: "Add add-on" }).click();
    await dialog(page).waitFor();
    assert.ok(await page.locator("#confirm-warning").isHidden(), "no warning for a first Call center");
    assert.match(await page.locator("#confirm-message").innerText(), /Add Call center at 29\.00 \(contract currency\) to John Oniell[\s\S]*Valid to 2031-01-31 23:59:59/);
    await page.locator("#confirm-ok").click();
    await addons.locator(".result-success", { hasText: "Added Call center to John Oniell (mysupport.ladesk.com), valid to 2031-01-31 23:59:59." }).waitFor();
    await detail.locator("td", { hasText: "Call center" }).first().waitFor();
    assert.equal(await select.inputValue(), "", "the picker is empty again");
    assert.equal(await addons.getByLabel(/Valid to/).inputValue(), "", "valid-to is empty again");
    assert.equal((await received("/addons", "POST")).length, 1);
    await shot(page, "1-addon-added-after", viewport);

    // A change that succeeds after an automatic retry says so.
    await fault({ path_contains: "/attributes", status: 503, count: 1, retry_after: 1 });
    const agents = section(page, "#account-detail", "Maximum agents");
    await agents.getByLabel("New maximum agents").fill("12");
    await agents.getByRole("button", { name: "Save" }).click();
    const saved = agents.locator(".result-success");
    await saved.waitFor({ timeout: 10_000 });
    assert.equal(await saved.locator(".result-message").innerText(),
      "Maximum agents set to 12. It took 2 attempts (503 → waited 1 s (Retry-After) → 200).");
    await done();
  });
}

// ---- 2: outcomes stated, never guessed ---------------------------------------------

/** Fills the new-account form and waits for its live checks. */
async function fillSignup(page, who) {
  await page.click("#tab-signup");
  await page.locator("#signup-variation option").first().waitFor({ state: "attached" });
  await page.fill("#signup-name", `${who} Example`);
  await page.fill("#signup-email", `${who}@example.org`);
  await page.fill("#signup-subdomain", `${who}-demo`);
  await page.locator("#signup-email-check[data-state=valid]").waitFor();
  await page.locator("#signup-subdomain-check[data-state=valid]").waitFor();
}

for (const viewport of VIEWPORTS) {
  test(`2: a Retry that succeeds says so and empties the form; a create that timed out is checked, never resent blindly (${viewport.width} px)`, { timeout: 40_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of 503/] });
    const outcome = page.locator("#signup-outcome");

    // A 503 (the server did nothing): Retry, and the success is stated.
    await fillSignup(page, "ada");
    await fault({ path_contains: "/accounts", status: 503, count: 1, retry_after: 1 });
    await page.click("#signup-submit");
    await outcome.locator(".result-error", { hasText: "HTTP 503" }).waitFor();
    await outcome.getByRole("button", { name: "Retry" }).click();
    const ok = outcome.locator(".result-success");
    await ok.waitFor();
    assert.match(await ok.innerText(), /Created the account of ada Example \(ada-demo\.ladesk\.com\): Waiting for create, account_id [0-9a-f]+\. The form is empty again/);
    for (const id of ["#signup-name", "#signup-email", "#signup-subdomain"]) assert.equal(await page.inputValue(id), "", `${id} is empty`);
    assert.ok(await ok.getByRole("button", { name: "Open the account" }).isVisible());
    await shot(page, "2-retry-success-after", viewport);

    // A short timeout, no retries: the create hangs and times out, but it
    // landed (it reached the server another way meanwhile): the console finds it.
    if (viewport === PHONE) await page.click("#connect-toggle");
    await page.fill("#timeout-ms", "1500");
    await page.fill("#max-retries", "0");
    await page.click("#connect-button");
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await fillSignup(page, "grace");
    const posts = (await received("/accounts", "POST")).length;
    await fault({ path_contains: "/accounts", status: 200, delay_ms: 120_000, count: 1 });
    await page.click("#signup-submit");
    await outcome.locator(".result-pending").waitFor();
    await createAccount({ customer_email: "grace@example.org", customer_name: "grace Example", subdomain: "grace-demo" });
    const found = outcome.locator(".result-success", { hasText: "outcome was unknown" });
    await found.waitFor({ timeout: 10_000 });
    assert.match(await found.innerText(), /The outcome was unknown \(timeout\), so the console checked: the account exists \(grace@example\.org, grace-demo\.ladesk\.com\)\. Created the account of grace Example/);
    assert.equal(await outcome.getByRole("button", { name: /Retry|Send again/ }).count(), 0, "no blind retry");
    assert.equal((await received("/accounts", "POST")).length, posts + 2, "the console's create and the other one: nothing resent");
    await shot(page, "2-unknown-landed-after", viewport);

    // Timed out and did not land: it says so, and only then offers to send again.
    await fillSignup(page, "hedy");
    await fault({ path_contains: "/accounts", status: 200, delay_ms: 120_000, count: 1 });
    await page.click("#signup-submit");
    const notice = outcome.locator(".result-notice");
    await notice.waitFor({ timeout: 10_000 });
    assert.match(await notice.innerText(), /outcome was unknown \(timeout\), so the console checked: no account has hedy@example\.org and hedy-demo\.ladesk\.com is still free\. Nothing was changed, so sending it again is safe\./);
    await assertAxe(page, "unknown outcome, not landed");
    await notice.getByRole("button", { name: "Send again" }).click();
    await outcome.locator(".result-success", { hasText: "Created the account of hedy Example" }).waitFor();
    await done();
  });
}

// ---- 3: hundreds of accounts ---------------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`3: 500 accounts: short page, sort, status filter, pages, the detail where the user is, the view and the log kept over a reload (${viewport.width} px)`, { timeout: 40_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    assert.equal(await page.locator("#accounts-count").innerText(), "502");
    assert.equal(await page.locator("#accounts-table tbody tr[data-account-id]").count(), 25);
    assert.equal(await page.locator("#accounts-page").innerText(), "Page 1 of 21 · 1–25 of 502");
    const height = await pageHeight(page);
    assert.ok(height <= 2000, `the list view is ${height} px tall`);
    await shot(page, "3-list-500-after", viewport);
    await assertAxe(page, "list of 500");

    const names = async () => page.locator("#accounts-table tbody button.name").allInnerTexts();
    await page.selectOption("#accounts-sort", "name-asc");
    assert.deepEqual((await names()).slice(0, 3), ["Customer 1", "Customer 2", "Customer 3"]);
    await page.selectOption("#accounts-sort", "name-desc");
    assert.equal((await names())[0], "Marcus Dough");
    await page.selectOption("#accounts-sort", "created-asc");
    assert.equal((await names())[0], "John Oniell", "the oldest account first");

    // Status filter and pages.
    await page.fill("#accounts-find", "customer");
    await page.selectOption("#accounts-status", "s");
    assert.equal(await page.locator("#accounts-count").innerText(), "50 of 502");
    const codes = await page.locator("#accounts-table tbody .badge").evaluateAll((els) => els.map((e) => e.dataset.code));
    assert.deepEqual([...new Set(codes)], ["s"]);
    await page.click("#accounts-next");
    assert.equal(await page.locator("#accounts-page").innerText(), "Page 2 of 2 · 26–50 of 50");
    const url = new URL(page.url());
    assert.deepEqual(Object.fromEntries(url.searchParams), { q: "customer", status: "s", sort: "created-asc", page: "2" });

    // The detail opens where the user is: beside the list, or over it on a phone; the page does not jump.
    const scrolled = await page.evaluate(() => window.scrollY);
    const target = page.locator("#accounts-table tbody tr[data-account-id]").nth(3);
    const id = await target.getAttribute("data-account-id");
    const name = await target.locator("button.name").innerText();
    await target.locator("button.name").click();
    const detail = page.locator("#account-detail");
    await detail.locator("h3", { hasText: name }).waitFor();
    await detail.locator(".big-number").waitFor();
    assert.equal(await page.evaluate(() => window.scrollY), scrolled, "the page did not move");
    const box = await detail.boundingBox();
    assert.ok(box.y <= 1 && box.height >= viewport.height - 1, "the detail fills the height of the screen");
    if (viewport === DESKTOP) {
      const list = await page.locator("#accounts-card").boundingBox();
      assert.ok(list.x + list.width <= box.x + 1 && list.width > 300, "the list stays visible beside the detail");
    } else {
      assert.ok(box.x <= 0 && box.width >= viewport.width - 1, "over the list on a phone");
      assert.ok(await page.locator(".tabs").evaluate((el) => el.closest("[inert]") !== null), "what it covers is inert");
    }
    assert.equal(new URL(page.url()).searchParams.get("account"), id);
    await assertAxe(page, "account open beside the list");
    await shot(page, "3-detail-where-the-user-is-after", viewport);

    // Settings: the timeout goes into the URL too (never the key).
    if (viewport === PHONE) await detail.getByRole("button", { name: "Close", exact: true }).click();
    if (viewport === PHONE) await page.click("#connect-toggle");
    await page.fill("#timeout-ms", "9000");
    await page.click("#connect-button");
    await page.locator("#connection-state[data-state=ok]").waitFor();
    if (viewport === PHONE) await target.locator("button.name").click();
    await detail.locator(".big-number").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("timeout"), "9000");
    const logged = await page.locator("#log-list > li").count();

    // Reload: the same view, record and timeout; the log of the tab is still there.
    await page.reload();
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await detail.locator("h3", { hasText: name }).waitFor();
    assert.equal(await page.inputValue("#accounts-find"), "customer");
    assert.equal(await page.inputValue("#accounts-status"), "s");
    assert.equal(await page.inputValue("#accounts-sort"), "created-asc");
    assert.equal(await page.inputValue("#timeout-ms"), "9000");
    assert.equal(await page.locator("#accounts-page").innerText(), "Page 2 of 2 · 26–50 of 50");
    assert.ok(await page.locator("#log-list > li").count() > logged, "the entries from before the reload are kept");
    const times = await page.locator("#log-list .log-time").allInnerTexts();
    assert.ok(times.length > 0 && times.every((t) => /^\d\d:\d\d:\d\d$/.test(t)), "each entry has its time of day");
    // On a phone the record covers the page (the rest is inert): close it first.
    if (viewport === PHONE) {
      await page.keyboard.press("Escape");
      await detail.waitFor({ state: "hidden" });
    }
    await page.fill("#log-filter", "getAccountStatus");
    const ops = await page.locator("#log-list > li:not([hidden])").evaluateAll((els) => els.map((e) => e.dataset.op));
    assert.ok(ops.length >= 2 && ops.every((op) => op === "getAccountStatus"), `filtered: ${ops}`);
    assert.match(await page.locator("#log-filter-count").innerText(), /^\d+ of \d+ shown$/);
    await assertKeyNowhere(page);
    await page.evaluate(() => document.querySelector(".log").scrollIntoView({ block: "start" }));
    await shot(page, "3-log-filter-after", viewport);
    await done();
  });
}

// ---- 4: account ↔ licenses -----------------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`4: license search by any part, in any case; account and license lead to each other (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    await resetSandbox();
    await createAccount({ customer_email: "john@doe.com", customer_name: "John Doe", subdomain: "johndoe" });
    const { page, done } = await openDemo({ viewport, reset: false });
    await page.click("#tab-licenses");
    await page.locator("#licenses-table tr", { hasText: "lat47ts4" }).waitFor();
    for (const part of ["JOHN D", "@doe.C", "lat47"]) {
      await page.fill("#licenses-find", part);
      assert.equal(await page.locator("#licenses-count").innerText(), "1 of 1", part);
    }
    await page.fill("#licenses-find", "acme");
    await page.locator("#licenses-table td", { hasText: "No listed license has “acme” in its customer's name or email, or in its code." }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("lq"), "acme");
    await page.fill("#licenses-find", "doe");
    await page.locator("#licenses-table").getByRole("button", { name: "lat47ts4" }).click();
    const license = page.locator("#license-detail");
    await license.locator(".big-number").waitFor();
    await license.getByRole("button", { name: "Open the account of john@doe.com" }).click();
    const account = page.locator("#account-detail");
    await account.locator("h3", { hasText: "John Doe" }).waitFor();
    assert.equal(await page.getAttribute("#tab-accounts", "aria-selected"), "true");
    const licenses = section(page, "#account-detail", "Licenses");
    await licenses.getByRole("button", { name: "lat47ts4" }).waitFor();
    await licenses.scrollIntoViewIfNeeded();
    await assertAxe(page, "account with its licenses");
    await shot(page, "4-account-licenses-after", viewport);
    await licenses.getByRole("button", { name: "lat47ts4" }).click();
    await license.locator("h3", { hasText: "lat47ts4" }).waitFor();
    assert.equal(await page.getAttribute("#tab-licenses", "aria-selected"), "true");
    await done();
  });
}

// ---- 5: terminate, history, allowed actions ---------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`5: terminate asks for the domain; a history of what was sent; actions the status forbids say why (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    const detail = await openJohn(page);
    const status = section(page, "#account-detail", "Status");
    const button = (name) => status.getByRole("button", { name, exact: true });
    assert.ok(await button("Unsuspend").isDisabled());
    assert.match(await page.locator("#account-status-reasons").innerText(), /Unsuspend: the account is not suspended/);

    await button("Suspend").click();
    await page.locator("#confirm-note").fill("Unpaid invoice");
    await page.locator("#confirm-ok").click();
    await status.locator(".result-success", { hasText: "Suspended John Oniell" }).waitFor();
    await detail.locator("#account-lifecycle .badge[data-code=s]").waitFor();
    const history = status.locator(".history-list li").first();
    assert.match(await history.innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Suspended · Note: Unpaid invoice$/);

    // Terminate: the domain must be typed.
    await button("Terminate").click();
    await dialog(page).waitFor();
    const ok = page.locator("#confirm-ok");
    await page.locator("#confirm-note").fill("Contract ended");
    assert.ok(await ok.isDisabled(), "not without the domain");
    assert.equal(await page.locator("label[for=confirm-type]").innerText(), "Type mysupport.ladesk.com to confirm");
    await page.locator("#confirm-type").fill("mysupport");
    assert.ok(await ok.isDisabled(), "not with a part of it");
    await page.locator("#confirm-type").fill("mysupport.ladesk.com");
    assert.ok(await ok.isEnabled());
    await assertAxe(page, "terminate question");
    await shot(page, "5-terminate-typed-after", viewport);
    await ok.click();
    await detail.locator("#account-lifecycle .badge[data-code=t]").waitFor();
    for (const name of ["Suspend", "Unsuspend", "Terminate"]) assert.ok(await button(name).isDisabled(), `${name} after terminate`);
    assert.match(await page.locator("#account-status-reasons").innerText(), /a terminated account cannot be reactivated/);
    assert.equal(await status.locator(".history-list li").count(), 2);

    // The history outlives a reload (this browser keeps it).
    await page.reload();
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await status.locator(".history-list li", { hasText: "Terminated · Note: Contract ended" }).waitFor();
    await shot(page, "5-history-after", viewport);

    // An account still being created cannot be suspended, and says why.
    const created = await createAccount({ customer_email: "new@example.org", customer_name: "Nova New", subdomain: "nova" });
    await page.goto(`${base}/?account=${created.account_id}`);
    await detail.locator("#account-lifecycle .badge[data-code=c]").waitFor();
    assert.ok(await button("Suspend").isDisabled());
    assert.match(await page.locator("#account-status-reasons").innerText(), /Suspend: the account is still being created/);
    await done();
  });
}

// ---- 6: one error per panel; a wrong key once ------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`6: five failed reads are one error with Retry; a wrong key is said once, by the key (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    await resetSandbox();
    await fault({ path_contains: `/accounts/${JOHN}`, status: 500, count: 5 });
    // Connected, then the account's reads fail: the badge may already say "Server error (500)".
    const { page, done } = await openDemo({
      viewport, reset: false, path: `/?account=${JOHN}`, allow: [/status of (500|401)/],
      connected: ":is([data-state=ok], [data-state=degraded])",
    });
    const detail = page.locator("#account-detail");
    const error = detail.locator(".result-error");
    await error.waitFor();
    await page.waitForTimeout(300);
    assert.equal(await error.count(), 1, "one error for the whole account");
    assert.match(await error.innerText(), /Could not load parts of this account: [\s\S]*HTTP 500/);
    assert.match(await error.innerText(), /maximum agents/, "the parts by their labels");
    assert.doesNotMatch(await error.innerText(), /Could not load parts of this account:[^\n]*max_agents/, "no raw attribute name in the list of parts");
    assert.doesNotMatch(await error.innerText(), /not retryable/);
    await assertAxe(page, "account with failed reads");
    await shot(page, "6-one-error-after", viewport);
    await error.getByRole("button", { name: "Retry" }).click();
    await detail.locator(".big-number", { hasText: "99" }).waitFor({ timeout: 10_000 });
    await detail.locator("td", { hasText: "user@example.com" }).waitFor({ timeout: 10_000 });
    await section(page, "#account-detail", "Licenses").locator("p", { hasText: "No license lists" }).waitFor({ timeout: 10_000 });
    assert.equal(await detail.locator(".result-error").count(), 0);

    // A wrong key: once, by the key field; no banner, no error in the panels.
    if (viewport === PHONE) await detail.getByRole("button", { name: "Close", exact: true }).click();
    await fault({ path_contains: "", status: 401, count: 1000, body: WRONG_KEY_BODY });
    await page.click("#accounts-filter button[type=submit]");
    await page.locator("#connect-outcome .result-error", { hasText: "rejects the key" }).waitFor({ timeout: 10_000 });
    const said = await page.evaluate(() => document.body.innerText.split("wrong API key").length - 1);
    assert.equal(said, 1, "the server's words appear once");
    assert.equal(await page.locator("#banners .banner").count(), 0);
    assert.equal(await page.locator("main .result-error").count(), 0);
    assert.equal(await page.getAttribute("#api-key", "aria-invalid"), "true");
    await assertAxe(page, "wrong key");
    await shot(page, "6-wrong-key-after", viewport);
    await fetch(`${base}/_sandbox/faults`, { method: "DELETE" });
    await page.click("#connect-button");
    await page.locator("#connection-state[data-state=ok]").waitFor();
    await done();
  });
}

// ---- 7: words, not codes -----------------------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`7: roles, user statuses, attributes and plans in words (code on hover); a time that cannot be is marked (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport });
    const detail = await openJohn(page);
    const users = section(page, "#account-detail", "Users");
    await users.locator("td", { hasText: "user@example.com" }).waitFor();
    assert.equal(await users.locator("td[data-label=Role] .coded").innerText(), "Owner");
    assert.equal(await users.locator("td[data-label=Role] .coded").getAttribute("title"), "Role code: la_own");
    assert.equal(await users.locator("td[data-label=Status] .coded").innerText(), "Active");
    assert.equal(await users.locator("td[data-label=Status] .coded").getAttribute("title"), "User status code: A");
    assert.ok(await section(page, "#account-detail", "Maximum agents").isVisible());
    const plan = detail.locator("dd .plan");
    assert.equal(await plan.innerText(), "Ticket+Chat");
    assert.equal(await plan.getAttribute("title"), "Variation id: t7f4u7fd");
    assert.match(await detail.locator("td.price").first().innerText(), /^99\.90\s+contract currency$/);
    const text = await detail.innerText();
    for (const code of ["la_own", "max_agents", "t7f4u7fd"]) assert.ok(!text.includes(code), `no raw ${code} on screen`);
    await users.scrollIntoViewIfNeeded();
    await shot(page, "7-labels-account-after", viewport);

    await page.goto(`${base}/?tab=licenses&license=lat47ts4`);
    const license = page.locator("#license-detail");
    await license.locator(".big-number").waitFor();
    const from = license.locator("dd .when.malformed");
    assert.match(await from.innerText(), /^2008-12-11 08:95:41 not a valid time$/i);
    assert.equal(await license.locator("dd .plan").innerText(), "Unknown plan (var4u7y7, not in your catalogue)");
    await assertAxe(page, "license with a malformed time");
    await shot(page, "7-labels-license-after", viewport);
    await page.goto(`${base}/?tab=catalogue`);
    await page.locator("#catalogue .variation").first().waitFor();
    assert.match(await page.locator("#catalogue .variation").first().innerText(), /Plan price\s+not sent by the API/);
    await done();
  });
}

// ---- 8: chaos 500 and the calls in flight ------------------------------------------------------

for (const viewport of VIEWPORTS) {
  test(`8: the chaos panel's 500; the header's in-flight count lists the calls, each with Cancel (${viewport.width} px)`, { timeout: 30_000 }, async () => {
    const { page, done } = await openDemo({ viewport, allow: [/status of 500/] });
    const chaos = page.locator("#chaos");
    await chaos.getByLabel("Applies to").selectOption("/accounts");
    await chaos.getByRole("button", { name: "500", exact: true }).click();
    await chaos.locator("#chaos-rules li", { hasText: "500 · paths with “/accounts” · 1 left" }).waitFor();
    await page.click("#accounts-filter button[type=submit]");
    const error = page.locator("#accounts-outcome .result-error");
    await error.waitFor();
    assert.match(await error.innerText(), /HTTP 500/);
    await error.getByRole("button", { name: "Retry" }).click();
    await error.waitFor({ state: "detached" });

    await chaos.getByLabel("Applies to").selectOption("/licenses");
    await chaos.getByRole("button", { name: "Hang" }).click();
    await chaos.locator(".result-success", { hasText: "hangs" }).waitFor();
    await page.click("#tab-licenses");
    await page.click("#licenses-filter button[type=submit]");
    const activity = page.locator("#activity");
    await activity.waitFor();
    assert.equal(await activity.innerText(), "1 call in flight");
    await activity.click();
    assert.equal(await activity.getAttribute("aria-expanded"), "true");
    const item = page.locator("#inflight-list li", { hasText: "listLicenses" });
    await item.waitFor();
    await assertAxe(page, "calls in flight");
    await shot(page, "8-inflight-after", viewport);
    await item.getByRole("button", { name: /^Cancel listLicenses/ }).click();
    await page.locator("#licenses-outcome .result-cancelled").waitFor();
    await activity.waitFor({ state: "hidden" });
    assert.ok(await page.locator("#inflight").isHidden());
    await page.locator('#log-list > li[data-op="listLicenses"]').first().locator(".log-status", { hasText: "aborted" }).waitFor();
    await done();
  });
}

// ---- 9: no server at all ---------------------------------------------------------------------

const TESTING = existsSync(join(PKG, "testing.js"));
for (const viewport of VIEWPORTS) {
  test(`9: ?sandbox=memory runs the console on the package's in-memory sandbox (${viewport.width} px)`,
    { timeout: 30_000, skip: TESTING ? false : "pkg/testing.js is not built yet (liveagent-reseller/testing)" }, async () => {
      await resetSandbox();
      const { page, done } = await openDemo({ viewport, reset: false, path: "/?sandbox=memory", allow: [/status of 503/] });
      assert.equal((await received("/api")).length, 0, "nothing reached the HTTP sandbox");
      assert.match(await page.locator("#connect-hint").innerText(), /in-memory sandbox/);
      await page.locator("#accounts-table").getByRole("button", { name: "John Oniell" }).waitFor();
      const chaos = page.locator("#chaos");
      await chaos.getByRole("button", { name: "503 burst" }).click();
      await page.click("#accounts-filter button[type=submit]");
      const entry = page.locator('#log-list > li[data-op="listAccounts"]').first();
      await entry.locator(".log-status", { hasText: "200" }).waitFor({ timeout: 10_000 });
      assert.match(await entry.locator(".log-trail").innerText(), /^503 → waited 1 s \(Retry-After\) → 503/);
      await page.locator("#accounts-card:not(.is-busy)").waitFor();
      assert.equal(new URL(page.url()).searchParams.get("sandbox"), "memory");
      await shot(page, "9-memory-after", viewport);
      await done();
    });
}

// ---- the package's newer fields: callId and maybeApplied -------------------------------------

test("the log groups events by callId (two calls of one operation, answers crossed); maybeApplied is the package's when given", { timeout: 20_000 }, async () => {
  const { page, done } = await openDemo();
  const found = await page.evaluate(async () => {
    const { createTracker } = await import("/js/calls.js");
    const { maybeApplied } = await import("/js/ui.js");
    const tracker = createTracker();
    tracker.clear();
    const url = "http://127.0.0.1/api/resellers/r/accounts/A?apikey=[redacted]";
    const ev = (type, callId, attempt, more = {}) => tracker.onEvent({ type, operation: "getAccount", method: "GET", callId, attempt, url, ...more });
    // Same operation, same URL: only the callId tells the two calls apart.
    ev("request", "c1", 1);
    ev("request", "c2", 1);
    ev("response", "c2", 1, { status: 200, ms: 4 });
    ev("response", "c1", 1, { status: 503, ms: 5 });
    ev("retry", "c1", 1, { delayMs: 1000, retryAfterMs: 1000, reason: 503 });
    ev("request", "c1", 2);
    ev("response", "c1", 2, { status: 200, ms: 6 });
    const entry = (id) => document.querySelector(`#log-list > li[data-call-id="${id}"]`);
    return {
      c1: entry("c1")?.querySelector(".log-trail")?.textContent ?? null,
      c2: entry("c2")?.querySelector(".log-trail")?.textContent ?? "",
      c2attempts: entry("c2")?.querySelectorAll(".log-attempts li").length ?? -1,
      applied: [
        maybeApplied({ kind: "timeout", operation: "createAccount", maybeApplied: false }),
        maybeApplied({ kind: "api", status: 200, operation: "getAccount", maybeApplied: true }),
        maybeApplied({ kind: "timeout", operation: "createAccount" }),
        maybeApplied({ kind: "api", status: 504, operation: "setAccountAttribute" }),
        maybeApplied({ kind: "api", status: 503, operation: "createAccount" }),
        maybeApplied({ kind: "timeout", operation: "getAccount" }),
      ],
    };
  });
  assert.equal(found.c1, "503 → waited 1 s (Retry-After) → 200");
  assert.equal(found.c2, "", "the other call had one attempt");
  assert.equal(found.c2attempts, 0);
  assert.deepEqual(found.applied, [false, true, true, true, false, false]);
  await done();
});
