// How the .wasm reaches `WebAssembly`, for every entry (copied into pkg/;
// write-entries.mjs points the `./error.js` import at wasm-bindgen's snippet).
//
// `./loader.js` says how the entry obtains the .wasm: in the package it is the
// browsers' and bundlers' way (fetched next to the module, or its JavaScript
// form under a strict Content-Security-Policy); each bundled entry (Node,
// workerd, inline, manual, the CommonJS builds) has esbuild resolve it to its
// own. Nothing runs at import, so importing never fails and a bundler drops
// all of this when only the date helpers or `valueSet` are used. The first
// `new ResellerClient` calls `loadCore(checkConfig(config))`:
//   - loaded already (or loadable synchronously: workerd imported the
//     compiled module): a client (driver.js's `connect`: its `ClientCore` and
//     what stays in JS), at once;
//   - otherwise (browsers fetch it, Node, Deno and Bun read and compile it
//     after the constructor returns, `inline` compiles its embedded bytes, or
//     the synchronous load failed): a thenable of one, which the client's
//     calls await (see `pendingCore`). The config was checked in JS
//     (config.js) before: a bad one has thrown already; the wasm takes the
//     settings that check read and does not check them again.
// A load or compile failure is a `LiveAgentError` (kind "network", so
// retryable) naming the .wasm's URL and how to serve it, unless the loader
// threw its own or the page refuses WebAssembly (a CSP that leaves no form to
// run: not retryable); the calls
// that waited for that load reject with it, and the client's next call tries
// again. Nothing here is ever an unhandled rejection.
import glueInit, { ClientCore, initSync as glueInitSync } from "./liveagent_reseller.js";
import { LiveAgentError } from "./error.js";
import { connect } from "./driver.js";
import { compileRefused, cspRefusal } from "./fallback.js";
import { loader } from "./loader.js";

/** A client of checked `settings` (config.js, driver.js). */
const client = (settings) => connect(settings, (text) => new ClientCore(text));

/**
 * The entry's way to the .wasm (`./loader.js`):
 *   where()   the URL it is loaded from (or what it is), for messages
 *   sync(w)   instantiates it synchronously (workerd), or
 *   load(w)   instantiates it, returning a Promise (browsers, Node, inline, manual)
 *   manual    true: never loaded unless init() or initSync() is called
 */
let ready = false; // the wasm is instantiated
let pending; // Promise<void> while an asynchronous load runs

const quiet = (promise) => {
  promise.catch(() => {});
  return promise;
};

/** The LiveAgentError for a .wasm that could not be loaded from `where`. */
function failure(where, cause) {
  if (cause instanceof LiveAgentError) return cause;
  // What init() or initSync() was given, on a page that refuses to compile any
  // WebAssembly: trying again cannot help.
  if (compileRefused()) {
    return cspRefusal(`${where} cannot be compiled (import "liveagent-reseller", which falls back on its JavaScript form)`, cause);
  }
  const reason = String(cause?.message ?? cause).replace(/\s+/g, " ");
  return new LiveAgentError(
    `liveagent-reseller could not load its WebAssembly from ${where}: ${reason}. Serve the package's ` +
      "liveagent_reseller_bg.wasm there as application/wasm (copy it next to your bundle, or let your bundler " +
      'emit it as an asset), or import "liveagent-reseller/inline", which embeds it. See the README, "Bundlers".',
    { kind: "network", operation: "ResellerClient", retryable: true, cause },
  );
}

/** What init() was given, for messages: a URL, a Request's or Response's URL, or a description. */
const named = (source) => (typeof source === "string" ? source : source?.href ?? source?.url ?? "the module given to init()");

/** Starts (or joins) an asynchronous load; resolves when the wasm is ready. */
function loadAsync(source) {
  if (pending === undefined) {
    let where = source === undefined ? "./liveagent_reseller_bg.wasm" : named(source);
    pending = quiet((async () => {
      try {
        if (source === undefined) await loader.load((where = loader.where()));
        else await glueInit({ module_or_path: source });
        ready = true;
      } catch (error) {
        pending = undefined; // the next need tries again
        throw failure(where, error);
      }
    })());
  }
  return pending;
}

/** Instantiates synchronously with the entry's loader; throws a LiveAgentError. */
function loadSync() {
  let where = "./liveagent_reseller_bg.wasm";
  try {
    loader.sync((where = loader.where()));
    ready = true;
  } catch (error) {
    throw failure(where, error);
  }
}

/** The error of a client made, or called, while `manual`'s .wasm is not loaded. */
const notInitialised = (when) => new LiveAgentError(
  `liveagent-reseller/manual: call init() or initSync() with the .wasm ${when}`,
  { kind: "invalid_input", operation: "ResellerClient", retryable: false },
);

/** Resolves once the wasm is instantiated; rejects with a LiveAgentError. */
function loaded() {
  if (ready) return Promise.resolve();
  if (pending === undefined && loader.manual) {
    return Promise.reject(notInitialised("(again, if it failed) before calling a client made while it loaded"));
  }
  if (pending === undefined && loader.sync !== undefined) {
    return new Promise((resolve) => resolve(loadSync()));
  }
  return loadAsync();
}

/**
 * What a client holds until the wasm is loaded: a thenable of its ClientCore,
 * which each call awaits. The load starts now, unless `later` (the
 * constructor's own synchronous load has just failed: the first call tries
 * again). When a load fails, the calls waiting for it reject and the next
 * call starts another, so that a client made while offline works once the
 * .wasm can be fetched. Once the wasm is loaded the ClientCore is kept, and
 * the settings (and their key) let go.
 */
function pendingCore(settings, later = false) {
  let core;
  const start = () => {
    const loading = quiet(loaded());
    const attempt = quiet(loading.then(() => {
      const given = settings;
      settings = undefined;
      return client(given);
    }));
    // A failed load is forgotten.
    loading.catch(() => {
      if (core === attempt) core = undefined;
    });
    return (core = attempt);
  };
  if (!later) start();
  return {
    then(resolve, reject) {
      return (core ?? start()).then(resolve, reject);
    },
  };
}

/**
 * A ClientCore for the settings the constructor checked and read
 * (config.js `checkConfig`): the core itself when the wasm is (or can at
 * once be) loaded, else a thenable of it (see `pendingCore`).
 */
export function loadCore(settings) {
  if (ready) return client(settings);
  if (pending === undefined) {
    if (loader.manual) throw notInitialised("before creating a ResellerClient");
    if (loader.sync !== undefined) {
      try {
        loadSync();
      } catch {
        return pendingCore(settings, true);
      }
      return client(settings);
    }
  }
  return pendingCore(settings);
}

/**
 * Loads the .wasm (from `module_or_path`, else the entry's own way). Does
 * nothing once loaded; joins a load under way. Rejects with a LiveAgentError.
 */
export async function init(options) {
  if (ready) return;
  const source = options?.module_or_path;
  if (source === undefined && pending === undefined && loader.sync !== undefined) return loadSync();
  await loadAsync(source);
}

/** Loads the .wasm synchronously from bytes or a compiled module. Does nothing once loaded. */
export function initSync(options) {
  if (ready) return;
  if (pending !== undefined) {
    throw new LiveAgentError("initSync: init() is already loading the .wasm; await it instead",
      { kind: "invalid_input", operation: "initSync", retryable: false });
  }
  try {
    glueInitSync({ module: options?.module });
  } catch (error) {
    throw failure("the module given to initSync()", error);
  }
  ready = true;
}
