// Lists the reseller's accounts, straight from the browser.
//
// For the sandbox only: it hands out its demo key at /sandbox.json. A real
// app never puts the reseller's API key in a page; it calls its own backend
// (see examples/worker), which holds the key.
import { LiveAgentError, ResellerClient, valueSet } from "liveagent-reseller";

const sandbox = new URLSearchParams(location.search).get("sandbox") ?? "http://127.0.0.1:8080";
const status = document.querySelector("#status");
const table = document.querySelector("#accounts");
const meanings = new Map(valueSet("AccountStatus"));

try {
  const { baseUrl, reseller, apiKey } = await (await fetch(new URL("/sandbox.json", sandbox))).json();
  const client = new ResellerClient({ baseUrl, reseller, apiKey });
  const accounts = (await client.listAccounts()).accounts ?? [];
  for (const account of accounts) {
    const row = table.tBodies[0].insertRow();
    const code = account.status ?? "";
    for (const value of [account.account_id, `${code} (${meanings.get(code) ?? "?"})`, account.domain,
                         account.customer_name, account.date_created]) {
      row.insertCell().textContent = value ?? "-";
    }
  }
  table.hidden = false;
  status.textContent = `${accounts.length} accounts of ${client.reseller}`;
  document.body.dataset.state = "ready";
} catch (error) {
  status.textContent = error instanceof LiveAgentError ? `${error.kind}: ${error.message}` : String(error);
  document.body.dataset.state = "error";
}
