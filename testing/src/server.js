// `npx liveagent-reseller sandbox`: the `sandbox` binary's HTTP surface
// (`/api`, `/_sandbox/*`, `/sandbox.json`, `--www`, `--pkg`) served by
// Node's http module over the same rules .wasm, with the same flags, limits
// and banner, so that a session gets the same bytes from either.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { glue } from "./rules.js";
import { BODY_LIMIT, noBody, sleep, tooLarge, unixSeconds } from "./wire.js";

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".map": "application/json", ".wasm": "application/wasm",
  ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8", ".mts": "text/plain; charset=utf-8", ".cts": "text/plain; charset=utf-8",
};

/** CORS of the API (tower-http's `Any` in the Rust server). */
function apiCors(req, headers) {
  headers["access-control-allow-origin"] = "*";
  if (req.method === "OPTIONS") {
    headers["access-control-allow-methods"] = "GET,POST,PUT,DELETE,OPTIONS";
    headers["access-control-allow-headers"] = req.headers["access-control-request-headers"] ?? "";
    headers["access-control-max-age"] = "600";
    headers["access-control-expose-headers"] = "retry-after";
    if (req.headers["access-control-request-private-network"] === "true") {
      headers["access-control-allow-private-network"] = "true";
    }
  } else {
    headers["access-control-expose-headers"] = "retry-after";
  }
}

function send(res, status, headers, body) {
  res.writeHead(status, { "cache-control": "no-store", ...headers });
  res.end(noBody(status) ? undefined : body);
}

const sendReply = (res, reply, extra) =>
  send(res, reply.status, { ...Object.fromEntries(reply.headers), ...extra }, reply.body);

/** The whole body, or null past the limit (then the rest is not read). */
function readBody(req, limit) {
  return new Promise((resolveBody, reject) => {
    const parts = [];
    let size = 0;
    req.on("data", (part) => {
      size += part.length;
      if (size > limit) { req.pause(); resolveBody(null); return; }
      parts.push(part);
    });
    req.on("end", () => resolveBody(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

async function serveFile(root, pathname, res, headers) {
  let decoded;
  try { decoded = decodeURIComponent(pathname); } catch { decoded = null; }
  if (decoded === null || decoded.includes("\0")) { send(res, 404, headers, "not found\n"); return; }
  const file = resolve(root, `.${decoded}`);
  if (file !== resolve(root) && !file.startsWith(resolve(root) + sep)) { send(res, 404, headers, "not found\n"); return; }
  try {
    const found = (await stat(file)).isDirectory() ? join(file, "index.html") : file;
    const type = CONTENT_TYPES[extname(found).toLowerCase()] ?? "application/octet-stream";
    send(res, 200, { ...headers, "content-type": type }, await readFile(found));
  } catch {
    send(res, 404, headers, "not found\n");
  }
}

/**
 * Starts the server; resolves to `{ server, origin }` once it listens.
 * `options` are the parsed flags (see cli.js).
 */
export async function startServer(options) {
  const rules = new glue.Rules(options.reseller, options.apiKey, options.latencyMs, options.failRate,
    options.seed, options.seedAccounts);
  let origin = "";
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://sandbox.invalid");
      const path = url.pathname;
      const query = url.search.slice(1);
      const method = req.method ?? "GET";
      const headers = {};
      if (glue.isControlPath(path)) {
        const allowed = glue.controlAllowed(req.headers.origin, req.headers.host, options.allowOrigin);
        if (!allowed) {
          send(res, 403, { "content-type": "application/json" },
            "{\"error\":\"the sandbox's control routes answer only pages of its own origin and those named with --allow-origin\"}");
          return;
        }
        if (req.headers.origin && glue.controlAllowed(req.headers.origin, undefined, options.allowOrigin)) {
          headers["access-control-allow-origin"] = req.headers.origin;
          headers.vary = "origin";
          if (method === "OPTIONS") {
            headers["access-control-allow-methods"] = "GET,POST,PUT,DELETE,OPTIONS";
            headers["access-control-allow-headers"] = req.headers["access-control-request-headers"] ?? "";
          }
        }
        if (method === "OPTIONS") { send(res, 204, headers, ""); return; }
        const body = await readBody(req, 64 * 1024);
        if (body === null) { send(res, 413, headers, ""); return; }
        const reply = rules.control(method, path, query, body, `${origin}/api`);
        if (reply) sendReply(res, JSON.parse(reply), headers);
        else send(res, 404, headers, "not found\n");
        return;
      }
      apiCors(req, headers);
      if (method === "OPTIONS") { send(res, 204, headers, ""); return; }
      if (path === "/api" || path.startsWith("/api/")) {
        const contentType = req.headers["content-type"];
        const body = await readBody(req, BODY_LIMIT);
        if (body === null) {
          sendReply(res, JSON.parse(rules.refuse(method, path, query, contentType, 413, tooLarge)),
            { ...headers, connection: "close" });
          return;
        }
        const arrival = JSON.parse(rules.arrive(method, path, query, contentType, body));
        await sleep(arrival.delayMs);
        const reply = arrival.reply ??
          JSON.parse(rules.answer(method, path, query, contentType, body, unixSeconds(options.now)));
        sendReply(res, reply, headers);
        return;
      }
      if (options.pkg && (path === "/pkg" || path.startsWith("/pkg/"))) {
        await serveFile(options.pkg, path.slice(4) || "/", res, headers);
      } else if (options.www) {
        await serveFile(options.www, path, res, headers);
      } else if (path === "/") {
        send(res, 200, { ...headers, "content-type": "text/plain; charset=utf-8" },
          `LiveAgent Reseller API sandbox\n\nAPI base URL: ${origin}/api\nreseller: ${options.reseller}\n`);
      } else {
        send(res, 404, headers, "not found\n");
      }
    } catch (error) {
      if (!res.headersSent) send(res, 500, { "content-type": "text/plain; charset=utf-8" }, `${error}\n`);
      else res.destroy();
    }
  });
  server.headersTimeout = 8_000;
  server.requestTimeout = 0;
  await new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolveListen);
  });
  const address = server.address();
  const host = address.address === "0.0.0.0" || address.address === "::" ? "127.0.0.1" : address.address;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  return { server, origin };
}
