// API.md: "A config error throws from `new ResellerClient(…)` in every
// runtime, browsers included (before the `.wasm` has arrived), with the same
// message." The package's browser entries are loaded with a .wasm that never
// arrives (Node with a fetch that never answers; Chromium with the .wasm's
// route held): a bad config throws at once, a good one does not, and each
// message is the one the core gives. The wasm takes the settings that check
// read, once: what the caller changes in its object afterwards changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const pkg = resolve(import.meta.dirname, "../../pkg");
const base = `baseUrl: "https://x.example.com/api", reseller: "r@x.com"`;
// Source text (each runs in Node and in the page) and the message the core
// gave for it (the .wasm of e1a9937, which still checked the config itself;
// tests/config_rules.rs holds the core's rules and js/config.js to the same
// verdicts on 549 configs).
const CASES = [
  [`undefined`,
    "the config object is required"],
  [`'https://x.example.com/api'`,
    "the config object is required"],
  [`{ ${base}, apiKey: "k3y", timeout: 5 }`,
    "the config has no key \"timeout\" (did you mean timeoutMs?)"],
  [`{ ${base}, apiKey: "k3y", retries: 1 }`,
    "the config has no key \"retries\" (did you mean maxRetries?)"],
  [`{ baseUrl: "x.example.com/api", reseller: "r", apiKey: "k3y" }`,
    "baseUrl must be an absolute http(s) URL without credentials, query or fragment"],
  [`{ baseUrl: "https://u:p@x/api", reseller: "r", apiKey: "k3y" }`,
    "baseUrl must be an absolute http(s) URL without credentials, query or fragment"],
  [`{ ${base} }`,
    "apiKey is required"],
  [`{ ${base}, apiKey: "" }`,
    "apiKey must not be empty"],
  [`{ baseUrl: "https://x/api", reseller: "..", apiKey: "k3y" }`,
    "reseller must not be empty or a dot segment (. or ..)"],
  [`{ ${base}, apiKey: "k3y", timeoutMs: 0 }`,
    "timeoutMs must be a whole number of milliseconds from 1 to 2147483647"],
  [`{ ${base}, apiKey: "k3y", maxRetries: 11 }`,
    "maxRetries must be a whole number from 0 to 10"],
  [`{ ${base}, apiKey: "k3y", maxResponseBytes: 0 }`,
    "maxResponseBytes must be a whole number of bytes from 1 to 9007199254740992"],
  [`{ ${base}, apiKey: "k3y", headers: { "Transfer-Encoding": "chunked" } }`,
    "header \"Transfer-Encoding\" is one fetch forbids a caller to set"],
  [`{ ${base}, apiKey: "k3y", headers: { "X-A": "\\u0100" } }`,
    "header \"X-A\" has a character outside Latin-1 in its value"],
  [`{ ${base}, apiKey: "e", headers: { "a e": "1" } }`,
    "header name \"a [redacted]\" is not a valid HTTP header name"],
  [`{ ${base}, apiKey: "k3y", timeZone: "Mars/Olympus" }`,
    "timeZone \"Mars/Olympus\" is not an IANA time zone this host knows"],
  [`{ ${base}, apiKey: "k3y", fetch: "fetch" }`,
    "fetch must be a function"],
  [`{ ${base}, apiKey: "k3y", onEvent: 1 }`,
    "onEvent must be a function"],
  [`{ ${base}, apiKey: "\\uD800" }`,
    "apiKey is not well-formed Unicode (it holds a lone surrogate)"],
];
const BAD = CASES.map(([source]) => source);
const core = CASES.map(([, message]) => `ResellerClient: ${message}`);
const GOOD = `{ ${base}, apiKey: "k3y", timeZone: "Europe/Berlin", headers: { "X-A": "1" }, maxRetries: 0 }`;
const make = (source) => new Function(`return (${source});`)();

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


test("the settings are read once, by the constructor: a later change to the config object changes nothing", async () => {
  const { ResellerClient } = await import(pathToFileURL(join(pkg, "node.js")).href);
  const sent = [];
  class Config {
    baseUrl = "https://x.example.com/api/";
    reseller = "r@x.com";
    apiKey = "k3y";
    maxRetries = 0;
    headers = { "X-A": "1" };
    fetch = async (url, init) => {
      sent.push([String(url), { ...init.headers }]);
      return new Response('{"response":{"status":"OK","statuscode":0,"account_status":"a"}}');
    };
  }
  const config = new Config();
  const client = new ResellerClient(config); // the .wasm is compiled after this returns
  Object.assign(config, { baseUrl: "ftp://elsewhere", apiKey: "", headers: { Host: "evil" }, maxRetries: 99 });
  config.fetch = () => assert.fail("the fetch given later was used");
  assert.equal((await client.getAccountStatus("a1")).account_status, "a");
  assert.equal(sent.length, 1);
  assert.equal(sent[0][0], "https://x.example.com/api/resellers/r@x.com/accounts/a1/status?apikey=k3y");
  assert.equal(sent[0][1]["X-A"], "1");
  assert.equal(Object.keys(sent[0][1]).some((name) => /^host$/i.test(name)), false);
});
