// The error every ResellerClient call rejects with. A plain JS class, so that
// it is a real `Error` (message, stack, instanceof, cause) in every host.

/** Every failure of a ResellerClient call. */
export class LiveAgentError extends Error {
  /**
   * @param {string} message
   * @param {{kind: string, operation: string, retryable?: boolean, maybeApplied?: boolean, status?: number,
   *   statuscode?: number, errormessage?: string, debugmessage?: string, body?: string,
   *   retryAfterMs?: number, cause?: unknown}} fields
   */
  constructor(message, fields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = "LiveAgentError";
    this.kind = fields.kind;
    this.operation = fields.operation;
    this.callId = fields.callId;
    this.retryable = fields.retryable === true;
    this.maybeApplied = fields.maybeApplied === true;
    this.status = fields.status;
    this.statuscode = fields.statuscode;
    this.errormessage = fields.errormessage;
    this.debugmessage = fields.debugmessage;
    this.body = fields.body;
    this.retryAfterMs = fields.retryAfterMs;
  }
}

// Keeps the name when the package is minified (inspect, stack traces).
Object.defineProperty(LiveAgentError, "name", { value: "LiveAgentError" });

/**
 * The LiveAgentError of a record the wasm wrote (one JSON text: message,
 * kind, operation, retryable, maybeApplied, status, statuscode,
 * errormessage, debugmessage, body, retryAfterMs), with the host's `cause`
 * attached here: it never enters the wasm.
 */
export function fromRecord(record, cause) {
  const fields = JSON.parse(record);
  return new LiveAgentError(fields.message, { ...fields, cause });
}
