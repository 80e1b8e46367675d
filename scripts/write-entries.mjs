// Writes the package's entry points and package.json into pkg/.
// Usage: node scripts/write-entries.mjs <pkg dir> <./snippets/.../error.js>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [dir, errorModule] = process.argv.slice(2);
const crate = readFileSync("Cargo.toml", "utf8");
const field = (name) => crate.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const glue = "./liveagent_reseller.js";
const wasm = "./liveagent_reseller_bg.wasm";
const reexports = `export * from "${glue}";\nexport { LiveAgentError } from "${errorModule}";\n`;

// Browsers and bundlers: fetch the .wasm next to this module.
writeFileSync(join(dir, "index.js"), `// Browsers and bundlers: the .wasm is fetched next to this module.
import init from "${glue}";
await init({ module_or_path: new URL("${wasm}", import.meta.url) });
${reexports}`);

// Node: read the .wasm from disk (Node's fetch cannot read file: URLs).
writeFileSync(join(dir, "node.js"), `// Node: the .wasm is read from disk (Node's fetch cannot read file: URLs).
import { readFileSync } from "node:fs";
import { initSync } from "${glue}";
initSync({ module: readFileSync(new URL("${wasm}", import.meta.url)) });
${reexports}`);

writeFileSync(join(dir, "index.d.ts"), `export * from "${glue}";
export { LiveAgentError, type LiveAgentErrorKind } from "${errorModule}";
`);

const pkg = {
  name: "liveagent-reseller",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: field("repository") },
  type: "module",
  types: "./index.d.ts",
  exports: {
    ".": {
      types: "./index.d.ts",
      node: "./node.js",
      default: "./index.js",
    },
    "./liveagent_reseller_bg.wasm": wasm,
  },
  files: ["*.js", "*.d.ts", "*.wasm", "snippets/"],
  sideEffects: ["./index.js", "./node.js"],
};
writeFileSync(join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
