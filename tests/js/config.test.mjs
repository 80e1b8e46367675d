// API.md: "A config error throws from `new ResellerClient(…)` in every
// runtime, browsers included (before the `.wasm` has arrived), with the same
// message." The package's browser entries are loaded with a .wasm that never
// arrives (Node with a fetch that never answers; Chromium with the .wasm's
// route held): a bad config throws at once, a good one does not, and each
// message is the one the core itself gives (the real .wasm, loaded aside).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const pkg = resolve(import.meta.dirname, "../../pkg");
const base = `baseUrl: "https://x.example.com/api", reseller: "r@x.com"`;
// Source text: each runs in Node and in the page.
const BAD = [
  "undefined",
  "'https://x.example.com/api'",
  `{ ${base}, apiKey: "k3y", timeout: 5 }`,
  `{ ${base}, apiKey: "k3y", retries: 1 }`,
  `{ baseUrl: "x.example.com/api", reseller: "r", apiKey: "k3y" }`,
  `{ baseUrl: "https://u:p@x/api", reseller: "r", apiKey: "k3y" }`,
  `{ ${base} }`,
  `{ ${base}, apiKey: "" }`,
  `{ baseUrl: "https://x/api", reseller: "..", apiKey: "k3y" }`,
  `{ ${base}, apiKey: "k3y", timeoutMs: 0 }`,
  `{ ${base}, apiKey: "k3y", maxRetries: 11 }`,
  `{ ${base}, apiKey: "k3y", maxResponseBytes: 0 }`,
  `{ ${base}, apiKey: "k3y", headers: { "Transfer-Encoding": "chunked" } }`,
  `{ ${base}, apiKey: "k3y", headers: { "X-A": "\\u0100" } }`,
  `{ ${base}, apiKey: "e", headers: { "a e": "1" } }`,
  `{ ${base}, apiKey: "k3y", timeZone: "Mars/Olympus" }`,
  `{ ${base}, apiKey: "k3y", fetch: "fetch" }`,
  `{ ${base}, apiKey: "k3y", onEvent: 1 }`,
  `{ ${base}, apiKey: "\\uD800" }`,
];
const GOOD = `{ ${base}, apiKey: "k3y", timeZone: "Europe/Berlin", headers: { "X-A": "1" }, maxRetries: 0 }`;
const make = (source) => new Function(`return (${source});`)();

/** The core's message for each bad config: the package's .wasm, loaded aside, through its ClientCore (which takes the config as the one text of inputs.js and throws an error record). */
let core;

before(async () => {
  const glue = await import(pathToFileURL(join(pkg, "liveagent_reseller.js")).href);
  glue.initSync({ module: readFileSync(join(pkg, "liveagent_reseller_bg.wasm")) });
  const { encodeConfig } = await import(pathToFileURL(join(pkg, "inputs.js")).href);
  core = BAD.map((source) => {
    try {
      new glue.ClientCore(encodeConfig(make(source)).text);
    } catch (record) {
      return JSON.parse(record).message;
    }
    assert.fail(`the core accepted ${source}`);
  });
});

test("Node, browser entry, a .wasm that never arrives: the constructor throws the core's error, at once", async () => {
  const asked = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input) => {
    asked.push(String(input));
    return new Promise(() => {}); // never answers
  };
  try {
    const { ResellerClient, LiveAgentError } = await import(pathToFileURL(join(pkg, "index.js")).href);
    BAD.forEach((source, i) => {
      assert.throws(() => new ResellerClient(make(source)), (e) => {
        assert.ok(e instanceof LiveAgentError, `${source}: ${e}`);
        assert.equal(e.kind, "invalid_input");
        assert.equal(e.operation, "ResellerClient");
        assert.equal(e.message, core[i], source);
        return true;
      });
    });
    assert.deepEqual(asked, [], "a bad config started a load");
    const client = new ResellerClient(make(GOOD));
    assert.equal(client.baseUrl, "https://x.example.com/api");
    assert.equal(asked.length, 1);
    assert.match(asked[0], /liveagent_reseller_bg\.wasm$/);
    // The call waits for the .wasm that never comes: nothing resolved it.
    const settled = await Promise.race([client.getAccount("a1").then(() => "settled", () => "settled"),
      new Promise((ok) => setTimeout(() => ok("pending"), 50))]);
    assert.equal(settled, "pending");
  } finally {
    globalThis.fetch = realFetch;
  }
});

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

test("Chromium, the .wasm's route held: the constructor throws the core's error, at once", async () => {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    const file = path === "/" ? null : join(pkg, path);
    if (file === null) {
      response.writeHead(200, { "Content-Type": types[".html"] }).end("<!doctype html><title>config</title>");
    } else if (file.startsWith(pkg) && statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
      createReadStream(file).pipe(response);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage();
    const held = [];
    await page.route("**/*.wasm", (route) => held.push(route.request().url())); // never answered
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const seen = await page.evaluate(async ([bad, good]) => {
      const { ResellerClient, LiveAgentError } = await import("/module.js");
      const make = (source) => new Function(`return (${source});`)();
      const out = bad.map((source) => {
        try {
          new ResellerClient(make(source));
          return "accepted";
        } catch (e) {
          return [e instanceof LiveAgentError, e.kind, e.message];
        }
      });
      const client = new ResellerClient(make(good));
      return { out, good: client.baseUrl };
    }, [BAD, GOOD]);
    seen.out.forEach((got, i) => assert.deepEqual(got, [true, "invalid_input", core[i]], BAD[i]));
    assert.equal(seen.good, "https://x.example.com/api");
    // The good client asked for the .wasm, which never came.
    await page.waitForTimeout(100);
    assert.equal(held.length, 1, String(held));
    assert.match(held[0], /liveagent_reseller_bg\.wasm$/);
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});

