// Shared by the runtime tests: where things are, a throwaway consumer project
// with the built package installed, child processes with time limits.
import { execFile, spawn } from "node:child_process";
import {
  cpSync, createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, resolve } from "node:path";

export const root = resolve(import.meta.dirname, "../..");
export const pkgDir = join(root, "pkg");
export const sandbox = (process.env.SANDBOX_URL ?? "http://127.0.0.1:18080").replace(/\/$/, "");
export const api = `${sandbox}/api`;
export const reseller = "reseller@example.com";
export const apiKey = "sandbox-api-key";
export const bin = (name) => join(root, "node_modules/.bin", name);

/** Fails fast, with a useful message, when the sandbox or pkg/ is missing. */
export async function preflight() {
  try {
    statSync(join(pkgDir, "package.json"));
  } catch {
    throw new Error("pkg/ is not built: run `bash scripts/build-pkg.sh`");
  }
  const answer = await fetch(`${sandbox}/sandbox.json`).catch((error) => error);
  if (!(answer instanceof Response) || !answer.ok) {
    throw new Error(`no sandbox at SANDBOX_URL=${sandbox} (start target/debug/sandbox --port 18080): ${answer}`);
  }
}

/** A fresh temp dir, removed when the test process ends unless KEEP_TMP is set. */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `liveagent-${prefix}-`));
  if (!process.env.KEEP_TMP) process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A consumer project: the files of `example` (a folder under examples/, if
 * given), package.json if it has none, and node_modules/liveagent-reseller as
 * a link to pkg/ (a copy with `copy`, as npm would install it; tools treat
 * linked packages as source). `links` adds node_modules entries from the root's.
 */
export function consumer(prefix, { example, links = [], copy = false } = {}) {
  const dir = tempDir(prefix);
  if (example) {
    const from = join(root, "examples", example);
    for (const name of readdirSync(from)) {
      if (name === "node_modules" || name === "dist") continue;
      cpSync(join(from, name), join(dir, name), { recursive: true });
    }
  }
  try {
    statSync(join(dir, "package.json"));
  } catch {
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `${prefix}-app`, private: true, type: "module" }));
  }
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  const installed = join(dir, "node_modules", "liveagent-reseller");
  if (copy) cpSync(pkgDir, installed, { recursive: true });
  else symlinkSync(pkgDir, installed, "dir");
  for (const name of links) symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name), "dir");
  return dir;
}

/**
 * Runs a program to its end; resolves {stdout, stderr}, rejects with both
 * in the message when it exits non-zero or outlives `timeout` ms.
 */
export function run(file, args, { cwd = root, env = {}, timeout = 60_000 } = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          error.message = `${file} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`;
          Object.assign(error, { stdout, stderr });
          reject(error);
        } else {
          resolvePromise({ stdout, stderr });
        }
      });
  });
}

/** A port nobody listens on (bound, then released). */
export async function deadPort() {
  const server = createNetServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address();
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Lowercase letters and digits, unique per call: subdomains, emails. */
export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** Serves dir over HTTP on a free port; resolves {url, close}. Logs every path asked for. */
export async function serveStatic(dir) {
  const requests = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    requests.push(path);
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((ok) => {
      server.close(ok);
      server.closeAllConnections(); // browsers keep connections open
    }),
  };
}

/** Starts a long-running child; `kill()` ends it (and only it). */
export function start(file, args, options = {}) {
  const child = spawn(file, args, { cwd: root, ...options });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk) => { output += chunk; });
  return { child, output: () => output, kill: () => { if (child.exitCode === null) child.kill("SIGTERM"); } };
}

/**
 * Serves a workerd config; resolves {workerd, ports} once every socket in
 * `sockets` listens (workerd reports each port as a JSON line on fd 3).
 */
export function serveWorkerd(config, sockets) {
  const workerd = start(bin("workerd"), ["serve", config, "--control-fd=3"],
    { stdio: ["ignore", "pipe", "pipe", "pipe"] });
  const ports = {};
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`workerd did not listen:\n${workerd.output()}`)), 20_000);
    let lines = "";
    workerd.child.stdio[3].on("data", (chunk) => {
      lines += chunk;
      for (const line of lines.split("\n")) {
        if (line.startsWith("{")) {
          const event = JSON.parse(line);
          if (event.event === "listen") ports[event.socket] = event.port;
        }
      }
      if (sockets.every((name) => ports[name])) {
        clearTimeout(timer);
        resolve({ workerd, ports });
      }
    });
    workerd.child.on("exit", (code) => reject(new Error(`workerd exited (${code}):\n${workerd.output()}`)));
  });
}
