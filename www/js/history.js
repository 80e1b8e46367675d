// The status changes and notes this console sent for each account, with
// their times: kept in this browser (localStorage), per server and reseller.
// Nothing secret is stored: no key, only what the user typed as a note.
import { h, clockTime } from "./dom.js";

const MAX_PER_ACCOUNT = 50;
const keyOf = (scope, accountId) => `liveagent-console:history:${scope}:${accountId}`;

export function readHistory(scope, accountId) {
  try {
    const list = JSON.parse(localStorage.getItem(keyOf(scope, accountId)) ?? "[]");
    return Array.isArray(list) ? list.filter((e) => e && typeof e.change === "string") : [];
  } catch {
    return [];
  }
}

/** Adds `{ change, to, note, outcome }` with the time now. */
export function addHistory(scope, accountId, entry) {
  const now = new Date();
  const list = [...readHistory(scope, accountId), {
    ...entry,
    at: now.toISOString(),
    when: `${now.toISOString().slice(0, 10)} ${clockTime(now)}`,
  }].slice(-MAX_PER_ACCOUNT);
  try {
    localStorage.setItem(keyOf(scope, accountId), JSON.stringify(list));
  } catch {
    // Storage refused: the result slot still says what happened.
  }
}

/** The history as a list, newest first, under its own heading. */
export function historyList(entries) {
  const title = h("h5", { class: "history-title" }, "Sent from this console");
  if (!entries.length) return h("div", {}, title, h("p", { class: "muted small" }, "No status change sent from this browser yet."));
  return h("div", {}, title, h("ol", { class: "history-list", reversed: true },
    [...entries].reverse().map((e) => h("li", {},
      h("time", { datetime: e.at, class: "mono small" }, e.when), " ",
      h("strong", {}, e.change),
      e.outcome && e.outcome !== "done" ? h("span", { class: "muted" }, ` (${e.outcome})`) : null,
      e.note ? h("span", { class: "history-note" }, ` · Note: ${e.note}`) : null))));
}
