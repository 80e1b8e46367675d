// Each line after a @ts-expect-error must fail to compile; types.test.mjs
// checks both that these directives are all used and that, without them,
// exactly those lines fail.
import { LiveAgentError, ResellerClient, initSync, valueSet } from "liveagent-reseller";
import type { Account, ChangeAccountStatusParams } from "liveagent-reseller";

export async function misuse(client: ResellerClient, error: LiveAgentError, account: Account): Promise<void> {
  // @ts-expect-error a mandatory field is missing (customer_email)
  await client.createAccount({ variation_id: "r7g4y7ya", customer_name: "A", subdomain: "acme" });
  // @ts-expect-error a code outside the documented value set (a, s, t)
  await client.changeAccountStatus("id", { status: "x", note: "unpaid" });
  // @ts-expect-error a wrong argument type: the account id is a string
  await client.getAccount(42);
  // @ts-expect-error the params object is mandatory here
  await client.checkEmail();
  // @ts-expect-error a key the docs do not name
  await client.checkEmail({ productid: "LiveAgent", email: "a@b.example", extra: 1 });
  // @ts-expect-error a mandatory field set to undefined (exactOptionalPropertyTypes)
  const params: ChangeAccountStatusParams = { status: "a", note: undefined };
  // @ts-expect-error options come last: a params object where options are expected
  await client.getAccountStatus("id", { status: "a" });
  // @ts-expect-error the config needs an apiKey
  new ResellerClient({ baseUrl: "https://support.example.com/api", reseller: "r" });
  // @ts-expect-error timeoutMs is a number
  await client.listAccounts(undefined, { timeoutMs: "5000" });
  // @ts-expect-error a response field may be absent or null: not a plain string
  const domain: string = account.domain;
  // @ts-expect-error the list may be absent or null
  (await client.listAccounts()).accounts.length;
  // @ts-expect-error an error's status is undefined when absent, never null
  const status: number | null = error.status;
  // @ts-expect-error the error kinds are a closed set
  const kind: LiveAgentError["kind"] = "boom";
  // @ts-expect-error an unknown value set name
  valueSet("NoSuchSet");
  // @ts-expect-error initSync takes the object form
  initSync(new Uint8Array(8));
  void params, domain, status, kind;
}
