// Accounts: the table, its filters, and the detail of one account.
import { h, $, cell, dateCell, show, messageRow, apiDate, field, fact, breakable } from "./dom.js";
import { badge, legend, meanings } from "./status.js";
import { confirmAction, clearOutcome } from "./ui.js";
import { addonTable, addonPicker, attributeEditor, section, outcomeSlot, dateRange, tableBox } from "./shared.js";

const COLUMNS = 5;

export function setupAccounts(ctx) {
  const table = $("#accounts-table");
  const tbody = $("tbody", table);
  const card = $("#accounts-card");
  const filter = $("#accounts-filter");
  const apply = $("button[type=submit]", filter);
  const count = $("#accounts-count");
  const find = $("#accounts-find");
  const slot = $("#accounts-outcome");
  const detail = $("#account-detail");
  const checkRange = dateRange($("#created-from"), $("#created-to"), $("#accounts-filter-error"), "Created");
  let openId = null;
  let rows = [];
  let loaded = false;

  $("#accounts-legend").append(legend("AccountStatus"));

  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    if (checkRange()) load({ user: true });
  });
  filter.addEventListener("reset", () => setTimeout(() => {
    checkRange(false);
    render();
    load({ user: true });
  }));
  find.addEventListener("input", () => render());

  /** Loads the list; resolves to `{ ok, error }`. */
  async function load({ highlight, user = false, signal } = {}) {
    if (!ctx.client) return { ok: false };
    const client = ctx.client;
    const params = {
      created_from: apiDate($("#created-from").value),
      created_to: apiDate($("#created-to").value, true),
    };
    if (!loaded) tbody.replaceChildren(messageRow(COLUMNS, "Loading accounts…", "loading"));
    const res = await ctx.act({
      slot, busy: [card, apply], pending: "Loading the accounts", key: "accounts-list", focus: user,
      signal, title: "Loading the accounts failed",
      call: (opts) => client.listAccounts(params, opts),
      done: (value) => {
        rows = value.accounts ?? [];
        loaded = true;
        ctx.markLoaded();
        render(highlight);
        return null;
      },
    });
    if (!res.ok && !res.replaced && !loaded) {
      tbody.replaceChildren(messageRow(COLUMNS, res.cancelled ? "Not loaded (cancelled)." : "Could not load the accounts.", "failed"));
    }
    return res;
  }

  function matches(a, needle) {
    if (!needle) return true;
    return [a.customer_name, a.customer_email, a.domain, a.company, a.account_id]
      .some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
  }

  function render(highlight) {
    if (!loaded) return;
    const filtered = $("#created-from").value || $("#created-to").value;
    const needle = find.value.trim().toLowerCase();
    const shown = rows.filter((a) => matches(a, needle));
    count.textContent = needle ? `${shown.length} of ${rows.length}` : `${rows.length}${filtered ? " (filtered)" : ""}`;
    if (!shown.length) {
      tbody.replaceChildren(messageRow(COLUMNS,
        needle ? `No listed account matches “${find.value.trim()}”.`
          : filtered ? "No account was created in that range." : "No accounts yet."));
      return;
    }
    tbody.replaceChildren(...shown.map((a) => h("tr", {
      dataset: { accountId: a.account_id ?? "" },
      class: [a.account_id === openId && "selected", a.account_id === highlight && "is-new"].filter(Boolean).join(" ") || null,
    },
    h("td", { class: "customer title-cell" },
      h("button", { type: "button", class: "link name", onclick: () => open(a.account_id) }, show(a.customer_name, "(no name)")),
      h("div", { class: "email" }, breakable(show(a.customer_email))),
      a.company ? h("div", { class: "company" }, a.company) : null),
    h("td", { class: "domain", "data-label": "Domain" }, breakable(show(a.domain))),
    dateCell(a.date_created, { "data-label": "Created" }),
    dateCell(a.last_login_date, { "data-label": "Last login" }),
    h("td", { class: "status", "data-label": "Status" }, badge("AccountStatus", a.status)))));
  }

  function markSelected() {
    for (const tr of tbody.rows) tr.classList.toggle("selected", tr.dataset.accountId === openId);
  }

  /** Forgets everything: a new connection starts from nothing. */
  function reset(text = "Not loaded.") {
    rows = [];
    loaded = false;
    openId = null;
    count.textContent = "";
    clearOutcome(slot);
    tbody.replaceChildren(messageRow(COLUMNS, text));
    detail.hidden = true;
    detail.replaceChildren();
  }

  // ---- detail ---------------------------------------------------------------

  function open(id, { focus = true, push = true } = {}) {
    if (!id || !ctx.client) return;
    openId = id;
    markSelected();
    if (push) ctx.syncRoute();
    const client = ctx.client;
    const title = h("h3", { id: "account-detail-title", tabindex: "-1" }, "Account");
    const sub = h("p", { class: "sub mono" }, id);
    const close = h("button", { type: "button", class: "quiet", onclick: () => closeDetail() }, "Close");
    const keyOf = (part) => `account-${part}`;

    const overview = section("Overview");
    const status = section("Status");
    const plan = section("Plan");
    const agents = section("Max agents");
    const addons = section("Add-ons");
    const users = section("Users");

    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "Account"), title, sub),
        close),
      h("div", { class: "detail-grid" }, overview.el, status.el),
      h("div", { class: "detail-grid" }, plan.el, agents.el),
      addons.el,
      users.el);
    detail.hidden = false;
    if (focus) {
      detail.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    }

    let account = null;
    const loadingText = () => h("p", { class: "muted" }, "Loading…");

    async function loadOverview() {
      if (!account) overview.body.replaceChildren(loadingText());
      const res = await ctx.act({
        slot: overview.loadSlot, busy: [overview.el], pending: "Loading the account", focus: false,
        key: keyOf("overview"), title: "Loading the account failed",
        call: (opts) => client.getAccount(id, opts),
      });
      if (res.replaced) return;
      if (!res.ok) {
        if (!account) overview.body.replaceChildren(h("p", { class: "failed" }, "Could not load the account."));
        return;
      }
      const a = res.value;
      account = a;
      title.textContent = show(a.customer_name, "(no name)");
      sub.textContent = `${show(a.domain)} · ${id}`;
      const variation = ctx.variationName(a.variation_id);
      overview.body.replaceChildren(
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
      picker.setVariation(a.variation_id);
    }

    // Status: the lifecycle badge and the actions; results below the buttons.
    const statusSlot = outcomeSlot();
    const statusNow = h("p", { class: "status-now" }, h("span", { id: "account-lifecycle" }, badge("AccountLifecycleStatus", null)));
    const statusButtons = h("div", { class: "button-row" });
    const allCodes = h("details", { class: "all-codes" }, h("summary", {}, "All lifecycle statuses"));
    status.body.append(statusNow, statusButtons, statusSlot, allCodes);
    const actions = [
      ["s", "Suspend", "Suspending", "Suspended", "Its users cannot log in until it is unsuspended.", false],
      ["a", "Unsuspend", "Unsuspending", "Unsuspended", "Its users can log in again.", false],
      ["t", "Terminate", "Terminating", "Terminated", "A terminated account cannot be reactivated.", true],
    ];
    const buttons = actions.map(([to, label, ing, done, message, danger]) => h("button", {
      type: "button", class: danger ? "danger-outline" : null, disabled: true,
      onclick: (e) => changeStatus(e.currentTarget, to, label, ing, done, message, danger),
    }, label));
    statusButtons.append(...buttons);

    async function loadStatus() {
      const res = await ctx.act({
        slot: status.loadSlot, busy: [status.el], pending: "Loading the status", focus: false,
        key: keyOf("status"), title: "Loading the status failed",
        call: (opts) => client.getAccountStatus(id, opts),
      });
      if (res.replaced) return;
      if (!res.ok) return;
      const code = res.value.account_status;
      const can = {
        s: !["s", "t", "p", "d"].includes(code),
        a: ["s", "m"].includes(code) || !meanings("AccountLifecycleStatus").has(code),
        t: !["t", "d"].includes(code),
      };
      actions.forEach(([to], i) => {
        buttons[i].disabled = !can[to];
        buttons[i].dataset.wasDisabled = can[to] ? "" : "1";
      });
      $("#account-lifecycle", status.body)?.replaceChildren(badge("AccountLifecycleStatus", code));
      allCodes.replaceChildren(h("summary", {}, "All lifecycle statuses"), legend("AccountLifecycleStatus", code));
    }

    async function changeStatus(button, to, label, ing, doneLabel, message, danger) {
      const who = account ? `${show(account.customer_name, "")} (${show(account.domain)})` : id;
      const answer = await confirmAction({
        title: `${label} account`,
        message: `${label} ${who}? ${message}`,
        note: "Note (required, kept with the status change)",
        confirmLabel: label,
        danger,
      });
      if (!answer) return;
      await ctx.act({
        slot: statusSlot, busy: buttons, returnFocus: button, pending: `${ing} the account`, title: `${label} failed`,
        call: (opts) => client.changeAccountStatus(id, { status: to, note: answer.note }, opts),
        done: async () => {
          await Promise.all([loadStatus(), loadOverview(), load()]);
          return `${doneLabel} ${who}. Note: ${answer.note}`;
        },
      });
    }

    // Plan: change the variation.
    const planSlot = outcomeSlot();
    const variationSelect = h("select", {});
    const params = h("input", { type: "text", placeholder: "e.g. param1,param2", autocomplete: "off" });
    const planButton = h("button", { type: "submit" }, "Change variation");
    const syncPlan = () => { planButton.disabled = !variationSelect.value || variationSelect.value === account?.variation_id; };
    variationSelect.addEventListener("change", syncPlan);
    const planForm = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const to = variationSelect.value;
      const name = ctx.variationName(to) ?? to;
      await ctx.act({
        slot: planSlot, busy: [planButton], pending: `Changing the variation to ${name}`, title: "Changing the variation failed",
        call: (opts) => client.changeAccountVariation(id, {
          variationid: to,
          variation_params: params.value.trim() || undefined,
        }, opts),
        done: async () => {
          await Promise.all([loadOverview(), load()]);
          return `Variation changed to ${name} (${to}).`;
        },
      });
    } },
    field("Variation", variationSelect),
    field("Variation params", params, "Optional, separated by commas."),
    h("div", { class: "button-row" }, planButton),
    planSlot);

    function renderPlan() {
      if (!ctx.variations.length) {
        plan.body.replaceChildren(h("p", { class: "muted" }, "The catalogue is not loaded."));
        return;
      }
      variationSelect.replaceChildren(...ctx.variations.map((v) =>
        h("option", { value: v.id ?? "", selected: v.id === account?.variation_id },
          `${show(v.name)} (${show(v.id)})${v.id === account?.variation_id ? " · current" : ""}`)));
      if (account) variationSelect.value = account.variation_id ?? "";
      syncPlan();
      if (!plan.body.contains(planForm)) plan.body.replaceChildren(planForm);
    }
    renderPlan();

    agents.body.append(attributeEditor(ctx, {
      label: "max_agents",
      key: keyOf("agents"),
      get: (opts) => client.getAccountAttribute(id, "max_agents", opts),
      set: (value, opts) => client.setAccountAttribute(id, "max_agents", { value }, opts),
    }));

    // Add-ons: the table (redrawn) and the picker (kept, with its result).
    const addonsBox = tableBox("Add-ons");
    const addonsTable = addonsBox.box;
    const picker = addonPicker(ctx, {
      variation: account?.variation_id,
      submit: (p, opts) => client.addAccountAddon(id, p, opts),
      added: () => loadAddons(),
    });
    addons.body.append(addonsBox, picker.el);

    async function loadAddons() {
      if (!addonsTable.firstChild) addonsTable.replaceChildren(loadingText());
      const res = await ctx.act({
        slot: addons.loadSlot, busy: [addons.el], pending: "Loading the add-ons", focus: false,
        key: keyOf("addons"), title: "Loading the add-ons failed",
        call: (opts) => client.listAccountAddons(id, opts),
      });
      if (res.replaced) return;
      if (res.ok) addonsTable.replaceChildren(addonTable(res.value.addons ?? []));
      else if (!addonsTable.querySelector("table")) addonsTable.replaceChildren(h("p", { class: "failed" }, "Could not load the add-ons."));
    }

    // Users: the table (redrawn); removal results below it.
    const usersCount = h("span", { class: "count" });
    users.heading.append(" ", usersCount);
    const usersBox = tableBox("Users");
    const usersTable = usersBox.box;
    const usersSlot = outcomeSlot();
    users.body.append(usersBox, usersSlot);
    let userList = [];

    async function loadUsers() {
      if (!usersTable.firstChild) usersTable.replaceChildren(loadingText());
      const res = await ctx.act({
        slot: users.loadSlot, busy: [users.el], pending: "Loading the users", focus: false,
        key: keyOf("users"), title: "Loading the users failed",
        call: (opts) => client.listAccountUsers(id, opts),
      });
      if (res.replaced) return;
      if (!res.ok) {
        if (!usersTable.querySelector("table")) usersTable.replaceChildren(h("p", { class: "failed" }, "Could not load the users."));
        return;
      }
      userList = res.value.users ?? [];
      usersCount.textContent = String(userList.length);
      usersTable.replaceChildren(h("table", { class: "compact responsive" },
        h("caption", { class: "visually-hidden" }, "Users of the account"),
        h("thead", {}, h("tr", {}, ["Name", "Email", "Role", "Status", "Created", ""].map((t) =>
          h("th", { scope: "col" }, t || h("span", { class: "visually-hidden" }, "Actions"))))),
        h("tbody", {}, userList.length ? userList.map((u) => {
          const name = [u.firstname, u.lastname].filter(Boolean).join(" ") || show(u.userid);
          return h("tr", {},
            h("td", { class: "title-cell" }, name, h("div", { class: "muted small mono" }, show(u.userid))),
            cell(u.email, { class: "email", "data-label": "Email" }),
            h("td", { "data-label": "Role" }, show(u.role), u.role_type ? h("div", { class: "muted small mono" }, u.role_type) : null),
            cell(u.status, { class: "mono", "data-label": "Status" }),
            dateCell(u.date_created, { "data-label": "Created" }),
            h("td", { class: "actions" }, h("button", {
              type: "button",
              class: "danger-outline small",
              "aria-label": `Remove user ${name}`,
              onclick: (e) => removeUser(e.currentTarget, u, name),
            }, "Remove")));
        }) : messageRow(6, "No users."))));
    }

    const isOwner = (u) => u.role_type === "la_own" || /^owner$/i.test(u.role ?? "");

    async function removeUser(button, user, name) {
      const owners = userList.filter(isOwner);
      const onlyOwner = isOwner(user) && owners.length === 1;
      const answer = await confirmAction({
        title: onlyOwner ? "Remove the only owner" : "Remove user",
        message: `Remove ${name} (${show(user.email)}, ${show(user.role, "no role")}) from this account?`,
        warning: onlyOwner
          ? `${name} is the only Owner of this account: nobody will be left who can manage it. Add another owner first unless the account is being closed.`
          : null,
        confirmLabel: onlyOwner ? "Remove the only owner" : "Remove user",
        danger: true,
      });
      if (!answer) return;
      await ctx.act({
        slot: usersSlot, busy: [button], pending: `Removing ${name}`, title: `Removing ${name} failed`,
        call: (opts) => client.removeAccountUser(id, user.userid, opts),
        done: async () => {
          await loadUsers();
          return `Removed ${name} (${show(user.email)}).`;
        },
      });
    }

    loadOverview();
    loadStatus();
    loadAddons();
    loadUsers();
  }

  function closeDetail({ push = true, focus = true } = {}) {
    const id = openId;
    openId = null;
    detail.hidden = true;
    detail.replaceChildren();
    markSelected();
    if (push) ctx.syncRoute();
    if (focus) {
      const back = [...tbody.rows].find((tr) => tr.dataset.accountId === id);
      (back?.querySelector("button") ?? $("#tab-accounts")).focus();
    }
  }

  return {
    load,
    open,
    close: closeDetail,
    reset,
    get openId() { return openId; },
  };
}
