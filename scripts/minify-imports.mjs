// Renames the .wasm's imports to one- or two-letter names, in the .wasm and
// in wasm-bindgen's glue, which builds the import object.
//   node scripts/minify-imports.mjs <file_bg.wasm> <glue.js>
//
// wasm-bindgen names each import after its Rust path plus a 16-digit hash
// (`__wbg_instanceof_Date_99b6a345bf39e8f4`), and both files carry every
// name: about 1.3 KB of the gzipped download that compresses badly. Every
// module gets a one-letter name; the fields of the glue's own object (module
// `./<glue>_bg.js`) get short names too, while a JS module the wasm imports
// directly (a snippet) keeps its fields: it is passed as its namespace,
// whose names are its exports. Exports keep their names (the glue and
// `initSync`'s callers use them); binaryen's
// `--minify-imports-and-exports-and-modules` would rename those too.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) throw new Error("usage: minify-imports.mjs <file_bg.wasm> <glue.js>");
const bytes = readFileSync(wasmPath);
let glue = readFileSync(gluePath, "utf8");
const glueModule = `./${basename(gluePath, ".js")}_bg.js`;

function readLeb(at) {
  let value = 0, shift = 0, byte;
  do {
    if (at >= bytes.length || shift > 28) throw new Error(`${wasmPath}: a LEB128 number runs past the end or is too long`);
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}

const name = (text) => Buffer.concat([leb(Buffer.byteLength(text)), Buffer.from(text)]);
const short = (n) => (n < 26 ? "" : short(Math.floor(n / 26) - 1)) + String.fromCharCode(97 + (n % 26));

/** The import section renamed: one letter a module, short fields for the glue module's. */
function rewriteImports(start, end, modules, fields) {
  let [count, at] = readLeb(start);
  const parts = [leb(count)];
  for (let i = 0; i < count; i++) {
    let length;
    [length, at] = readLeb(at);
    const module = bytes.toString("utf8", at, at + length);
    at += length;
    [length, at] = readLeb(at);
    const field = bytes.toString("utf8", at, at + length);
    at += length;
    // The rest of the entry (its kind and type) is copied as it is: find its end.
    const kind = bytes[at];
    if (kind !== 0) throw new Error(`import ${field} is not a function (kind ${kind}); extend this script`);
    const [, rest] = readLeb(at + 1);
    if (!modules.has(module)) modules.set(module, short(modules.size));
    let to = field;
    if (module === glueModule) {
      if (fields.has(field)) throw new Error(`import ${field} is imported twice`);
      to = short(fields.size);
      fields.set(field, to);
    }
    parts.push(name(modules.get(module)), name(to), bytes.subarray(at, rest));
    at = rest;
  }
  if (at !== end) throw new Error("the import section has bytes this script does not understand");
  return Buffer.concat(parts);
}

// The glue's module first, so that it is "a".
const modules = new Map([[glueModule, "a"]]);
const fields = new Map();
const out = [bytes.subarray(0, 8)];
for (let at = 8; at < bytes.length; ) {
  const id = bytes[at];
  const [size, body] = readLeb(at + 1);
  const end = body + size;
  if (end > bytes.length) throw new Error(`${wasmPath}: section ${id} runs past the end of the file`);
  if (id === 2) {
    const section = rewriteImports(body, end, modules, fields);
    out.push(Buffer.from([2]), leb(section.length), section);
  } else {
    out.push(bytes.subarray(at, end));
  }
  at = end;
}
if (fields.size === 0) throw new Error(`the .wasm imports nothing from ${glueModule}`);

// The glue's import object: `"<module>": importN` and `<field>: function…`.
const replaceOnce = (pattern, replacement, what) => {
  const found = glue.match(new RegExp(pattern, "g"));
  if (found?.length !== 1) throw new Error(`${what} is in the glue ${found?.length ?? 0} times, not once`);
  glue = glue.replace(new RegExp(pattern), replacement);
};
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const [module, to] of modules) replaceOnce(`"${escape(module)}":`, `${to}:`, `the module "${module}"`);
for (const [field, to] of fields) replaceOnce(`\\b${escape(field)}:`, `${to}:`, `the import ${field}`);

const result = Buffer.concat(out);
if (!WebAssembly.validate(result)) throw new Error(`${wasmPath}: the rewritten module does not validate`);
const expected = [...modules.values()].sort().join(",");
const got = [...new Set(WebAssembly.Module.imports(new WebAssembly.Module(result)).map((i) => i.module))].sort().join(",");
if (got !== expected) throw new Error(`${wasmPath}: rewritten import modules are ${got}, expected ${expected}`);
writeFileSync(wasmPath, result);
writeFileSync(gluePath, glue);
console.log(`minify-imports: ${fields.size} imports renamed`);
