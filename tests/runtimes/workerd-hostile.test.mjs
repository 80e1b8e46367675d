// The response check in the real Cloudflare runtime (npm `workerd`), as in
// Node (tests/js/json-check.test.mjs) and Chromium (npm/tests/faults.rs):
// arrays 5,000 and 100,000 deep, in a documented field, an undocumented one
// and the envelope, end in `decode` 1,000 times over and leave every client
// working; JSON that JSON.parse refuses is `decode`. The worker
// (hostile-worker.js) answers its clients from its own fetch.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { bundle, config } from "../../examples/worker/workerd.mjs";
import { deepBodies, malformed } from "../support/bodies.mjs";
import { consumer, preflight, serveWorkerd, tempDir } from "./helpers.mjs";

let workerd;
let port;

before(async () => {
  await preflight();
  const app = consumer("workerd-hostile");
  const outDir = tempDir("workerd-hostile-dist");
  const bundled = await bundle({
    outDir, entry: join(import.meta.dirname, "hostile-worker.js"), nodePaths: [join(app, "node_modules")],
  });
  writeFileSync(join(outDir, "config.capnp"), config({
    ...bundled, services: [{ name: "hostile", address: "127.0.0.1:0", bindings: {} }],
  }));
  const served = await serveWorkerd(join(outDir, "config.capnp"), ["hostile"]);
  workerd = served.workerd;
  port = served.ports.hostile;
});

after(() => workerd?.kill());

const ask = async (path) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
};

for (const depth of [5_000, 100_000]) {
  for (const where of Object.keys(deepBodies(""))) {
    test(`workerd: a ${depth.toLocaleString("en")}-deep array in ${where}: decode, 1,000 times, and every client works next`, async () => {
      const { hostile, after: next } = await ask(`/deep?depth=${depth}&where=${encodeURIComponent(where)}&times=1000`);
      assert.equal(hostile.length, 1, JSON.stringify(hostile));
      assert.equal(hostile[0].kind, "decode", JSON.stringify(hostile));
      assert.match(hostile[0].message, /nests more than 128 levels deep/);
      assert.equal(hostile[0].count, 1000);
      assert.deepEqual(next, [{ ok: 2, count: 20 }]);
    });
  }
}

test("workerd: JSON that JSON.parse refuses is decode, and the client works next", async () => {
  const { outcomes, after: next } = await ask("/malformed");
  assert.deepEqual(outcomes.map((o) => [o.body, o.kind]), malformed.map((body) => [body, "decode"]));
  assert.deepEqual(next, { ok: 2 });
});
