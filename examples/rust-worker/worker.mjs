// The worker module: instantiates the Rust code (wasm-bindgen's `web`
// glue, with the .wasm imported as a module, as workerd and Cloudflare
// expect) and hands it each request.
import { initSync, handle } from "./rust_worker.js";
import wasm from "./rust_worker_bg.wasm";

initSync({ module: wasm });

export default {
  fetch(request, env) {
    return handle(request, env);
  },
};
