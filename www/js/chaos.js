// The chaos panel: drives the sandbox's fault rules (through backend.js) so
// that a visitor can watch retries, timeouts and Cancel at work. Shown only
// when a sandbox (served or in-memory) is there.
import { h, $ } from "./dom.js";
import { showOutcome, clearOutcome } from "./ui.js";

const WRONG_KEY_BODY = JSON.stringify({
  response: { status: "ERROR", statuscode: 401, errormessage: "authentication failed: wrong API key" },
});

/** The rule each button registers, for the chosen scope. */
const FAULTS = {
  error500: (scope) => ({
    rule: { path_contains: scope, status: 500, count: 1 },
    text: "The next request answers 500 (a server error). It is not retried: the panel that made it says so once, with Retry for a read.",
  }),
  burst: (scope) => ({
    rule: { path_contains: scope, status: 503, count: 2, retry_after: 1 },
    text: "The next 2 requests answer 503 with Retry-After: 1. A GET is retried and succeeds on its third attempt; a POST is not retried.",
  }),
  slow: (scope) => ({
    rule: { path_contains: scope, status: 200, delay_ms: 3000, count: 5 },
    text: "The next 5 requests take 3 s more.",
  }),
  hang: (scope) => ({
    rule: { path_contains: scope, status: 200, delay_ms: 120_000, count: 1 },
    text: "The next request hangs: it times out (see Timeout above) or you press Cancel.",
  }),
  wrongkey: (scope) => ({
    rule: { path_contains: scope, status: 401, count: 1000, body: WRONG_KEY_BODY },
    text: "Every request is answered 401 (wrong API key) until you clear the faults.",
  }),
};

/** A rule in words; `counted`: the backend counts its rules down (the HTTP sandbox does). */
function describe(rule, counted = true) {
  const where = rule.path_contains ? `paths with “${rule.path_contains}”` : "every API call";
  const left = counted ? `${rule.count} left` : `${rule.count} set`;
  if (rule.status === 200 && !rule.body) return `${rule.delay_ms >= 60_000 ? "Hang" : `+${rule.delay_ms / 1000} s`} · ${where} · ${left}`;
  const after = rule.retry_after ? ` (Retry-After ${rule.retry_after})` : "";
  const delay = rule.delay_ms ? ` after ${rule.delay_ms / 1000} s` : "";
  return `${rule.status}${after}${delay} · ${where} · ${left}`;
}

export function setupChaos(ctx, backend) {
  const panel = $("#chaos");
  const scope = $("#chaos-scope");
  const slot = $("#chaos-outcome");
  const list = $("#chaos-rules");

  function showRules(rules) {
    list.replaceChildren(...rules.map((r) => h("li", {}, describe(r, backend.name !== "memory"))));
    list.hidden = !rules.length;
  }

  async function refresh() {
    try {
      showRules(await backend.faults());
    } catch {
      // The rules list is a convenience; the log shows what happened.
    }
  }

  panel.addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-fault]");
    if (!button) return;
    const kind = button.dataset.fault;
    button.disabled = true;
    try {
      if (kind === "clear") {
        await backend.clearFaults();
        showOutcome(slot, "success", h("p", { class: "result-message" }, backend.name === "memory"
          ? "Faults cleared: the in-memory sandbox was reset with them (its data too) and answers normally."
          : "Faults cleared: the sandbox answers normally."), { focus: true });
      } else {
        const { rule, text } = FAULTS[kind](scope.value);
        await backend.addFault(rule);
        showOutcome(slot, "success", h("p", { class: "result-message" }, text), { focus: true });
      }
    } catch (err) {
      showOutcome(slot, "error", h("p", { class: "result-message" }, `The sandbox did not take the rule: ${err.message}`), { focus: true });
    } finally {
      button.disabled = false;
    }
    refresh();
  });

  // Rules count down as requests arrive: refresh when a call ends.
  let timer = 0;
  ctx.tracker.events.addEventListener("settled", () => {
    if (!list.children.length) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  });

  return {
    enable() {
      panel.hidden = false;
      // The in-memory sandbox answers at once: no delays to inject.
      for (const button of panel.querySelectorAll("[data-fault=slow], [data-fault=hang]")) {
        const off = !backend.supports.delay;
        button.disabled = off;
        button.title = off ? "The in-memory sandbox cannot delay answers" : "";
      }
      clearOutcome(slot);
      refresh();
    },
  };
}
