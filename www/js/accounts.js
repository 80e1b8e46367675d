// Accounts: the table, its date filter, and the detail of one account.
import { h, $, cell, dateCell, show, messageRow, apiDate, field, fact } from "./dom.js";
import { badge, legend, meanings } from "./status.js";
import { run, confirmAction, showNotice } from "./ui.js";
import { addonTable, addonPicker, attributeEditor } from "./shared.js";

const COLUMNS = 7;

export function setupAccounts(ctx) {
  const table = $("#accounts-table");
  const tbody = $("tbody", table);
  const card = $("#accounts-card");
  const filter = $("#accounts-filter");
  const count = $("#accounts-count");
  const detail = $("#account-detail");
  let openId = null;
  let rows = [];

  $("#accounts-legend").append(legend("AccountStatus"));

  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    load();
  });
  filter.addEventListener("reset", () => setTimeout(load));

  async function load({ highlight } = {}) {
    const client = ctx.client;
    if (!client) return false;
    const params = {
      created_from: apiDate($("#created-from").value),
      created_to: apiDate($("#created-to").value, true),
    };
    if (!rows.length) tbody.replaceChildren(messageRow(COLUMNS, "Loading accounts…", "loading"));
    const res = await run([card, $("button[type=submit]", filter)], () => client.listAccounts(params));
    if (client !== ctx.client) return false;
    if (!res) {
      if (!rows.length) tbody.replaceChildren(messageRow(COLUMNS, "Could not load the accounts.", "failed"));
      return false;
    }
    rows = res.accounts ?? [];
    render(highlight);
    return true;
  }

  function render(highlight) {
    const filtered = $("#created-from").value || $("#created-to").value;
    count.textContent = `${rows.length}${filtered ? " (filtered)" : ""}`;
    if (!rows.length) {
      tbody.replaceChildren(messageRow(COLUMNS, filtered ? "No account was created in that range." : "No accounts yet."));
      return;
    }
    tbody.replaceChildren(...rows.map((a) => {
      const tr = h("tr", {
        dataset: { accountId: a.account_id ?? "" },
        class: [a.account_id === openId && "selected", a.account_id === highlight && "is-new"].filter(Boolean).join(" ") || null,
      },
      h("td", { class: "text" },
        h("button", { type: "button", class: "link", onclick: () => open(a.account_id) },
          show(a.customer_name, "(no name)"))),
      cell(a.customer_email),
      cell(a.domain),
      cell(a.company, { class: "text" }),
      dateCell(a.date_created),
      dateCell(a.last_login_date),
      h("td", {}, badge("AccountStatus", a.status)));
      return tr;
    }));
  }

  function markSelected() {
    for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.accountId === openId);
  }

  function reset() {
    rows = [];
    openId = null;
    count.textContent = "";
    detail.hidden = true;
    detail.replaceChildren();
  }

  // ---- detail ---------------------------------------------------------------

  function open(id, { focus = true } = {}) {
    if (!id) return;
    openId = id;
    markSelected();
    const client = ctx.client;
    const title = h("h3", { id: "account-detail-title", tabindex: "-1" }, "Account");
    const sub = h("p", { class: "sub mono" }, id);
    const close = h("button", { type: "button", class: "quiet", onclick: closeDetail }, "Close");

    const overview = h("div", { class: "card section", "aria-label": "Overview" });
    const status = h("div", { class: "card section" });
    const plan = h("div", { class: "card section" });
    const agents = h("div", { class: "card section" });
    const addons = h("div", { class: "card section" });
    const users = h("div", { class: "card section" });

    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "Account"), title, sub),
        close),
      h("div", { class: "detail-grid" }, overview, status),
      h("div", { class: "detail-grid" }, plan, agents),
      addons,
      users);
    detail.hidden = false;
    if (focus) {
      detail.scrollIntoView({ block: "start", behavior: "smooth" });
      title.focus({ preventScroll: true });
    }

    let account = null;

    async function loadOverview() {
      overview.replaceChildren(h("h4", {}, "Overview"), h("p", { class: "loading" }, "Loading…"));
      const a = await run(overview, () => client.getAccount(id));
      if (!a) return void overview.replaceChildren(h("h4", {}, "Overview"), h("p", { class: "failed" }, "Could not load the account."));
      account = a;
      title.textContent = show(a.customer_name, "(no name)");
      sub.textContent = `${show(a.domain)} · ${id}`;
      const variation = ctx.variationName(a.variation_id);
      overview.replaceChildren(
        h("h4", {}, "Overview"),
        h("dl", { class: "facts" },
          fact("Email", a.customer_email),
          fact("Company", a.company),
          fact("Domain", a.domain),
          fact("Variation", variation ? `${variation} (${a.variation_id})` : a.variation_id),
          fact("Created", a.date_created),
          fact("Last login", a.last_login_date),
          fact("Version", a.version),
          fact("Listed status", null, badge("AccountStatus", a.status))));
      renderPlan();
    }

    async function loadStatus() {
      status.replaceChildren(h("h4", {}, "Status"), h("p", { class: "loading" }, "Loading…"));
      const res = await run(status, () => client.getAccountStatus(id));
      if (!res) return void status.replaceChildren(h("h4", {}, "Status"), h("p", { class: "failed" }, "Could not load the status."));
      const code = res.account_status;
      const can = {
        s: !["s", "t", "p", "d"].includes(code),
        a: ["s", "m"].includes(code) || !meanings("AccountLifecycleStatus").has(code),
        t: !["t", "d"].includes(code),
      };
      const actions = [
        ["s", "Suspend", "Suspended", "Suspend this account? Its users cannot log in until it is unsuspended.", false],
        ["a", "Unsuspend", "Unsuspended", "Unsuspend this account? Its users can log in again.", false],
        ["t", "Terminate", "Terminated", "Terminate this account? A terminated account cannot be reactivated.", true],
      ];
      status.replaceChildren(
        h("h4", {}, "Status"),
        h("p", { class: "status-now" }, h("span", { id: "account-lifecycle" }, badge("AccountLifecycleStatus", code))),
        h("div", { class: "button-row" }, actions.map(([to, label, done, message, danger]) =>
          h("button", {
            type: "button",
            class: danger ? "danger-outline" : null,
            disabled: !can[to],
            onclick: (e) => changeStatus(e.currentTarget, to, label, done, message, danger),
          }, label))),
        h("details", { class: "all-codes", open: true },
          h("summary", {}, "All lifecycle statuses"),
          legend("AccountLifecycleStatus", code)));
    }

    async function changeStatus(button, to, label, doneLabel, message, danger) {
      const who = account ? `${show(account.customer_name, "")} (${show(account.domain)})` : id;
      const answer = await confirmAction({
        title: `${label} account`,
        message: `${who}: ${message}`,
        note: "Note (required, kept with the status change)",
        confirmLabel: label,
        danger,
      });
      if (!answer) return button.focus();
      const done = await run([button, status], () => client.changeAccountStatus(id, { status: to, note: answer.note }));
      if (!done) return;
      showNotice(`${doneLabel} ${who}. Note: ${answer.note}`);
      await Promise.all([loadStatus(), loadOverview(), load()]);
    }

    function renderPlan() {
      const select = h("select", {}, ctx.variations.map((v) =>
        h("option", { value: v.id ?? "", selected: v.id === account?.variation_id }, `${show(v.name)} (${show(v.id)})`)));
      const params = h("input", { type: "text", placeholder: "e.g. param1,param2", autocomplete: "off" });
      const button = h("button", { type: "submit" }, "Change variation");
      const sync = () => { button.disabled = !select.value || select.value === account?.variation_id; };
      select.addEventListener("change", sync);
      sync();
      const form = h("form", { class: "stack", onsubmit: async (e) => {
        e.preventDefault();
        const done = await run([button, plan], () => client.changeAccountVariation(id, {
          variationid: select.value,
          variation_params: params.value.trim() || undefined,
        }));
        if (done) {
          showNotice(`Variation changed to ${ctx.variationName(select.value) ?? select.value}.`);
          await Promise.all([loadOverview(), load()]);
        }
      } },
      field("Variation", select),
      field("Variation params", params, "Optional, separated by commas."),
      h("div", { class: "button-row" }, button));
      plan.replaceChildren(h("h4", {}, "Plan"),
        ctx.variations.length ? form : h("p", { class: "muted" }, "The catalogue is not loaded."));
    }

    async function loadAddons() {
      addons.replaceChildren(h("h4", {}, "Add-ons"), h("p", { class: "loading" }, "Loading…"));
      const res = await run(addons, () => client.listAccountAddons(id));
      addons.replaceChildren(
        h("h4", {}, "Add-ons"),
        res ? addonTable(res.addons ?? []) : h("p", { class: "failed" }, "Could not load the add-ons."),
        addonPicker(ctx, {
          preferVariation: account?.variation_id,
          submit: (params) => client.addAccountAddon(id, params),
          busy: addons,
          after: loadAddons,
        }));
    }

    async function loadUsers() {
      users.replaceChildren(h("h4", {}, "Users"), h("p", { class: "loading" }, "Loading…"));
      const res = await run(users, () => client.listAccountUsers(id));
      if (!res) return void users.replaceChildren(h("h4", {}, "Users"), h("p", { class: "failed" }, "Could not load the users."));
      const list = res.users ?? [];
      users.replaceChildren(
        h("h4", {}, "Users ", h("span", { class: "count" }, String(list.length))),
        h("table", { class: "compact" },
          h("thead", {}, h("tr", {}, ["Name", "Email", "Role", "Status", "Created", ""].map((t) =>
            h("th", { scope: "col" }, t || h("span", { class: "visually-hidden" }, "Actions"))))),
          h("tbody", {}, list.length ? list.map((u) => {
            const name = [u.firstname, u.lastname].filter(Boolean).join(" ") || show(u.userid);
            return h("tr", {},
              h("td", {}, name, h("div", { class: "muted small mono" }, show(u.userid))),
              cell(u.email),
              h("td", {}, show(u.role), u.role_type ? h("div", { class: "muted small mono" }, u.role_type) : null),
              cell(u.status, { class: "mono" }),
              dateCell(u.date_created),
              h("td", { class: "actions" }, h("button", {
                type: "button",
                class: "danger-outline small",
                "aria-label": `Remove user ${name}`,
                onclick: (e) => removeUser(e.currentTarget, u, name),
              }, "Remove")));
          }) : messageRow(6, "No users."))));
    }

    async function removeUser(button, user, name) {
      const answer = await confirmAction({
        title: "Remove user",
        message: `Remove ${name} (${show(user.email)}) from this account?`,
        confirmLabel: "Remove user",
        danger: true,
      });
      if (!answer) return button.focus();
      const done = await run([button, users], () => client.removeAccountUser(id, user.userid));
      if (done) {
        showNotice(`Removed ${name}.`);
        await loadUsers();
      }
    }

    agents.replaceChildren(h("h4", {}, "Max agents"));
    agents.append(attributeEditor({
      label: "max_agents",
      busy: agents,
      get: () => client.getAccountAttribute(id, "max_agents"),
      set: (value) => client.setAccountAttribute(id, "max_agents", { value }),
    }));

    loadOverview();
    loadStatus();
    loadAddons();
    loadUsers();
  }

  function closeDetail() {
    const id = openId;
    openId = null;
    detail.hidden = true;
    detail.replaceChildren();
    markSelected();
    const back = [...tbody.rows].find((tr) => tr.dataset.accountId === id);
    (back?.querySelector("button") ?? table).focus();
  }

  return { load, open, reset };
}
