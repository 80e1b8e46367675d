// Writes the package's entry points and package.json into pkg/.
// Usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>
//
// One optimised .wasm and one wasm-bindgen glue (--target web) serve every
// host; what differs is only how the .wasm reaches `WebAssembly`:
//
//   workerd.js  Cloudflare Workers: the .wasm is imported as a compiled module.
//   node.js     Node, Deno, Bun: the .wasm is read from disk. ESM; `require()`
//               loads it too (require(esm): Node ^20.19 || >=22.12), so
//               CommonJS and ESM users share one instance and one LiveAgentError.
//   index.js    browsers and bundlers (`browser`, `default`): fetched next to
//               the module through `new URL(…, import.meta.url)`.
//   manual.js   no automatic loading, for hosts that need control: call
//               `init()` / `initSync()` first.
//
// Every entry exports the same names: ResellerClient, valueSet, LiveAgentError,
// init, initSync (init/initSync do nothing once the wasm is loaded).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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
for (const file of [glue, wasm, api, api.replace(/\.js$/, ".d.ts"), errorModule]) {
  if (!existsSync(join(dir, file))) throw new Error(`write-entries: ${join(dir, file)} is missing`);
}

const write = (name, text) => writeFileSync(join(dir, name), text);

// init/initSync: the glue's, in their object form, resolving to nothing (the
// glue's InitOutput lists the wasm's internal exports; it is not API).
write("init.js", `// Loading the .wasm by hand, for hosts where no entry can do it alone.
import glueInit, { initSync as glueInitSync } from "${glue}";

/** @param {{ module_or_path?: unknown }} [options] */
export async function init(options) {
  const where = options?.module_or_path ?? new URL("${wasm}", import.meta.url);
  await glueInit({ module_or_path: where });
}

/** @param {{ module: unknown }} options */
export function initSync(options) {
  glueInitSync(options);
}
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
 * Loads the \`.wasm\`. Only needed with \`liveagent-reseller/manual\`; every other
 * entry has loaded it already, and then this does nothing. Without
 * \`module_or_path\` the \`.wasm\` is fetched next to the package's glue module.
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
export { init, initSync } from "./init.js";
`;

write("manual.js", `// No automatic loading: call init() or initSync() before the first client.
${names}`);

write("index.js", `// Browsers and bundlers: the .wasm is fetched next to this module.
import { init } from "./init.js";
await init({ module_or_path: new URL("${wasm}", import.meta.url) });
${names}`);

// No top-level await here, so that require() can load this module.
write("node.js", `// Node, Deno, Bun: the .wasm is read from disk (Node's fetch cannot read file: URLs).
import { readFileSync } from "node:fs";
import { initSync } from "./init.js";
initSync({ module: readFileSync(new URL("${wasm}", import.meta.url)) });
${names}`);

write("workerd.js", `// Cloudflare Workers (workerd): the .wasm is imported as a compiled module.
import wasmModule from "${wasm}";
import { initSync } from "./init.js";
initSync({ module: wasmModule });
${names}`);

write("index.d.ts", `export * from "${api}";
export { LiveAgentError, type LiveAgentErrorKind } from "${errorModule}";
export { init, initSync, type InitInput, type SyncInitInput } from "./init.js";
`);

const entries = ["./index.js", "./node.js", "./workerd.js"];
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
    "./manual": { types: "./index.d.ts", default: "./manual.js" },
    "./liveagent_reseller_bg.wasm": wasm,
    "./package.json": "./package.json",
  },
  files: ["*.js", "*.d.ts", "*.wasm", "snippets/"],
  sideEffects: entries,
  // require() of this ES module package needs require(esm); import works on any Node with fetch.
  engines: { node: "^20.19.0 || >=22.12.0" },
};
write("package.json", JSON.stringify(pkg, null, 2) + "\n");
