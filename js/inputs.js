// What a call hands the wasm: ONE text, so that no value is read field by
// field across the boundary. JSON, with tags for what JSON cannot say, so
// that the core's checks (npm/src/inputs.rs) word every error as precisely
// as they would on the values themselves:
//
//   a string                  itself; ["lone"] when it holds a lone surrogate
//   a whole number 0..2^53    itself; any other number ["number"], NaN ["NaN"],
//                             ±Infinity ["Infinity"] / ["-Infinity"]
//   true, false, null         themselves; undefined ["undefined"]
//   a bigint, function, symbol ["bigint"], ["function"], ["symbol"]
//   a Date                    ["Date", its text in the client's time zone, or null]
//   any other object          [its type: "Array", "Map", "Object", …]
//   what throws when read     ["throws"] (a getter, a Proxy)
//
// Params are a JSON object of their own enumerable properties. A call is
// [op, [args…], params, options checked by config.js `checkOptions`].
import { formatForCore } from "./dates.js";
import { checkOptions } from "./config.js";

/** A value the core reads as a scalar. */
function scalar(value, timeZone) {
  switch (typeof value) {
    case "string":
      // (A host without isWellFormed sends it as JSON does: U+FFFD.)
      return value.isWellFormed?.() === false ? ["lone"] : value;
    case "number":
      if (Number.isInteger(value) && value >= 0 && value <= 2 ** 53) return value;
      return Number.isNaN(value) ? ["NaN"] : value === Infinity ? ["Infinity"] : value === -Infinity ? ["-Infinity"] : ["number"];
    case "boolean":
      return value;
    case "undefined":
      return ["undefined"];
    case "object":
      return value === null ? null : object(value, timeZone);
    default:
      return [typeof value]; // bigint, function, symbol
  }
}

/** An object by its type; a Date as its text. */
function object(value, timeZone) {
  try {
    const type = Object.prototype.toString.call(value).slice(8, -1);
    if (type === "Date") return ["Date", formatForCore(value, timeZone) ?? null];
    return [type];
  } catch {
    return ["throws"];
  }
}

/** Own enumerable entries as a JSON object, each value read once by `read`. */
function entries(value, read) {
  try {
    const out = {};
    for (const [key, member] of Object.entries(value)) out[key.toWellFormed?.() ?? key] = read(key, member);
    return out;
  } catch {
    return ["throws"];
  }
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** A call of `op` as the text the wasm reads. */
export function encodeCall(op, args, params, opts, timeZone) {
  const given = isObject(params) ? entries(params, (_, v) => scalar(v, timeZone)) : scalar(params, timeZone);
  return JSON.stringify([op, args.map((a) => scalar(a, timeZone)), given, checkOptions(opts)]);
}
