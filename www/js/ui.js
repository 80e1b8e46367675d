// Page furniture: actions with their results next to the control that
// started them, elapsed time and Cancel, the confirm dialog, tabs.
import { h, $ } from "./dom.js";
import { METHODS } from "./calls.js";

// ---- elapsed time ------------------------------------------------------------

const clocks = new Set();
let ticker = 0;

/** Text of a duration: "850 ms", "1.2 s", "31 s". */
export function duration(ms) {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 1000)} s`;
}

/** A running clock's text: tenths of a second, so that it visibly moves. */
const ticking = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : duration(ms));

/** A `<span>` that counts up from now while it is in the page. */
export function elapsed(start = performance.now()) {
  const el = h("span", { class: "elapsed" }, "0.0 s");
  el.start = start;
  clocks.add(el);
  if (!ticker) {
    ticker = setInterval(() => {
      for (const t of clocks) {
        if (!t.isConnected && t.stopped) clocks.delete(t);
        else if (!t.stopped) t.textContent = ticking(performance.now() - t.start);
      }
      if (!clocks.size) {
        clearInterval(ticker);
        ticker = 0;
      }
    }, 100);
  }
  el.stop = () => {
    el.stopped = true;
    clocks.delete(el);
    return performance.now() - el.start;
  };
  return el;
}

// ---- errors as words -----------------------------------------------------------

const KIND_WORDS = {
  api: "The server refused the request",
  network: "The server could not be reached",
  timeout: "No answer in time",
  aborted: "Cancelled",
  decode: "The answer was not what the API documents",
  invalid_input: "Not sent: the input is not valid",
};

/**
 * Short facts of a failure: HTTP status, statuscode, retryable. A read
 * (`read`) can always be asked again, so its retryability is not a fact
 * worth showing.
 */
export function errorFacts(err, { read = false } = {}) {
  return [
    err?.status ? `HTTP ${err.status}` : null,
    err?.statuscode !== undefined && err?.statuscode !== null && err.statuscode !== err.status
      ? `statuscode ${err.statuscode}` : null,
    err?.kind && err.kind !== "aborted" && err.kind !== "invalid_input" && !read
      ? (err.retryable ? "retryable" : "not retryable") : null,
  ].filter(Boolean);
}

/**
 * Whether a failed call may have taken effect (API.md, `maybeApplied`): the
 * package's own answer when it gives one; else a POST, PUT or DELETE that
 * timed out, lost its connection or got a gateway's 502/504.
 */
export function maybeApplied(err) {
  if (typeof err?.maybeApplied === "boolean") return err.maybeApplied;
  if (!["POST", "PUT", "DELETE"].includes(METHODS[err?.operation])) return false;
  if (err?.kind === "timeout" || err?.kind === "network") return true;
  return err?.kind === "api" && (err.status === 502 || err.status === 504);
}

/** A rejected key or reseller id: a problem of the connection, not of one panel. */
export const isAuthError = (err) => err?.kind === "api" && (err.status === 401 || err.status === 403);

/** The server's own words when it sent some, else the package's message. */
export function errorText(err) {
  return err?.message ?? String(err);
}

/** What the server asked about waiting (`Retry-After`), in words. */
export function retryAfterText(err) {
  const ms = err?.retryAfterMs;
  if (typeof ms !== "number") return null;
  return `The server asked to wait ${duration(ms)} before trying again (Retry-After).`;
}

/** An error, drawn as a block: kind, facts, message, Retry-After. */
export function errorBlock(err, title, { read = false } = {}) {
  const kind = err?.kind ?? err?.name ?? "error";
  const facts = errorFacts(err, { read });
  const after = retryAfterText(err);
  return [
    h("p", { class: "result-title" },
      h("span", { class: "kind", dataset: { kind } }, kind),
      h("span", {}, title ?? KIND_WORDS[kind] ?? "Failed"),
      facts.length ? h("span", { class: "facts" }, facts.join(" · ")) : null),
    h("p", { class: "result-message" }, errorText(err)),
    after ? h("p", { class: "result-hint" }, after) : null,
  ];
}

// ---- actions -----------------------------------------------------------------

/** Keys of actions still running, so that a newer one can replace an older one. */
const running = new Map();

function setBusy(els, on) {
  for (const el of els) {
    if (on) {
      el.setAttribute("aria-busy", "true");
      el.classList.add("is-busy");
      if (el instanceof HTMLButtonElement) {
        el.dataset.wasDisabled = el.disabled ? "1" : "";
        el.disabled = true;
      }
    } else {
      el.removeAttribute("aria-busy");
      el.classList.remove("is-busy");
      if (el instanceof HTMLButtonElement) el.disabled = el.dataset.wasDisabled === "1";
    }
  }
}

function dismissButton(slot, label) {
  return h("button", {
    type: "button", class: "icon-button", "aria-label": label,
    onclick: () => {
      const back = slot.returnFocus;
      clearOutcome(slot);
      (back?.isConnected && !back.disabled ? back : $("#main")).focus();
    },
  }, "×");
}

/** Empties a result slot. */
export function clearOutcome(slot) {
  if (!slot) return;
  slot.replaceChildren();
  slot.hidden = true;
  delete slot.dataset.state;
}

/** Shows a result (success or notice) in `slot`; focuses it when `focus`. */
export function showOutcome(slot, state, content, { focus = false, actions = [] } = {}) {
  const role = state === "error" ? "alert" : "status";
  slot.replaceChildren(h("div", { class: `result result-${state}`, role },
    h("div", { class: "result-body" }, content),
    h("div", { class: "result-actions" }, actions, dismissButton(slot, state === "error" ? "Dismiss this error" : "Dismiss this message"))));
  slot.dataset.state = state;
  slot.hidden = false;
  if (focus) focusSlot(slot);
}

function focusSlot(slot) {
  slot.focus({ preventScroll: true });
  slot.scrollIntoView({ block: "nearest" });
}

/** Where a rejected key is reported (the connection form): set by the page. */
let authHandler = null;
export function onAuthError(fn) {
  authHandler = fn;
}

/**
 * Runs one call on behalf of the user and answers next to the control:
 *
 * - `slot`: the result element beside the control (pending state with the
 *   elapsed time and Cancel, then the success text or the error);
 * - `busy`: elements to mark busy (buttons are disabled meanwhile);
 * - `pending`: what is going on ("Adding the add-on");
 * - `call({ signal })`: starts the call;
 * - `done(value)`: may be async; returns the success text (or `{ text,
 *   actions }` with buttons for the result), or null for none;
 * - `failed(error)`: called on failure (after the slot shows it);
 * - `focus`: move focus to the result (true for actions the user started);
 * - `key`: a newer action with the same key cancels this one quietly;
 * - `signal`: an outer signal (the connection's) that also cancels it;
 * - `title`: what failed, for the error's heading ("Add add-on failed");
 * - `read`: a call that changes nothing: Retry is always offered;
 * - `verify({ signal })`: for a change whose outcome may be unknown
 *   (`maybeApplied`): finds out whether it landed and resolves to
 *   `{ landed: true | false, text, value }` (`value` goes to `done`).
 *
 * A rejected key is not shown here but where it is fixed (`onAuthError`).
 * Resolves to `{ ok, value, error, cancelled, auth, unknown }`.
 */
export async function action(opts) {
  const { slot, pending = "Working", call, done, failed, focus = true, key, signal: outer, title, tracker, read = false, verify } = opts;
  const busy = (Array.isArray(opts.busy) ? opts.busy : [opts.busy]).filter(Boolean);
  const returnFocus = opts.returnFocus ?? busy.find((b) => b instanceof HTMLButtonElement) ?? null;
  if (slot) slot.returnFocus = returnFocus;

  if (key && running.has(key)) running.get(key).abort("replaced");
  const controller = new AbortController();
  if (key) running.set(key, controller);
  const signals = [controller.signal, outer].filter(Boolean);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : controller.signal;

  const focusInside = () => {
    const active = document.activeElement;
    return Boolean(active && ((slot && slot.contains(active)) || active === returnFocus
      || busy.some((b) => b === active || b.contains(active))));
  };
  const focusLost = () => !document.activeElement || document.activeElement === document.body;

  // Pending: the elapsed time, what the attempt is doing, and Cancel.
  const clock = elapsed();
  const progress = h("span", { class: "progress" });
  const cancel = h("button", { type: "button", class: "small cancel", onclick: () => controller.abort("cancelled") }, "Cancel");
  // Only a control that is about to be disabled (or this slot) hands its focus over.
  const active = document.activeElement;
  const focusWasHere = Boolean(active && ((slot && slot.contains(active)) || active === returnFocus
    || busy.some((b) => b === active && b instanceof HTMLButtonElement)));
  if (slot) {
    slot.replaceChildren(h("div", { class: "result result-pending" },
      h("div", { class: "result-body" },
        h("p", { class: "pending-title" }, h("span", { class: "spinner", "aria-hidden": "true" }), `${pending}… `, clock, progress)),
      h("div", { class: "result-actions" }, cancel)));
    slot.dataset.state = "pending";
    slot.hidden = false;
  }
  setBusy(busy, true);
  // A disabled button drops the focus: keep it next to the control, on Cancel.
  if (slot && focusWasHere) cancel.focus();
  const unwatch = tracker?.watch(signal, (text) => { progress.textContent = text ? ` · ${text}` : ""; });

  let value, error;
  try {
    value = await call({ signal });
  } catch (err) {
    error = err;
  }
  unwatch?.();
  const ms = clock.stop();
  if (key && running.get(key) === controller) running.delete(key);
  const info = tracker?.callFor(signal) ?? null;
  // Focus moves to the result only if the user is still here (not typing elsewhere).
  let moveFocus = focus && (focusInside() || focusLost());
  let keepFocus = Boolean(slot && slot.contains(document.activeElement));
  const focusResult = () => moveFocus || keepFocus;

  // Replaced by a newer action with the same key, or the connection changed: say nothing.
  const reason = controller.signal.aborted ? controller.signal.reason : outer?.aborted ? "replaced" : null;
  if (error && reason === "replaced") {
    setBusy(busy, false);
    return { ok: false, error, cancelled: true, replaced: true };
  }
  const cancelled = error?.kind === "aborted" && (reason === "cancelled" || info?.cancelled);

  /** The success text (and buttons), with the retries it took when there were some. */
  let extraActions = [];
  const finish = async (result, prefix = "") => {
    const out = done ? await done(result) : null;
    let text = out && typeof out === "object" ? out.text : out;
    extraActions = (out && typeof out === "object" && out.actions) || [];
    if (text && info && info.attempts > 1 && !prefix) text = `${text} It took ${info.attempts} attempts (${info.trail}).`;
    return text ? `${prefix}${text}` : prefix || null;
  };

  if (!error) {
    let text = null;
    try {
      text = await finish(value);
    } catch (err) {
      error = err; // a follow-up failed: shown like the call's own failure
    }
    if (!error) {
      moveFocus = focus && (focusInside() || focusLost());
      keepFocus = Boolean(slot && slot.contains(document.activeElement));
      setBusy(busy, false);
      if (slot && text) {
        showOutcome(slot, "success", h("p", { class: "result-message" }, text), { focus: focusResult(), actions: extraActions });
      } else if (slot) {
        clearOutcome(slot);
        if (focusResult()) (returnFocus?.isConnected && !returnFocus.disabled ? returnFocus : $("#main")).focus();
      }
      return { ok: true, value };
    }
  }

  // The change may have landed (a timeout, a cut connection, a gateway's
  // 502/504, or Cancel after it was sent): find out, never resend blindly.
  const mutation = ["POST", "PUT", "DELETE"].includes(METHODS[error?.operation]);
  if (verify && (maybeApplied(error) || (cancelled && mutation && info?.sent))) {
    const why = cancelled ? "it was cancelled after it was sent" : error?.kind === "api" ? `HTTP ${error.status}` : error?.kind;
    return settleUnknown({ why });
  }

  setBusy(busy, false);
  if (isAuthError(error) && authHandler) {
    if (slot) clearOutcome(slot);
    authHandler(error);
    failed?.(error);
    return { ok: false, error, auth: true };
  }
  if (cancelled) {
    if (slot) {
      showOutcome(slot, "cancelled",
        h("p", { class: "result-message" }, `Cancelled after ${duration(ms)}. Nothing more will be sent for it.`),
        { focus: focusResult(), actions: [retryButton()] });
    }
    return { ok: false, error, cancelled: true };
  }
  if (slot) {
    const canRetry = read || error?.retryable || (!mutation && ["network", "timeout", "aborted"].includes(error?.kind));
    showOutcome(slot, "error", errorBlock(error, title, { read }), {
      focus: focusResult(),
      actions: canRetry ? [retryButton()] : [],
    });
  }
  failed?.(error);
  return { ok: false, error };

  function retryButton(label = "Retry") {
    return h("button", { type: "button", class: "small", onclick: () => action(opts) }, label);
  }

  /** Checks whether the change landed and says what was found. */
  async function settleUnknown({ why }) {
    if (slot) {
      slot.replaceChildren(h("div", { class: "result result-pending" },
        h("div", { class: "result-body" },
          h("p", { class: "pending-title" }, h("span", { class: "spinner", "aria-hidden": "true" }),
            `The outcome is unknown (${why}): checking whether it landed…`))));
      slot.dataset.state = "pending";
      slot.hidden = false;
    }
    let found = null;
    let checkError = null;
    try {
      found = await verify({ signal: outer ?? new AbortController().signal });
    } catch (err) {
      checkError = err;
    }
    setBusy(busy, false);
    const prefix = `The outcome was unknown (${why}), so the console checked: `;
    if (found?.landed === true) {
      let text;
      try {
        text = await finish(found.value, `${prefix}${found.text} `);
      } catch {
        text = `${prefix}${found.text}`;
      }
      if (slot) showOutcome(slot, "success", h("p", { class: "result-message" }, text), { focus: focusResult(), actions: extraActions });
      return { ok: true, value: found.value, unknown: true };
    }
    if (found?.landed === false) {
      if (slot) {
        showOutcome(slot, "notice", h("p", { class: "result-message" },
          `${prefix}${found.text} Nothing was changed, so sending it again is safe.`),
        { focus: focusResult(), actions: [retryButton("Send again")] });
      }
      failed?.(error);
      return { ok: false, error, unknown: true };
    }
    if (slot) {
      const again = h("button", { type: "button", class: "small", onclick: () => settleUnknown({ why }) }, "Check again");
      showOutcome(slot, "error", [
        h("p", { class: "result-title" }, h("span", {}, `Outcome unknown (${why})`)),
        h("p", { class: "result-message" },
          `The console could not find out whether it landed${found?.text ? `: ${found.text}` : ""}${checkError ? ` (${checkError.kind ?? "error"}: ${checkError.message ?? checkError})` : ""}. `
          + "Check again before sending it a second time."),
      ], { focus: focusResult(), actions: [again] });
    }
    failed?.(error);
    return { ok: false, error, unknown: true };
  }
}

// ---- confirm dialog -----------------------------------------------------------

/**
 * Asks for confirmation in the page's `<dialog>`. With `note`, asks for a
 * (required) note too; `warning` adds an emphasised line; `typed` asks the
 * user to type that text (a domain) before the confirm button works.
 * Resolves to `{ note }` when confirmed, `null` otherwise. Focus returns to
 * the element that had it.
 */
export function confirmAction({ title, message, warning = null, confirmLabel = "Confirm", danger = false, note = null, typed = null }) {
  const dialog = $("#confirm-dialog");
  const opener = document.activeElement;
  $("#confirm-title", dialog).textContent = title;
  $("#confirm-message", dialog).textContent = message;
  const warn = $("#confirm-warning", dialog);
  warn.textContent = warning ?? "";
  warn.hidden = !warning;
  const noteField = $("#confirm-note-field", dialog);
  const noteInput = $("#confirm-note", dialog);
  noteField.hidden = !note;
  noteInput.required = !!note;
  noteInput.value = "";
  if (note) $("label", noteField).textContent = note;
  const typeField = $("#confirm-type-field", dialog);
  const typeInput = $("#confirm-type", dialog);
  typeField.hidden = !typed;
  typeInput.value = "";
  if (typed) $("label", typeField).textContent = `Type ${typed} to confirm`;
  const ok = $("#confirm-ok", dialog);
  ok.textContent = confirmLabel;
  ok.classList.toggle("danger", danger);
  const sync = () => {
    ok.disabled = Boolean((typed && typeInput.value.trim() !== typed) || (note && !noteInput.value.trim()));
  };
  sync();
  typeInput.addEventListener("input", sync);
  noteInput.addEventListener("input", sync);
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      typeInput.removeEventListener("input", sync);
      noteInput.removeEventListener("input", sync);
      if (opener?.isConnected) opener.focus();
      resolve(dialog.returnValue === "ok" ? { note: noteInput.value.trim() } : null);
    }, { once: true });
    dialog.showModal();
    (note ? noteInput : typed ? typeInput : $("#confirm-cancel", dialog)).focus();
  });
}

// ---- tabs -------------------------------------------------------------------

/** WAI-ARIA tabs: click, arrows, Home/End; returns `select(name, focus)`. */
export function initTabs(tablist, onSelect = () => {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus = false, user = false) => {
    if (!tab) return;
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    onSelect(tab.dataset.tab, user);
  };
  tablist.addEventListener("click", (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) select(tab, false, true);
  });
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length], true, true);
  });
  return (name, focus = false) => select(tabs.find((t) => t.dataset.tab === name), focus, false);
}

// ---- connection-wide banner ------------------------------------------------------

/**
 * The one page-wide banner, for problems of the whole connection (server
 * unreachable, key rejected). A newer one replaces it. `null` removes it.
 */
export function connectionBanner(content, { actions = [] } = {}) {
  const host = $("#banners");
  if (!content) return void host.replaceChildren();
  const dismiss = h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss this notice",
    onclick: () => { host.replaceChildren(); $("#main").focus(); } }, "×");
  host.replaceChildren(h("div", { class: "banner", role: "alert" },
    h("div", { class: "banner-body" }, content),
    h("div", { class: "result-actions" }, actions, dismiss)));
}
