// The README's "Testing without a server" examples (node:test, vitest, MSW)
// run as a user's tests, against the package installed from its packed
// tarball; then the package's `npx liveagent-reseller sandbox`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pkgDir, ports, requirePackage, root, startServer, stop } from "./helpers.mjs";

const port = ports(10);

const run = promisify(execFile);
// A child `node --test` reports to its own stdout, not to this runner.
const { NODE_TEST_CONTEXT: _runner, ...env } = process.env;
const exec = (file, args, options = {}) => run(file, args, { env, ...options });
let app;
let npx;

/** The fenced js blocks of the README's section, keyed by the file name their first line gives. */
function readmeExamples() {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const start = text.indexOf("\n## Testing without a server\n");
  const end = text.indexOf("\n## ", start + 1);
  assert.ok(start > 0 && end > start, 'README.md has no "## Testing without a server" section');
  const files = {};
  for (const [, code] of text.slice(start, end).matchAll(/```js\n([\s\S]*?)```/g)) {
    const name = /^\/\/ (\S+\.test\.mjs):/.exec(code)?.[1];
    assert.ok(name, `a block without its file name:\n${code}`);
    files[name] = code;
  }
  return files;
}

before(async () => {
  requirePackage();
  app = mkdtempSync(join(tmpdir(), "liveagent-testing-users-"));
  const { stdout } = await exec("npm", ["pack", pkgDir, "--pack-destination", app, "--silent"], { cwd: app });
  const tarball = join(app, stdout.trim().split("\n").pop());
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "user-app", private: true, type: "module" }));
  await exec("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball], { cwd: app });
  // The test tools, as a user's devDependencies (linked from the root's, installed offline).
  for (const tool of ["vitest", "msw"]) symlinkSync(join(root, "node_modules", tool), join(app, "node_modules", tool), "dir");
  mkdirSync(join(app, "test"));
  for (const [name, code] of Object.entries(readmeExamples())) writeFileSync(join(app, "test", name), code);
});

after(() => {
  stop(npx);
  if (app && !process.env.KEEP_TMP) rmSync(app, { recursive: true, force: true });
});

test("the README has the three examples", () => {
  assert.deepEqual(Object.keys(readmeExamples()).sort(), ["account.test.mjs", "msw.test.mjs", "signup.test.mjs"]);
  assert.ok(readdirSync(join(app, "node_modules/liveagent-reseller")).includes("sandbox_rules.wasm"));
});

test("node:test: the README's example passes from the installed tarball", async () => {
  const { stdout } = await exec(process.execPath, ["--test", "test/account.test.mjs"], { cwd: app });
  assert.match(stdout, /# pass 1\n/);
  assert.match(stdout, /# fail 0\n/);
});

test("vitest: the README's example passes", async () => {
  const { stdout, stderr } = await exec(process.execPath,
    [join(app, "node_modules/vitest/vitest.mjs"), "run", "test/signup.test.mjs", "--reporter=verbose"],
    { cwd: app, env: { ...env, CI: "1", NO_COLOR: "1" } });
  const output = stdout + stderr;
  assert.match(output, /Tests\s+2 passed \(2\)/, output);
});

test("MSW: the README's example passes", async () => {
  const { stdout } = await exec(process.execPath, ["--test", "test/msw.test.mjs"], { cwd: app });
  assert.match(stdout, /# pass 1\n/);
  assert.match(stdout, /# fail 0\n/);
});

test("the examples can fail: a wrong expectation is reported", async () => {
  const wrong = readmeExamples()["account.test.mjs"].replace('"john@example.com"', '"someone@else.test"');
  writeFileSync(join(app, "test/wrong.test.mjs"), wrong);
  const failed = await exec(process.execPath, ["--test", "test/wrong.test.mjs"], { cwd: app }).catch((error) => error);
  assert.equal(failed.code, 1);
  assert.match(failed.stdout, /# fail 1\n/);
});

test("npx liveagent-reseller sandbox serves the API from the installed package", async () => {
  const npxBin = join(app, "node_modules/.bin/liveagent-reseller");
  npx = await startServer(npxBin, ["sandbox", "--port", String(port()), "--seed", "1"]);
  assert.match(npx.output, /^sandbox listening on http:\/\/127\.0\.0\.1:\d+\nAPI base URL: .*\/api\nreseller: reseller@example\.com\napi key: sandbox-api-key\n/);
  const answer = await fetch(`${npx.origin}/api/resellers/reseller@example.com/variations?apikey=sandbox-api-key`);
  assert.equal(answer.status, 200);
  assert.equal((await answer.json()).response.variations.length, 3);
  const foreign = await fetch(`${npx.origin}/_sandbox/requests`, { headers: { origin: "https://evil.example" } });
  assert.equal(foreign.status, 403);
  const { requests } = await (await fetch(`${npx.origin}/_sandbox/requests`)).json();
  assert.deepEqual(requests.map((r) => r.query), ["apikey=[redacted]"]);
  const bad = await exec(npxBin, ["sandbox", "--fail-rate", "2"]).catch((error) => error);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-rate/);
});
