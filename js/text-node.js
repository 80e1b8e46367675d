// text.js for Node, Deno and Bun: a body the core saw to be all ASCII reads
// the same as Latin-1, which Buffer reads as a copy, about 6× as fast as
// Node 20's TextDecoder reads UTF-8 (3.1 MB: 0.35 against 2.0 ms;
// bench/README.md). Any other body is read by text.js.
import { bodyText as utf8, join } from "./text.js";

export { join };

// The host's Buffer, taken at load; none (Deno without it): text.js.
const NodeBuffer = (() => {
  try {
    const { Buffer } = globalThis;
    return typeof Buffer?.from === "function" ? Buffer : undefined;
  } catch {
    return undefined;
  }
})();

// A typed array's view, read from its internal slots (a subclass's getters cannot lie).
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const [bufferOf, offsetOf, lengthOf] = ["buffer", "byteOffset", "byteLength"]
  .map((name) => Object.getOwnPropertyDescriptor(typedArray, name).get);

// Read in pieces under 1 MB: Node makes a longer Latin-1 string an external
// one, whose memory it reports to V8, and a 3 MB body a call then brings a
// full garbage collection every few calls.
const PIECE = 512 << 10;

/** The body, `parts` in order, as text (`ascii`: the core saw only ASCII in it). */
export function bodyText(parts, ascii) {
  if (ascii && NodeBuffer !== undefined) {
    try {
      const texts = [];
      for (const part of parts) {
        const [buffer, offset, length] = [bufferOf.call(part), offsetOf.call(part), lengthOf.call(part)];
        for (let at = 0; at < length; at += PIECE) {
          texts.push(NodeBuffer.from(buffer, offset + at, Math.min(PIECE, length - at)).toString("latin1"));
        }
      }
      return texts.join("");
    } catch {
      // Not typed arrays (a custom fetch's odd chunks): read as any other body.
    }
  }
  return utf8(parts, ascii);
}
