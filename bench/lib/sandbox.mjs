// Starts a sandbox process on 127.0.0.1 with a free port, and stops it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const RESELLER = "reseller@example.com";
export const API_KEY = "sandbox-api-key";
export const ACCOUNT_ID = "9900a49c321c871cd1a572a1dc21a33c";

/** The sandbox binary: $SANDBOX_BIN, else the release build, else a debug build. */
export function sandboxBinary({ release = false } = {}) {
  const candidates = [
    process.env.SANDBOX_BIN,
    resolve(root, "target/release/sandbox"),
    ...(release ? [] : [resolve(root, "target/debug/sandbox"), "/tmp/target-sandbox/debug/sandbox"]),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`no sandbox binary (tried ${candidates.join(", ")}); run \`cargo build --release -p sandbox\``);
  }
  return found;
}

/**
 * Starts `sandbox --port 0 ...args` and resolves once it prints its URL.
 * @returns {Promise<{url: string, api: string, base: string, pid: number, stop: () => Promise<void>}>}
 */
export function startSandbox(args = [], opts = {}) {
  const bin = sandboxBinary(opts);
  const child = spawn(bin, ["--host", "127.0.0.1", "--port", "0", "--seed", "1", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
  return new Promise((resolveStart, reject) => {
    let out = "";
    const timer = setTimeout(() => { stop(); reject(new Error(`sandbox did not start in 20 s: ${stderr}`)); }, 20_000);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`sandbox exited (${code}): ${stderr}`)); });
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.removeAllListeners("data");
      child.stdout.resume(); // keep draining: a full pipe must not block the server
      child.removeAllListeners("exit");
      const url = m[1];
      resolveStart({ url, api: `${url}/api`, base: `${url}/api/resellers/${RESELLER}`, pid: child.pid, bin, stop });
    });
  });
}
