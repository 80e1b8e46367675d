// Runs the worker in plain workerd (npm `workerd`), without wrangler: bundles
// src/index.js the way wrangler does (the "workerd" export condition, each
// .wasm kept as its own module) and writes a workerd config beside it.
//
//   RESELLER_API_URL=… RESELLER_ID=… RESELLER_API_KEY=… PRODUCT_ID=… VARIATION_ID=… \
//     node workerd.mjs /tmp/signup && npx workerd serve /tmp/signup/config.capnp
//
// (The config holds the key in clear text: keep <out dir> out of the repo.)
//
// The config declares an `internet` service that may reach private and local
// addresses (the sandbox on 127.0.0.1); workerd refuses them otherwise.
import { build } from "esbuild";
import { writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
export const bindingNames = ["RESELLER_API_URL", "RESELLER_ID", "RESELLER_API_KEY", "PRODUCT_ID", "VARIATION_ID", "ALLOWED_ORIGIN"];

/**
 * Bundles the worker into outDir: worker.js plus each .wasm it imports.
 * @param {{ outDir: string, entry?: string, nodePaths?: string[] }} options
 * @returns {Promise<{ main: string, wasm: string[] }>} file names inside outDir
 */
export async function bundle({ outDir, entry = join(here, "src/index.js"), nodePaths = [] }) {
  const result = await build({
    entryPoints: { worker: entry },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    loader: { ".wasm": "copy" },
    assetNames: "[name]",
    nodePaths,
    metafile: true,
    logLevel: "warning",
  });
  const files = Object.keys(result.metafile.outputs).map((file) => basename(file));
  return { main: "worker.js", wasm: files.filter((file) => file.endsWith(".wasm")) };
}

/**
 * A workerd config serving the bundle once per service, each on its own
 * socket with its own bindings (text values; workerd has no secrets store).
 * @param {{ main: string, wasm: string[], services: { name: string, address: string, bindings: Record<string, string> }[], compatibilityDate?: string }} options
 */
export function config({ main, wasm, services, compatibilityDate = "2025-09-01" }) {
  const str = (value) => JSON.stringify(String(value));
  const modules = [
    `(name = ${str(main)}, esModule = embed ${str(main)})`,
    ...wasm.map((file) => `(name = ${str(file)}, wasm = embed ${str(file)})`),
  ].join(",\n      ");
  const workers = services.map(({ name, bindings }) => `const ${name}Worker :Workerd.Worker = (
  modules = [
      ${modules}
  ],
  compatibilityDate = ${str(compatibilityDate)},
  bindings = [
${Object.entries(bindings).map(([key, value]) => `    (name = ${str(key)}, text = ${str(value)}),`).join("\n")}
  ],
  globalOutbound = "internet",
);`);
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
${services.map(({ name }) => `    (name = ${str(name)}, worker = .${name}Worker),`).join("\n")}
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
${services.map(({ name, address }) => `    (name = ${str(name)}, address = ${str(address)}, http = (), service = ${str(name)}),`).join("\n")}
  ],
);

${workers.join("\n\n")}
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) throw new Error("usage: node workerd.mjs <out dir>   (env: " + bindingNames.join(", ") + ")");
  const outDir = resolve(process.argv[2]);
  const built = await bundle({ outDir, nodePaths: [join(process.cwd(), "node_modules")] });
  const bindings = Object.fromEntries(bindingNames.filter((key) => process.env[key]).map((key) => [key, process.env[key]]));
  const services = [{ name: "signup", address: process.env.ADDRESS ?? "127.0.0.1:8787", bindings }];
  writeFileSync(join(outDir, "config.capnp"), config({ ...built, services }));
  console.log(`wrote ${outDir}; run: npx workerd serve ${join(outDir, "config.capnp")}`);
}
