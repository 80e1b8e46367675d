// The HTTP proxy headless Chromium uses for the wasm test runner's own page
// (scripts/test.sh, stage "wasm tests in headless Chromium").
//
// Why: the runner (wasm-bindgen-test-runner 0.2.130) serves the page, its
// glue and our JS snippets with tiny_http 0.12, which gives each connection a
// thread for as long as the connection lives. Its thread pool can lose a
// wake-up: when connections arrive together, a new one can be queued while
// the pool counts a thread as idle that is already taken, so no thread is
// added for it. Chromium opens five or six keep-alive connections for the
// page's modules at once and never closes them, so the queued one waits
// forever: `snippets/…/hostile.js` stayed at "reading headers" in Chromium's
// net log, the page never ran, and chromedriver waited for the load event
// until the runner gave up (one run in four here, more under load).
//
// Through this proxy Chromium's connections end here, and each request goes
// to the runner on a connection of its own, closed after the response, so
// every runner thread is free again within milliseconds and a queued
// connection is picked up at once. Only loopback targets are relayed. The
// sandbox is not proxied (Chromium's --proxy-bypass-list): the tests see its
// bytes, faults and resets exactly as sent. Where a target cannot be reached
// the client's connection is destroyed, so the page sees a network error, as
// it would without the proxy.
//
// Usage: node scripts/runner-relay.mjs <log file>
// Prints "relay listening on <port>" once ready. The log has one line per
// request as it starts ("> id url") and as it ends ("< id status" or
// "! id error"), so a request that never ended can be named.
import { appendFileSync } from 'node:fs';
import http from 'node:http';

const log = process.argv[2];
const note = (line) => { if (log) appendFileSync(log, `${line}\n`); };
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'upgrade'];
let next = 0;

const server = http.createServer((req, res) => {
  const id = ++next;
  note(`> ${id} ${req.method} ${req.url}`);
  let target;
  try {
    target = new URL(req.url);
  } catch {
    target = null;
  }
  if (!target || target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
    note(`! ${id} not a loopback http URL`);
    res.destroy();
    return;
  }
  const headers = { ...req.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  headers.connection = 'close';
  const upstream = http.request(
    { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, method: req.method, path: target.pathname + target.search, headers, agent: false },
    (answer) => {
      const out = { ...answer.headers };
      for (const name of HOP_BY_HOP) delete out[name];
      res.writeHead(answer.statusCode, answer.statusMessage, out);
      answer.pipe(res);
      answer.on('end', () => note(`< ${id} ${answer.statusCode}`));
      answer.on('error', (e) => { note(`! ${id} ${e.code || e.message}`); res.destroy(); });
    },
  );
  upstream.on('error', (e) => { note(`! ${id} ${e.code || e.message}`); res.destroy(); });
  req.pipe(upstream);
});
server.listen(0, '127.0.0.1', () => console.log(`relay listening on ${server.address().port}`));
