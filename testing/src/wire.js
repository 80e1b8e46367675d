// What the Node server and the in-memory sandbox share around the rules:
// the limits the Rust server enforces, and turning a rules reply (JSON
// text) into headers and a body.

/** Largest API body read (the Rust server's BODY_LIMIT). */
export const BODY_LIMIT = 1024 * 1024;

export const tooLarge = `request body is larger than the limit of ${BODY_LIMIT} bytes`;

/** `/api…` as the rules expect it, from a URL under `base` (a URL whose path is the API root). */
export function apiPath(url, base) {
  if (url.origin !== base.origin) return null;
  const root = base.pathname.replace(/\/$/, "");
  if (url.pathname === root || url.pathname.startsWith(`${root}/`)) {
    return `/api${url.pathname.slice(root.length)}`;
  }
  return null;
}

/** Statuses whose response has no body, whatever a fault rule asked. */
export const noBody = (status) => status === 204 || status === 205 || status === 304;

/** Unix seconds of `now` (a Date, milliseconds, or a function giving either). */
export function unixSeconds(now) {
  const value = typeof now === "function" ? now() : now ?? Date.now();
  const ms = value instanceof Date ? value.getTime() : Number(value);
  if (!Number.isFinite(ms)) throw new TypeError("now must be a valid Date or a number of milliseconds");
  return Math.floor(ms / 1000);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms, signal) {
  if (!ms) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const done = () => { signal?.removeEventListener("abort", aborted); resolve(); };
    const timer = setTimeout(done, ms);
    const aborted = () => { clearTimeout(timer); reject(signal.reason); };
    signal?.addEventListener("abort", aborted, { once: true });
  });
}
