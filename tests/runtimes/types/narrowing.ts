// Strict type checks, compiled (not run) by readme.test.mjs for bundlers and
// Node with strict and exactOptionalPropertyTypes: `kind` narrows a
// LiveAgentError (`status` is a `number` for "api"), the date helpers have
// their declared types, and every entry has the same names. Each line after an
// expect-error directive must fail to compile (readme.test.mjs checks both ways).
import {
  LiveAgentError, ResellerClient, fromLiveAgentDateTime, toLiveAgentDateTime, type LiveAgentDateTime,
} from "liveagent-reseller";
import * as inline from "liveagent-reseller/inline";
import * as manual from "liveagent-reseller/manual";

export function describe(error: unknown): string {
  if (!(error instanceof LiveAgentError)) return String(error);
  // @ts-expect-error before narrowing, `status` may be undefined
  const unknownStatus: number = error.status;
  if (error.kind === "api") {
    const status: number = error.status; // narrowed: a number
    const code: number | undefined = error.statuscode;
    return `HTTP ${status.toFixed(0)} ${code ?? "-"} ${unknownStatus}`;
  }
  if (error.kind === "decode") {
    const body: string = error.body; // a decode error always has its body
    return body;
  }
  if (error.kind === "network" || error.kind === "timeout" || error.kind === "aborted") {
    const none: undefined = error.status;
    // @ts-expect-error no HTTP status without a response
    const status: number = error.status;
    return `${error.kind} ${none} ${status}`;
  }
  const kind: "invalid_input" = error.kind;
  return kind;
}

export function exhaustive(error: LiveAgentError): number {
  switch (error.kind) {
    case "api":
    case "decode":
      return error.status;
    case "network":
    case "timeout":
    case "aborted":
    case "invalid_input":
      return 0;
    default:
      return error satisfies never;
  }
}

export function dates(client: ResellerClient, date: Date): Array<string | null> {
  const text: LiveAgentDateTime = toLiveAgentDateTime(date);
  const berlin: LiveAgentDateTime = toLiveAgentDateTime(date, "Europe/Berlin");
  const plain: string = text; // a LiveAgentDateTime is a string
  const back: Date | null = fromLiveAgentDateTime(text);
  const absent: Date | null = fromLiveAgentDateTime(undefined, "America/Los_Angeles");
  // @ts-expect-error any string is not a LiveAgentDateTime
  const notText: LiveAgentDateTime = "yesterday";
  // @ts-expect-error the result may be null
  const notNull: Date = fromLiveAgentDateTime(text);
  // @ts-expect-error toLiveAgentDateTime takes a Date, not text
  toLiveAgentDateTime("2024-01-01 00:00:00");
  void client, notText, notNull;
  return [berlin, plain, back?.toISOString() ?? null, absent?.toISOString() ?? null];
}

// Every entry has the same names.
export const entries = [
  inline.ResellerClient, inline.LiveAgentError, inline.toLiveAgentDateTime, inline.fromLiveAgentDateTime,
  inline.valueSet, inline.init, inline.initSync,
  manual.ResellerClient, manual.LiveAgentError, manual.toLiveAgentDateTime, manual.fromLiveAgentDateTime,
  manual.valueSet, manual.init, manual.initSync,
];
export const inlineText: inline.LiveAgentDateTime = "2024-01-01 00:00:00";
