// examples/node: a TypeScript CLI compiled with the example's own strict
// tsconfig (no "dom" lib: @types/node only), run in this Node against the sandbox.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { api, apiKey, bin, consumer, preflight, reseller, run } from "./helpers.mjs";

let app;

before(async () => {
  await preflight();
  app = consumer("node-example", { example: "node", links: ["@types"] });
  await run(bin("tsc"), ["-p", app]);
});

const env = (key) => ({ LIVEAGENT_API_URL: api, LIVEAGENT_RESELLER: reseller, LIVEAGENT_API_KEY: key });

test("runs in Node 20 or later", () => {
  assert.ok(Number(process.versions.node.split(".")[0]) >= 20, process.version);
});

test("lists accounts and licenses as aligned tables", async () => {
  const { stdout, stderr } = await run(process.execPath, [join(app, "dist/list.js")], { env: env(apiKey) });
  assert.equal(stderr, "");
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => /^id\s+status\s+domain\s+customer\s+created$/.test(line));
  assert.ok(header > 0, stdout);
  assert.match(lines[header + 1], /^-{32}  -+  -+/);
  assert.match(stdout, /^9900a49c321c871cd1a572a1dc21a33c  a \(Active\)\s+mysupport\.ladesk\.com\s+John Oniell\s+2012-11-10 07:12:51$/m);
  assert.match(stdout, /^f7u4g79c321cf77td1a572a1dcg7uyf4  s \(Suspended\)\s+sonatha\.ladesk\.com\s+Marcus Dough/m);
  assert.match(stdout, /^Licenses \(\d+\)$/m);
  // The vendor's own example has a malformed time (08:95:41) and no valid_to: shown as sent, and "-".
  assert.match(stdout, /^lat47ts4  A \(Approved\)\s+john@doe\.com\s+2008-12-11 08:95:41\s+-$/m);
  // Every row of a table has its columns where the header has them.
  const domainColumn = lines[header].indexOf("domain");
  for (const row of lines.slice(header + 2).filter((line) => /^[0-9a-f]{32}/.test(line))) {
    assert.match(row.slice(domainColumn), /^\S+\.ladesk\.com/, row);
  }
});

test("a wrong key ends with a one-line error and exit code 1, without the key", async () => {
  const error = await run(process.execPath, [join(app, "dist/list.js")], { env: env("wrong-key-123") })
    .then(() => assert.fail("exited 0"), (e) => e);
  assert.equal(error.code, 1);
  assert.match(error.stderr, /^list(Accounts|Licenses) failed \(api, HTTP 401\): /);
  assert.ok(!error.stderr.includes("wrong-key-123"), error.stderr);
});
