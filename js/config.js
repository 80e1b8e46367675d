// The config check of `new ResellerClient(config)`, in JS: it throws before
// any .wasm has arrived (a browser fetches it later), with the message the
// core gives. The rules are data (config-rules.js, generated from the table
// the core reads: src/generated/config.rs); this reads them as
// src/sansio/config.rs `from_js_config` does, over what the npm face reads of
// each member (own properties only). tests/config_rules.rs runs both on the
// same configs. The wasm does not check again: it takes the settings this
// check accepted, as one text (npm/src/inputs.rs `settings`).
import { LiveAgentError } from "./error.js";
import { checkTimeZone } from "./dates.js";
import { CLIENT, FORBIDDEN, PREFIXES, SETTINGS, TEXT, TOKEN } from "./config-rules.js";

const utf8 = (text) => new TextEncoder().encode(text);
// Text as the wasm receives it: a lone surrogate becomes U+FFFD. An engine
// without these (before 2023) takes every string as well-formed, as the core does.
const lossy = (text) => text.toWellFormed?.() ?? text;
const wellFormed = (text) => text.isWellFormed?.() ?? true;

/** An own member; a throwing getter or proxy reads as absent (as in the core). */
function own(object, key) {
  try {
    return Object.hasOwn(object, key) ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/** The settings of `config`; throws the core's `LiveAgentError` for a bad one. */
export function checkConfig(config, knowsZone = checkTimeZone) {
  const read = readConfig(config, knowsZone);
  if (typeof read === "string") {
    throw new LiveAgentError(`${CLIENT}: ${read}`, { kind: "invalid_input", operation: CLIENT, retryable: false });
  }
  return read;
}

/**
 * The message of `config`'s first error, or its settings (frozen): `text`
 * for `new ClientCore` (npm/src/inputs.rs `settings`) and what stays in JS.
 */
function readConfig(config, knowsZone) {
  if (config === null || typeof config !== "object") return TEXT.noConfig;
  let entries;
  try {
    entries = Object.entries(config);
  } catch {
    return TEXT.what + TEXT.notObject;
  }
  const key = own(config, "apiKey");
  const scrubbed = (message) => (typeof key === "string" && key !== "" && wellFormed(key)
    ? scrubQuoted(message, key) : message);
  for (const [name, value] of entries) {
    if (value === undefined || SETTINGS.some(([known]) => known === name)) continue;
    return scrubbed(unknownKey(TEXT.what, lossy(name), SETTINGS.map(([known]) => known)));
  }
  const v = {};
  const pairs = [];
  for (const setting of SETTINGS) {
    const name = setting[0];
    const told = check(setting, (v[name] = own(config, name) ?? undefined), knowsZone, pairs);
    if (told !== undefined) return scrubbed(told);
  }
  const text = JSON.stringify([v.baseUrl, v.reseller, v.apiKey, v.timeoutMs ?? null, v.maxRetries ?? null,
    v.maxResponseBytes ?? null, pairs]);
  const timeZone = v.timeZone ?? SETTINGS.find(([, , rule]) => rule === "zone")[4];
  return Object.freeze({ text, fetch: v.fetch, onEvent: v.onEvent, timeZone });
}

/** src/sansio/request.rs `unknown_key`: `what` has no key `given`, and the name it may be a misspelling of. */
function unknownKey(what, given, names) {
  const [hasNo, close, mean, end] = TEXT.unknownKey;
  const like = closest(given, names);
  return what + hasNo + given + close + (like === undefined ? "" : mean + like + end);
}

const OPTION_KEYS = ["signal", "timeoutMs", "maxRetries", "headers"];
const rule = (key) => SETTINGS.find(([name]) => name === key);

/** Whether `signal` looks like an AbortSignal. */
function signalOk(signal) {
  try {
    return typeof signal.aborted === "boolean" && typeof signal.addEventListener === "function";
  } catch {
    return false;
  }
}

/** A call's options checked by the config's rules: `[timeoutMs, maxRetries, [name, value, …]]`, or the error's message (the core tells it after the other inputs'). */
export function checkOptions(value) {
  if (value === undefined || value === null) return [null, null, []];
  let given;
  try {
    given = typeof value === "object" ? Object.entries(value) : undefined;
  } catch {} // a getter or proxy that throws
  if (given === undefined) return "options must be an object";
  const options = new Map();
  for (const [key, member] of given) {
    const name = lossy(key);
    if (member !== undefined && !OPTION_KEYS.includes(name)) return unknownKey("options", name, OPTION_KEYS);
    options.set(name, member);
  }
  const signal = options.get("signal");
  if (signal !== undefined && signal !== null && !signalOk(signal)) return "options.signal must be an AbortSignal";
  const [, , , millis, ...range] = rule("timeoutMs");
  const [timeoutMs, maxRetries, headerValues] = ["timeoutMs", "maxRetries", "headers"].map((key) => options.get(key) ?? undefined);
  const pairs = [];
  const told = check(["options.timeoutMs", 0, "whole", millis, ...range], timeoutMs)
    ?? check(rule("maxRetries"), maxRetries)
    ?? (headerValues === undefined ? undefined : headers(headerValues, `options.headers${rule("headers")[3]}`, pairs, true));
  return told ?? [timeoutMs ?? null, maxRetries ?? null, pairs];
}

/** What one member is told by its setting's rule, or `undefined`. */
function check([name, required, rule, text, ...data], value, knowsZone, pairs) {
  if (value === undefined || value === null) return required ? name + TEXT.required : undefined;
  if (rule === "function") return typeof value === "function" ? undefined : name + text;
  if (rule === "whole") {
    const [min, max] = data;
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max ? undefined : name + text;
  }
  if (rule === "headers") return headers(value, name + text, pairs);
  if (typeof value !== "string") return name + TEXT.notString;
  if (!wellFormed(value)) return name + TEXT.lone;
  const ok = rule === "url" ? isBaseUrl(value)
    : rule === "segment" ? value !== "" && value !== "." && value !== ".."
    : rule === "secret" ? value !== ""
    : value === data[0] || knowsZone(value);
  return ok ? undefined : rule === "zone" ? `${name} "${value}"${text}` : name + text;
}

/** A plain object of strings, each a header fetch sends as given, into `pairs`; `strict`: no lone surrogate in a value. */
function headers(value, notStrings, pairs, strict = false) {
  let entries;
  try {
    const proto = typeof value === "object" ? Object.getPrototypeOf(value) : undefined;
    if (proto !== null && proto !== Object.prototype) return notStrings;
    entries = Object.entries(value);
  } catch {
    return notStrings;
  }
  for (const [name, text] of entries) {
    if (typeof text !== "string" || (strict && !wellFormed(text))) return notStrings;
    const told = header(lossy(name), lossy(text));
    if (told !== undefined) return told;
    pairs.push(lossy(name), lossy(text));
  }
  return undefined;
}

const quoted = ([before, after], name) => before + name + after;

/** src/sansio/config.rs `check_header`. */
function header(name, value) {
  if (name === "" || ![...name].every((c) => /[A-Za-z0-9]/.test(c) || TOKEN.includes(c))) {
    return quoted(TEXT.badName, name);
  }
  const lower = name.toLowerCase(); // a token: ASCII only
  if (FORBIDDEN.includes(lower) || PREFIXES.some((p) => lower.startsWith(p))) return quoted(TEXT.forbidden, name);
  if (/[\r\n\0]/.test(value)) return quoted(TEXT.lineBreak, name);
  if (/[^\0-\xff]/.test(value)) return quoted(TEXT.notLatin1, name);
  return undefined;
}

/**
 * src/sansio/config.rs `check_base_url`: absolute http(s), a host, no
 * credentials, query, fragment or whitespace. Written without regular
 * expressions: compiling them costs the first constructor about 0.2 ms.
 */
function isBaseUrl(url) {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  const base = url.slice(0, end);
  // The scheme in any case: no other character lowercases to h, t, p or s.
  const lower = base.slice(0, 8).toLowerCase();
  const scheme = lower === "https://" ? 8 : lower.startsWith("http://") ? 7 : 0;
  if (scheme === 0 || base.length <= scheme || base.slice(scheme).split("/")[0].includes("@")) return false;
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x3f || c === 0x23 || c === 0x5c) return false;
  }
  return true;
}

/** src/sansio/request.rs `closest`: the name of `names` `key` most resembles, if it may be a misspelling of it. */
function closest(key, names) {
  let best;
  for (const name of names) {
    const d = distance(key, name);
    if (best === undefined || d < best[0]) best = [d, name];
  }
  return best[0] <= Math.max(3, Math.floor(best[1].length / 3)) ? best[1] : undefined;
}

/** Edit distance on UTF-8 bytes, case, `_` and `-` ignored, the first 32 such bytes. */
function distance(a, b) {
  const norm = (s) => [...utf8(s)].filter((c) => c !== 0x5f && c !== 0x2d).slice(0, 32)
    .map((c) => (c >= 0x41 && c <= 0x5a ? c + 32 : c));
  [a, b] = [norm(a), norm(b)];
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  a.forEach((ca, i) => {
    let diagonal = i;
    row[0] = i + 1;
    b.forEach((cb, j) => {
      const value = Math.min(diagonal + (ca === cb ? 0 : 1), row[j + 1] + 1, row[j] + 1);
      diagonal = row[j + 1];
      row[j + 1] = value;
    });
  });
  return row[b.length];
}

/** src/sansio/error.rs `scrub_quoted`: the key scrubbed from each `"…"` span only. */
function scrubQuoted(message, key) {
  return message.split('"').map((part, i) => (i % 2 === 1 ? scrub(part, key) : part)).join('"');
}

const MARK = utf8("[redacted]");
const SHORT = { '"': 0x22, "\\": 0x5c, "/": 0x2f, "\b": 0x62, "\f": 0x66, "\n": 0x6e, "\r": 0x72, "\t": 0x74 };

/** src/sansio/secret.rs `scrub`, byte for byte: every form of `key` in `text` replaced by the marker. */
export function scrub(text, key) {
  const t = utf8(text);
  const chars = [...key];
  const first = key === "" ? 0x5b : utf8(key)[0];
  const isMark = (at) => MARK.every((b, i) => t[at + i] === b);
  const hex = (at, len) => {
    const digits = String.fromCharCode(...t.subarray(at, at + len));
    return digits.length === len && /^[0-9a-f]*$/i.test(digits) ? parseInt(digits, 16) : -1;
  };
  const formEnd = (at, form) => {
    for (const c of chars) {
      if (isMark(at)) return -1;
      const raw = utf8(c);
      const short = SHORT[c] ?? 0;
      if (form === 1 && c === " " && t[at] === 0x2b) {
        at += 1;
      } else if (form === 1) {
        for (const b of raw) {
          if (t[at] === 0x25 && hex(at + 1, 2) === b) at += 3;
          else if (b !== 0x25 && t[at] === b) at += 1;
          else return -1;
        }
      } else if (form === 2 && t[at] === 0x5c) {
        if (short !== 0 && t[at + 1] === short) {
          at += 2;
        } else {
          for (let u = 0; u < c.length; u++) {
            if (t[at] !== 0x5c || t[at + 1] !== 0x75 || hex(at + 2, 4) !== c.charCodeAt(u)) return -1;
            at += 6;
          }
        }
      } else if (raw.every((b, i) => t[at + i] === b) && (form === 0 || c !== "\\")) {
        at += raw.length;
      } else {
        return -1;
      }
    }
    return at;
  };
  const out = [];
  let [at, copied] = [0, 0];
  while (at < t.length && key !== "") {
    const b = t[at];
    if (!(b === first || b === 0x25 || b === 0x2b || b === 0x5c || b === 0x5b)) {
      at += 1;
    } else if (isMark(at)) {
      at += MARK.length;
    } else if (b === 0x5b && first !== 0x5b) {
      at += 1;
    } else {
      const end = Math.max(formEnd(at, 0), formEnd(at, 1), formEnd(at, 2));
      if (end >= 0) {
        out.push(t.subarray(copied, at), MARK);
        at = copied = end;
      } else {
        at += 1;
      }
    }
  }
  out.push(t.subarray(copied));
  const decoder = new TextDecoder();
  return out.map((part) => decoder.decode(part)).join("");
}
