// Lists the reseller's accounts and licenses as two tables.
//
//   LIVEAGENT_API_URL=https://support.example.com/api \
//   LIVEAGENT_RESELLER=reseller@example.com LIVEAGENT_API_KEY=... node dist/list.js
import { LiveAgentError, ResellerClient, valueSet } from "liveagent-reseller";
import type { Account, License } from "liveagent-reseller";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set ${name}`);
  return value;
}

/** Left-aligned columns; `null` and missing values show as "-". */
function table<Row>(rows: readonly Row[], columns: Record<string, (row: Row) => string | null | undefined>): string {
  const heads = Object.keys(columns);
  const cells = rows.map((row) => Object.values(columns).map((cell) => cell(row) ?? "-"));
  const widths = heads.map((head, i) => Math.max(head.length, ...cells.map((line) => (line[i] ?? "").length)));
  const line = (values: readonly string[]) =>
    values.map((value, i) => value.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(heads), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}

/** "a" → "a (Active)", using the documented meanings. */
function meaning(set: "AccountStatus" | "LicenseStatus", code: string | null | undefined): string | undefined {
  if (code == null) return undefined;
  const known = valueSet(set).find(([c]) => c === code);
  return known ? `${code} (${known[1]})` : code;
}

const client = new ResellerClient({
  baseUrl: env("LIVEAGENT_API_URL"),
  reseller: env("LIVEAGENT_RESELLER"),
  apiKey: env("LIVEAGENT_API_KEY"),
});

try {
  const [{ accounts }, { licenses }] = await Promise.all([client.listAccounts(), client.listLicenses()]);
  console.log(`Accounts (${accounts?.length ?? 0})`);
  console.log(table<Account>(accounts ?? [], {
    id: (a) => a.account_id,
    status: (a) => meaning("AccountStatus", a.status),
    domain: (a) => a.domain,
    customer: (a) => a.customer_name,
    created: (a) => a.date_created,
  }));
  console.log(`\nLicenses (${licenses?.length ?? 0})`);
  console.log(table<License>(licenses ?? [], {
    code: (l) => l.license_code,
    status: (l) => meaning("LicenseStatus", l.license_status),
    customer: (l) => l.customer_email,
    "valid from": (l) => l.valid_from,
    "valid to": (l) => l.valid_to,
  }));
} catch (error) {
  if (!(error instanceof LiveAgentError)) throw error;
  console.error(`${error.operation} failed (${error.kind}${error.status ? `, HTTP ${error.status}` : ""}): ${error.message}`);
  process.exitCode = 1;
}
