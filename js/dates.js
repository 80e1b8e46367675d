// Datetimes as the Reseller API writes them: `YYYY-MM-DD HH:MM:SS`, wall-clock
// time in one IANA time zone (the vendor's servers use America/Los_Angeles).
// The host's `Intl` knows the zone's rules (DST included); nothing here does.
//
// - `toLiveAgentDateTime(date, timeZone?)`: a `Date` as that text. Seconds
//   are truncated (milliseconds dropped). An invalid `Date`, a non-`Date`, a
//   year outside 0001-9999 or an unknown time zone throws a `LiveAgentError`
//   of kind `invalid_input` (operation `"toLiveAgentDateTime"`).
// - `fromLiveAgentDateTime(text, timeZone?)`: the `Date` that text names, or
//   `null` when it is not a valid datetime (`08:95:41`, `2024-02-30 …`, not a
//   string). An unknown time zone throws (`invalid_input`,
//   `"fromLiveAgentDateTime"`): it is the caller's mistake, not the text's.
//   Wall-clock times that a DST change skips or repeats are read as
//   `Temporal`'s "compatible" disambiguation (and `new Date(y, m, d, …)`) do:
//   a skipped time (02:30 on a spring-forward day) moves forward by the length
//   of the gap (03:30 daylight time); a repeated time (01:30 on a fall-back
//   day) is its first occurrence (daylight time).
// - `formatForCore(date, timeZone?)`: for the wasm, which converts `Date`
//   inputs: the text, or `undefined` when `date` cannot be written. Never throws.
// - `checkTimeZone(name)`: whether the host knows the IANA zone `name`.
import { LiveAgentError } from "./error.js";

const DEFAULT_ZONE = "America/Los_Angeles";
const DAY = 86_400_000;
// Instants whose wall-clock year is 0001-9999 in every zone (offsets < 1 day).
const FIRST = -62_135_510_400_000; // 0001-01-02T00:00:00Z
const LAST = 253_402_214_400_000; // 9999-12-31T00:00:00Z (exclusive)
const TEXT = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)$/;
const PARTS = ["year", "month", "day", "hour", "minute", "second"];

/** One formatter per zone name: creating one costs far more than using it. */
const formatters = new Map();

function formatter(timeZone) {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    const options = { timeZone, hourCycle: "h23" };
    for (const part of PARTS) options[part] = "numeric";
    formatters.set(timeZone, (format = new Intl.DateTimeFormat("en-US", options)));
  }
  return format;
}

/** Whether the host knows the IANA time zone `name` (`"Europe/Berlin"`, `"UTC"`). */
export function checkTimeZone(name) {
  try {
    return typeof name === "string" && formatter(name) !== undefined;
  } catch {
    return false;
  }
}

/** ms since the epoch of wall-clock fields [y, m, d, h, mi, s] read as UTC (years 0-99 stay so). */
function utc([year, month, ...rest]) {
  const date = new Date(Date.UTC(2000, month - 1, ...rest));
  date.setUTCFullYear(year);
  return date.getTime();
}

/** The wall-clock fields in `timeZone` at instant `t` (whole seconds). */
function wall(t, timeZone) {
  const fields = [];
  for (const { type, value } of formatter(timeZone).formatToParts(t)) {
    const at = PARTS.indexOf(type);
    if (at >= 0) fields[at] = Number(value) % (at === 3 ? 24 : Infinity); // some engines say 24:00
  }
  return fields;
}

/** The zone's offset from UTC at instant `t` (whole seconds), in ms: wall clock minus UTC. */
const offset = (t, timeZone) => utc(wall(t, timeZone)) - t;

/** ms since the epoch of a valid `Date` from any realm, truncated to seconds; NaN for anything else. */
function seconds(date) {
  const t = Object.prototype.toString.call(date) === "[object Date]" ? Date.prototype.getTime.call(date) : NaN;
  return t >= FIRST && t < LAST ? Math.floor(t / 1000) * 1000 : NaN;
}

/** The text of instant `t` (whole seconds) in a known zone. */
function format(t, timeZone) {
  const text = wall(t, timeZone).map((n) => String(n).padStart(2, "0"));
  return `${text[0].padStart(4, "0")}-${text[1]}-${text[2]} ${text[3]}:${text[4]}:${text[5]}`;
}

function zoneOrThrow(timeZone, operation) {
  if (checkTimeZone(timeZone)) return timeZone;
  throw new LiveAgentError(`${operation}: unknown time zone ${JSON.stringify(String(timeZone))}`,
    { kind: "invalid_input", operation, retryable: false });
}

/**
 * `date` as `YYYY-MM-DD HH:MM:SS` in `timeZone` (default America/Los_Angeles,
 * the vendor's). Throws a `LiveAgentError` (`invalid_input`) for an invalid
 * or out-of-range `Date` or an unknown zone.
 */
export function toLiveAgentDateTime(date, timeZone = DEFAULT_ZONE) {
  const operation = "toLiveAgentDateTime";
  const t = seconds(date);
  if (Number.isNaN(t)) {
    throw new LiveAgentError(`${operation}: not a valid Date in the years 0001-9999: ${String(date)}`,
      { kind: "invalid_input", operation, retryable: false });
  }
  return format(t, zoneOrThrow(timeZone, operation));
}

/** For the wasm: the text of a `Date` input, or `undefined` when it has none. Never throws. */
export function formatForCore(date, timeZone) {
  try {
    const t = seconds(date);
    const zone = timeZone ?? DEFAULT_ZONE;
    return Number.isNaN(t) || !checkTimeZone(zone) ? undefined : format(t, zone);
  } catch {
    return undefined; // a hostile object (a Proxy that throws)
  }
}

/**
 * The instant that `text` (`YYYY-MM-DD HH:MM:SS`, wall clock in `timeZone`)
 * names, or `null` when it is not a valid datetime. A time skipped by a DST
 * change moves forward by the gap; a repeated one is its first occurrence.
 */
export function fromLiveAgentDateTime(text, timeZone = DEFAULT_ZONE) {
  const zone = zoneOrThrow(timeZone, "fromLiveAgentDateTime");
  const fields = TEXT.exec(typeof text === "string" ? text : "")?.slice(1).map(Number);
  if (fields === undefined || fields[0] < 1) return null;
  const local = utc(fields);
  // Out of range (month 13, February 30, 08:95:41): the fields do not survive the round trip.
  if (new Date(local).toISOString().slice(0, 19) !== text.replace(" ", "T")) return null;
  // At most one offset change lies within a day of any time (true of every
  // zone in the tz database): the offsets a day before and a day after give
  // every instant whose wall clock can read `local`.
  const before = offset(local - DAY, zone);
  const after = offset(local + DAY, zone);
  if (before === after) return new Date(local - before); // no change nearby: the common case
  const fits = [local - before, local - after].filter((t) => t + offset(t, zone) === local);
  // Both fit: the time repeats (fall back), take the first. None: it was
  // skipped (spring forward), read it with the offset in force before the gap.
  return new Date(fits.length > 0 ? Math.min(...fits) : local - before);
}
