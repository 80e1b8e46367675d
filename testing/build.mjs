// Bundles the testing entry (ESM and CommonJS) and the npx server with
// esbuild, around wasm-bindgen's web glue; called by scripts/build-testing.sh.
//   node testing/build.mjs <out-dir>
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) throw new Error("usage: node testing/build.mjs <out-dir>");
const common = { bundle: true, minify: true, legalComments: "none", logLevel: "warning", target: "es2022" };

await build({ ...common, entryPoints: [join(here, "src/index.js")], format: "esm", platform: "neutral",
  outfile: join(out, "testing.js") });
// CommonJS: import.meta.url from the file's own path.
await build({ ...common, entryPoints: [join(here, "src/index.js")], format: "cjs", platform: "node",
  outfile: join(out, "testing.cjs"), define: { "import.meta.url": "__testingUrl" },
  banner: { js: "const __testingUrl = require(\"node:url\").pathToFileURL(__filename).href;" } });
mkdirSync(join(out, "bin"), { recursive: true });
await build({ ...common, entryPoints: [join(here, "src/bin.js")], format: "esm", platform: "node",
  outfile: join(out, "bin/liveagent-reseller.mjs") });
copyFileSync(join(here, "testing.d.ts"), join(out, "testing.d.ts"));
copyFileSync(join(here, "testing.d.ts"), join(out, "testing.d.cts"));
