// New account: variation picker, live signup checks, createAccount.
import { h, $, show } from "./dom.js";
import { meanings } from "./status.js";
import { clearOutcome, showOutcome } from "./ui.js";

const DEBOUNCE_MS = 350;

export function setupSignup(ctx) {
  const form = $("#signup-form");
  const variation = $("#signup-variation");
  const email = $("#signup-email");
  const subdomain = $("#signup-subdomain");
  const topdomain = $("#signup-topdomain");
  const submit = $("#signup-submit");
  const slot = $("#signup-outcome");
  const name = $("#signup-name");
  const nameCheck = $("#signup-name-check");

  /** A name of spaces only passes `required`; it would fail at the server. */
  function checkName() {
    const bad = !name.value.trim();
    nameCheck.dataset.state = bad ? "invalid" : "idle";
    nameCheck.textContent = bad ? (name.value ? "Enter a name, not only spaces." : "Enter the customer's name.") : "";
    name.setAttribute("aria-invalid", String(bad));
    return !bad;
  }
  name.addEventListener("input", () => { if (nameCheck.dataset.state === "invalid") checkName(); });
  name.addEventListener("blur", () => { if (name.value) checkName(); });

  const product = () => ctx.variations.find((v) => v.id === variation.value)?.product ?? "";

  ctx.events.addEventListener("variations", () => {
    emailCheck?.reset();
    domainCheck?.reset();
    const keep = variation.value;
    variation.replaceChildren(...ctx.variations.map((v) =>
      h("option", { value: v.id ?? "", title: `Variation id: ${show(v.id)}` }, `${show(v.name)} · ${show(v.product)}`)));
    if (ctx.variations.some((v) => v.id === keep)) variation.value = keep;
    describeVariation();
  });

  function describeVariation() {
    const v = ctx.variations.find((x) => x.id === variation.value);
    $("#signup-variation-hint").textContent = v
      ? `${show(v.description, "")} Product: ${show(v.product)}. ${(v.addons ?? []).length} add-ons available.`
      : "";
  }

  // A live check: debounced, the previous one aborted, the answer inline.
  function liveCheck(input, out, key, call, okText) {
    const check = { state: "idle", key: "", timer: 0, controller: null, done: Promise.resolve() };
    const display = (state, text) => {
      check.state = state;
      out.dataset.state = state;
      out.textContent = text;
      input.setAttribute("aria-invalid", String(state === "invalid"));
    };
    check.run = () => {
      clearTimeout(check.timer);
      check.controller?.abort();
      const value = input.value.trim();
      const productid = product();
      check.key = `${productid}|${key()}`;
      if (!value) return void display("idle", "");
      if (!ctx.client) return void display("idle", "Connect first.");
      if (!productid) return void display("idle", "Choose a variation first.");
      const controller = new AbortController();
      check.controller = controller;
      display("checking", "Checking…");
      const field = input.closest(".field");
      field.setAttribute("aria-busy", "true");
      check.done = call(productid, value, AbortSignal.any([controller.signal, ctx.connectionSignal]))
        .then((res) => {
          if (controller.signal.aborted) return;
          if (res.is_valid === "1") display("valid", okText);
          else display("invalid", res.error || "Not valid.");
        }, (err) => {
          if (controller.signal.aborted) return;
          display("error", `Could not check: ${err?.kind ?? "error"}${err?.status ? ` ${err.status}` : ""}: ${err?.message ?? err}`);
        })
        .finally(() => field.removeAttribute("aria-busy"));
      return check.done;
    };
    check.schedule = () => {
      clearTimeout(check.timer);
      check.controller?.abort();
      if (!input.value.trim()) return void display("idle", "");
      display("checking", "Checking…");
      check.timer = setTimeout(check.run, DEBOUNCE_MS);
    };
    /** Valid for the current value? Runs the check now if it is stale. */
    check.ensure = async () => {
      if (check.state === "valid" && check.key === `${product()}|${key()}`) return true;
      await check.run();
      return check.state === "valid";
    };
    check.reset = () => {
      clearTimeout(check.timer);
      check.controller?.abort();
      display("idle", "");
    };
    input.addEventListener("input", check.schedule);
    return check;
  }

  const emailCheck = liveCheck(email, $("#signup-email-check"), () => email.value.trim(),
    (productid, value, signal) => ctx.client.checkEmail({ productid, email: value }, { signal }),
    "This email can be used.");
  const domainCheck = liveCheck(subdomain, $("#signup-subdomain-check"),
    () => `${subdomain.value.trim()}.${topdomain.value.trim()}`,
    (productid, value, signal) => ctx.client.checkDomain(
      { productid, subdomain: value, customtopdomain: topdomain.value.trim() || undefined }, { signal }),
    "This domain is available.");

  topdomain.addEventListener("input", () => {
    $("#signup-suffix").textContent = `.${topdomain.value.trim() || "ladesk.com"}`;
    domainCheck.schedule();
  });
  variation.addEventListener("change", () => {
    describeVariation();
    emailCheck.schedule();
    domainCheck.schedule();
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    clearOutcome(slot);
    if (!ctx.client) {
      showOutcome(slot, "error", h("p", { class: "result-message" }, "Connect first (the bar at the top)."), { focus: true });
      return;
    }
    if (!checkName()) return name.focus();
    if (!variation.value) return variation.focus();
    submit.disabled = true;
    const [emailOk, domainOk] = await Promise.all([emailCheck.ensure(), domainCheck.ensure()]);
    submit.disabled = false;
    if (!emailOk || !domainOk) {
      showOutcome(slot, "error", h("p", { class: "result-message" }, "Fix the highlighted fields first."));
      (emailOk ? subdomain : email).focus();
      return;
    }
    const phone = $("#signup-phone").value.trim();
    const params = {
      variation_id: variation.value,
      customer_name: name.value.trim(),
      customer_email: email.value.trim(),
      subdomain: subdomain.value.trim(),
      company: $("#signup-company").value.trim() || undefined,
      top_domain: topdomain.value.trim() || undefined,
      language: $("#signup-language").value.trim() || undefined,
      extra_params: phone ? JSON.stringify({ phone }) : undefined,
    };
    const domain = `${params.subdomain}.${params.top_domain ?? "ladesk.com"}`;
    // Everything after a success lives in `done`, so that a Retry that
    // succeeds (after a 503) says so and empties the form just the same.
    await ctx.act({
      slot, busy: [submit], pending: `Creating the account of ${params.customer_name}`, title: "Creating the account failed",
      call: (opts) => ctx.client.createAccount(params, opts),
      // A create whose outcome is unknown: is there an account with this
      // email or domain now? (never a blind second create)
      verify: async (opts) => {
        const { accounts = [] } = await ctx.client.listAccounts({}, opts);
        const lower = (v) => String(v ?? "").toLowerCase();
        const found = accounts.find((a) => lower(a.customer_email) === lower(params.customer_email) || lower(a.domain) === lower(domain));
        if (found) {
          return {
            landed: true,
            text: `the account exists (${show(found.customer_email)}, ${show(found.domain)}).`,
            value: { account_id: found.account_id, account_status: found.status },
          };
        }
        const check = await ctx.client.checkDomain({ productid: product() || "LiveAgent", subdomain: params.subdomain, customtopdomain: params.top_domain }, opts);
        return check.is_valid === "1"
          ? { landed: false, text: `no account has ${params.customer_email} and ${domain} is still free.` }
          : { landed: null, text: `${domain} is taken but no listed account has it.` };
      },
      done: (created) => {
        const statusText = meanings("NewAccountStatus").get(created.account_status)
          ?? meanings("AccountStatus").get(created.account_status) ?? show(created.account_status);
        form.reset();
        $("#signup-suffix").textContent = ".ladesk.com";
        emailCheck.reset();
        domainCheck.reset();
        nameCheck.textContent = "";
        nameCheck.dataset.state = "idle";
        name.removeAttribute("aria-invalid");
        if (ctx.variations.length) variation.value = params.variation_id;
        describeVariation();
        ctx.accounts.load({ highlight: created.account_id });
        ctx.licenses.load();
        const openIt = h("button", { type: "button", class: "small", onclick: () => {
          ctx.selectTab("accounts", false, true);
          ctx.accounts.showRow(created.account_id);
          ctx.accounts.open(created.account_id, { focus: true });
        } }, "Open the account");
        return {
          text: `Created the account of ${params.customer_name} (${domain}): ${statusText}, account_id ${show(created.account_id)}. The form is empty again for the next one.`,
          actions: [openIt],
        };
      },
    });
  });

  return {};
}
