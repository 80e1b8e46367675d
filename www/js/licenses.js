// Licenses: the filtered list and the detail of one license.
import { h, $, dateCell, show, messageRow, apiDate, fact, breakable } from "./dom.js";
import { badge } from "./status.js";
import { clearOutcome } from "./ui.js";
import { addonTable, addonPicker, attributeEditor, section, validityForm, dateRange, tableBox } from "./shared.js";

const COLUMNS = 6;

export function setupLicenses(ctx) {
  const table = $("#licenses-table");
  const tbody = $("tbody", table);
  const card = $("#licenses-card");
  const filter = $("#licenses-filter");
  const apply = $("button[type=submit]", filter);
  const count = $("#licenses-count");
  const slot = $("#licenses-outcome");
  const detail = $("#license-detail");
  const checkRange = dateRange($("#valid-from"), $("#valid-to"), $("#licenses-filter-error"), "Valid");
  let rows = [];
  let loaded = false;
  let openCode = null;
  let wanted = null; // a license asked for by the URL before the list was there

  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    if (checkRange()) load({ user: true });
  });
  filter.addEventListener("reset", () => setTimeout(() => {
    checkRange(false);
    load({ user: true });
  }));

  const filtered = () => Boolean($("#valid-from").value || $("#valid-to").value || $("#customer-identifier").value.trim());

  async function load({ user = false, signal } = {}) {
    if (!ctx.client) return { ok: false };
    const client = ctx.client;
    const params = {
      valid_from: apiDate($("#valid-from").value),
      valid_to: apiDate($("#valid-to").value, true),
      customer_identifier: $("#customer-identifier").value.trim() || undefined,
    };
    if (!loaded) tbody.replaceChildren(messageRow(COLUMNS, "Loading licenses…", "loading"));
    const res = await ctx.act({
      slot, busy: [card, apply], pending: "Loading the licenses", key: "licenses-list", focus: user,
      signal, title: "Loading the licenses failed",
      call: (opts) => client.listLicenses(params, opts),
      done: (value) => {
        rows = value.licenses ?? [];
        loaded = true;
        ctx.markLoaded();
        render();
        if (wanted) {
          const code = wanted;
          wanted = null;
          const license = rows.find((l) => l.license_code === code);
          if (license) open(license, { focus: false, push: false });
        }
        return null;
      },
    });
    if (!res.ok && !res.replaced && !loaded) {
      tbody.replaceChildren(messageRow(COLUMNS, res.cancelled ? "Not loaded (cancelled)." : "Could not load the licenses.", "failed"));
    }
    return res;
  }

  function render() {
    if (!loaded) return;
    count.textContent = `${rows.length}${filtered() ? " (filtered)" : ""}`;
    if (!rows.length) {
      tbody.replaceChildren(messageRow(COLUMNS, filtered()
        ? "No license matches these filters. The customer filter needs the whole email or name."
        : "No licenses yet."));
      return;
    }
    tbody.replaceChildren(...rows.map((l) => h("tr", {
      dataset: { licenseCode: l.license_code ?? "" },
      class: l.license_code === openCode ? "selected" : null,
    },
    h("td", { class: "title-cell" }, h("button", { type: "button", class: "link mono", onclick: () => open(l) }, show(l.license_code))),
    h("td", { class: "customer", "data-label": "Customer" },
      h("span", { class: "name" }, show(l.customer_name)),
      h("div", { class: "email" }, breakable(show(l.customer_email)))),
    dateCell(l.valid_from, { "data-label": "Valid from" }),
    l.valid_to ? dateCell(l.valid_to, { "data-label": "Valid to" }) : h("td", { class: "muted", "data-label": "Valid to" }, "no end"),
    h("td", { "data-label": "Variation" }, variationLabel(ctx, l.variation_id)),
    h("td", { class: "status", "data-label": "Status" }, badge("LicenseStatus", l.license_status)))));
  }

  function reset(text = "Not loaded.") {
    rows = [];
    loaded = false;
    openCode = null;
    count.textContent = "";
    clearOutcome(slot);
    tbody.replaceChildren(messageRow(COLUMNS, text));
    detail.hidden = true;
    detail.replaceChildren();
  }

  function open(license, { focus = true, push = true } = {}) {
    const code = license.license_code;
    if (!code || !ctx.client) return;
    openCode = code;
    for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.licenseCode === code);
    if (push) ctx.syncRoute();
    const client = ctx.client;
    const title = h("h3", { id: "license-detail-title", tabindex: "-1" }, code);
    const agents = section("Max agents");
    agents.body.append(attributeEditor(ctx, {
      label: "max_agents",
      key: "license-agents",
      get: (opts) => client.getLicenseAttribute(code, "max_agents", opts),
      set: (value, opts) => client.setLicenseAttribute(code, "max_agents", { value }, opts),
    }));
    const addons = section("Add-ons");
    const overview = section("Overview");
    overview.body.append(h("dl", { class: "facts" },
      fact("Customer", license.customer_name),
      fact("Email", license.customer_email),
      fact("Valid from", license.valid_from),
      fact("Valid to", license.valid_to ?? "no end"),
      fact("Variation", null, variationLabel(ctx, license.variation_id)),
      fact("Status", null, badge("LicenseStatus", license.license_status))));
    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "License"), title,
          h("p", { class: "sub" }, `${show(license.customer_name)} · ${show(license.customer_email)}`)),
        h("button", { type: "button", class: "quiet", onclick: () => close() }, "Close")),
      h("div", { class: "detail-grid" }, overview.el, agents.el),
      addons.el);
    detail.hidden = false;
    if (focus) {
      detail.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    }

    const addonsBox = tableBox("Add-ons");
    const addonsTable = addonsBox.box;
    const rowSlots = new Map();
    const picker = addonPicker(ctx, {
      variation: license.variation_id,
      submit: (p, opts) => client.addLicenseAddon(code, p, opts),
      added: () => loadAddons(),
    });
    addons.body.append(addonsBox, picker.el);

    async function loadAddons() {
      if (!addonsTable.firstChild) addonsTable.replaceChildren(h("p", { class: "muted" }, "Loading…"));
      const res = await ctx.act({
        slot: addons.loadSlot, busy: [addons.el], pending: "Loading the add-ons", focus: false,
        key: "license-addons", title: "Loading the add-ons failed",
        call: (opts) => client.listLicenseAddons(code, opts),
      });
      if (res.replaced) return;
      if (!res.ok) {
        if (!addonsTable.querySelector("table")) addonsTable.replaceChildren(h("p", { class: "failed" }, "Could not load the add-ons."));
        return;
      }
      const focused = [...rowSlots.values()].find((s) => s.contains(document.activeElement));
      addonsTable.replaceChildren(addonTable(res.value.addons ?? [], {
        validity: (addon) => validityForm(addon, { slots: rowSlots, submit: changeValidity }),
      }));
      focused?.focus();
    }

    async function changeValidity(addon, validTo, { button, slot: rowSlot }) {
      await ctx.act({
        slot: rowSlot, busy: [button], pending: "Saving", title: `Changing the validity of ${show(addon.name)} failed`,
        call: (opts) => client.changeLicenseAddonValidity(code, addon.license_code, { valid_to: validTo }, opts),
        done: async () => {
          await loadAddons();
          return `${show(addon.name)} is now valid to ${validTo}.`;
        },
      });
    }

    loadAddons();
  }

  function close({ push = true, focus = true } = {}) {
    const code = openCode;
    openCode = null;
    detail.hidden = true;
    detail.replaceChildren();
    const back = [...tbody.rows].find((tr) => tr.dataset.licenseCode === code);
    back?.classList.remove("selected");
    if (push) ctx.syncRoute();
    if (focus) (back?.querySelector("button") ?? $("#tab-licenses")).focus();
  }

  /** Opens the license with this code (from the URL), now or once listed. */
  function openCodeFromRoute(code) {
    if (!code) {
      if (openCode) close({ push: false, focus: false });
      return;
    }
    if (code === openCode) return;
    const license = rows.find((l) => l.license_code === code);
    if (license) open(license, { focus: false, push: false });
    else wanted = code;
  }

  // Variation names arrive with the catalogue; relabel the rows then.
  ctx.events.addEventListener("variations", () => rows.length && render());

  return {
    load,
    reset,
    close,
    openCode: openCodeFromRoute,
    get openId() { return openCode; },
  };
}

function variationLabel(ctx, id) {
  const name = ctx.variationName(id);
  return name
    ? h("span", {}, name, h("span", { class: "muted small mono" }, ` ${id}`))
    : h("span", { class: "mono" }, show(id));
}
