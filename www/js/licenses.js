// Licenses: the filtered list and the detail of one license.
import { h, $, cell, dateCell, show, messageRow, apiDate, fact } from "./dom.js";
import { badge } from "./status.js";
import { run, showNotice } from "./ui.js";
import { addonTable, addonPicker, attributeEditor } from "./shared.js";

const COLUMNS = 7;

export function setupLicenses(ctx) {
  const table = $("#licenses-table");
  const tbody = $("tbody", table);
  const card = $("#licenses-card");
  const filter = $("#licenses-filter");
  const count = $("#licenses-count");
  const detail = $("#license-detail");
  let rows = [];
  let openCode = null;

  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    load();
  });
  filter.addEventListener("reset", () => setTimeout(load));

  const filtered = () => Boolean($("#valid-from").value || $("#valid-to").value || $("#customer-identifier").value.trim());

  async function load() {
    const client = ctx.client;
    if (!client) return false;
    const params = {
      valid_from: apiDate($("#valid-from").value),
      valid_to: apiDate($("#valid-to").value, true),
      customer_identifier: $("#customer-identifier").value.trim() || undefined,
    };
    if (!rows.length) tbody.replaceChildren(messageRow(COLUMNS, "Loading licenses…", "loading"));
    const res = await run([card, $("button[type=submit]", filter)], () => client.listLicenses(params));
    if (client !== ctx.client) return false;
    if (!res) {
      if (!rows.length) tbody.replaceChildren(messageRow(COLUMNS, "Could not load the licenses.", "failed"));
      return false;
    }
    rows = res.licenses ?? [];
    render();
    return true;
  }

  function render() {
    count.textContent = `${rows.length}${filtered() ? " (filtered)" : ""}`;
    if (!rows.length) {
      tbody.replaceChildren(messageRow(COLUMNS, filtered() ? "No license matches these filters." : "No licenses yet."));
      return;
    }
    tbody.replaceChildren(...rows.map((l) => h("tr", {
      dataset: { licenseCode: l.license_code ?? "" },
      class: l.license_code === openCode ? "selected" : null,
    },
    h("td", {}, h("button", { type: "button", class: "link mono", onclick: () => open(l) }, show(l.license_code))),
    cell(l.customer_name, { class: "text" }),
    cell(l.customer_email),
    dateCell(l.valid_from),
    l.valid_to ? dateCell(l.valid_to) : h("td", { class: "muted" }, "no end"),
    h("td", {}, variationLabel(ctx, l.variation_id)),
    h("td", {}, badge("LicenseStatus", l.license_status)))));
  }

  function reset() {
    rows = [];
    openCode = null;
    count.textContent = "";
    detail.hidden = true;
    detail.replaceChildren();
  }

  function open(license) {
    const code = license.license_code;
    if (!code) return;
    openCode = code;
    for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.licenseCode === code);
    const client = ctx.client;
    const title = h("h3", { id: "license-detail-title", tabindex: "-1" }, code);
    const addons = h("div", { class: "card section" });
    const agents = h("div", { class: "card section" }, h("h4", {}, "Max agents"));
    agents.append(attributeEditor({
      label: "max_agents",
      busy: agents,
      get: () => client.getLicenseAttribute(code, "max_agents"),
      set: (value) => client.setLicenseAttribute(code, "max_agents", { value }),
    }));
    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "License"), title,
          h("p", { class: "sub" }, `${show(license.customer_name)} · ${show(license.customer_email)}`)),
        h("button", { type: "button", class: "quiet", onclick: close }, "Close")),
      h("div", { class: "detail-grid" },
        h("div", { class: "card section" }, h("h4", {}, "Overview"),
          h("dl", { class: "facts" },
            fact("Customer", license.customer_name),
            fact("Email", license.customer_email),
            fact("Valid from", license.valid_from),
            fact("Valid to", license.valid_to ?? "no end"),
            fact("Variation", null, variationLabel(ctx, license.variation_id)),
            fact("Status", null, badge("LicenseStatus", license.license_status)))),
        agents),
      addons);
    detail.hidden = false;
    detail.scrollIntoView({ block: "start", behavior: "smooth" });
    title.focus({ preventScroll: true });

    async function loadAddons() {
      addons.replaceChildren(h("h4", {}, "Add-ons"), h("p", { class: "loading" }, "Loading…"));
      const res = await run(addons, () => client.listLicenseAddons(code));
      addons.replaceChildren(
        h("h4", {}, "Add-ons"),
        res
          ? addonTable(res.addons ?? [], { onValidity: changeValidity })
          : h("p", { class: "failed" }, "Could not load the add-ons."),
        addonPicker(ctx, {
          preferVariation: license.variation_id,
          submit: (params) => client.addLicenseAddon(code, params),
          busy: addons,
          after: loadAddons,
        }));
    }

    async function changeValidity(addon, validTo, button) {
      const done = await run([button, addons], () =>
        client.changeLicenseAddonValidity(code, addon.license_code, { valid_to: validTo }));
      if (done) {
        showNotice(`${show(addon.name)} is now valid to ${validTo}.`);
        await loadAddons();
      }
    }

    loadAddons();
  }

  function close() {
    const code = openCode;
    openCode = null;
    detail.hidden = true;
    detail.replaceChildren();
    const back = [...tbody.rows].find((tr) => tr.dataset.licenseCode === code);
    back?.classList.remove("selected");
    (back?.querySelector("button") ?? table).focus();
  }

  // Variation names arrive with the catalogue; relabel the rows then.
  ctx.events.addEventListener("variations", () => rows.length && render());

  return { load, reset };
}

function variationLabel(ctx, id) {
  const name = ctx.variationName(id);
  return name
    ? h("span", {}, name, h("span", { class: "muted small mono" }, ` ${id}`))
    : h("span", { class: "mono" }, show(id));
}
