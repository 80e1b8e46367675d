// Words for a business user in place of the API's codes: roles, user
// statuses, attributes, plans (the variation's name), prices and times. The
// code stays one hover away (title), and a value the console does not know
// is shown as sent, marked as such.
import { h, show, isValidApiTime } from "./dom.js";

export { isValidApiTime };

/** Role types of agents (the vendor's `role_type`). */
const ROLE_TYPES = {
  la_own: "Owner",
  la_adm: "Administrator",
  la_agt: "Agent",
};

/** User statuses (the vendor's one-letter `status` of a user). */
const USER_STATUSES = {
  A: "Active",
  I: "Inactive",
  D: "Deleted",
};

/** Account and license attributes the console edits. */
const ATTRIBUTES = {
  max_agents: "Maximum agents",
};

/** A label with its code on hover; an unknown code is said to be one. */
function coded(words, code, what) {
  if (code === undefined || code === null || code === "") return h("span", { class: "muted" }, "—");
  const word = Object.hasOwn(words, code) ? words[code] : null;
  return word
    ? h("span", { class: "coded", title: `${what} code: ${code}`, dataset: { code } }, word)
    : h("span", { class: "coded unknown", title: `${what} code not known to this console`, dataset: { code } }, `Unknown (${code})`);
}

export const roleLabel = (roleType, role) => {
  if (roleType && Object.hasOwn(ROLE_TYPES, roleType)) return coded(ROLE_TYPES, roleType, "Role");
  // No known role type: the role's own name, as the server wrote it.
  return role ? h("span", { title: roleType ? `Role code: ${roleType}` : null }, role) : coded(ROLE_TYPES, roleType, "Role");
};

export const userStatusLabel = (code) => coded(USER_STATUSES, code, "User status");

/** The name of an attribute (`max_agents` → "Maximum agents"). */
export const attributeName = (name) => ATTRIBUTES[name] ?? name;

/** The plan: the variation's name from the catalogue, its id on hover. */
export function planLabel(ctx, id) {
  if (!id) return h("span", { class: "muted" }, "—");
  const name = ctx.variationName(id);
  if (name) return h("span", { class: "coded plan", title: `Variation id: ${id}`, dataset: { code: id } }, name);
  const why = ctx.variations.length ? "not in your catalogue" : "catalogue not loaded";
  return h("span", { class: "coded plan unknown", title: `Variation id: ${id} (${why})`, dataset: { code: id } }, `Unknown plan (${id}, ${why})`);
}

/** A price as sent (exact text), named as the contract's currency. */
export const priceText = (price) => (price === undefined || price === null || price === "" ? "—" : `${price} (contract currency)`);

/**
 * A server time as sent; one that is no real moment (`08:95:41`) is marked
 * "not a valid time" instead of being shown as if it were one.
 */
export function timeNode(value, { block = false } = {}) {
  if (value === undefined || value === null || value === "") return h("span", { class: "muted" }, "—");
  const text = show(value);
  if (isValidApiTime(text)) {
    const [date, time] = text.split(" ");
    return h("span", { class: "when" }, date, h("span", { class: block ? "time" : "time inline" }, ` ${time}`));
  }
  return h("span", { class: "when malformed", title: "The server sent a time that does not exist; shown as sent" },
    text, " ", h("span", { class: "malformed-tag" }, "not a valid time"));
}
