// Run by tests/config_rules.rs: for each config of cases.mjs, prints one JSON
// line with what js/config.js throws and what the npm face reads of the
// config (the view `sansio::config::from_js_config` takes: own properties,
// strings as the wasm receives them), so that the core can check the same
// config; then `[text, key, scrubbed]` lines for the scrub itself.
import { LiveAgentError } from "../../js/error.js";
import { checkConfig, scrub } from "../../js/config.js";
import { SETTINGS } from "../../js/config-rules.js";
import { cases, randomCases, scrubPairs } from "./cases.mjs";

const lossy = (text) => text.toWellFormed();

function own(object, key) {
  try {
    return Object.hasOwn(object, key) ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/** A JS value as the npm face reads it (see `Member`). */
function member(value) {
  if (value === undefined || value === null) return ["absent"];
  if (typeof value === "string") return value.isWellFormed() ? ["text", value] : ["ill"];
  // As text: JSON has no NaN, Infinity or -0.
  if (typeof value === "number") return ["number", Object.is(value, -0) ? "-0" : String(value)];
  if (typeof value === "function") return ["function"];
  let proto;
  try {
    proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
  } catch {
    return ["other"];
  }
  if (proto !== null && proto !== Object.prototype) return ["other"];
  try {
    return ["object", Object.entries(value).map(([k, v]) => [lossy(k), typeof v === "string" ? lossy(v) : null])];
  } catch {
    return ["object", null];
  }
}

function view(config) {
  if (config === null || typeof config !== "object") return { kind: "not_object" };
  let entries;
  try {
    entries = Object.entries(config);
  } catch {
    return { kind: "unlisted" };
  }
  return {
    kind: "object",
    keys: entries.filter(([, v]) => v !== undefined).map(([k]) => lossy(k)),
    members: SETTINGS.map(([name]) => member(own(config, name))),
  };
}

function zones(config) {
  const zone = config !== null && typeof config === "object" ? own(config, "timeZone") : undefined;
  if (typeof zone !== "string" || !zone.isWellFormed()) return {};
  try {
    return { [zone]: new Intl.DateTimeFormat("en-US", { timeZone: zone }) !== undefined };
  } catch {
    return { [zone]: false };
  }
}

const lines = [];
for (const [label, make] of [...cases, ...randomCases(Number(process.argv[2] ?? 300))]) {
  let js = null;
  try {
    checkConfig(make());
  } catch (e) {
    js = { message: e.message, kind: e.kind, operation: e.operation, retryable: e.retryable, typed: e instanceof LiveAgentError };
  }
  lines.push(JSON.stringify({ label, js, view: view(make()), zones: zones(make()) }));
}
for (const [text, key] of scrubPairs(Number(process.argv[3] ?? 2000))) {
  lines.push(JSON.stringify({ scrub: [text, key, scrub(text, key)] }));
}
process.stdout.write(`${lines.join("\n")}\n`);
