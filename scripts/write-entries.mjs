// Writes the package's entry points and package.json into pkg/, then bundles
// the browser, Node and inline entries (esbuild, minified, with source maps).
// Usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>
//
// One optimised .wasm and one wasm-bindgen glue (--target web) serve every
// host; what differs is only how the .wasm reaches `WebAssembly`. Each entry
// tells load.js how (`configureLoader`) and loads nothing at import: no
// top-level await anywhere, nothing that can fail at import time. The first
// `new ResellerClient` loads it (load.js `loadCore`):
//
//   workerd.js  Cloudflare Workers: the .wasm is imported as a compiled module
//               and instantiated synchronously.
//   node.js     Node, Deno, Bun: the .wasm is read from disk and compiled
//               synchronously. ESM; `require()` loads it too (require(esm):
//               Node ^20.19 || >=22.12), so CommonJS and ESM users share one
//               instance and one LiveAgentError.
//   index.js    browsers and bundlers (`browser`, `default`): fetched next to
//               the module (`new URL(…, import.meta.url)`) and compiled
//               asynchronously; calls wait for it.
//   inline.js   `liveagent-reseller/inline`: the .wasm embedded (base64) and
//               compiled asynchronously (browsers refuse to compile more than
//               4 KB synchronously on the main thread); works in an es2020
//               IIFE bundle for classic scripts.
//   manual.js   no automatic loading, for hosts that need control: call
//               `init()` / `initSync()` first.
//
// Every entry exports the same names: ResellerClient, valueSet, LiveAgentError,
// toLiveAgentDateTime, fromLiveAgentDateTime, init, initSync (init/initSync do
// nothing once the wasm is loaded).
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build } from "esbuild";

const [dir, errorModule] = process.argv.slice(2);
if (!dir || !errorModule?.startsWith("./snippets/")) {
  throw new Error("usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>");
}
const crate = readFileSync("Cargo.toml", "utf8");
const field = (name) => crate.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const glue = "./liveagent_reseller.js";
const wasm = "./liveagent_reseller_bg.wasm";
// The typed client (generated from the spec) over the glue's ClientCore.
const api = "./client.js";
// dates.js sits beside error.js (it imports it), as wasm-bindgen puts JS
// snippets that the wasm imports.
const datesModule = `${dirname(errorModule)}/dates.js`;
for (const file of [glue, wasm, api, api.replace(/\.js$/, ".d.ts"), errorModule, datesModule,
                    datesModule.replace(/\.js$/, ".d.ts"), "./load.js"]) {
  if (!existsSync(join(dir, file))) throw new Error(`write-entries: ${join(dir, file)} is missing`);
}

const write = (name, text) => writeFileSync(join(dir, name), text);

// load.js is written against js/error.js; here error.js is wasm-bindgen's snippet.
{
  const text = readFileSync(join(dir, "load.js"), "utf8");
  const fixed = text.replace('from "./error.js";', `from "${errorModule}";`);
  if (fixed === text) throw new Error("write-entries: load.js does not import ./error.js");
  writeFileSync(join(dir, "load.js"), fixed);
}

// init/initSync (load.js): the glue's, in their object form, resolving to
// nothing (the glue's InitOutput lists the wasm's internal exports; it is not API).
write("init.js", `// Loading the .wasm by hand, for hosts where no entry can do it alone.
export { init, initSync } from "./load.js";
`);

// Written without DOM-only names (RequestInfo, BufferSource, WebAssembly), so
// that a Node project with @types/node and no "dom" lib compiles against it.
write("init.d.ts", `/** A compiled \`WebAssembly.Module\` (typed as \`object\` so that no DOM lib is needed). */
export type CompiledModule = object;

/**
 * Where the \`.wasm\` comes from: a URL (string, \`URL\` or \`Request\`) to fetch,
 * a fetch \`Response\`, its bytes, or a compiled \`WebAssembly.Module\`.
 */
export type InitInput = string | URL | Request | Response | ArrayBuffer | ArrayBufferView | CompiledModule;

/** What \`initSync\` accepts: the \`.wasm\`'s bytes or a compiled \`WebAssembly.Module\`. */
export type SyncInitInput = ArrayBuffer | ArrayBufferView | CompiledModule;

/**
 * Loads the \`.wasm\`. Needed only with \`liveagent-reseller/manual\`; the other
 * entries load it when the first client needs it, and calling this there just
 * loads it earlier. Does nothing once loaded; joins a load under way. Without
 * \`module_or_path\`, the entry's own source (manual: fetched next to the
 * package's glue module). Rejects with a \`LiveAgentError\` (kind \`"network"\`)
 * naming the source when it cannot be loaded or compiled.
 */
export declare function init(options?: { module_or_path?: InitInput | Promise<InitInput> }): Promise<void>;

/**
 * Loads the \`.wasm\` synchronously from its bytes or a compiled module (for
 * hosts that allow compiling at start-up). Does nothing once loaded.
 */
export declare function initSync(options: { module: SyncInitInput }): void;
`);

const names = `export * from "${api}";
export { LiveAgentError } from "${errorModule}";
export { toLiveAgentDateTime, fromLiveAgentDateTime } from "${datesModule}";
export { init, initSync } from "./load.js";
`;

write("manual.js", `// No automatic loading: call init() or initSync() before the first client.
// init() without arguments fetches the .wasm next to this module.
import glueInit from "${glue}";
import { configureLoader } from "./load.js";
configureLoader({
  manual: true,
  where: () => new URL("${wasm}", import.meta.url),
  load: (where) => glueInit({ module_or_path: where }),
});
${names}`);

write("index.js", `// Browsers and bundlers: the .wasm is fetched next to this module when the
// first client needs it (bundlers see the URL and emit the .wasm as an asset).
import glueInit from "${glue}";
import { configureLoader } from "./load.js";
configureLoader({
  where: () => new URL("${wasm}", import.meta.url),
  load: (where) => glueInit({ module_or_path: where }),
});
${names}`);

// No top-level await here, so that require() can load this module.
write("node.js", `// Node, Deno, Bun: the .wasm is read from disk (Node's fetch cannot read
// file: URLs) and compiled synchronously when the first client needs it.
import { initSync } from "${glue}";
import { configureLoader } from "./load.js";

// The file's bytes without importing node:fs, which costs a cold start 2-3 ms
// (Node builds the module's namespace): process.getBuiltinModule (Node 20.16+
// and 22.3+, Deno 2.1+, recent Bun), else the runtime's own synchronous read.
function read(where) {
  const fs = globalThis.process?.getBuiltinModule?.("node:fs") ?? import.meta.require?.("node:fs");
  if (fs !== undefined) return fs.readFileSync(where);
  if (globalThis.Deno?.readFileSync !== undefined) return globalThis.Deno.readFileSync(where);
  throw new Error("this runtime has no synchronous file read (process.getBuiltinModule, Deno.readFileSync or Bun's import.meta.require)");
}

configureLoader({
  where: () => new URL("${wasm}", import.meta.url),
  sync: (where) => initSync({ module: read(where) }),
});
${names}`);

write("workerd.js", `// Cloudflare Workers (workerd): the .wasm is imported as a compiled module,
// instantiated when the first client needs it.
import wasmModule from "${wasm}";
import { initSync } from "${glue}";
import { configureLoader } from "./load.js";
configureLoader({
  where: () => "${wasm} (imported as a WebAssembly.Module)",
  sync: () => initSync({ module: wasmModule }),
});
${names}`);

// The .wasm as base64, in a module of its own (bundled into inline.js, then
// removed; the source map shows a placeholder instead of its text).
const inlineWasm = "inline-wasm.js";
write(inlineWasm, `export default "${readFileSync(join(dir, wasm)).toString("base64")}";\n`);
write("inline.js", `// The .wasm embedded (base64), compiled asynchronously when the first client
// needs it: for bundlers and classic scripts that cannot serve an asset.
import glueInit from "${glue}";
import { configureLoader } from "./load.js";
import base64 from "./${inlineWasm}";

function bytes() {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

configureLoader({
  where: () => "the module embedded in liveagent-reseller/inline",
  load: () => glueInit({ module_or_path: bytes() }),
});
${names}`);

write("index.d.ts", `export * from "${api}";
export {
  LiveAgentError, type LiveAgentErrorKind, type LiveAgentApiError, type LiveAgentDecodeError,
  type LiveAgentNetworkError, type LiveAgentTimeoutError, type LiveAgentAbortedError, type LiveAgentInvalidInputError,
} from "${errorModule}";
export { toLiveAgentDateTime, fromLiveAgentDateTime, type LiveAgentDateTime } from "${datesModule}";
export { init, initSync, type InitInput, type SyncInitInput } from "./init.js";
`);

// Bundled: one module each, minified, with a source map (shipped) so that
// stack traces and debuggers name the real files and lines. Browsers download
// index.js (bench/size.test.mjs holds it and the .wasm to its budget); Node
// loads one module instead of seven (cold start); inline.js is es2020, so an
// es2020 IIFE bundle needs no lowering of it. The other entries keep the
// readable modules.
for (const [name, platform, target] of [["index", "browser", "es2022"], ["node", "node", "es2022"],
                                        ["inline", "browser", "es2020"]]) {
  const outfile = join(dir, `${name}.js`);
  await build({
    entryPoints: [outfile], outfile, allowOverwrite: true, bundle: true, minify: true, format: "esm",
    target, platform, sourcemap: true, legalComments: "none", logLevel: "warning",
  });
}
{
  const mapFile = join(dir, "inline.js.map");
  const map = JSON.parse(readFileSync(mapFile, "utf8"));
  const at = map.sources.indexOf(inlineWasm);
  if (at < 0 || !map.sourcesContent) throw new Error(`write-entries: ${inlineWasm} is not in inline.js.map`);
  map.sourcesContent[at] = `export default "…"; // liveagent_reseller_bg.wasm, base64\n`;
  writeFileSync(mapFile, JSON.stringify(map));
  rmSync(join(dir, inlineWasm));
}

const entries = ["./index.js", "./node.js", "./workerd.js", "./inline.js", "./manual.js"];
const pkg = {
  name: "liveagent-reseller",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: `git+${field("repository")}.git` },
  type: "module",
  types: "./index.d.ts",
  exports: {
    ".": {
      types: "./index.d.ts",
      workerd: "./workerd.js",
      browser: "./index.js",
      node: "./node.js",
      default: "./index.js",
    },
    "./inline": { types: "./index.d.ts", default: "./inline.js" },
    "./manual": { types: "./index.d.ts", default: "./manual.js" },
    "./liveagent_reseller_bg.wasm": wasm,
    "./package.json": "./package.json",
  },
  files: ["*.js", "*.js.map", "*.d.ts", "*.wasm", "snippets/"],
  sideEffects: entries,
  // require() of this ES module package needs require(esm) (Node 20.19, 22.12), which
  // also brings process.getBuiltinModule (20.16, 22.3) that the Node entry reads the .wasm with.
  engines: { node: "^20.19.0 || >=22.12.0" },
};
write("package.json", JSON.stringify(pkg, null, 2) + "\n");
