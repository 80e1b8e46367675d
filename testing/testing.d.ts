// liveagent-reseller/testing: the sandbox's rules in memory, for tests
// and offline development. README: "Testing without a server".

/** Settings of `createSandbox`, as the `sandbox` server's flags. */
export interface SandboxOptions {
  /** Generated accounts added to the vendor's example records (`--seed-accounts`). Default 0. */
  seedAccounts?: number;
  /** Seed of new ids and of the fail-rate coin (`--seed`). Default 0: the same ids every run. */
  seed?: number | bigint;
  /** Delay added to every API answer, at most 300000 (`--latency-ms`). Default 0. */
  latencyMs?: number;
  /** Share 0..1 of API requests answered 503 with `Retry-After: 1` (`--fail-rate`). Default 0. */
  failRate?: number;
  /** A fixed clock (`--now`): a Date, milliseconds since 1970, or a function giving either. Default: the host's clock. */
  now?: Date | number | (() => Date | number);
  /** The reseller identifier accepted. Default `"reseller@example.com"`. */
  reseller?: string;
  /** The API key accepted. Default `"sandbox-api-key"`. */
  apiKey?: string;
  /** The API root the sandbox answers under. Default `"https://sandbox.liveagent-reseller.invalid/api"`. */
  baseUrl?: string;
  /** The rules' .wasm where the entry cannot find it itself (workerd: `import wasm from "liveagent-reseller/sandbox_rules.wasm"`). */
  wasm?: WebAssembly.Module | BufferSource | URL | string | Response;
}

/** A fault rule: which API requests it answers in place of the API, and how. */
export interface FaultRule {
  /** Only this call, by the client's method name (`"getAccount"`). */
  operation?: string;
  /** Only requests whose raw path contains this text. */
  pathContains?: string;
  /** HTTP status to answer with (200-599); 200 without `body` only delays. Default 503. */
  status?: number;
  /** How many matching requests it applies to. Default 1. */
  times?: number;
  /** `Retry-After` value (seconds or an HTTP date). */
  retryAfter?: number | string;
  /** Delay before answering, at most 300000. */
  delayMs?: number;
  /** Raw body to send instead of the error envelope. */
  body?: string;
  /** `Content-Type` of `body` (default `application/json`). */
  contentType?: string;
  /** `"503_burst"`, `"slow"`, `"hang"` or `"wrong_key"`; fields given beside it win. */
  preset?: "503_burst" | "slow" | "hang" | "wrong_key";
}

/** An API request as received (every `apikey` value shown as `[redacted]`). */
export interface ReceivedRequest {
  method: string;
  /** Raw path, percent-encoded as sent. */
  path: string;
  /** Raw query string ("" when none). */
  query: string;
  /** Raw body; `null` when it was not read (too large). */
  body: string | null;
  /** Whether `body` was cut at 64 KiB. */
  bodyTruncated: boolean;
  contentType: string | null;
}

export interface Sandbox {
  /** For `new ResellerClient(sandbox.config)`: a `fetch` that never touches the network. */
  readonly config: {
    baseUrl: string;
    reseller: string;
    apiKey: string;
    fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  };
  /** Resolves once the rules are loaded (already in Node, Deno and Bun; browsers fetch the .wasm first). */
  readonly ready: Promise<void>;
  /** A `Request` in, a `Response` out (MSW handlers, service workers): the API under `baseUrl`, and `/_sandbox/*` at its origin. */
  handle(request: Request): Promise<Response>;
  /** Registers a fault rule; a bad one throws a TypeError naming the problem (in a browser before `ready`, from the next `fault`, `requests` or `reset`). */
  fault(rule: FaultRule): void;
  /** The API requests received, oldest first (the last 200). */
  requests(filter?: { pathContains?: string }): ReceivedRequest[];
  /** Back to the seeded records (the same ids again), no fault rules, an empty request log. */
  reset(): void;
}

/** A sandbox in memory with the `sandbox` server's rules. */
export function createSandbox(options?: SandboxOptions): Sandbox;
