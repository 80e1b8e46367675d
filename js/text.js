// How a response body's bytes become the text that JSON.parse reads. The
// Node entries (node.js, node.cjs, manual.cjs) have esbuild swap in
// text-node.js instead (scripts/write-entries.mjs).
const decoder = new TextDecoder(); // one for every call: making one costs more than using it

/** The body's `bytes` as text (`ascii`: the core saw only ASCII in them). */
export const bodyText = (bytes, ascii) => decoder.decode(bytes);
