// Writes the package's entry points, their declarations and package.json into
// pkg/, then bundles the entries (esbuild, minified, with source maps).
// Usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>
//
// One optimised .wasm and one wasm-bindgen glue (--target web) serve every
// host; what differs is only how the .wasm reaches `WebAssembly`: the module
// `./loader.js` that load.js imports. In the package it is the browsers' way;
// each bundled entry has esbuild resolve it to its own (`LOADERS`). Nothing
// runs at import: no top-level await, no call, nothing that can fail at import
// time. The first `new ResellerClient` loads the .wasm (load.js `loadCore`):
//
//   module.js   bundlers (`browser`, `default`): the readable modules, so that
//               a bundler keeps only what is used (the date helpers alone pull
//               no loader); the .wasm is fetched next to the module
//               (`new URL(…, import.meta.url)`, which bundlers emit as an
//               asset) and compiled asynchronously; under a CSP that refuses
//               WebAssembly, its wasm2js form (liveagent_reseller_bg.wasm.js).
//   index.js    the same, bundled into one module: for a page that imports the
//               package without a bundler (bench/size.test.mjs holds its download).
//   node.js     Node, Deno, Bun: the .wasm is read from disk and compiled
//               asynchronously after the first constructor returns. ESM.
//   node.cjs    `require` under Node: node.js itself where require() loads ES
//               modules (Node ^20.19 || >=22.12: one instance, one
//               LiveAgentError for both), else (Jest, older tools)
//               node-commonjs.cjs, the same entry built as CommonJS.
//   workerd.js  Cloudflare Workers: the .wasm is imported as a compiled module.
//   inline.js   `liveagent-reseller/inline`: the .wasm embedded (base64) and
//               compiled asynchronously; works in an es2020 IIFE bundle for
//               classic scripts. inline.cjs: the same as CommonJS, which is
//               also `require` outside Node (no asset to serve).
//   manual.js   no automatic loading: call `init()` / `initSync()` first.
//               manual.cjs: the same as CommonJS.
//
// Every entry exports the same names: ResellerClient, valueSet, LiveAgentError,
// toLiveAgentDateTime, fromLiveAgentDateTime, init, initSync (init/initSync do
// nothing once the wasm is loaded). Declarations: index.d.ts (ESM) and
// index.d.cts (CommonJS), every module they name in both forms, and
// inline.d.ts / manual.d.ts at the top for `moduleResolution: node10`.
//
// scripts/build-testing.sh has put the `/testing` entry into the folder
// (testing.js, its CommonJS twin, types, its .wasm and the `bin`):
// package.json exports them too.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";

const [dir, errorModule] = process.argv.slice(2);
if (!dir || !errorModule?.startsWith("./snippets/")) {
  throw new Error("usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>");
}
const fail = (message) => {
  throw new Error(`write-entries: ${message}`);
};
const crate = readFileSync("Cargo.toml", "utf8");
const field = (name) => crate.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const glue = "./liveagent_reseller.js";
const wasm = "./liveagent_reseller_bg.wasm";
const wasmJs = "./liveagent_reseller_bg.wasm.js";
// The typed client (generated from the spec) over the glue's ClientCore.
const api = "./client.js";
// dates.js sits beside error.js (it imports it), as wasm-bindgen puts JS
// snippets that the wasm imports.
const datesModule = `${dirname(errorModule)}/dates.js`;
for (const file of [glue, wasm, wasmJs, api, api.replace(/\.js$/, ".d.ts"), errorModule, datesModule,
                    datesModule.replace(/\.js$/, ".d.ts"), "./load.js", "./loader.js", "./fallback.js", "./served.js", "./text.js", "./text-node.js"]) {
  if (!existsSync(join(dir, file))) fail(`${join(dir, file)} is missing`);
}

const write = (name, text) => writeFileSync(join(dir, name), text);
const edit = (name, from, to) => {
  const text = readFileSync(join(dir, name), "utf8");
  const fixed = text.replace(from, to);
  if (fixed === text) fail(`${name} does not contain ${from}`);
  writeFileSync(join(dir, name), fixed);
};

// load.js, fallback.js and config.js are written against js/error.js (config.js js/dates.js too); here they are wasm-bindgen's snippets.
for (const name of ["load.js", "fallback.js", "config.js"]) edit(name, 'from "./error.js";', `from "${errorModule}";`);
edit("config.js", 'from "./dates.js";', `from "${datesModule}";`);
// The glue's own instantiation steps, for fallback.js to give it the wasm2js form.
for (const name of ["function __wbg_get_imports(", "function __wbg_finalize_init("]) {
  if (!readFileSync(join(dir, glue), "utf8").includes(name)) fail(`the glue has no ${name}`);
}
writeFileSync(join(dir, glue), `${readFileSync(join(dir, glue), "utf8").trimEnd()}
export { __wbg_get_imports, __wbg_finalize_init };
`);

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
write("module.js", `// Browsers and bundlers (see loader.js). Re-exports only, so that a bundler
// keeps what is used and nothing else.
${names}`);

// The Node entry's read of the .wasm, without importing node:fs, which costs
// a cold start 2-3 ms (Node builds the module's namespace):
// process.getBuiltinModule (Node 20.16+ and 22.3+, Deno 2.1+, recent Bun),
// else the runtime's own synchronous read.
const nodeRead = (fallbackRead) => `function read(where) {
  const fs = globalThis.process?.getBuiltinModule?.("node:fs") ?? ${fallbackRead};
  if (fs !== undefined) return fs.readFileSync(where);
  if (globalThis.Deno?.readFileSync !== undefined) return globalThis.Deno.readFileSync(where);
  throw new Error("this runtime has no synchronous file read (process.getBuiltinModule, Deno.readFileSync or Bun's import.meta.require)");
}`;

// The inline entry's .wasm as base64, in a module of its own (bundled, then
// removed; the source map shows a placeholder instead of its text).
const inlineWasm = "inline-wasm.js";
write(inlineWasm, `export default "${readFileSync(join(dir, wasm)).toString("base64")}";\n`);

/** How each bundled entry obtains the .wasm: the module load.js imports as ./loader.js. */
const LOADERS = {
  // Node, Deno, Bun: read from disk (Node's fetch cannot read file: URLs) and
  // compiled asynchronously, after the constructor has returned (the config is
  // checked in JS, so nothing needs the core before the first call): import →
  // client costs no compile; the instance is then made synchronously (the
  // compile is the cost, not the instantiation).
  node: `import { initSync } from "${glue}";
${nodeRead('import.meta.require?.("node:fs")')}
export const loader = {
  where: () => new URL("${wasm}", import.meta.url),
  load: async (where) => {
    await undefined;
    initSync({ module: await WebAssembly.compile(read(where)) });
  },
};
`,
  "node-cjs": `import { initSync } from "${glue}";
${nodeRead('require("node:fs")')}
export const loader = {
  where: () => require("node:url").pathToFileURL(require("node:path").join(__dirname, "${wasm}")),
  load: async (where) => {
    await undefined;
    initSync({ module: await WebAssembly.compile(read(where)) });
  },
};
`,
  // workerd: the .wasm imported as a compiled module (kept as its own module by the bundle).
  workerd: `import wasmModule from "${wasm}";
import { initSync } from "${glue}";
export const loader = {
  where: () => "${wasm} (imported as a WebAssembly.Module)",
  sync: () => initSync({ module: wasmModule }),
};
`,
  // Embedded; compiled asynchronously (browsers refuse to compile more than
  // 4 KB synchronously on the main thread). Under a CSP that refuses
  // WebAssembly there is no other form to use.
  inline: `import glueInit from "${glue}";
import { compileRefused, cspRefusal } from "./fallback.js";
import base64 from "./${inlineWasm}";

function bytes() {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export const loader = {
  where: () => "the module embedded in liveagent-reseller/inline",
  load: () => (compileRefused()
    ? Promise.reject(cspRefusal('liveagent-reseller/inline has no other form (import "liveagent-reseller", whose ' +
        "JavaScript form is served beside it, instead)"))
    : glueInit({ module_or_path: bytes() })),
};
`,
  // init() without arguments fetches the .wasm next to the module.
  manual: `import glueInit from "${glue}";
export const loader = {
  manual: true,
  where: () => new URL("${wasm}", import.meta.url),
  load: (where) => glueInit({ module_or_path: where }),
};
`,
  "manual-cjs": `import glueInit from "${glue}";
export const loader = {
  manual: true,
  where: () => require("node:url").pathToFileURL(require("node:path").join(__dirname, "${wasm}")),
  load: (where) => glueInit({ module_or_path: where }),
};
`,
};
for (const [name, source] of Object.entries(LOADERS)) write(`loader-${name}.js`, source);

// Bundled, minified, with a source map (shipped) so that stack traces and
// debuggers name the real files and lines. Browsers download index.js
// (bench/size.test.mjs holds it and the .wasm to its budget); Node loads one
// module instead of eight (cold start); inline.js is es2020, so an es2020
// IIFE bundle needs no lowering of it.
const BUNDLES = [
  // [file, loader, platform, format, target]
  ["index.js", undefined, "browser", "esm", "es2022"],
  ["node.js", "node", "node", "esm", "es2022"],
  ["node-commonjs.cjs", "node-cjs", "node", "cjs", "es2022"],
  ["workerd.js", "workerd", "neutral", "esm", "es2022"],
  ["inline.js", "inline", "browser", "esm", "es2020"],
  ["inline.cjs", "inline", "neutral", "cjs", "es2020"],
  ["manual.js", "manual", "neutral", "esm", "es2022"],
  ["manual.cjs", "manual-cjs", "node", "cjs", "es2022"],
];
// index.js is loaded by pages without a bundler, never from Vite's pre-bundled deps.
write("served-as-is.js", "export const served = (url) => url;\n");
for (const [file, kind, platform, format, target] of BUNDLES) {
  const pickLoader = {
    name: "entry-loader",
    setup(b) {
      if (kind === undefined) {
        b.onResolve({ filter: /^\.\/served\.js$/ }, (args) => ({ path: join(args.resolveDir, "served-as-is.js") }));
        return;
      }
      b.onResolve({ filter: /^\.\/loader\.js$/ }, (args) => ({ path: join(args.resolveDir, `loader-${kind}.js`) }));
      // How a body becomes text: Node's own way in the Node entries (js/text-node.js,
      // which reads through text.js itself).
      if (platform === "node") {
        b.onResolve({ filter: /^\.\/text\.js$/ }, (args) => (args.importer.endsWith("text-node.js")
          ? undefined : { path: join(args.resolveDir, "text-node.js") }));
      }
    },
  };
  const outfile = join(dir, file);
  await build({
    stdin: { contents: names, resolveDir: dir, sourcefile: "entry.js" },
    outfile, bundle: true, minify: true, format, target, platform, sourcemap: true, legalComments: "none",
    logLevel: "warning", external: ["*.wasm"], plugins: [pickLoader],
  });
}
write("node.cjs", `"use strict";
// require() under Node: the ES module itself where require() loads ES modules
// (Node ^20.19 || >=22.12), so that import and require share one instance and
// one LiveAgentError; elsewhere (Jest's module system, older Node) the same
// entry built as CommonJS.
let entry;
try {
  entry = require("./node.js");
} catch {
  entry = require("./node-commonjs.cjs");
}
module.exports = entry;
`);
for (const file of ["inline.js", "inline.cjs"]) {
  const mapFile = join(dir, `${file}.map`);
  const map = JSON.parse(readFileSync(mapFile, "utf8"));
  const at = map.sources.indexOf(inlineWasm);
  if (at < 0 || !map.sourcesContent) fail(`${inlineWasm} is not in ${file}.map`);
  map.sourcesContent[at] = `export default "…"; // liveagent_reseller_bg.wasm, base64\n`;
  writeFileSync(mapFile, JSON.stringify(map));
}
rmSync(join(dir, inlineWasm));
rmSync(join(dir, "served-as-is.js"));
for (const name of Object.keys(LOADERS)) rmSync(join(dir, `loader-${name}.js`));

write("index.d.ts", `export * from "${api}";
export {
  LiveAgentError, type LiveAgentErrorKind, type LiveAgentApiError, type LiveAgentDecodeError,
  type LiveAgentNetworkError, type LiveAgentTimeoutError, type LiveAgentAbortedError, type LiveAgentInvalidInputError,
} from "${errorModule}";
export { toLiveAgentDateTime, fromLiveAgentDateTime, type LiveAgentDateTime } from "${datesModule}";
export { init, initSync, type InitInput, type SyncInitInput } from "./init.js";
`);
// Every entry has the same API. At the top for moduleResolution node10, which reads no exports map.
for (const entry of ["inline", "manual"]) {
  write(`${entry}.d.ts`, `export * from "./index.js";\n`);
}

/**
 * The CommonJS declarations: a .d.cts beside each .d.ts that index.d.ts
 * reaches, naming `.cjs` (TypeScript reads `./x.cjs` as `./x.d.cts`), so that
 * a CommonJS file under node16/nodenext sees CommonJS types (not TS1479).
 */
function commonJsDeclarations(start) {
  const queue = [start];
  const seen = new Set();
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(join(dir, file), "utf8");
    const specifiers = /(from\s+"|import\(")(\.{1,2}\/[^"]+)\.js"/g;
    for (const [, , spec] of text.matchAll(specifiers)) queue.push(join(dirname(file), `${spec}.d.ts`));
    writeFileSync(join(dir, file.replace(/\.d\.ts$/, ".d.cts")), text.replace(specifiers, '$1$2.cjs"'));
  }
  return [...seen];
}
commonJsDeclarations("index.d.ts");

for (const file of ["testing.js", "testing.cjs", "testing.d.ts", "testing.d.cts", "bin/liveagent-reseller.mjs"]) {
  if (!existsSync(join(dir, file))) fail(`${file} is missing: run scripts/build-testing.sh first`);
}

// The testing entry's own .wasm (sandbox_*.wasm), importable where a host needs it by name (workerd).
const testingWasm = readdirSync(dir).filter((f) => /^sandbox_\w+\.wasm$/.test(f));
if (testingWasm.length === 0) fail("the testing entry's sandbox_*.wasm is missing: run scripts/build-testing.sh first");

const entry = (esm, cjs, types = "./index.d.ts") => ({
  types: { require: types.replace(/\.d\.ts$/, ".d.cts"), default: types },
  require: cjs,
  default: esm,
});
const pkg = {
  name: "liveagent-reseller",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: `git+${field("repository")}.git` },
  type: "module",
  main: "./node.cjs",
  module: "./module.js",
  types: "./index.d.ts",
  exports: {
    ".": {
      types: { require: "./index.d.cts", default: "./index.d.ts" },
      workerd: "./workerd.js",
      node: { require: "./node.cjs", default: "./node.js" },
      browser: { require: "./inline.cjs", default: "./module.js" },
      require: "./inline.cjs",
      default: "./module.js",
    },
    "./inline": entry("./inline.js", "./inline.cjs"),
    "./manual": entry("./manual.js", "./manual.cjs"),
    "./testing": entry("./testing.js", "./testing.cjs", "./testing.d.ts"),
    "./liveagent_reseller_bg.wasm": wasm,
    "./liveagent_reseller_bg.wasm.js": wasmJs,
    ...Object.fromEntries(testingWasm.map((f) => [`./${f}`, `./${f}`])),
    "./package.json": "./package.json",
  },
  bin: { "liveagent-reseller": "./bin/liveagent-reseller.mjs" },
  files: ["*.js", "*.cjs", "*.js.map", "*.cjs.map", "*.d.ts", "*.d.cts", "*.wasm", "snippets/", "bin/"],
  // Nothing runs at import: a bundler may drop any module whose exports are unused.
  sideEffects: false,
  // require() of the ES module (node.cjs) needs require(esm) (Node 20.19, 22.12), which
  // also brings process.getBuiltinModule (20.16, 22.3) that the Node entry reads the .wasm with.
  engines: { node: "^20.19.0 || >=22.12.0" },
};
write("package.json", JSON.stringify(pkg, null, 2) + "\n");

// Every file package.json names exists.
const targets = (value) => (typeof value === "string" ? [value] : Object.values(value).flatMap(targets));
const named = targets(pkg.exports);
for (const file of [...named, pkg.main, pkg.module, pkg.types]) {
  if (!existsSync(join(dir, file))) fail(`package.json names ${file}, which is not in ${dir}`);
}
// And no loader-*.js is left behind for the tarball.
const left = readdirSync(dir).filter((f) => /^loader-/.test(f));
if (left.length) fail(`left behind: ${left.map((f) => relative(".", join(dir, f))).join(", ")}`);
