// Status badges. Meanings come from the package's `valueSet()`, never from
// this page, so they stay in step with the documented value sets.
import { valueSet } from "/pkg/index.js";
import { h } from "./dom.js";

const cache = new Map();

/** `Map(code → meaning)` of a documented value set. */
export function meanings(setName) {
  if (!cache.has(setName)) cache.set(setName, new Map(valueSet(setName)));
  return cache.get(setName);
}

// Colour families by code, per value set (codes differ in case between sets).
const TONES = {
  account: {
    a: "ok", s: "warn", t: "off", n: "info", b: "bad", c: "info",
    r: "bad", m: "warn", p: "pending", d: "pending", u: "pending", v: "pending",
  },
  grant: { A: "ok", R: "off" },
};

const toneOf = (setName, code) =>
  (setName.startsWith("Account") || setName === "NewAccountStatus" ? TONES.account : TONES.grant)[code] ?? "unknown";

/** A coloured badge: the meaning, with the raw code beside it. */
export function badge(setName, code) {
  if (code === undefined || code === null || code === "") {
    return h("span", { class: "badge tone-unknown" }, "—");
  }
  const meaning = meanings(setName).get(code) ?? "Unknown code";
  // The code is drawn by CSS from data-code, so the text is the meaning alone.
  return h("span", { class: `badge tone-${toneOf(setName, code)}`, title: `${setName} "${code}": ${meaning}`, dataset: { code } },
    meaning);
}

/** A compact legend of every code of a value set; `current` is marked. */
export function legend(setName, current) {
  return h("ul", { class: "legend", "aria-label": `${setName} codes` },
    [...meanings(setName)].map(([code]) =>
      h("li", { class: code === current ? "current" : null, "aria-current": code === current ? "true" : null },
        badge(setName, code))));
}
