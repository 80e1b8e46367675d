// The package's `bin`: `npx liveagent-reseller sandbox [flags]`, the flags
// of the Rust `sandbox` binary, parsed by node:util's parseArgs.
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadRules } from "./rules.js";
import { startServer } from "./server.js";

const USAGE = `Usage: liveagent-reseller sandbox [OPTIONS]

A local, in-memory LiveAgent Reseller API v1 for development and tests
(the rules of the Rust \`sandbox\`, in WebAssembly).

Options:
      --host <ADDR>            address to bind ("localhost" means 127.0.0.1) [default: 127.0.0.1]
      --port <N>               port to bind; 0 picks a free one [default: 8080]
      --reseller <ID>          reseller identifier accepted in paths [default: reseller@example.com]
      --api-key <KEY>          API key accepted [default: sandbox-api-key]
      --latency-ms <N>         delay added to each API response, at most 300000 [default: 0]
      --fail-rate <F>          share 0..1 of API responses answered 503 + Retry-After: 1 [default: 0]
      --seed <N>               seed for generated ids and the fail-rate coin [default: from the clock]
      --seed-accounts <N>      add N generated accounts to the seeded ones (deterministic) [default: 0]
      --www <DIR>              serve the static files of DIR at /
      --pkg <DIR>              serve the static files of DIR at /pkg/
      --allow-origin <ORIGIN>  let pages of ORIGIN use the control routes (repeatable)
      --now <T>                answer as if the time were always T (RFC 3339)
  -h, --help                   Print help

Control routes (JSON): POST/GET/DELETE /_sandbox/faults, POST /_sandbox/reset,
GET/DELETE /_sandbox/requests, GET /sandbox.json.
`;

class UsageError extends Error {}

function whole(name, text, max) {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`invalid value '${text}' for '--${name}': not a whole number`);
  const value = Number(text.trim());
  if (value > max) throw new UsageError(`invalid value '${text}' for '--${name}': at most ${max}`);
  return value;
}

function directory(name, text) {
  try {
    if (statSync(text).isDirectory()) return text;
  } catch { /* refused below */ }
  throw new UsageError(`invalid value '${text}' for '--${name}': "${text}" is not a directory`);
}

/** The flags as options for startServer; throws UsageError. */
export function parseFlags(args) {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      host: { type: "string", default: "127.0.0.1" }, port: { type: "string", default: "8080" },
      reseller: { type: "string", default: "reseller@example.com" },
      "api-key": { type: "string", default: "sandbox-api-key" },
      "latency-ms": { type: "string", default: "0" }, "fail-rate": { type: "string", default: "0" },
      seed: { type: "string" }, "seed-accounts": { type: "string", default: "0" },
      www: { type: "string" }, pkg: { type: "string" },
      "allow-origin": { type: "string", multiple: true, default: [] }, now: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { help: true };
  const failRate = Number(values["fail-rate"].trim());
  if (values["fail-rate"].trim() === "" || !(failRate >= 0 && failRate <= 1)) {
    throw new UsageError(`invalid value '${values["fail-rate"]}' for '--fail-rate': not between 0 and 1`);
  }
  let now;
  if (values.now !== undefined) {
    now = Date.parse(values.now);
    if (!/^\d{4}-\d\d-\d\dT/.test(values.now) || Number.isNaN(now)) {
      throw new UsageError(`invalid value '${values.now}' for '--now': not an RFC 3339 time`);
    }
  }
  for (const [name, text] of [["reseller", values.reseller], ["api-key", values["api-key"]]]) {
    if (text === "") throw new UsageError(`invalid value '' for '--${name}': may not be empty`);
  }
  for (const origin of values["allow-origin"]) {
    if ((origin !== "*" && !/^https?:\/\/[!-~]+$/.test(origin)) || origin.endsWith("/")) {
      throw new UsageError(`invalid value '${origin}' for '--allow-origin': not an origin (scheme://host[:port], no path) or *`);
    }
  }
  const seedText = values.seed;
  if (seedText !== undefined && !/^\d+$/.test(seedText)) {
    throw new UsageError(`invalid value '${seedText}' for '--seed': not a whole number`);
  }
  const seed = seedText === undefined
    ? BigInt(Math.floor(Date.now() / 1000)) ^ BigInt(process.pid)
    : BigInt(seedText);
  if (seed >= 1n << 64n) throw new UsageError(`invalid value '${seedText}' for '--seed': too large`);
  return {
    host: values.host === "localhost" ? "127.0.0.1" : values.host,
    port: whole("port", values.port, 65535),
    reseller: values.reseller,
    apiKey: values["api-key"],
    latencyMs: whole("latency-ms", values["latency-ms"], 300_000),
    failRate,
    seed,
    seedAccounts: whole("seed-accounts", values["seed-accounts"], 1_000_000),
    www: values.www === undefined ? undefined : directory("www", values.www),
    pkg: values.pkg === undefined ? undefined : directory("pkg", values.pkg),
    allowOrigin: values["allow-origin"],
    now,
  };
}

/** Runs the command line; resolves to an exit code when it does not serve. */
export async function main(argv, wasmUrl) {
  const [command, ...rest] = argv;
  if (command !== "sandbox") {
    (command === "-h" || command === "--help" ? process.stdout : process.stderr).write(USAGE);
    return command === "-h" || command === "--help" ? 0 : 2;
  }
  let options;
  try {
    options = parseFlags(rest);
  } catch (error) {
    process.stderr.write(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) { process.stdout.write(USAGE); return 0; }
  await loadRules(undefined, wasmUrl);
  let started;
  try {
    started = await startServer(options);
  } catch (error) {
    process.stderr.write(`sandbox: cannot listen on ${options.host}:${options.port}: ${error.message}\n`);
    return 1;
  }
  const { origin } = started;
  process.stdout.write(`sandbox listening on ${origin}\nAPI base URL: ${origin}/api\nreseller: ${options.reseller}\n` +
    `api key: ${options.apiKey}\n${options.www ? `demo page: ${origin}/\n` : ""}`);
  return undefined;
}
