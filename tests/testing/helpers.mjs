// Shared by the tests of the `testing` entry: where the built package is,
// the Rust sandbox binary, child servers on this stage's ports (18300-18399)
// and their cleanup.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The package folder with the testing entry (scripts/build-pkg.sh writes pkg/). */
export const pkgDir = resolve(root, process.env.TESTING_PKG ?? "pkg");
export const sandboxBin = resolve(root, process.env.SANDBOX_BIN ?? "target/debug/sandbox");
const base = Number(process.env.TESTING_PORT_BASE ?? 18300);
/**
 * Ports of this stage's range (18300-18399): each test file its own ten
 * from `offset` (files may run at once), a new one per call.
 */
export function ports(offset) {
  let next = 0;
  return () => base + offset + (next++ % 10);
}

export function requirePackage() {
  for (const file of ["testing.js", "testing.cjs", "sandbox_rules.wasm", "bin/liveagent-reseller.mjs"]) {
    if (!existsSync(join(pkgDir, file))) {
      throw new Error(`${join(pkgDir, file)} is missing: build the package (make pkg, or scripts/build-testing.sh <dir>)`);
    }
  }
}

/**
 * Starts a server process and waits for its banner's first line
 * (`sandbox listening on http://…`); resolves to `{ origin, child, output }`.
 */
export function startServer(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`no banner from ${command}:\n${output}`)); }, 15_000);
    const seen = (chunk) => {
      output += chunk;
      const match = /sandbox listening on (http:\/\/\S+)\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({ origin: match[1], child, get output() { return output; } });
      }
    };
    child.stdout.setEncoding("utf8").on("data", seen);
    child.stderr.setEncoding("utf8").on("data", (chunk) => { output += chunk; });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`${command} exited (${code}):\n${output}`)); });
  });
}

export function stop(server) {
  if (server?.child.exitCode === null) server.child.kill();
}
