// The rules' .wasm (sandbox/wasm), loaded once per JS realm: synchronously
// where the host can read a file (Node, Deno, Bun), by fetch elsewhere
// (browsers, workers), or from a module the caller hands over (workerd:
// `import wasm from "liveagent-reseller/sandbox_rules.wasm"`). Only this
// entry loads it; the client's entries never do.
import * as glue from "../../target/testing-glue/sandbox_rules.js";

let loaded = false;
let pending = null;

/** Reads a file: URL synchronously where the host allows it; else null. */
function readSync(url) {
  if (!(url instanceof URL) || url.protocol !== "file:") return null;
  const fs = globalThis.process?.getBuiltinModule?.("node:fs");
  if (fs) return fs.readFileSync(url);
  if (typeof globalThis.Deno?.readFileSync === "function") return globalThis.Deno.readFileSync(url);
  return null;
}

const isBytes = (source) => source instanceof WebAssembly.Module || ArrayBuffer.isView(source) ||
  source instanceof ArrayBuffer;

/**
 * Loads the rules once per realm, from `source` (a WebAssembly.Module,
 * bytes, a URL or a Response) or else from `wasmUrl`, the .wasm beside the
 * entry: at once when it can (then `isLoaded()` is true on return), by
 * fetch otherwise. Resolves to the glue; rejects with an error naming the
 * URL, and a later call tries again.
 */
export function loadRules(source, wasmUrl) {
  if (loaded) return Promise.resolve(glue);
  if (pending) return pending;
  try {
    const bytes = isBytes(source) ? source : source === undefined ? readSync(wasmUrl) : null;
    if (bytes) {
      glue.initSync({ module: bytes });
      loaded = true;
      return Promise.resolve(glue);
    }
  } catch (error) {
    return Promise.reject(loadError(wasmUrl, error));
  }
  pending = glue.default({ module_or_path: source ?? wasmUrl }).then(
    () => { loaded = true; return glue; },
    (error) => { pending = null; throw loadError(wasmUrl, error); });
  return pending;
}

export const isLoaded = () => loaded;

export { glue };

function loadError(url, cause) {
  const where = url instanceof URL || typeof url === "string" ? ` from ${url}` : "";
  return new Error(`liveagent-reseller/testing could not load the sandbox's rules${where}: serve ` +
    "sandbox_rules.wasm beside testing.js (Content-Type application/wasm), or pass it as " +
    "createSandbox({ wasm })", { cause });
}
