// Writes liveagent_reseller_bg.wasm.js: the package's .wasm compiled to
// JavaScript (binaryen's wasm2js), for pages whose Content-Security-Policy
// refuses WebAssembly. Loaded only then (js/fallback.js); it exports
// `instantiate(imports)`, which returns what wasm-bindgen's glue expects of
// `instance.exports`.
//   node scripts/wasm2js-fallback.mjs <pkg dir>
//
// wasm2js knows neither multi-value results nor externref tables, both of
// which wasm-bindgen emits; so, before it runs:
//   - each export with several results is wrapped by one that stores them at
//     a pointer given as its first argument (binaryen.js), and the fallback
//     rebuilds the array the glue reads (`ret[0]`, `ret[1]`, ...);
//   - the externref table becomes three imported functions over a JS array,
//     which the fallback exports as `__wbindgen_externrefs` (get/set/grow);
//   - non-trapping float-to-int, bulk memory and sign extension are lowered.
// wasm2js grows memory by copying into a new ArrayBuffer; the old one is
// detached here (ArrayBuffer.prototype.transfer), as a wasm memory's is, so
// that the glue's cached views notice the growth.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import binaryen from "binaryen";
import { transform } from "esbuild";

const [dir] = process.argv.slice(2);
if (!dir) throw new Error("usage: node scripts/wasm2js-fallback.mjs <pkg dir>");
const bin = (name) => join("node_modules/.bin", name);
const work = mkdtempSync(join(tmpdir(), "wasm2js-"));
const fail = (message) => {
  throw new Error(`wasm2js-fallback: ${message}`);
};
const FEATURES = ["reference-types", "bulk-memory", "bulk-memory-opt", "nontrapping-float-to-int", "sign-ext",
                  "multivalue", "mutable-globals"].map((f) => `--enable-${f}`);

try {
  // 1. Multi-value exports wrapped: `name(out, ...args)` stores the results at `out`.
  const mod = binaryen.readBinary(readFileSync(join(dir, "liveagent_reseller_bg.wasm")));
  mod.setFeatures(binaryen.Features.All);
  const i32 = binaryen.i32;
  const tuples = [];
  const exported = [];
  for (let i = 0; i < mod.getNumExports(); i++) exported.push(binaryen.getExportInfo(mod.getExportByIndex(i)));
  for (const info of exported) {
    if (info.kind !== binaryen.ExternalFunction) continue;
    const fn = binaryen.getFunctionInfo(mod.getFunction(info.value));
    const results = binaryen.expandType(fn.results);
    if (results.length < 2) continue;
    if (!results.every((type) => type === i32)) fail(`${info.name} returns a tuple that is not all i32`);
    const params = binaryen.expandType(fn.params);
    const tuple = params.length + 1; // the local after `out` and the params
    const body = mod.block(null, [
      mod.local.set(tuple, mod.call(info.value, params.map((type, k) => mod.local.get(k + 1, type)), fn.results)),
      ...results.map((_, k) =>
        mod.i32.store(4 * k, 4, mod.local.get(0, i32), mod.tuple.extract(mod.local.get(tuple, fn.results), k))),
    ]);
    mod.addFunction(`${info.name}$out`, binaryen.createType([i32, ...params]), binaryen.none, [fn.results], body);
    mod.removeExport(info.name);
    mod.addFunctionExport(`${info.name}$out`, info.name);
    tuples.push([info.name, results.length]);
  }
  if (tuples.length === 0) fail("no multi-value export: has wasm-bindgen's output changed?");
  const F = binaryen.Features;
  mod.setFeatures(F.MutableGlobals | F.NontrappingFPToInt | F.BulkMemory | F.BulkMemoryOpt | F.SignExt |
                  F.ReferenceTypes | F.Multivalue);
  if (!mod.validate()) fail("the wrapped module does not validate");
  writeFileSync(join(work, "wrapped.wasm"), mod.emitBinary());
  mod.dispose();

  // 2. The tuples inlined away; features wasm2js lacks lowered.
  execFileSync(bin("wasm-opt"), [join(work, "wrapped.wasm"), ...FEATURES, "--inlining-optimizing", "--tuple-optimization",
    "--llvm-nontrapping-fptoint-lowering", "--llvm-memory-copy-fill-lowering", "--signext-lowering",
    "-o", join(work, "lowered.wasm")]);

  // 3. The externref table as imported functions (text, as binaryen prints it).
  let wat = execFileSync(bin("wasm-dis"), [join(work, "lowered.wasm"), ...FEATURES], { encoding: "utf8", maxBuffer: 1 << 28 });
  const tables = [...wat.matchAll(/^ \(table (\$\w+) \d+ externref\)$/gm)];
  if (tables.length !== 1 || /^ \(table /gm.test(wat.replace(tables[0][0], ""))) fail("expected exactly one table, of externref");
  const table = tables[0][1];
  let replaced = 0;
  for (const [op, fn] of [["get", "$ext_get"], ["set", "$ext_set"], ["grow", "$ext_grow"]]) {
    wat = wat.replaceAll(`(table.${op} ${table}\n`, () => {
      replaced++;
      return `(call ${fn}\n`;
    });
  }
  if (/\(table\.\w+/.test(wat) || replaced === 0) fail(`a table operation is left: ${wat.match(/\(table\.\w+[^\n]*/)?.[0]}`);
  wat = wat.replace(tables[0][0] + "\n", "").replace(/^ \(export "__wbindgen_externrefs" \(table \$\w+\)\)\n/m, "");
  const lastImport = wat.lastIndexOf("\n (import ");
  const insertAt = wat.indexOf("\n", lastImport + 1);
  wat = `${wat.slice(0, insertAt)}
 (import "externrefs" "get" (func $ext_get (param i32) (result externref)))
 (import "externrefs" "set" (func $ext_set (param i32 externref)))
 (import "externrefs" "grow" (func $ext_grow (param externref i32) (result i32)))${wat.slice(insertAt)}`;
  writeFileSync(join(work, "untabled.wat"), wat);
  execFileSync(bin("wasm-as"), [join(work, "untabled.wat"), ...FEATURES, "-o", join(work, "untabled.wasm")]);

  // 4. wasm2js, then its ES module's imports and exports replaced by a function.
  execFileSync(bin("wasm2js"), [join(work, "untabled.wasm"), "--enable-reference-types", "--enable-mutable-globals",
    "-O2", "-o", join(work, "fallback.js")]);
  let js = readFileSync(join(work, "fallback.js"), "utf8");
  const start = js.search(/^\s*var bufferView;/m);
  const end = js.indexOf("\nvar retasmFunc = asmFunc(");
  if (start < 0 || end < 0) fail("wasm2js's output does not have its usual shape");
  js = js.slice(start, end);
  const grow = /var newBuffer = new ArrayBuffer\(newPages << 16\);\s*var newHEAP8 = new Int8Array\(newBuffer\);\s*newHEAP8\.set\(HEAP8\);/;
  if (!grow.test(js)) fail("wasm2js's memory.grow does not have its usual shape");
  js = js.replace(grow, "var newBuffer = detachingGrow(buffer, newPages << 16);");

  const source = `// liveagent_reseller_bg.wasm compiled to JavaScript by binaryen's wasm2js
// (scripts/wasm2js-fallback.mjs), for pages that refuse WebAssembly.
function detachingGrow(old, size) {
  if (old.transfer) return old.transfer(size);
  const grown = new ArrayBuffer(size);
  new Uint8Array(grown).set(new Uint8Array(old));
  structuredClone(old, { transfer: [old] });
  return grown;
}
${js}
const TUPLES = ${JSON.stringify(tuples)};

/** What wasm-bindgen's glue expects of \`instance.exports\`, from its imports object. */
export function instantiate(imports) {
  const refs = [];
  const table = {
    get: (index) => refs[index],
    set: (index, value) => { refs[index] = value; },
    grow: (delta, value) => {
      const old = refs.length;
      for (let i = 0; i < delta; i++) refs.push(value);
      return old;
    },
    get length() { return refs.length; },
  };
  const raw = asmFunc({ ...imports, externrefs: { get: table.get, set: table.set, grow: (value, delta) => table.grow(delta, value) } });
  const exports = { ...raw, __wbindgen_externrefs: table };
  let out;
  for (const [name, count] of TUPLES) {
    const wrapped = raw[name];
    exports[name] = (...args) => {
      out ??= raw.__wbindgen_malloc(4 * count, 4);
      wrapped(out, ...args);
      return Array.from(new Int32Array(raw.memory.buffer, out, count));
    };
  }
  return exports;
}
`;
  const minified = await transform(source, { minify: true, format: "esm", target: "es2020", legalComments: "none" });
  writeFileSync(join(dir, "liveagent_reseller_bg.wasm.js"), minified.code);
} finally {
  rmSync(work, { recursive: true, force: true });
}
