// New account: variation picker, live signup checks, createAccount.
import { h, $, show } from "./dom.js";
import { meanings } from "./status.js";
import { run, showNotice } from "./ui.js";

const DEBOUNCE_MS = 350;

export function setupSignup(ctx) {
  const form = $("#signup-form");
  const variation = $("#signup-variation");
  const email = $("#signup-email");
  const subdomain = $("#signup-subdomain");
  const topdomain = $("#signup-topdomain");
  const submit = $("#signup-submit");
  const result = $("#signup-result");

  const product = () => ctx.variations.find((v) => v.id === variation.value)?.product ?? "";

  ctx.events.addEventListener("variations", () => {
    const keep = variation.value;
    variation.replaceChildren(...ctx.variations.map((v) =>
      h("option", { value: v.id ?? "" }, `${show(v.name)} · ${show(v.product)} (${show(v.id)})`)));
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
      check.done = run(field, () => call(productid, value, controller.signal)).then((res) => {
        if (controller.signal.aborted) return;
        if (!res) return void display("error", "Could not check (see the error above).");
        if (res.is_valid === "1") display("valid", okText);
        else display("invalid", res.error || "Not valid.");
      });
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
    result.textContent = "";
    if (!ctx.client) return;
    submit.disabled = true;
    const [emailOk, domainOk] = await Promise.all([emailCheck.ensure(), domainCheck.ensure()]);
    submit.disabled = false;
    if (!emailOk || !domainOk) {
      result.textContent = "Fix the highlighted fields first.";
      (emailOk ? subdomain : email).focus();
      return;
    }
    const phone = $("#signup-phone").value.trim();
    const params = {
      variation_id: variation.value,
      customer_name: $("#signup-name").value.trim(),
      customer_email: email.value.trim(),
      subdomain: subdomain.value.trim(),
      company: $("#signup-company").value.trim() || undefined,
      top_domain: topdomain.value.trim() || undefined,
      language: $("#signup-language").value.trim() || undefined,
      extra_params: phone ? JSON.stringify({ phone }) : undefined,
    };
    const created = await run([submit, form], () => ctx.client.createAccount(params));
    if (!created) return;
    const statusText = meanings("NewAccountStatus").get(created.account_status) ?? show(created.account_status);
    showNotice(`Created the account of ${params.customer_name} (${params.subdomain}.${params.top_domain ?? "ladesk.com"}): ${statusText}.`);
    form.reset();
    $("#signup-suffix").textContent = ".ladesk.com";
    emailCheck.reset();
    domainCheck.reset();
    describeVariation();
    ctx.selectTab("accounts");
    await ctx.accounts.load({ highlight: created.account_id });
    ctx.accounts.open(created.account_id, { focus: true });
  });

  return {};
}
