/** What went wrong; see the package README for each kind. */
export type LiveAgentErrorKind =
  | "api"
  | "network"
  | "timeout"
  | "aborted"
  | "decode"
  | "invalid_input";

/** What every `LiveAgentError` has, whatever its kind. The API key never appears in it. */
interface LiveAgentErrorBase extends Error {
  readonly name: "LiveAgentError";
  /** `"api"` (error envelope or HTTP error status), `"network"`, `"timeout"`, `"aborted"`, `"decode"` (body not as documented), `"invalid_input"` (caught before sending). */
  readonly kind: LiveAgentErrorKind;
  /** The JS method name of the call (`"getAccount"`). */
  readonly operation: string;
  /** The call's id, the same as on its `onEvent` events (`undefined` for a config error). */
  readonly callId: string | undefined;
  /**
   * Whether sending the same call again is safe and may help. GET, PUT, DELETE: 429, 502, 503, 504,
   * network errors and per-attempt timeouts. POST: only 429 and 503 (the server says it did nothing) and
   * failures before anything was sent; never when the request may have reached the server.
   */
  readonly retryable: boolean;
  /**
   * `true` when the request may have taken effect although its outcome is unknown (a timeout, a
   * connection lost after sending, a body cut mid-read, a 502 or 504, a success whose body cannot be
   * read): find out before sending it again (README: "Did my createAccount land?"). `false` when
   * nothing was sent or the server's answer says what happened.
   */
  readonly maybeApplied: boolean;
  /** HTTP status, when a response came back. */
  readonly status: number | undefined;
  /** `statuscode` of the error envelope, when present. */
  readonly statuscode: number | undefined;
  /** `errormessage` of the error envelope, when present. */
  readonly errormessage: string | undefined;
  /** `debugmessage` of the error envelope, when present. */
  readonly debugmessage: string | undefined;
  /** The start of the response text (at most 4,096 characters, key scrubbed), for `"decode"` errors and `"api"` errors whose body is not the JSON envelope. */
  readonly body: string | undefined;
  /** The wait the server asked for (`Retry-After`), in ms. */
  readonly retryAfterMs: number | undefined;
}

/** The server said no: an error envelope (even under HTTP 200) or an HTTP error status. */
export interface LiveAgentApiError extends LiveAgentErrorBase {
  readonly kind: "api";
  readonly status: number;
}

/** The body is not what the docs say; `body` holds its start. */
export interface LiveAgentDecodeError extends LiveAgentErrorBase {
  readonly kind: "decode";
  readonly status: number;
  readonly body: string;
  readonly statuscode: undefined;
  readonly errormessage: undefined;
  readonly debugmessage: undefined;
}

/** No response: `cause` is what the host's fetch threw. */
export interface LiveAgentNetworkError extends LiveAgentErrorBase {
  readonly kind: "network";
  readonly status: undefined;
  readonly statuscode: undefined;
  readonly errormessage: undefined;
  readonly debugmessage: undefined;
  readonly body: undefined;
  readonly retryAfterMs: undefined;
  readonly cause: unknown;
}

/** An attempt outlived `timeoutMs`, or the caller's `AbortSignal.timeout()` fired (`cause`: its reason; not retried). */
export interface LiveAgentTimeoutError extends LiveAgentErrorBase {
  readonly kind: "timeout";
  readonly status: undefined;
  readonly statuscode: undefined;
  readonly errormessage: undefined;
  readonly debugmessage: undefined;
  readonly body: undefined;
  readonly retryAfterMs: undefined;
  readonly cause?: unknown;
}

/** The caller's signal aborted the call; `cause` is the signal's reason. */
export interface LiveAgentAbortedError extends LiveAgentErrorBase {
  readonly kind: "aborted";
  readonly status: undefined;
  readonly statuscode: undefined;
  readonly errormessage: undefined;
  readonly debugmessage: undefined;
  readonly body: undefined;
  readonly retryAfterMs: undefined;
  readonly cause?: unknown;
}

/** Caught before sending: a missing, unknown or malformed input. */
export interface LiveAgentInvalidInputError extends LiveAgentErrorBase {
  readonly kind: "invalid_input";
  readonly status: undefined;
  readonly statuscode: undefined;
  readonly errormessage: undefined;
  readonly debugmessage: undefined;
  readonly body: undefined;
  readonly retryAfterMs: undefined;
}

/**
 * Every failure of a ResellerClient call rejects with this. `kind` narrows
 * it: after `if (error.kind === "api")`, `error.status` is a `number`.
 */
export type LiveAgentError =
  | LiveAgentApiError
  | LiveAgentDecodeError
  | LiveAgentNetworkError
  | LiveAgentTimeoutError
  | LiveAgentAbortedError
  | LiveAgentInvalidInputError;

/** The class behind every `LiveAgentError`, for `instanceof`. */
export declare const LiveAgentError: {
  new (
    message: string,
    fields: {
      kind: LiveAgentErrorKind;
      operation: string;
      retryable?: boolean;
      maybeApplied?: boolean;
      status?: number;
      statuscode?: number;
      errormessage?: string;
      debugmessage?: string;
      body?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ): LiveAgentError;
  readonly prototype: LiveAgentError;
};

export declare function makeError(...args: unknown[]): LiveAgentError;
