// Small DOM helpers. Everything that comes from the server goes through
// text nodes (`h()` turns strings into text, never into markup).

/**
 * Creates an element. `attrs` keys: `class`, `text`, `on<event>` handlers,
 * `dataset` (object), boolean attributes (true/false) and plain attributes.
 * Children: nodes, strings (as text), arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Text of a possibly missing server value. */
export function show(value, empty = "—") {
  return value === undefined || value === null || value === "" ? empty : String(value);
}

/** A cell that shows a server value; muted dash when it is missing. */
export function cell(value, attrs = {}) {
  const missing = value === undefined || value === null || value === "";
  return h("td", { ...attrs, class: [attrs.class, missing && "muted"].filter(Boolean).join(" ") || null },
    show(value));
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether an API datetime `YYYY-MM-DD HH:MM:SS` names a real moment. */
export function isValidApiTime(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(value));
  if (!m) return false;
  const [, , mo, d, hh, mm, ss] = m.map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= (DAYS_IN_MONTH[mo - 1] ?? 0) && hh <= 23 && mm <= 59 && ss <= 59;
}

/**
 * A cell with an API datetime: the date, and the time on a second, quieter
 * line. Anything that is not a real `date time` (`08:95:41`) is shown as
 * sent and marked "not a valid time".
 */
export function dateCell(value, attrs = {}) {
  if (value === undefined || value === null || value === "") return h("td", { ...attrs, class: "date muted" }, "—");
  const text = String(value);
  if (!isValidApiTime(text)) {
    return h("td", { ...attrs, class: "date malformed", title: "The server sent a time that does not exist; shown as sent" },
      text, " ", h("span", { class: "malformed-tag" }, "not a valid time"));
  }
  const [date, time] = text.split(" ");
  return h("td", { ...attrs, class: "date" }, date, h("span", { class: "time" }, time));
}

/** Now as `HH:MM:SS`, for "loaded at" notes. */
export const clockTime = (date = new Date()) => date.toTimeString().slice(0, 8);

/** A full-width row with a message (empty list, loading, failure). */
export function messageRow(columns, text, cls = "empty") {
  return h("tr", { class: `message ${cls}` }, h("td", { colspan: columns }, text));
}

/** `YYYY-MM-DD` from a date input to the API's `YYYY-MM-DD HH:MM:SS`. */
export function apiDate(dateValue, endOfDay = false) {
  if (!dateValue) return undefined;
  return `${dateValue} ${endOfDay ? "23:59:59" : "00:00:00"}`;
}

/** The date part of an API datetime, for a date input. */
export function inputDate(apiValue) {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(apiValue ?? "");
  return m ? m[1] : "";
}

let ids = 0;
/** A unique id for label/control pairs. */
export const uid = (prefix = "f") => `${prefix}-${++ids}`;

/** A labelled form field: returns the wrapper; the control is `.control`. */
export function field(label, control, hint) {
  control.id ||= uid();
  const hintEl = hint ? h("small", { class: "hint", id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  const wrap = h("div", { class: "field" }, h("label", { for: control.id }, label), control, hintEl);
  wrap.control = control;
  return wrap;
}

/** A `<dt>`/`<dd>` pair; `node` replaces the text value when given. */
export function fact(label, value, node) {
  const missing = !node && (value === undefined || value === null || value === "");
  return [h("dt", {}, label), h("dd", { class: missing ? "muted" : null }, node ?? show(value))];
}

/**
 * Text with break opportunities after `.`, `@`, `/` and `-` (emails,
 * domains): long values wrap at those first, mid-word only when they must.
 */
export function breakable(text) {
  return String(text).split(/(?<=[.@/-])/).flatMap((part, i) => (i ? [h("wbr"), part] : [part]));
}
