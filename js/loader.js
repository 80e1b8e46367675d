// Browsers and bundlers: the .wasm is fetched next to this module when the
// first client needs it (bundlers see both `new URL(…, import.meta.url)` and
// emit the files as assets); under a Content-Security-Policy that refuses
// WebAssembly, its JavaScript form is fetched instead (fallback.js).
import glueInit from "./liveagent_reseller.js";
import { compileRefused, loadJavaScriptForm } from "./fallback.js";
import { served } from "./served.js";

export const loader = {
  where: () => served(new URL("./liveagent_reseller_bg.wasm", import.meta.url)),
  load: (where) => (compileRefused()
    ? loadJavaScriptForm(served(new URL("./liveagent_reseller_bg.wasm.js", import.meta.url)))
    : glueInit({ module_or_path: where })),
};
