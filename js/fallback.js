// The .wasm's JavaScript form, for pages whose Content-Security-Policy
// refuses to compile WebAssembly (script-src without 'wasm-unsafe-eval'):
// liveagent_reseller_bg.wasm.js, built by binaryen's wasm2js
// (scripts/wasm2js-fallback.mjs), fetched only then, and handed to
// wasm-bindgen's glue as if it were the instance. Same calls, same results;
// slower to start and to run, which a CSP page accepts for working at all.
import { __wbg_finalize_init as finalize, __wbg_get_imports as glueImports } from "./liveagent_reseller.js";
import { LiveAgentError } from "./error.js";

/** Whether this host refuses to compile WebAssembly (a CSP without 'wasm-unsafe-eval', or no WebAssembly at all). */
export function compileRefused() {
  if (typeof WebAssembly !== "object") return true;
  try {
    // The smallest module (magic word, version): a CSP refuses even this.
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return false;
  } catch {
    return true;
  }
}

/** Not retryable: the page's policy, not the network, is what refuses. */
export const cspRefusal = (detail, cause) => new LiveAgentError(
  `liveagent-reseller: this page's Content-Security-Policy refuses WebAssembly (no 'wasm-unsafe-eval' in script-src) and ${detail}. ` +
    'See the README, "Content-Security-Policy".',
  { kind: "network", operation: "ResellerClient", retryable: false, cause },
);

/** Loads the JavaScript form from `url` (a same-origin module that script-src allows) and makes it the instance. */
export async function loadJavaScriptForm(url) {
  let form;
  try {
    form = await import(/* webpackIgnore: true */ /* @vite-ignore */ String(url));
  } catch (cause) {
    const reason = String(cause?.message ?? cause).replace(/\s+/g, " ");
    throw cspRefusal(`its JavaScript form ${url} could not be loaded (${reason}): serve it beside the .wasm`, cause);
  }
  finalize({ exports: form.instantiate(glueImports()) }, undefined);
}
