/** What went wrong; see the package README for each kind. */
export type LiveAgentErrorKind =
  | "api"
  | "network"
  | "timeout"
  | "aborted"
  | "decode"
  | "invalid_input";

/** Every failure of a ResellerClient call rejects with this. The API key never appears in it. */
export declare class LiveAgentError extends Error {
  constructor(
    message: string,
    fields: {
      kind: LiveAgentErrorKind;
      operation: string;
      retryable?: boolean;
      status?: number;
      statuscode?: number;
      errormessage?: string;
      debugmessage?: string;
      body?: string;
    },
  );
  readonly name: "LiveAgentError";
  /** `"api"` (error envelope or HTTP error status), `"network"`, `"timeout"`, `"aborted"`, `"decode"` (body not as documented), `"invalid_input"` (caught before sending). */
  readonly kind: LiveAgentErrorKind;
  /** The JS method name of the call (`"getAccount"`). */
  readonly operation: string;
  /** Whether retrying may help: 502, 503, 504, network errors and timeouts. */
  readonly retryable: boolean;
  /** HTTP status, when a response came back. */
  readonly status: number | undefined;
  /** `statuscode` of the error envelope, when present. */
  readonly statuscode: number | undefined;
  /** `errormessage` of the error envelope, when present. */
  readonly errormessage: string | undefined;
  /** `debugmessage` of the error envelope, when present. */
  readonly debugmessage: string | undefined;
  /** For `"decode"`: the body as received. */
  readonly body: string | undefined;
}

export declare function makeError(...args: unknown[]): LiveAgentError;
