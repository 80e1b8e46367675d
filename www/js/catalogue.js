// Catalogue: the reseller's variations with their add-ons and prices.
import { h, $, cell, show, messageRow } from "./dom.js";
import { clearOutcome } from "./ui.js";
import { timeNode } from "./labels.js";

/** A price as sent, with the currency it is in (the contract's: the API names none). */
function priceCell(price) {
  const td = cell(price, { class: "num price" });
  if (price !== undefined && price !== null && price !== "") td.append(h("span", { class: "currency" }, " contract currency"));
  return td;
}

export function setupCatalogue(ctx) {
  const host = $("#catalogue");
  const refresh = $("#catalogue-refresh");
  const slot = $("#catalogue-outcome");
  refresh.addEventListener("click", () => load({ user: true }));

  async function load({ user = false, signal } = {}) {
    if (!ctx.client) return { ok: false };
    const client = ctx.client;
    if (!ctx.variations.length) host.replaceChildren(h("p", { class: "loading" }, "Loading the catalogue…"));
    const res = await ctx.act({
      slot, busy: [host, refresh], pending: "Loading the catalogue", key: "catalogue", focus: user,
      signal, title: "Loading the catalogue failed", read: true,
      call: (opts) => client.listVariations(opts),
      done: (value) => {
        ctx.variations = value.variations ?? [];
        ctx.markLoaded();
        render();
        ctx.events.dispatchEvent(new Event("variations"));
        return null;
      },
    });
    if (!res.ok && !res.replaced && !ctx.variations.length) {
      host.replaceChildren(h("p", { class: "failed" }, res.cancelled ? "Not loaded (cancelled)." : "Could not load the catalogue."));
    }
    return res;
  }

  function render() {
    if (!ctx.variations.length) {
      host.replaceChildren(h("p", { class: "muted" }, "No variations."));
      return;
    }
    host.replaceChildren(...ctx.variations.map((v) => {
      const addons = v.addons ?? [];
      const titleId = `variation-${show(v.id, "x").replace(/[^\w-]/g, "_")}`;
      return h("article", { class: "card variation", "aria-labelledby": titleId },
        h("header", {},
          h("h3", { id: titleId }, show(v.name)),
          h("span", { class: "chip mono", title: "Variation id (the API's code for this plan)" }, show(v.id))),
        h("p", { class: "description" }, show(v.description, "No description.")),
        h("dl", { class: "facts inline" },
          h("dt", {}, "Product"), h("dd", {}, show(v.product)),
          h("dt", {}, "Created"), h("dd", { class: "date" }, timeNode(v.created)),
          h("dt", {}, "Plan price"), h("dd", { class: "muted" }, "not sent by the API (see your reseller contract)")),
        h("table", { class: "compact" },
          h("caption", { class: "visually-hidden" }, `Add-ons of ${show(v.name)}; prices in your billing currency`),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "Add-on"),
            h("th", { scope: "col" }, "Description"),
            h("th", { scope: "col", class: "num" }, "Price", h("sup", { "aria-hidden": "true" }, "*")))),
          h("tbody", {}, addons.length ? addons.map((a) => h("tr", {},
            h("td", {}, show(a.name), h("div", { class: "muted small mono" }, show(a.id))),
            cell(a.description, { class: "text" }),
            priceCell(a.price))) : messageRow(3, "No add-ons."))));
    }));
  }

  function reset(text = "Not loaded.") {
    ctx.variations = [];
    clearOutcome(slot);
    host.replaceChildren(h("p", { class: "muted" }, text));
    ctx.events.dispatchEvent(new Event("variations"));
  }

  return { load, reset };
}
