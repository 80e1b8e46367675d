// Browser tests of the demo page (www/), served by the sandbox with the
// built package (pkg/). Run from the repository root: `node --test tests/e2e/`.
//
// SANDBOX_BIN overrides the sandbox binary (default: target/debug/sandbox,
// else /tmp/target-sandbox/debug/sandbox).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = join(ROOT, "tests", "screenshots");
const RESELLER_PATH = "/api/resellers/reseller@example.com";

let sandbox;
let base; // http://127.0.0.1:PORT
let apiKey; // the sandbox's key, read from /sandbox.json
let context;
let profile;

function sandboxBin() {
  if (process.env.SANDBOX_BIN) return process.env.SANDBOX_BIN;
  const local = join(ROOT, "target", "debug", "sandbox");
  return existsSync(local) ? local : "/tmp/target-sandbox/debug/sandbox";
}

/** Starts the sandbox on a free port; resolves to its URL (first stdout line). */
function startSandbox() {
  return new Promise((resolve, reject) => {
    const bin = sandboxBin();
    const child = spawn(bin, ["--port", "0", "--www", "www", "--pkg", "pkg"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${stderr}`)), 15_000);
    child.on("error", (err) => { clearTimeout(timer); reject(new Error(`cannot run ${bin}: ${err.message}`)); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`sandbox exited (${code}): ${stderr}`)); });
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const m = /sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!m) return reject(new Error(`unexpected first line: ${line}`));
      child.stdout.resume(); // keep draining the rest of its output
      resolve({ child, url: m[1] });
    });
  });
}

before(async () => {
  const started = await startSandbox();
  sandbox = started.child;
  base = started.url;
  apiKey = (await (await fetch(`${base}/sandbox.json`)).json()).apiKey;
  assert.ok(apiKey, "the sandbox reports its key");
  mkdirSync(SHOTS, { recursive: true });
  profile = mkdtempSync(join(tmpdir(), "demo-e2e-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_BIN ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    viewport: { width: 1440, height: 900 },
  });
});

after(async () => {
  await context?.close();
  if (sandbox && sandbox.exitCode === null) {
    sandbox.removeAllListeners("exit");
    sandbox.kill();
  }
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/**
 * A fresh page on fresh seed data, connected (the page connects itself),
 * with console errors, page errors and JS dialogs collected.
 */
async function openDemo() {
  const reset = await fetch(`${base}/_sandbox/reset`, { method: "POST" });
  assert.equal(reset.status, 200);
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  await page.goto(`${base}/`);
  await page.locator("#accounts-table tbody tr[data-account-id]").first().waitFor();
  await page.locator("#connection-state[data-state=ok]").waitFor();
  return { page, errors, dialogs };
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const row = (page, text) => page.locator("#accounts-table tbody tr", { hasText: text });

/** Asserts the API key is in no storage, cookie, URL or visible text. */
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
    return where;
  }, apiKey);
  assert.deepEqual(found, [], `the key must not be in: ${found.join(", ")}`);
}

test("loads with no console errors and lists the seeded accounts", { timeout: 20_000 }, async () => {
  const { page, errors, dialogs } = await openDemo();
  const john = row(page, "john@example.com");
  await john.waitFor();
  assert.match(await john.innerText(), /mysupport\.ladesk\.com/);
  assert.match(await john.innerText(), /John Oniell/);
  assert.equal(await john.locator(".badge").getAttribute("data-code"), "a");
  assert.equal((await john.locator(".badge").innerText()).trim(), "Active");
  assert.match(await row(page, "marcus@sonatha.com").innerText(), /sonatha\.ladesk\.com/);
  // The connection fields come from /sandbox.json.
  assert.equal(await page.inputValue("#base-url"), `${base}/api`);
  assert.equal(await page.inputValue("#reseller"), "reseller@example.com");
  // The request log shows what the package sent, without the key.
  const log = await page.locator("#log-list").innerText();
  assert.match(log, /GET\s+200[\s\S]*\/api\/resellers\/reseller@example\.com\/accounts/);
  assert.doesNotMatch(log, /apikey/);
  // Other tabs render from the same connection.
  await page.click("#tab-catalogue");
  await page.locator("#catalogue .variation", { hasText: "Free" }).waitFor();
  assert.match(await page.locator("#catalogue").innerText(), /Proactive chat[\s\S]*99\.90/);
  await page.click("#tab-licenses");
  await page.locator("#licenses-table tbody tr", { hasText: "lat47ts4" }).waitFor();
  // Tabs are reachable and operable by keyboard (arrows move between them).
  await page.focus("#tab-licenses");
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.getAttribute("#tab-signup", "aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-signup");
  await page.keyboard.press("Home");
  assert.equal(await page.getAttribute("#tab-accounts", "aria-selected"), "true");
  assert.ok(await page.isVisible("#panel-accounts"));
  await page.waitForTimeout(200);
  await shot(page, "01-loaded");
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await assertKeyNowhere(page);
  await page.close();
});

test("filters accounts by creation date and opens an account's detail", { timeout: 20_000 }, async () => {
  const { page, errors } = await openDemo();
  await page.fill("#created-from", "2013-01-01");
  await page.click("#accounts-filter button[type=submit]");
  await page.locator("#accounts-table tbody tr", { hasText: "john@example.com" }).waitFor({ state: "detached" });
  assert.equal(await page.locator("#accounts-table tbody tr[data-account-id]").count(), 1);
  const log = await page.locator("#log-list li").first().innerText();
  assert.match(log, /accounts\?created_from=2013-01-01\+00%3A00%3A00/);
  await page.click("#accounts-filter button[type=reset]");
  await row(page, "john@example.com").waitFor();

  await row(page, "john@example.com").getByRole("button", { name: "John Oniell" }).click();
  const detail = page.locator("#account-detail");
  await detail.locator("#account-lifecycle .badge[data-code=a]").waitFor();
  await detail.locator("td", { hasText: "user@example.com" }).waitFor();
  await detail.locator("td", { hasText: "ss5l5sa6" }).waitFor();
  await detail.locator(".big-number", { hasText: "99" }).waitFor();
  assert.equal(await detail.locator(".all-codes .badge").count(), 12, "all lifecycle codes are listed");
  await shot(page, "02-account-detail");
  assert.deepEqual(errors, []);
  await page.close();
});

/** Every form control on the page has a label (a <label> or aria-label). */
async function assertAllLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => el.type !== "hidden" && !el.labels?.length && !el.getAttribute("aria-label"))
      .map((el) => el.id || el.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
}

test("changes an account: variation, max_agents, add-on, user, termination", { timeout: 30_000 }, async () => {
  const { page, errors, dialogs } = await openDemo();
  await row(page, "john@example.com").getByRole("button", { name: "John Oniell" }).click();
  const detail = page.locator("#account-detail");
  await detail.locator("#account-lifecycle .badge[data-code=a]").waitFor();
  await detail.locator(".big-number", { hasText: "99" }).waitFor();
  await detail.locator("dd", { hasText: "Ticket+Chat (t7f4u7fd)" }).waitFor();

  await detail.getByLabel("Variation", { exact: true }).selectOption("r7g4y7ya");
  await detail.getByRole("button", { name: "Change variation" }).click();
  await detail.locator("dd", { hasText: "Free (r7g4y7ya)" }).waitFor();

  await detail.getByLabel("New max_agents").fill("12");
  await detail.getByRole("button", { name: "Save" }).click();
  await detail.locator(".big-number", { hasText: /^12$/ }).waitFor();

  await detail.getByLabel("Add-on", { exact: true }).selectOption("c4l7c3n8");
  await detail.getByLabel(/Valid to/).fill("2030-12-31");
  await detail.getByRole("button", { name: "Add add-on" }).click();
  await detail.locator("tr", { hasText: "Call center" }).locator("td", { hasText: "2030-12-31" }).waitFor();

  await detail.getByRole("button", { name: "Remove user John User" }).click();
  const dialog = page.locator("#confirm-dialog");
  await dialog.getByRole("button", { name: "Remove user" }).click();
  await detail.locator("td", { hasText: "No users." }).waitFor();

  await detail.getByRole("button", { name: "Terminate" }).click();
  await dialog.getByLabel(/Note/).fill("Contract ended");
  await dialog.getByRole("button", { name: "Terminate" }).click();
  await detail.locator("#account-lifecycle .badge[data-code=t]").waitFor();
  await row(page, "john@example.com").locator(".badge[data-code=t]").waitFor();
  assert.ok(await detail.getByRole("button", { name: "Unsuspend" }).isDisabled());
  assert.ok(await detail.getByRole("button", { name: "Terminate" }).isDisabled());
  await assertAllLabelled(page);
  await shot(page, "03-account-changed");
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await page.close();
});

test("licenses: filter, add-on, validity and max_agents", { timeout: 30_000 }, async () => {
  const { page, errors } = await openDemo();
  await page.click("#tab-licenses");
  const licenses = page.locator("#licenses-table tbody");
  await licenses.locator("tr", { hasText: "lat47ts4" }).waitFor();
  await page.fill("#customer-identifier", "nobody@example.com");
  await page.click("#licenses-filter button[type=submit]");
  await licenses.locator("td", { hasText: "No license matches" }).waitFor();
  await page.fill("#customer-identifier", "john@doe.com");
  await page.click("#licenses-filter button[type=submit]");
  await licenses.getByRole("button", { name: "lat47ts4" }).click();

  const detail = page.locator("#license-detail");
  // The vendor's malformed time is shown as sent.
  await detail.locator("dd", { hasText: "2008-12-11 08:95:41" }).waitFor();
  await detail.locator("tr", { hasText: "ss5l5sa6" }).waitFor();
  await detail.getByLabel("Add-on", { exact: true }).selectOption("s8m4d7a2");
  await detail.getByRole("button", { name: "Add add-on" }).click();
  await detail.locator("tr", { hasText: "Social media" }).waitFor();

  const proactive = detail.locator("tr", { hasText: "ss5l5sa6" });
  await proactive.getByLabel(/New valid-to date/).fill("2031-06-30");
  await proactive.getByRole("button", { name: "Save" }).click();
  await detail.locator("tr", { hasText: "ss5l5sa6" }).locator("td", { hasText: "2031-06-30" }).waitFor();

  await detail.getByLabel("New max_agents").fill("5");
  await detail.locator("form.attribute-form").getByRole("button", { name: "Save" }).click();
  await detail.locator(".big-number", { hasText: /^5$/ }).waitFor();
  await assertAllLabelled(page);
  await shot(page, "04-license-detail");
  assert.deepEqual(errors, []);
  await page.close();
});

test("creates an account through the form and suspends it", { timeout: 30_000 }, async (t) => {
  const { page, errors, dialogs } = await openDemo();
  const email = "ada@example.org";

  await t.test("creates the account with both live checks passing", async () => {
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
    await shot(page, "05-new-account-form");
    await page.click("#signup-submit");

    const created = row(page, email);
    await created.waitFor();
    assert.match(await created.innerText(), /ada-demo\.ladesk\.com/);
    assert.equal(await created.locator(".badge").getAttribute("data-code"), "c");
    const log = await page.locator("#log-list").innerText();
    assert.match(log, /POST\s+200\s+\d+ ms\s+#\d+\s+\/api\/resellers\/reseller@example\.com\/accounts\s+variation_id=r7g4y7ya&/);
    assert.doesNotMatch(log, /apikey/);
  });

  await t.test("suspends it with a note and its badge changes", async () => {
    const detail = page.locator("#account-detail");
    await detail.locator("h3", { hasText: "Ada Lovelace" }).waitFor();
    await detail.getByRole("button", { name: "Suspend", exact: true }).click();
    const dialog = page.locator("#confirm-dialog");
    await dialog.waitFor();
    await dialog.getByLabel(/Note/).fill("Unpaid invoice");
    await page.screenshot({ path: join(SHOTS, "06-suspend-confirm.png") }); // the viewport, as seen
    await dialog.getByRole("button", { name: "Suspend", exact: true }).click();
    await row(page, email).locator(".badge[data-code=s]").waitFor();
    assert.equal((await row(page, email).locator(".badge").innerText()).trim(), "Suspended");
    await detail.locator("#account-lifecycle .badge[data-code=s]").waitFor();
    await shot(page, "07-suspended");
  });

  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await assertKeyNowhere(page);
  await page.close();
});

test("a wrong API key shows a 401 banner", { timeout: 20_000 }, async () => {
  const { page, errors } = await openDemo();
  await page.fill("#api-key", "not-the-key");
  await page.click("#connect-button");
  const banner = page.locator(".banner[role=alert]").first();
  await banner.waitFor();
  const text = await banner.innerText();
  assert.match(text, /api/i);
  assert.match(text, /401/);
  await page.locator("#connection-state[data-state=error]").waitFor();
  await shot(page, "08-wrong-key");
  // The three calls of a connection failed alike: one banner names them all.
  assert.equal(await page.locator(".banner[role=alert]").count(), 1);
  assert.match(text, /listVariations|listAccounts|listLicenses/);
  await banner.getByRole("button", { name: /Dismiss/ }).click();
  await page.locator(".banner[role=alert]").waitFor({ state: "detached" });
  // The only console errors are the browser's own notes of the 401 answers.
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await assertKeyNowhere(page);
  await page.close();
});

test("server data is shown as text, never run as HTML", { timeout: 20_000 }, async () => {
  const name = "<img src=x onerror=alert(1)>";
  await fetch(`${base}/_sandbox/reset`, { method: "POST" });
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

  // Not openDemo(): it would reset the data and drop the record made above.
  const page = await context.newPage();
  const errors = [];
  const dialogs = [];
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("dialog", (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  await page.goto(`${base}/`);

  const evil = row(page, "xss@example.com");
  await evil.waitFor();
  assert.equal((await evil.getByRole("button").first().innerText()).trim(), name);
  assert.match(await evil.innerText(), /<b onmouseover=alert\(2\)>bold<\/b>/);
  assert.equal(await page.locator("main img, main b").count(), 0, "no element was made from the data");
  await evil.getByRole("button").first().click();
  const title = page.locator("#account-detail h3");
  await title.waitFor();
  await page.locator("#account-detail h3", { hasText: name }).waitFor();
  await page.locator("#account-detail td", { hasText: "Owner" }).waitFor();
  await evil.hover();
  await page.waitForTimeout(300);
  assert.equal(await page.locator("main img, main b").count(), 0);
  await shot(page, "09-xss-as-text");
  assert.deepEqual(dialogs, [], "no script ran");
  assert.deepEqual(errors, []);
  await page.close();
});
