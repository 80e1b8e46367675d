// A strict consumer of the whole surface: compiled (not run) by types.test.mjs
// as an ES module for bundlers (DOM lib), for Node ESM and Node CommonJS
// (@types/node, no DOM lib), with strict, exactOptionalPropertyTypes and
// noUncheckedIndexedAccess.
import {
  LiveAgentError, ResellerClient, fromLiveAgentDateTime, init, initSync, toLiveAgentDateTime, valueSet,
} from "liveagent-reseller";
import type {
  Account, AccountLifecycleStatus, AccountStatusChange, CallOptions, CreateAccountParams, InitInput,
  LiveAgentDateTime, LiveAgentErrorKind, ResellerClientConfig, StatusResponse, SyncInitInput, ValueSetName,
} from "liveagent-reseller";
import * as inline from "liveagent-reseller/inline";
import * as manual from "liveagent-reseller/manual";

export async function main(signal: AbortSignal, wasm: Uint8Array<ArrayBuffer>, compiled: object): Promise<string[]> {
  const config: ResellerClientConfig = {
    baseUrl: "https://support.example.com/api",
    reseller: "reseller@example.com",
    apiKey: "key",
    timeoutMs: 5_000,
    maxRetries: 1,
    headers: { "X-Extra": "1" },
    fetch: (input, init) => fetch(input, init),
  };
  const client = new ResellerClient(config);
  const options: CallOptions = { signal, timeoutMs: 1_000 };
  const out: string[] = [client.baseUrl, client.reseller, JSON.stringify(client.toJSON())];
  const id = "9900a49c321c871cd1a572a1dc21a33c";

  // The 21 calls: path arguments, then params, then options.
  const { accounts } = await client.listAccounts({ created_from: "2024-01-01 00:00:00" }, options);
  await client.listAccounts();
  await client.listAccounts(undefined, options);
  const first: Account | undefined = accounts?.[0];
  out.push(first?.domain ?? "-", first?.status ?? "-");
  const account = await client.getAccount(id, options);
  const domain: string | null | undefined = account.domain;
  out.push(domain ?? "-");
  const status: AccountLifecycleStatus | null | undefined = (await client.getAccountStatus(id)).account_status;
  out.push(status ?? "-");
  const change: AccountStatusChange = "s";
  const done: StatusResponse = await client.changeAccountStatus(id, { status: change, note: "unpaid" });
  out.push(String(done.statuscode ?? -1));
  await client.changeAccountVariation(id, { variationid: "r7g4y7ya" });
  const params: CreateAccountParams = {
    variation_id: "r7g4y7ya", customer_email: "a@b.example", customer_name: "A", subdomain: "acme", company: "Acme",
  };
  const created = await client.createAccount(params, { signal });
  out.push(created.account_id ?? "-", created.account_status ?? "-");
  const email = await client.checkEmail({ productid: "LiveAgent", email: "a@b.example" });
  const subdomain = await client.checkDomain({ productid: "LiveAgent", subdomain: "acme", customtopdomain: null });
  out.push(email.is_valid ?? "-", subdomain.error ?? "-");
  const variation = (await client.listVariations(options)).variations?.[0];
  out.push(variation?.addons?.[0]?.price ?? "-");
  out.push((await client.getAccountAttribute(id, "max_agents")).value ?? "-");
  await client.setAccountAttribute(id, "max_agents", { value: "5" });
  out.push((await client.listAccountUsers(id)).users?.[0]?.role_type ?? "-");
  await client.removeAccountUser(id, "user456", options);
  out.push((await client.listAccountAddons(id)).addons?.[0]?.status ?? "-");
  await client.addAccountAddon(id, { addon_id: "p4g7y4ft7", valid_to: "2030-01-01 00:00:00" });
  const license = (await client.listLicenses({ customer_identifier: "john@doe.com" })).licenses?.[0];
  out.push(license?.license_status ?? "-", license?.valid_to ?? "-");
  out.push((await client.listLicenseAddons("lat47ts4")).addons?.[0]?.license_code ?? "-");
  await client.addLicenseAddon("lat47ts4", { addon_id: "p9t5s4s5" });
  await client.changeLicenseAddonValidity("lat47ts4", "abcd1234", { valid_to: "2031-01-01 00:00:00" });
  out.push((await client.getLicenseAttribute("lat47ts4", "max_agents")).value ?? "-");
  await client.setLicenseAttribute("lat47ts4", "max_agents", { value: "3" }, options);

  // Errors narrow to LiveAgentError; its optional facts are `undefined`, never `null`.
  try {
    await client.getAccount("");
  } catch (error) {
    if (error instanceof LiveAgentError) {
      const kind: LiveAgentErrorKind = error.kind;
      const http: number | undefined = error.status;
      const code: number | undefined = error.statuscode;
      const message: string | undefined = error.errormessage;
      out.push(kind, error.operation, String(error.retryable), String(http ?? code), message ?? error.message);
    }
  }

  // Value sets.
  const names: ValueSetName[] = ["AccountStatus", "AccountStatusChange", "LicenseStatus"];
  for (const name of names) for (const [code, meaning] of valueSet(name)) out.push(`${code}=${meaning}`);

  // Datetimes: a Date as the API's text, and back (null when absent or malformed).
  const since: LiveAgentDateTime = toLiveAgentDateTime(new Date(), "America/Los_Angeles");
  const createdAt: Date | null = fromLiveAgentDateTime(first?.date_created);
  out.push(since, createdAt?.toISOString() ?? "-", inline.toLiveAgentDateTime(new Date()));

  // Loading by hand: every form init accepts.
  const inputs: InitInput[] = [new URL("https://cdn.example/x.wasm"), "/x.wasm", wasm, wasm.buffer];
  await init();
  await init({ module_or_path: inputs[0] ?? "/x.wasm" });
  await manual.init({ module_or_path: fetch("https://cdn.example/x.wasm") });
  const sync: SyncInitInput = wasm;
  initSync({ module: sync });
  manual.initSync({ module: compiled }); // a WebAssembly.Module
  await inline.init(); // the inline entry: loads its embedded .wasm early
  return out;
}
