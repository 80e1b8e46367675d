// Licenses: the list (found by any part of the customer's name or email, or
// of the code) and the detail of one license, with a way to its account.
import { h, $, dateCell, show, messageRow, apiDate, fact, breakable } from "./dom.js";
import { badge } from "./status.js";
import { clearOutcome } from "./ui.js";
import { addonTable, addonPicker, attributeEditor, section, validityForm, dateRange, tableBox, loadGroup, outcomeSlot } from "./shared.js";
import { planLabel, timeNode } from "./labels.js";

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

  const find = $("#licenses-find");
  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    if (checkRange()) {
      ctx.syncRoute({ replace: true });
      load({ user: true });
    }
  });
  filter.addEventListener("reset", () => setTimeout(() => {
    checkRange(false);
    render();
    ctx.syncRoute({ replace: true });
    load({ user: true });
  }));
  find.addEventListener("input", () => {
    render();
    ctx.syncRoute({ replace: true });
  });

  const dated = () => Boolean($("#valid-from").value || $("#valid-to").value);
  /** Any part of the customer's name or email, or of the code, in any case. */
  const matches = (l, needle) => !needle || [l.customer_name, l.customer_email, l.license_code]
    .some((v) => typeof v === "string" && v.toLowerCase().includes(needle));

  async function load({ user = false, signal } = {}) {
    if (!ctx.client) return { ok: false };
    const client = ctx.client;
    const params = {
      valid_from: apiDate($("#valid-from").value),
      valid_to: apiDate($("#valid-to").value, true),
    };
    if (!loaded) tbody.replaceChildren(messageRow(COLUMNS, "Loading licenses…", "loading"));
    const res = await ctx.act({
      slot, busy: [card, apply], pending: "Loading the licenses", key: "licenses-list", focus: user,
      signal, title: "Loading the licenses failed", read: true,
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
      tbody.replaceChildren(messageRow(COLUMNS, res.cancelled ? "Not loaded (cancelled)." : "Not loaded.", "failed"));
    }
    return res;
  }

  function render() {
    if (!loaded) return;
    const needle = find.value.trim().toLowerCase();
    const shown = rows.filter((l) => matches(l, needle));
    count.textContent = needle ? `${shown.length} of ${rows.length}` : `${rows.length}${dated() ? " (filtered)" : ""}`;
    if (!shown.length) {
      tbody.replaceChildren(messageRow(COLUMNS, needle
        ? `No listed license has “${find.value.trim()}” in its customer's name or email, or in its code.`
        : dated() ? "No license is valid in that range." : "No licenses yet."));
      return;
    }
    tbody.replaceChildren(...shown.map((l) => h("tr", {
      dataset: { licenseCode: l.license_code ?? "" },
      class: l.license_code === openCode ? "selected" : null,
    },
    h("td", { class: "title-cell" }, h("button", { type: "button", class: "link mono", onclick: () => open(l) }, show(l.license_code))),
    h("td", { class: "customer", "data-label": "Customer" },
      h("span", { class: "name" }, show(l.customer_name)),
      h("div", { class: "email" }, breakable(show(l.customer_email)))),
    dateCell(l.valid_from, { "data-label": "Valid from" }),
    l.valid_to ? dateCell(l.valid_to, { "data-label": "Valid to" }) : h("td", { class: "muted", "data-label": "Valid to" }, "no end"),
    h("td", { "data-label": "Plan" }, planLabel(ctx, l.variation_id)),
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
    ctx.updateDrawer();
  }

  function open(license, { focus = true, push = true } = {}) {
    const code = license.license_code;
    if (!code || !ctx.client) return;
    openCode = code;
    for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.licenseCode === code);
    if (push) ctx.syncRoute();
    const client = ctx.client;
    const title = h("h3", { id: "license-detail-title", tabindex: "-1" }, code);
    const panelSlot = outcomeSlot("panel-outcome");
    const group = loadGroup(ctx, panelSlot, "parts of this license");
    const agents = section("Maximum agents");
    agents.body.append(attributeEditor(ctx, {
      name: "max_agents",
      key: "license-agents",
      group,
      get: (opts) => client.getLicenseAttribute(code, "max_agents", opts),
      set: (value, opts) => client.setLicenseAttribute(code, "max_agents", { value }, opts),
    }));
    const addons = section("Add-ons");
    const overview = section("Overview");
    const accountSlot = h("span", { class: "muted", role: "status" });
    const accountLink = h("span", {},
      h("button", { type: "button", class: "link", onclick: () => {
        accountSlot.textContent = ctx.openAccountOf(license.customer_email)
          ? "" : ` No listed account has the email ${show(license.customer_email)}.`;
      } }, `Open the account of ${show(license.customer_email)}`),
      accountSlot);
    overview.body.append(h("dl", { class: "facts" },
      fact("Customer", license.customer_name),
      fact("Email", license.customer_email),
      fact("Valid from", null, timeNode(license.valid_from)),
      fact("Valid to", null, license.valid_to ? timeNode(license.valid_to) : h("span", {}, "no end")),
      fact("Plan", null, planLabel(ctx, license.variation_id)),
      fact("Status", null, badge("LicenseStatus", license.license_status)),
      fact("Account", null, accountLink)));
    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "License"), title,
          h("p", { class: "sub" }, `${show(license.customer_name)} · ${show(license.customer_email)}`)),
        h("button", { type: "button", class: "quiet", onclick: () => close() }, "Close")),
      panelSlot,
      h("div", { class: "detail-grid" }, overview.el, agents.el),
      addons.el);
    detail.hidden = false;
    detail.scrollTop = 0;
    ctx.updateDrawer();
    if (focus) title.focus({ preventScroll: true });

    const addonsBox = tableBox("Add-ons");
    const addonsTable = addonsBox.box;
    const rowSlots = new Map();
    let addonList = [];
    const picker = addonPicker(ctx, {
      variation: license.variation_id,
      submit: (p, opts) => client.addLicenseAddon(code, p, opts),
      added: () => loadAddons(),
      list: async (opts) => (await client.listLicenseAddons(code, opts)).addons ?? [],
      existing: () => addonList,
      target: () => `license ${code} (${show(license.customer_name)})`,
    });
    addons.body.append(addonsBox, picker.el);

    async function loadAddons() {
      if (!addonsTable.firstChild) addonsTable.replaceChildren(h("p", { class: "muted" }, "Loading…"));
      const res = await group.run("add-ons", {
        busy: [addons.el], pending: "Loading the add-ons",
        key: "license-addons", title: "Loading the add-ons failed",
        call: (opts) => client.listLicenseAddons(code, opts),
      }, loadAddons);
      if (res.replaced) return;
      if (!res.ok) {
        if (!addonsTable.querySelector("table")) addonsTable.replaceChildren(h("p", { class: "muted" }, "Not loaded."));
        return;
      }
      addonList = res.value.addons ?? [];
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
        verify: async (opts) => {
          const now = ((await client.listLicenseAddons(code, opts)).addons ?? []).find((a) => a.license_code === addon.license_code);
          return { landed: now?.valid_to === validTo, text: `${show(addon.name)} is valid to ${show(now?.valid_to, "no end")}.` };
        },
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
    ctx.updateDrawer();
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
    open,
    openCode: openCodeFromRoute,
    viewParams(q) {
      if (find.value.trim()) q.set("lq", find.value.trim());
      if ($("#valid-from").value) q.set("vfrom", $("#valid-from").value);
      if ($("#valid-to").value) q.set("vto", $("#valid-to").value);
    },
    /** Shows the view the URL names; returns whether the API query changed. */
    applyView(q) {
      const day = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? "") ? v : "");
      const before = [$("#valid-from").value, $("#valid-to").value].join("|");
      find.value = q.get("lq") ?? "";
      $("#valid-from").value = day(q.get("vfrom"));
      $("#valid-to").value = day(q.get("vto"));
      render();
      return before !== [$("#valid-from").value, $("#valid-to").value].join("|");
    },
    get openId() { return openCode; },
  };
}
