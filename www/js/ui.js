// Page furniture: error banners, loading states, the confirm dialog, tabs.
import { LiveAgentError } from "/pkg/index.js";
import { h, $ } from "./dom.js";

// ---- error banners ----------------------------------------------------------

/** Shows a failure in a dismissable banner: the error's kind and message. */
export function showError(err) {
  const isPkg = err instanceof LiveAgentError;
  const kind = isPkg ? err.kind : (err?.name ?? "error");
  const facts = [
    err?.status ? `HTTP ${err.status}` : null,
    err?.statuscode !== undefined && err?.statuscode !== null && err.statuscode !== err.status
      ? `statuscode ${err.statuscode}` : null,
    isPkg && err.retryable ? "retryable" : null,
  ].filter(Boolean);
  const host = $("#banners");
  // The same failure of several calls at once (a wrong key fails them all)
  // is one banner that names the other calls.
  const key = [kind, err?.status ?? "", err?.statuscode ?? "", err?.errormessage ?? err?.message].join("|");
  const same = [...host.querySelectorAll(".banner[role=alert]")].find((b) => b.dataset.key === key);
  if (same && isPkg && err.operation) {
    const also = same.querySelector(".banner-also");
    const ops = new Set((also.dataset.ops || "").split(",").filter(Boolean));
    ops.add(err.operation);
    also.dataset.ops = [...ops].join(",");
    also.textContent = `Also failed the same way: ${[...ops].join(", ")}.`;
    also.hidden = false;
    return same;
  }
  const dismiss = h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss this error" }, "×");
  const banner = h("div", { class: "banner", role: "alert", dataset: { kind, key } },
    h("div", { class: "banner-body" },
      h("p", { class: "banner-title" },
        h("span", { class: "kind" }, kind),
        facts.length ? h("span", { class: "facts" }, facts.join(" · ")) : null),
      h("p", { class: "banner-message" }, err?.message ?? String(err)),
      h("p", { class: "banner-also", hidden: true })),
    dismiss);
  dismiss.addEventListener("click", () => {
    const next = banner.nextElementSibling ?? banner.previousElementSibling;
    banner.remove();
    (next?.querySelector("button") ?? $("#main"))?.focus?.();
  });
  host.prepend(banner);
  // Keep the stack short: the log below keeps the history.
  while (host.children.length > 4) host.lastElementChild.remove();
  return banner;
}

export function clearErrors() {
  $("#banners").replaceChildren();
}

// ---- loading states ---------------------------------------------------------

/**
 * Runs `fn` while `targets` (buttons, sections, tables) show a loading state.
 * Failures go to a banner; resolves to the value, or `undefined` on failure.
 */
export async function run(targets, fn) {
  const els = (Array.isArray(targets) ? targets : [targets]).filter(Boolean);
  for (const el of els) {
    el.setAttribute("aria-busy", "true");
    el.classList.add("is-busy");
    if (el instanceof HTMLButtonElement) {
      el.dataset.wasDisabled = el.disabled ? "1" : "";
      el.disabled = true;
    }
  }
  try {
    return await fn();
  } catch (err) {
    if (err?.kind !== "aborted") showError(err);
    return undefined;
  } finally {
    for (const el of els) {
      el.removeAttribute("aria-busy");
      el.classList.remove("is-busy");
      if (el instanceof HTMLButtonElement) el.disabled = el.dataset.wasDisabled === "1";
    }
  }
}

// ---- confirm dialog -----------------------------------------------------------

/**
 * Asks for confirmation in the page's `<dialog>`. With `note`, asks for a
 * (required) note too. Resolves to `{ note }` when confirmed, `null` otherwise.
 */
export function confirmAction({ title, message, confirmLabel = "Confirm", danger = false, note = null }) {
  const dialog = $("#confirm-dialog");
  $("#confirm-title", dialog).textContent = title;
  $("#confirm-message", dialog).textContent = message;
  const noteField = $("#confirm-note-field", dialog);
  const noteInput = $("#confirm-note", dialog);
  noteField.hidden = !note;
  noteInput.required = !!note;
  noteInput.value = "";
  if (note) $("label", noteField).textContent = note;
  const ok = $("#confirm-ok", dialog);
  ok.textContent = confirmLabel;
  ok.classList.toggle("danger", danger);
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok" ? { note: noteInput.value.trim() } : null);
    }, { once: true });
    dialog.showModal();
    (note ? noteInput : $("#confirm-cancel", dialog)).focus();
  });
}

// ---- tabs -------------------------------------------------------------------

/** WAI-ARIA tabs: click, arrows, Home/End; returns `select(name)`. */
export function initTabs(tablist, onSelect = () => {}) {
  const tabs = [...tablist.querySelectorAll('[role="tab"]')];
  const select = (tab, focus = false) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    onSelect(tab.dataset.tab);
  };
  tablist.addEventListener("click", (e) => {
    const tab = e.target.closest('[role="tab"]');
    if (tab) select(tab);
  });
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length], true);
  });
  return (name, focus = false) => select(tabs.find((t) => t.dataset.tab === name), focus);
}

/** A dismissable success notice in the banner area (polite, not an alert). */
export function showNotice(text) {
  const host = $("#banners");
  const dismiss = h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss this notice" }, "×");
  const notice = h("div", { class: "banner notice", role: "status" },
    h("div", { class: "banner-body" }, h("p", { class: "banner-message" }, text)),
    dismiss);
  dismiss.addEventListener("click", () => notice.remove());
  for (const old of host.querySelectorAll(".notice")) old.remove();
  host.prepend(notice);
  setTimeout(() => notice.remove(), 6000);
  return notice;
}
