// Accounts: the list (find, status filter, sort, pages), and the detail of
// one account, opened beside the list (over it on a phone).
import { h, $, cell, dateCell, show, messageRow, apiDate, field, fact, breakable } from "./dom.js";
import { badge, legend, meanings } from "./status.js";
import { confirmAction, clearOutcome } from "./ui.js";
import { addonTable, addonPicker, attributeEditor, section, outcomeSlot, dateRange, tableBox, loadGroup } from "./shared.js";
import { roleLabel, userStatusLabel, planLabel, timeNode } from "./labels.js";
import { readHistory, addHistory, historyList } from "./history.js";
import { statusActions } from "./lifecycle.js";

const COLUMNS = 5;
const PAGE_SIZE = 25;
const SORTS = {
  "created-desc": (a, b) => cmp(b.date_created, a.date_created),
  "created-asc": (a, b) => cmp(a.date_created, b.date_created),
  "name-asc": (a, b) => cmpText(a.customer_name, b.customer_name),
  "name-desc": (a, b) => cmpText(b.customer_name, a.customer_name),
  "status-asc": (a, b) => cmpText(statusWord(a.status), statusWord(b.status)) || cmpText(a.customer_name, b.customer_name),
};
const cmp = (a, b) => String(a ?? "").localeCompare(String(b ?? ""));
const cmpText = (a, b) => String(a ?? "").localeCompare(String(b ?? ""), undefined, { sensitivity: "base", numeric: true });
const statusWord = (code) => meanings("AccountStatus").get(code) ?? `~${code ?? ""}`;

export function setupAccounts(ctx) {
  const table = $("#accounts-table");
  const tbody = $("tbody", table);
  const card = $("#accounts-card");
  const filter = $("#accounts-filter");
  const apply = $("button[type=submit]", filter);
  const count = $("#accounts-count");
  const find = $("#accounts-find");
  const statusFilter = $("#accounts-status");
  const sort = $("#accounts-sort");
  const pager = $("#accounts-pager");
  const pageText = $("#accounts-page");
  const prev = $("#accounts-prev");
  const next = $("#accounts-next");
  const slot = $("#accounts-outcome");
  const detail = $("#account-detail");
  const checkRange = dateRange($("#created-from"), $("#created-to"), $("#accounts-filter-error"), "Created");
  let openId = null;
  let rows = [];
  let loaded = false;
  let page = 1;

  $("#accounts-legend").append(legend("AccountStatus"));
  statusFilter.append(...[...meanings("AccountStatus")].map(([code, meaning]) => h("option", { value: code }, meaning)));

  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    if (checkRange()) {
      ctx.syncRoute({ replace: true });
      load({ user: true });
    }
  });
  filter.addEventListener("reset", () => setTimeout(() => {
    checkRange(false);
    page = 1;
    render();
    ctx.syncRoute({ replace: true });
    load({ user: true });
  }));
  const refilter = () => {
    page = 1;
    render();
    ctx.syncRoute({ replace: true });
  };
  find.addEventListener("input", refilter);
  statusFilter.addEventListener("change", refilter);
  sort.addEventListener("change", refilter);
  prev.addEventListener("click", () => turn(-1));
  next.addEventListener("click", () => turn(1));

  function turn(by) {
    page += by;
    render();
    ctx.syncRoute();
    card.scrollTop = 0;
    // The first row of the new page, where the eye is.
    (tbody.querySelector("button.name") ?? (by < 0 ? prev : next)).focus({ preventScroll: true });
  }

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
      signal, title: "Loading the accounts failed", read: true,
      call: (opts) => client.listAccounts(params, opts),
      done: (value) => {
        rows = value.accounts ?? [];
        loaded = true;
        ctx.markLoaded();
        if (highlight) showRow(highlight);
        render(highlight);
        return null;
      },
    });
    if (!res.ok && !res.replaced && !loaded) {
      tbody.replaceChildren(messageRow(COLUMNS, res.cancelled ? "Not loaded (cancelled)." : "Not loaded.", "failed"));
    }
    return res;
  }

  function matches(a, needle) {
    if (!needle) return true;
    return [a.customer_name, a.customer_email, a.domain, a.company, a.account_id]
      .some((v) => typeof v === "string" && v.toLowerCase().includes(needle));
  }

  function shownRows() {
    const needle = find.value.trim().toLowerCase();
    const status = statusFilter.value;
    return rows.filter((a) => matches(a, needle) && (!status || a.status === status))
      .sort(SORTS[sort.value] ?? SORTS["created-desc"]);
  }

  /** Goes to the page that holds this account (a new one, a link). */
  function showRow(id) {
    const i = shownRows().findIndex((a) => a.account_id === id);
    if (i >= 0) page = Math.floor(i / PAGE_SIZE) + 1;
  }

  function render(highlight) {
    if (!loaded) return;
    const dated = $("#created-from").value || $("#created-to").value;
    const narrowed = find.value.trim() || statusFilter.value;
    const shown = shownRows();
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    page = Math.min(Math.max(1, page), pages);
    count.textContent = narrowed ? `${shown.length} of ${rows.length}` : `${rows.length}${dated ? " (filtered)" : ""}`;
    pager.hidden = shown.length <= PAGE_SIZE;
    const first = (page - 1) * PAGE_SIZE;
    pageText.textContent = `Page ${page} of ${pages} · ${first + 1}–${Math.min(first + PAGE_SIZE, shown.length)} of ${shown.length}`;
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    if (!shown.length) {
      tbody.replaceChildren(messageRow(COLUMNS,
        narrowed ? `No listed account matches${find.value.trim() ? ` “${find.value.trim()}”` : ""}${statusFilter.value ? ` with status ${statusWord(statusFilter.value)}` : ""}.`
          : dated ? "No account was created in that range." : "No accounts yet."));
      return;
    }
    tbody.replaceChildren(...shown.slice(first, first + PAGE_SIZE).map((a) => h("tr", {
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
    pager.hidden = true;
    clearOutcome(slot);
    tbody.replaceChildren(messageRow(COLUMNS, text));
    detail.hidden = true;
    detail.replaceChildren();
    ctx.updateDrawer();
  }

  // ---- the view in the URL ----------------------------------------------------

  /** The list's view as URL parameters (never anything secret). */
  function viewParams(q) {
    if (find.value.trim()) q.set("q", find.value.trim());
    if (statusFilter.value) q.set("status", statusFilter.value);
    if (sort.value !== "created-desc") q.set("sort", sort.value);
    if ($("#created-from").value) q.set("from", $("#created-from").value);
    if ($("#created-to").value) q.set("to", $("#created-to").value);
    if (page > 1) q.set("page", String(page));
  }

  /** Shows the view the URL names; resolves to whether the API query changed. */
  function applyView(q) {
    const dates = [$("#created-from").value, $("#created-to").value].join("|");
    find.value = q.get("q") ?? "";
    statusFilter.value = meanings("AccountStatus").has(q.get("status")) ? q.get("status") : "";
    sort.value = Object.hasOwn(SORTS, q.get("sort") ?? "") ? q.get("sort") : "created-desc";
    const day = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v ?? "") ? v : "");
    $("#created-from").value = day(q.get("from"));
    $("#created-to").value = day(q.get("to"));
    const n = Number.parseInt(q.get("page") ?? "1", 10);
    page = Number.isInteger(n) && n > 0 ? n : 1;
    render();
    return dates !== [$("#created-from").value, $("#created-to").value].join("|");
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
    const panelSlot = outcomeSlot("panel-outcome");
    const group = loadGroup(ctx, panelSlot, "parts of this account");

    const overview = section("Overview");
    const status = section("Status");
    const plan = section("Plan");
    const agents = section("Maximum agents");
    const addons = section("Add-ons");
    const users = section("Users");
    const licenses = section("Licenses");

    detail.replaceChildren(
      h("div", { class: "detail-head" },
        h("div", {}, h("p", { class: "eyebrow" }, "Account"), title, sub),
        close),
      panelSlot,
      h("div", { class: "detail-grid" }, overview.el, status.el),
      h("div", { class: "detail-grid" }, plan.el, agents.el),
      addons.el,
      licenses.el,
      users.el);
    detail.hidden = false;
    detail.scrollTop = 0;
    ctx.updateDrawer();
    if (focus) title.focus({ preventScroll: true });

    let account = rows.find((a) => a.account_id === id) ?? null;
    let addonList = [];
    const loadingText = () => h("p", { class: "muted" }, "Loading…");
    const who = () => (account ? `${show(account.customer_name, "")} (${show(account.domain)})` : id);

    async function loadOverview() {
      overview.body.replaceChildren(loadingText());
      const res = await group.run("overview", {
        busy: [overview.el], pending: "Loading the account", key: keyOf("overview"), title: "Loading the account failed",
        call: (opts) => client.getAccount(id, opts),
      }, loadOverview);
      if (res.replaced) return;
      if (!res.ok) {
        overview.body.replaceChildren(h("p", { class: "muted" }, "Not loaded."));
        return;
      }
      const a = res.value;
      account = a;
      title.textContent = show(a.customer_name, "(no name)");
      sub.textContent = `${show(a.domain)} · ${id}`;
      overview.body.replaceChildren(
        h("dl", { class: "facts" },
          fact("Email", a.customer_email),
          fact("Company", a.company),
          fact("Domain", a.domain),
          fact("Plan", null, planLabel(ctx, a.variation_id)),
          fact("Created", null, timeNode(a.date_created)),
          fact("Last login", null, timeNode(a.last_login_date)),
          fact("Version", a.version),
          fact("Listed status", null, badge("AccountStatus", a.status))));
      renderPlan();
      picker.setVariation(a.variation_id);
      loadLicenses();
    }

    // Status: the lifecycle badge, the actions (with why one is not
    // possible), their results, and the history of what this console sent.
    const statusSlot = outcomeSlot();
    const statusNow = h("p", { class: "status-now" }, h("span", { id: "account-lifecycle" }, badge("AccountLifecycleStatus", null)));
    const statusButtons = h("div", { class: "button-row" });
    const reasons = h("ul", { class: "reasons", id: "account-status-reasons" });
    const history = h("div", { class: "history" });
    const allCodes = h("details", { class: "all-codes" }, h("summary", {}, "All lifecycle statuses"));
    status.body.append(statusNow, statusButtons, reasons, statusSlot, history, allCodes);
    const actions = [
      { to: "s", label: "Suspend", ing: "Suspending", done: "Suspended", message: "Its users cannot log in until it is unsuspended." },
      { to: "a", label: "Unsuspend", ing: "Unsuspending", done: "Unsuspended", message: "Its users can log in again." },
      { to: "t", label: "Terminate", ing: "Terminating", done: "Terminated", message: "A terminated account cannot be reactivated.", danger: true },
    ];
    const buttons = actions.map((act) => h("button", {
      type: "button", class: act.danger ? "danger-outline" : null, disabled: true, "aria-describedby": "account-status-reasons",
      onclick: (e) => changeStatus(e.currentTarget, act),
    }, act.label));
    statusButtons.append(...buttons);
    const drawHistory = () => history.replaceChildren(historyList(readHistory(ctx.scope, id)));
    drawHistory();

    async function loadStatus() {
      const res = await group.run("status", {
        busy: [status.el], pending: "Loading the status", key: keyOf("status"), title: "Loading the status failed",
        call: (opts) => client.getAccountStatus(id, opts),
      }, loadStatus);
      if (res.replaced || !res.ok) return;
      const code = res.value.account_status;
      const allowed = statusActions(code);
      reasons.replaceChildren();
      actions.forEach((act, i) => {
        const why = allowed[act.to];
        buttons[i].disabled = Boolean(why);
        buttons[i].dataset.wasDisabled = why ? "1" : "";
        if (why) reasons.append(h("li", {}, `${act.label}: ${why}`));
      });
      $("#account-lifecycle", status.body)?.replaceChildren(badge("AccountLifecycleStatus", code));
      allCodes.replaceChildren(h("summary", {}, "All lifecycle statuses"), legend("AccountLifecycleStatus", code));
    }

    async function changeStatus(button, act) {
      const name = who();
      const domain = account?.domain;
      const answer = await confirmAction({
        title: `${act.label} account`,
        message: `${act.label} ${name}? ${act.message}`,
        note: "Note (required, kept with the status change)",
        confirmLabel: act.label,
        danger: act.danger,
        typed: act.to === "t" && domain ? domain : null,
      });
      if (!answer) return;
      const record = (outcome) => {
        addHistory(ctx.scope, id, { change: act.done, to: act.to, note: answer.note, outcome });
        drawHistory();
      };
      await ctx.act({
        slot: statusSlot, busy: buttons, returnFocus: button, pending: `${act.ing} the account`, title: `${act.label} failed`,
        call: (opts) => client.changeAccountStatus(id, { status: act.to, note: answer.note }, opts),
        verify: async (opts) => {
          const code = (await client.getAccountStatus(id, opts)).account_status;
          const word = meanings("AccountLifecycleStatus").get(code) ?? code;
          const landed = code === act.to || { a: "u", s: "p", t: "d" }[act.to] === code;
          return { landed, text: `the account is now ${word}.` };
        },
        failed: (err) => record(`failed (${err?.kind ?? "error"}${err?.status ? ` ${err.status}` : ""})`),
        done: async () => {
          record("done");
          await Promise.all([loadStatus(), loadOverview(), load()]);
          return `${act.done} ${name}. Note: ${answer.note}`;
        },
      });
    }

    // Plan: change the variation.
    const planSlot = outcomeSlot();
    const variationSelect = h("select", {});
    const params = h("input", { type: "text", placeholder: "e.g. param1,param2", autocomplete: "off" });
    const planButton = h("button", { type: "submit" }, "Change plan");
    const syncPlan = () => { planButton.disabled = !variationSelect.value || variationSelect.value === account?.variation_id; };
    variationSelect.addEventListener("change", syncPlan);
    const planForm = h("form", { class: "stack", novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      const to = variationSelect.value;
      const name = ctx.variationName(to) ?? to;
      await ctx.act({
        slot: planSlot, busy: [planButton], pending: `Changing the plan to ${name}`, title: "Changing the plan failed",
        call: (opts) => client.changeAccountVariation(id, {
          variationid: to,
          variation_params: params.value.trim() || undefined,
        }, opts),
        verify: async (opts) => {
          const now = (await client.getAccount(id, opts)).variation_id;
          return { landed: now === to, text: `the plan is ${ctx.variationName(now) ?? now}.` };
        },
        done: async () => {
          await Promise.all([loadOverview(), load()]);
          return `Plan changed to ${name}.`;
        },
      });
    } },
    field("New plan", variationSelect),
    field("Variation params", params, "Optional, separated by commas."),
    h("p", { class: "hint" }, "Plan prices are not sent by the API: see your reseller contract."),
    h("div", { class: "button-row" }, planButton),
    planSlot);

    function renderPlan() {
      if (!ctx.variations.length) {
        plan.body.replaceChildren(h("p", { class: "muted" }, "The catalogue is not loaded."));
        return;
      }
      variationSelect.replaceChildren(...ctx.variations.map((v) =>
        h("option", { value: v.id ?? "", selected: v.id === account?.variation_id, title: `Variation id: ${show(v.id)}` },
          `${show(v.name)}${v.id === account?.variation_id ? " · current" : ""}`)));
      if (account) variationSelect.value = account.variation_id ?? "";
      syncPlan();
      if (!plan.body.contains(planForm)) plan.body.replaceChildren(planForm);
    }
    renderPlan();

    agents.body.append(attributeEditor(ctx, {
      name: "max_agents",
      key: keyOf("agents"),
      group,
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
      list: async (opts) => (await client.listAccountAddons(id, opts)).addons ?? [],
      existing: () => addonList,
      target: who,
    });
    addons.body.append(addonsBox, picker.el);

    async function loadAddons() {
      if (!addonsTable.firstChild) addonsTable.replaceChildren(loadingText());
      const res = await group.run("add-ons", {
        busy: [addons.el], pending: "Loading the add-ons", key: keyOf("addons"), title: "Loading the add-ons failed",
        call: (opts) => client.listAccountAddons(id, opts),
      }, loadAddons);
      if (res.replaced) return;
      if (res.ok) {
        addonList = res.value.addons ?? [];
        addonsTable.replaceChildren(addonTable(addonList));
      } else if (!addonsTable.querySelector("table")) addonsTable.replaceChildren(h("p", { class: "muted" }, "Not loaded."));
    }

    // Licenses of the same customer (by email), each opening its detail.
    async function loadLicenses() {
      const email = account?.customer_email;
      if (!email) return;
      licenses.body.replaceChildren(loadingText());
      const res = await group.run("licenses", {
        busy: [licenses.el], pending: "Loading the licenses", key: keyOf("licenses"), title: "Loading the licenses failed",
        call: (opts) => client.listLicenses({ customer_identifier: email }, opts),
      }, loadLicenses);
      if (res.replaced) return;
      if (!res.ok) return void licenses.body.replaceChildren(h("p", { class: "muted" }, "Not loaded."));
      const mine = (res.value.licenses ?? []).filter((l) => String(l.customer_email ?? "").toLowerCase() === email.toLowerCase());
      licenses.body.replaceChildren(mine.length
        ? h("ul", { class: "link-list" }, mine.map((l) => h("li", {},
          h("button", { type: "button", class: "link mono", onclick: () => ctx.openLicense(l) }, show(l.license_code)),
          " ", badge("LicenseStatus", l.license_status), " ", planLabel(ctx, l.variation_id))))
        : h("p", { class: "muted" }, `No license lists ${email} as its customer.`));
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
      const res = await group.run("users", {
        busy: [users.el], pending: "Loading the users", key: keyOf("users"), title: "Loading the users failed",
        call: (opts) => client.listAccountUsers(id, opts),
      }, loadUsers);
      if (res.replaced) return;
      if (!res.ok) {
        if (!usersTable.querySelector("table")) usersTable.replaceChildren(h("p", { class: "muted" }, "Not loaded."));
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
            h("td", { "data-label": "Role" }, roleLabel(u.role_type, u.role)),
            h("td", { "data-label": "Status" }, userStatusLabel(u.status)),
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
      const role = roleLabel(user.role_type, user.role).textContent;
      const answer = await confirmAction({
        title: onlyOwner ? "Remove the only owner" : "Remove user",
        message: `Remove ${name} (${show(user.email)}, ${role}) from this account?`,
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
        verify: async (opts) => {
          const still = ((await client.listAccountUsers(id, opts)).users ?? []).some((u) => u.userid === user.userid);
          return { landed: !still, text: still ? `${name} is still a user.` : `${name} is no longer a user.` };
        },
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
    ctx.updateDrawer();
    if (push) ctx.syncRoute();
    if (focus) {
      const back = [...tbody.rows].find((tr) => tr.dataset.accountId === id);
      (back?.querySelector("button") ?? $("#tab-accounts")).focus();
    }
  }

  /** Opens the account of this customer email (from a license), if listed. */
  function openByEmail(email) {
    const a = rows.find((x) => String(x.customer_email ?? "").toLowerCase() === String(email ?? "").toLowerCase());
    if (!a) return false;
    showRow(a.account_id);
    render();
    open(a.account_id);
    return true;
  }

  return {
    load,
    open,
    close: closeDetail,
    reset,
    viewParams,
    applyView,
    openByEmail,
    showRow: (id) => { showRow(id); render(); },
    get openId() { return openId; },
    get loaded() { return loaded; },
  };
}
