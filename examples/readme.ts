import { ResellerClient, LiveAgentError } from "liveagent-reseller";

const client = new ResellerClient({
  baseUrl: "http://127.0.0.1:8080/api", // `make sandbox`; a real one is https://<you>.ladesk.com/api
  reseller: "reseller@example.com",
  apiKey: "sandbox-api-key",
});

try {
  const { accounts } = await client.listAccounts({ created_from: "2012-01-01 00:00:00" });
  for (const account of accounts ?? []) {
    console.log(account.account_id, account.status, account.domain, account.customer_name);
  }
} catch (error) {
  if (!(error instanceof LiveAgentError)) throw error;
  console.error(`${error.kind}: ${error.message}`); // e.g. "api: listAccounts: HTTP 401: …"
}
