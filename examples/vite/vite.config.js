// No import of "vite" needed: a plain object is a valid config.
export default {
  // `vite dev` pre-bundles dependencies into node_modules/.vite, where the
  // package's `new URL("./liveagent_reseller_bg.wasm", import.meta.url)` would
  // no longer find its .wasm; `vite build` handles it either way.
  optimizeDeps: { exclude: ["liveagent-reseller"] },
};
