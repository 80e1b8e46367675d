// Pieces used by both accounts and licenses: detail sections, add-on tables,
// the add-on picker, the max_agents editor, date-range checks.
import { h, cell, dateCell, show, messageRow, apiDate, inputDate, field, uid } from "./dom.js";
import { badge } from "./status.js";

/** An empty result slot: where an action's outcome appears. */
export const outcomeSlot = (cls = "") => h("div", { class: `outcome ${cls}`.trim(), tabindex: "-1", hidden: true });

/**
 * A card of the detail view: a heading, a slot for loading problems, and a
 * body that is redrawn on reload (the slots and forms around it are not).
 */
export function section(title, cls = "") {
  const heading = h("h4", {}, title);
  const loadSlot = outcomeSlot("load-outcome");
  const body = h("div", { class: "section-body" });
  const el = h("div", { class: `card section ${cls}`.trim() }, heading, loadSlot, body);
  return { el, heading, loadSlot, body };
}

/** Marks prices: exact text as sent; the currency is the contract's. */
function priceCell(price) {
  return cell(price, { class: "num price", "data-label": "Price", title: "As sent by the API, in your billing currency" });
}

/**
 * The add-ons of an account or a license, with their validity. With
 * `validity(addon)`, each row gets the element it returns (a date form).
 */
export function addonTable(addons, { validity } = {}) {
  const head = ["Add-on", "Price", "Valid from", "Valid to", "License code", "Status"];
  if (validity) head.push("Change validity");
  return h("table", { class: "compact responsive addon-table" },
    h("caption", { class: "visually-hidden" }, "Add-ons; prices as sent by the API, in your billing currency"),
    h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col", class: t === "Price" ? "num" : null }, t)))),
    h("tbody", {}, addons.length ? addons.map((a) => h("tr", {},
      h("td", { class: "title-cell" }, show(a.name), h("div", { class: "muted small mono" }, show(a.id))),
      priceCell(a.price),
      dateCell(a.valid_from, { "data-label": "Valid from" }),
      a.valid_to ? dateCell(a.valid_to, { "data-label": "Valid to" }) : h("td", { class: "muted", "data-label": "Valid to" }, "no end"),
      cell(a.license_code, { class: "mono", "data-label": "License code" }),
      h("td", { "data-label": "Status" }, badge("AddonStatus", a.status)),
      validity ? h("td", { class: "wide-cell", "data-label": "Change validity" }, validity(a)) : null,
    )) : messageRow(head.length, "No add-ons.")));
}

/**
 * A valid-to form for one add-on row, with its own result slot. `slots`
 * keeps the slot of each row across redraws, so that a result stays next
 * to its row. `submit(addon, validTo, parts)` runs the change.
 */
export function validityForm(addon, { slots, submit }) {
  const key = addon.license_code ?? addon.id ?? "";
  const slot = slots.get(key) ?? outcomeSlot("row-outcome");
  slots.set(key, slot);
  const id = uid("validity");
  const errorId = `${id}-error`;
  const min = inputDate(addon.valid_from);
  const input = h("input", { id, type: "date", required: true, value: inputDate(addon.valid_to), min: min || null, "aria-describedby": errorId });
  const error = h("p", { class: "field-error", id: errorId, hidden: true });
  const button = h("button", { type: "submit", class: "small" }, "Save");
  const form = h("form", { class: "inline-form validity-form", novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    const problem = !input.value ? "Choose a date."
      : min && input.value < min ? `Must not be before the add-on's valid-from date (${min}).` : "";
    error.textContent = problem;
    error.hidden = !problem;
    input.setAttribute("aria-invalid", String(Boolean(problem)));
    if (problem) return input.focus();
    submit(addon, apiDate(input.value, true), { button, slot, input });
  } },
  h("label", { for: id, class: "visually-hidden" }, `New valid-to date of ${show(addon.name)} (${show(addon.license_code)})`),
  input, button);
  return h("div", { class: "validity" }, form, error, slot);
}

/**
 * A form to add an add-on from the catalogue: add-ons grouped by variation,
 * the current variation first; optional valid-to date (end of that day).
 * Returns `{ el, slot, setVariation(id) }`.
 */
export function addonPicker(ctx, { variation, submit, added }) {
  const select = h("select", { required: true });
  let current = variation;
  function fill() {
    const keep = select.value;
    const variations = [...ctx.variations].sort((a, b) => (b.id === current) - (a.id === current));
    select.replaceChildren(...variations.map((v) =>
      h("optgroup", { label: `${show(v.name)}${v.id === current ? " (current variation)" : ""}` },
        (v.addons ?? []).map((a) => h("option", { value: a.id ?? "", dataset: { name: show(a.name) } }, `${show(a.name)} · ${show(a.price)}`)))));
    if (keep && [...select.options].some((o) => o.value === keep)) select.value = keep;
    button.disabled = !ctx.variations.length;
  }
  const date = h("input", { type: "date" });
  const button = h("button", { type: "submit" }, "Add add-on");
  const slot = outcomeSlot();
  fill();
  const form = h("form", { class: "add-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    if (!select.value) return select.focus();
    const name = select.selectedOptions[0]?.dataset.name ?? select.value;
    const validTo = apiDate(date.value, true);
    await ctx.act({
      slot, busy: [button], pending: `Adding ${name}`, title: "Add add-on failed",
      call: (opts) => submit({ addon_id: select.value, valid_to: validTo }, opts),
      done: async () => {
        await added();
        return `Added ${name}${validTo ? `, valid to ${validTo}` : ""}.`;
      },
    });
  } },
  h("div", { class: "add-fields" },
    field("Add-on", select),
    field("Valid to (optional, end of day)", date),
    h("div", { class: "button-row" }, button)),
  h("p", { class: "hint" }, "Prices are as the API sends them, in the billing currency of your reseller contract."),
  slot);
  return {
    el: form,
    slot,
    setVariation(id) {
      current = id;
      fill();
    },
  };
}

/** Views and edits a numeric attribute (`max_agents`). */
export function attributeEditor(ctx, { label, get, set, key }) {
  const input = h("input", { type: "number", min: "0", step: "1", required: true, inputmode: "numeric" });
  const current = h("p", { class: "attribute-value" }, "…");
  const button = h("button", { type: "submit" }, "Save");
  const loadSlot = outcomeSlot("load-outcome");
  const slot = outcomeSlot();
  const error = h("p", { class: "field-error", hidden: true });
  const form = h("form", { class: "inline-form attribute-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    const problem = /^\d+$/.test(value) ? "" : "Enter a whole number, 0 or more.";
    error.textContent = problem;
    error.hidden = !problem;
    input.setAttribute("aria-invalid", String(Boolean(problem)));
    if (problem) return input.focus();
    await ctx.act({
      slot, busy: [button], pending: `Setting ${label}`, title: `Setting ${label} failed`,
      call: (opts) => set(value, opts),
      done: async () => {
        await refresh();
        return `${label} set to ${value}.`;
      },
    });
  } }, field(`New ${label}`, input), button);

  async function refresh() {
    current.classList.add("loading");
    const res = await ctx.act({
      slot: loadSlot, busy: [], pending: `Loading ${label}`, focus: false, key, title: `Loading ${label} failed`,
      call: (opts) => get(opts),
    });
    current.classList.remove("loading");
    if (res.replaced) return;
    if (!res.ok) {
      current.textContent = res.cancelled ? "Not loaded (cancelled)." : "Could not load.";
      current.className = "attribute-value failed";
      return;
    }
    current.className = "attribute-value";
    current.replaceChildren(h("span", { class: "big-number" }, show(res.value.value)), h("span", { class: "muted" }, ` ${label}`));
    input.value = res.value.value ?? "";
  }
  refresh();
  return h("div", {}, loadSlot, current, form, error, slot);
}

/**
 * Checks a from/to pair of date inputs: "to" may not be before "from".
 * Keeps `min`/`max` in step and shows the problem in `errorEl`.
 * Returns a function that says whether the pair is valid (and focuses).
 */
export function dateRange(fromInput, toInput, errorEl, what) {
  const sync = () => {
    toInput.min = fromInput.value || "";
    fromInput.max = toInput.value || "";
    if (!errorEl.hidden) check(false);
  };
  fromInput.addEventListener("change", sync);
  toInput.addEventListener("change", sync);
  function check(focus = true) {
    const bad = fromInput.value && toInput.value && toInput.value < fromInput.value;
    errorEl.textContent = bad ? `${what}: the end (${toInput.value}) is before the start (${fromInput.value}).` : "";
    errorEl.hidden = !bad;
    toInput.setAttribute("aria-invalid", String(Boolean(bad)));
    if (bad && focus) toInput.focus();
    return !bad;
  }
  return check;
}

/**
 * Keeps an eye on a box that may scroll sideways: when its content is wider,
 * the hint shows and the box becomes a focusable region (keyboard scrolling).
 */
export function watchOverflow(box, hint, label) {
  const check = () => {
    const over = box.scrollWidth > box.clientWidth + 1;
    if (hint) hint.hidden = !over;
    if (over) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${label} (scrolls sideways)`);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  };
  const sizes = new ResizeObserver(check);
  sizes.observe(box);
  const watchChildren = () => {
    for (const child of box.children) sizes.observe(child);
    check();
  };
  new MutationObserver(watchChildren).observe(box, { childList: true });
  watchChildren();
}

/** A box for a table in a detail card: scrolls inside itself if it must. */
export function tableBox(label) {
  const box = h("div", { class: "table-scroll" });
  const hint = h("p", { class: "scroll-hint", hidden: true }, "Wider than its card: scroll it sideways.");
  watchOverflow(box, hint, label);
  const el = h("div", {}, box, hint);
  el.box = box;
  return el;
}
