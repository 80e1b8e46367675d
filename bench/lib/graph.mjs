// What a host loads from an entry module: the entry, every relative module it
// imports or re-exports (transitively), and every file it refers to with
// `new URL("...", import.meta.url)` (the .wasm). Read from disk each time, so
// the figures follow the package as it is rebuilt.
import { readFileSync } from "node:fs";
import { basename, dirname, relative, resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";

const SPECIFIERS = [
  /\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+)["']/g, // import x from "…", import "…"
  /\bexport\s*(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*["']([^"']+)["']/g, // export … from "…"
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("…")
];
const ASSET = /new\s+URL\s*\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;

/** Files loaded from `entry` (absolute paths, entry first). */
export function loadedFiles(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith(".js") && !file.endsWith(".mjs")) return;
    const source = readFileSync(file, "utf8").replace(/^\s*\/\/.*$/gm, "");
    const refs = [];
    for (const re of SPECIFIERS) for (const m of source.matchAll(re)) refs.push(m[1]);
    for (const m of source.matchAll(ASSET)) refs.push(m[1]);
    for (const ref of refs) {
      if (!ref.startsWith("./") && !ref.startsWith("../")) continue; // node:fs, bare names
      walk(resolve(dirname(file), ref));
    }
  };
  walk(resolve(entry));
  return [...seen];
}

let haveGzip;
/**
 * Bytes of `gzip -9 -n` of a file (the gzip tool, without name and time in
 * the header). Without a gzip tool, zlib level 9 (a few bytes to ~1% larger).
 */
export function gzipSize(file) {
  if (haveGzip !== false) {
    try {
      const out = execFileSync("gzip", ["-9", "-n", "-c", file], { maxBuffer: 64 << 20 });
      haveGzip = true;
      return out.length;
    } catch (error) {
      if (haveGzip) throw error;
      haveGzip = false;
    }
  }
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

/** Which compressor `gzipSize` used. */
export const gzipTool = () => (haveGzip === false ? "zlib level 9" : "gzip -9 -n");

/**
 * The .wasm's JavaScript form (wasm2js), fetched only where a page's CSP
 * refuses WebAssembly: named by the browser entry, but not part of its usual
 * download.
 */
export const FALLBACK = "liveagent_reseller_bg.wasm.js";

/**
 * Per-file raw and gzip -9 sizes of everything `entry` loads, and their sums.
 * `{ fallback: false }` leaves out the CSP fallback (the usual download).
 */
export function downloadSize(entry, { fallback = true } = {}) {
  const root = dirname(resolve(entry));
  const files = loadedFiles(entry).filter((file) => fallback || basename(file) !== FALLBACK).map((file) => ({
    file: relative(root, file),
    bytes: readFileSync(file).length,
    gzip: gzipSize(file),
  }));
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzip: files.reduce((sum, f) => sum + f.gzip, 0),
  };
}
