// How a response body's bytes become the text that JSON.parse reads. The
// Node entries (node.js, node.cjs, manual.cjs) have esbuild swap in
// text-node.js instead (scripts/write-entries.mjs), which reads through this one.
const decoder = new TextDecoder(); // one for every call: making one costs more than using it

/** `parts` (Uint8Arrays) as one. */
export function join(parts) {
  let size = 0;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The body, `parts` in order, as text (`ascii`: the core saw only ASCII in it). */
export const bodyText = (parts, ascii) => decoder.decode(parts.length === 1 ? parts[0] : join(parts));
