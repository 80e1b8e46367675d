// Pieces used by both accounts and licenses: add-on tables, the add-on
// picker, and the max_agents attribute editor.
import { h, cell, dateCell, show, messageRow, apiDate, inputDate, field, uid } from "./dom.js";
import { badge } from "./status.js";
import { run, showNotice } from "./ui.js";

/**
 * The add-ons of an account or a license, with their validity. With
 * `onValidity(addon, validTo, button)`, each row gets a date input to change it.
 */
export function addonTable(addons, { onValidity } = {}) {
  const head = ["Add-on", "Price", "Valid from", "Valid to", "License code", "Status"];
  if (onValidity) head.push("Change validity");
  return h("table", { class: "compact" },
    h("thead", {}, h("tr", {}, head.map((t) => h("th", { scope: "col", class: t === "Price" ? "num" : null }, t)))),
    h("tbody", {}, addons.length ? addons.map((a) => h("tr", {},
      h("td", {}, show(a.name), h("div", { class: "muted small mono" }, show(a.id))),
      cell(a.price, { class: "num price" }),
      dateCell(a.valid_from),
      a.valid_to ? dateCell(a.valid_to) : h("td", { class: "muted" }, "no end"),
      cell(a.license_code, { class: "mono" }),
      h("td", {}, badge("AddonStatus", a.status)),
      onValidity ? h("td", {}, validityForm(a, onValidity)) : null,
    )) : messageRow(head.length, "No add-ons.")));
}

function validityForm(addon, onValidity) {
  const id = uid("validity");
  const input = h("input", { id, type: "date", required: true, value: inputDate(addon.valid_to) });
  const button = h("button", { type: "submit", class: "small" }, "Save");
  return h("form", { class: "inline-form", onsubmit: (e) => {
    e.preventDefault();
    onValidity(addon, apiDate(input.value, true), button);
  } },
  h("label", { for: id, class: "visually-hidden" }, `New valid-to date of ${show(addon.name)} (${show(addon.license_code)})`),
  input, button);
}

/**
 * A form to add an add-on from the catalogue: add-ons grouped by variation,
 * `preferVariation` first; optional valid-to date (end of that day).
 */
export function addonPicker(ctx, { preferVariation, submit, busy, after }) {
  const variations = [...ctx.variations].sort((a, b) =>
    (b.id === preferVariation) - (a.id === preferVariation));
  const select = h("select", { required: true },
    variations.map((v) => h("optgroup", { label: `${show(v.name)}${v.id === preferVariation ? " (current variation)" : ""}` },
      (v.addons ?? []).map((a) =>
        h("option", { value: a.id ?? "" }, `${show(a.name)} · ${show(a.price)}`)))));
  const date = h("input", { type: "date" });
  const button = h("button", { type: "submit" }, "Add add-on");
  if (!ctx.variations.length) button.disabled = true;
  return h("form", { class: "add-form", onsubmit: async (e) => {
    e.preventDefault();
    const name = select.selectedOptions[0]?.textContent ?? select.value;
    const done = await run([button, busy], () => submit({ addon_id: select.value, valid_to: apiDate(date.value, true) }));
    if (done) {
      showNotice(`Added ${name}.`);
      await after();
    }
  } },
  field("Add-on", select),
  field("Valid to (optional, end of day)", date),
  button);
}

/** Views and edits a numeric attribute (`max_agents`). */
export function attributeEditor({ label, busy, get, set }) {
  const input = h("input", { type: "number", min: "0", step: "1", required: true, inputmode: "numeric" });
  const current = h("p", { class: "attribute-value" }, "…");
  const button = h("button", { type: "submit" }, "Save");
  const form = h("form", { class: "inline-form attribute-form", onsubmit: async (e) => {
    e.preventDefault();
    const done = await run([button, busy], () => set(input.value.trim()));
    if (done) {
      showNotice(`${label} set to ${input.value.trim()}.`);
      await refresh();
    }
  } }, field(`New ${label}`, input), button);

  async function refresh() {
    current.classList.add("loading");
    const res = await run(busy, get);
    current.classList.remove("loading");
    if (!res) {
      current.textContent = "Could not load.";
      current.className = "attribute-value failed";
      return;
    }
    current.className = "attribute-value";
    current.replaceChildren(h("span", { class: "big-number" }, show(res.value)), h("span", { class: "muted" }, ` ${label}`));
    input.value = res.value ?? "";
  }
  refresh();
  return h("div", {}, current, form);
}
