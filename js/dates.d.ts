/**
 * A datetime as the Reseller API writes it: `YYYY-MM-DD HH:MM:SS`, wall-clock
 * time in the server's zone (America/Los_Angeles for the vendor's servers).
 * Datetime inputs accept any `string` or a `Date`; this type is what
 * `toLiveAgentDateTime` returns.
 */
export type LiveAgentDateTime = `${number}-${number}-${number} ${number}:${number}:${number}`;

/**
 * `date` as `YYYY-MM-DD HH:MM:SS` in `timeZone` (an IANA name, default
 * `"America/Los_Angeles"`, the vendor's), DST as the host's `Intl` knows it.
 * Milliseconds are dropped.
 *
 * @throws {LiveAgentError} kind `"invalid_input"` for an invalid `Date`
 *   (`new Date("x")`), a year outside 0001-9999, or an unknown time zone.
 */
export declare function toLiveAgentDateTime(date: Date, timeZone?: string): LiveAgentDateTime;

/**
 * The instant that `text` (`YYYY-MM-DD HH:MM:SS`, wall clock in `timeZone`,
 * default `"America/Los_Angeles"`) names, or `null` when `text` is not a valid
 * datetime (`"2008-12-11 08:95:41"`, `"2024-02-30 10:00:00"`, `null`).
 *
 * Times a DST change skips or repeats are read as `Temporal`'s "compatible"
 * disambiguation does: a skipped time moves forward by the gap
 * (`"2024-03-10 02:30:00"` in Los Angeles is 03:30 PDT, `10:30Z`); a repeated
 * one is its first occurrence (`"2024-11-03 01:30:00"` is 01:30 PDT, `08:30Z`).
 *
 * @throws {LiveAgentError} kind `"invalid_input"` for an unknown time zone.
 */
export declare function fromLiveAgentDateTime(text: string | null | undefined, timeZone?: string): Date | null;

/** For the wasm: the text of a `Date` input in `timeZone`, or `undefined` when it has none. Never throws. */
export declare function formatForCore(date: unknown, timeZone?: string | null): LiveAgentDateTime | undefined;

/** Whether the host's `Intl` knows the IANA time zone `name`. */
export declare function checkTimeZone(name: unknown): boolean;
