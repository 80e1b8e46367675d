// Pieces used by both accounts and licenses: detail sections, add-on tables,
// the add-on picker, the max_agents editor, date-range checks.
import { h, cell, dateCell, show, messageRow, apiDate, inputDate, field, uid } from "./dom.js";
import { badge } from "./status.js";
import { confirmAction, showOutcome, clearOutcome, errorBlock } from "./ui.js";
import { attributeName } from "./labels.js";

/** An empty result slot: where an action's outcome appears. */
export const outcomeSlot = (cls = "") => h("div", { class: `outcome ${cls}`.trim(), tabindex: "-1", hidden: true });

/**
 * A card of the detail view: a heading and a body (loading problems are
 * told once for the whole detail: see `loadGroup`).
 */
export function section(title, cls = "") {
  const heading = h("h4", {}, title);
  const body = h("div", { class: "section-body" });
  const el = h("div", { class: `card section ${cls}`.trim() }, heading, body);
  return { el, heading, body };
}

/** Marks prices: exact text as sent; the currency is the contract's (the API names none). */
function priceCell(price) {
  const td = cell(price, { class: "num price", "data-label": "Price", title: "As sent by the API, in your contract's billing currency" });
  if (price !== undefined && price !== null && price !== "") td.append(h("span", { class: "currency" }, " contract currency"));
  return td;
}

/**
 * One error for a whole panel: its parts load on their own, and whatever
 * failed is told once in `slot`, with one Retry that loads those parts again.
 * `run(name, opts, again)` runs a read through `ctx.act` (no slot of its own).
 */
export function loadGroup(ctx, slot, what) {
  const failed = new Map(); // part name → { error, again }
  function draw() {
    if (!failed.size) return clearOutcome(slot);
    const parts = [...failed.keys()];
    const first = failed.values().next().value.error;
    const retry = h("button", { type: "button", class: "small", onclick: () => {
      const agains = [...failed.values()].map((f) => f.again);
      failed.clear();
      clearOutcome(slot);
      for (const again of agains) again();
    } }, "Retry");
    showOutcome(slot, "error", errorBlock(first, `Could not load ${what}: ${parts.join(", ")}`, { read: true }), { actions: [retry] });
  }
  return {
    async run(name, opts, again) {
      const res = await ctx.act({ ...opts, slot: null, read: true, focus: false });
      if (res.replaced) return res;
      if (res.ok) failed.delete(name);
      else if (!res.auth) failed.set(name, { error: res.error, again });
      draw();
      return res;
    },
    clear() {
      failed.clear();
      draw();
    },
  };
}

/** Whether a list of add-ons already holds this catalogue add-on (by id or name). */
export const sameAddon = (addon, id, name) =>
  addon.id === id || (typeof addon.name === "string" && typeof name === "string" && addon.name.toLowerCase() === name.toLowerCase());

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
 * the current variation first, nothing chosen at first (each is billed);
 * optional valid-to date (end of that day). Asks "Add X at Y to Z?" first,
 * warning when Z already has X; after a success the form is empty again.
 * `list(opts)` re-reads the add-ons (to tell whether an unknown outcome
 * landed); `existing()` is what is shown now; `target()` names the record.
 * Returns `{ el, slot, setVariation(id) }`.
 */
export function addonPicker(ctx, { variation, submit, added, list, existing, target }) {
  const select = h("select", { required: true });
  let current = variation;
  function fill() {
    const keep = select.value;
    const variations = [...ctx.variations].sort((a, b) => (b.id === current) - (a.id === current));
    select.replaceChildren(
      h("option", { value: "" }, ctx.variations.length ? "Choose an add-on…" : "The catalogue is not loaded"),
      ...variations.map((v) =>
        h("optgroup", { label: `${show(v.name)}${v.id === current ? " (current variation)" : ""}` },
          (v.addons ?? []).map((a) => h("option", { value: a.id ?? "", dataset: { name: show(a.name), price: show(a.price) } },
            `${show(a.name)} · ${show(a.price)}`)))));
    select.value = keep && [...select.options].some((o) => o.value === keep) ? keep : "";
    button.disabled = !ctx.variations.length;
  }
  const date = h("input", { type: "date" });
  const button = h("button", { type: "submit" }, "Add add-on");
  const error = h("p", { class: "field-error", hidden: true });
  const slot = outcomeSlot();
  fill();
  const form = h("form", { class: "add-form", novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    error.hidden = !!select.value;
    error.textContent = select.value ? "" : "Choose an add-on first.";
    select.setAttribute("aria-invalid", String(!select.value));
    if (!select.value) return select.focus();
    const addonId = select.value;
    const option = select.selectedOptions[0];
    const name = option?.dataset.name ?? addonId;
    const price = option?.dataset.price ?? "—";
    const validTo = apiDate(date.value, true);
    const who = target();
    const before = existing().filter((a) => sameAddon(a, addonId, name));
    const answer = await confirmAction({
      title: "Add add-on",
      message: `Add ${name} at ${price} (contract currency) to ${who}?${validTo ? ` Valid to ${validTo}.` : " No end date."}`,
      warning: before.length
        ? `${who} already has ${name}${before.length > 1 ? ` (${before.length} times)` : ""}: adding it again bills it again.`
        : null,
      confirmLabel: `Add ${name}`,
    });
    if (!answer) return;
    await ctx.act({
      slot, busy: [button], pending: `Adding ${name}`, title: "Add add-on failed",
      call: (opts) => submit({ addon_id: addonId, valid_to: validTo }, opts),
      verify: async (opts) => {
        const now = (await list(opts)).filter((a) => sameAddon(a, addonId, name));
        return now.length > before.length
          ? { landed: true, text: `${who} now has ${name} ${now.length === 1 ? "once" : `${now.length} times`}.` }
          : { landed: false, text: `${who} has no new ${name}.` };
      },
      done: async () => {
        select.value = "";
        date.value = "";
        await added();
        return `Added ${name} to ${who}${validTo ? `, valid to ${validTo}` : ""}.`;
      },
    });
  } },
  h("div", { class: "add-fields" },
    field("Add-on", select),
    field("Valid to (optional, end of day)", date),
    h("div", { class: "button-row" }, button)),
  error,
  h("p", { class: "hint" }, "Each add-on is billed. Prices are as the API sends them, in the billing currency of your reseller contract."),
  slot);
  select.addEventListener("change", () => { if (select.value) error.hidden = true; });
  return {
    el: form,
    slot,
    setVariation(id) {
      current = id;
      fill();
    },
  };
}

/**
 * Views and edits a numeric attribute (`max_agents`, shown as "Maximum
 * agents"). Its load reports to the panel's `group` (one error per panel).
 */
export function attributeEditor(ctx, { name, get, set, key, group }) {
  const label = attributeName(name);
  const input = h("input", { type: "number", min: "0", step: "1", required: true, inputmode: "numeric" });
  const current = h("p", { class: "attribute-value" }, "…");
  const button = h("button", { type: "submit" }, "Save");
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
      slot, busy: [button], pending: `Setting ${label.toLowerCase()}`, title: `Setting ${label.toLowerCase()} failed`,
      call: (opts) => set(value, opts),
      verify: async (opts) => {
        const now = (await get(opts)).value;
        return String(now) === value
          ? { landed: true, text: `${label} is ${value}.` }
          : { landed: false, text: `${label} is still ${show(now)}.` };
      },
      done: async () => {
        await refresh();
        return `${label} set to ${value}.`;
      },
    });
  } }, field(`New ${label.toLowerCase()}`, input), button);
  input.title = `Attribute ${name}`;

  async function refresh() {
    current.classList.add("loading");
    const res = await group.run(label.toLowerCase(), {
      busy: [], pending: `Loading ${label.toLowerCase()}`, key, title: `Loading ${label.toLowerCase()} failed`,
      call: (opts) => get(opts),
    }, refresh);
    current.classList.remove("loading");
    if (res.replaced) return;
    if (!res.ok) {
      current.textContent = res.cancelled ? "Not loaded (cancelled)." : "Not loaded.";
      current.className = "attribute-value failed";
      return;
    }
    current.className = "attribute-value";
    current.replaceChildren(h("span", { class: "big-number" }, show(res.value.value)),
      h("span", { class: "muted", title: `Attribute ${name}` }, ` ${label.toLowerCase()}`));
    input.value = res.value.value ?? "";
  }
  refresh();
  return h("div", {}, current, form, error, slot);
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
