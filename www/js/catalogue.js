// Catalogue: the reseller's variations with their add-ons and prices.
import { h, $, cell, show, messageRow } from "./dom.js";
import { run } from "./ui.js";

export function setupCatalogue(ctx) {
  const host = $("#catalogue");
  const refresh = $("#catalogue-refresh");
  refresh.addEventListener("click", () => load());

  async function load() {
    const client = ctx.client;
    if (!client) return false;
    if (!ctx.variations.length) host.replaceChildren(h("p", { class: "loading" }, "Loading the catalogue…"));
    const res = await run([host, refresh], () => client.listVariations());
    if (client !== ctx.client) return false;
    if (!res) {
      if (!ctx.variations.length) host.replaceChildren(h("p", { class: "failed" }, "Could not load the catalogue."));
      return false;
    }
    ctx.variations = res.variations ?? [];
    render();
    ctx.events.dispatchEvent(new Event("variations"));
    return true;
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
          h("span", { class: "chip mono", title: "Variation id" }, show(v.id))),
        h("p", { class: "description" }, show(v.description, "No description.")),
        h("dl", { class: "facts inline" },
          h("dt", {}, "Product"), h("dd", {}, show(v.product)),
          h("dt", {}, "Created"), h("dd", { class: "date" }, show(v.created))),
        h("table", { class: "compact" },
          h("caption", { class: "visually-hidden" }, `Add-ons of ${show(v.name)}`),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "Add-on"),
            h("th", { scope: "col" }, "Description"),
            h("th", { scope: "col", class: "num" }, "Price"))),
          h("tbody", {}, addons.length ? addons.map((a) => h("tr", {},
            h("td", {}, show(a.name), h("div", { class: "muted small mono" }, show(a.id))),
            cell(a.description),
            cell(a.price, { class: "num price" }))) : messageRow(3, "No add-ons."))));
    }));
  }

  return { load };
}
