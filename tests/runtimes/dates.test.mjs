// Datetimes (API.md): toLiveAgentDateTime / fromLiveAgentDateTime as every
// entry exports them, across both DST changes of America/Los_Angeles (the
// default zone) in both directions, in other zones (Berlin, Sydney, Lord Howe's
// half-hour DST, Apia's skipped day), and for what is not a valid datetime;
// formatForCore / checkTimeZone as the wasm uses them, and `Date` inputs of a
// call as they reach the wire. Compared with fixed
// instants worked out by hand, and round-tripped hour by hour over a year.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { api, apiKey, pkgDir, preflight, reseller } from "./helpers.mjs";

let node; // the Node entry, as `import "liveagent-reseller"` gets it
let entries; // every entry Node can import
let core; // the snippet module the wasm calls: formatForCore, checkTimeZone

before(async () => {
  await preflight();
  node = await import(join(pkgDir, "node.js"));
  entries = { node, index: await import(join(pkgDir, "index.js")), inline: await import(join(pkgDir, "inline.js")),
              manual: await import(join(pkgDir, "manual.js")) };
  const snippets = join(pkgDir, "snippets");
  const [dir] = readdirSync(snippets);
  core = await import(join(snippets, dir, "js/dates.js"));
});

const at = (iso) => new Date(iso);
const iso = (date) => date?.toISOString() ?? null;
const HOUR = 3_600_000;

// [instant, America/Los_Angeles wall clock]
const laSpring = [ // 2024-03-10: 02:00 PST becomes 03:00 PDT (at 10:00Z)
  ["2024-03-10T09:00:00Z", "2024-03-10 01:00:00"],
  ["2024-03-10T09:59:59Z", "2024-03-10 01:59:59"],
  ["2024-03-10T10:00:00Z", "2024-03-10 03:00:00"],
  ["2024-03-10T10:30:00Z", "2024-03-10 03:30:00"],
  ["2024-03-11T07:00:00Z", "2024-03-11 00:00:00"],
];
const laFall = [ // 2024-11-03: 02:00 PDT becomes 01:00 PST (at 09:00Z); 01:00-01:59 happens twice
  ["2024-11-03T07:59:59Z", "2024-11-03 00:59:59"],
  ["2024-11-03T08:30:00Z", "2024-11-03 01:30:00"],
  ["2024-11-03T08:59:59Z", "2024-11-03 01:59:59"],
  ["2024-11-03T09:00:00Z", "2024-11-03 01:00:00"],
  ["2024-11-03T09:30:00Z", "2024-11-03 01:30:00"],
  ["2024-11-03T10:00:00Z", "2024-11-03 02:00:00"],
];

test("every entry exports the same two functions, and LiveAgentError", () => {
  for (const [name, m] of Object.entries(entries)) {
    assert.equal(typeof m.toLiveAgentDateTime, "function", name);
    assert.equal(typeof m.fromLiveAgentDateTime, "function", name);
    assert.equal(m.toLiveAgentDateTime(at("2024-03-10T10:00:00Z")), "2024-03-10 03:00:00", name);
  }
  assert.equal(node.formatForCore, undefined, "formatForCore is for the wasm, not API");
});

test("a Date becomes America/Los_Angeles wall-clock text across both DST changes (the default zone)", () => {
  for (const [instant, text] of [...laSpring, ...laFall]) {
    assert.equal(node.toLiveAgentDateTime(at(instant)), text, instant);
    assert.equal(node.toLiveAgentDateTime(at(instant), "America/Los_Angeles"), text, instant);
    assert.equal(node.toLiveAgentDateTime(at(instant), undefined), text, instant);
  }
  // Winter and summer offsets, away from the changes.
  assert.equal(node.toLiveAgentDateTime(at("2024-01-15T20:00:00Z")), "2024-01-15 12:00:00");
  assert.equal(node.toLiveAgentDateTime(at("2024-07-15T19:00:00Z")), "2024-07-15 12:00:00");
});

test("text becomes the instant it names across both DST changes; skipped times move forward, repeated ones are the first", () => {
  // 09:00Z and 09:30Z are the second pass of the repeated hour: their text names the first.
  const unambiguous = [...laSpring, ...laFall].filter(([instant]) => !["2024-11-03T09:00:00Z", "2024-11-03T09:30:00Z"].includes(instant));
  for (const [instant, text] of unambiguous) assert.equal(iso(node.fromLiveAgentDateTime(text)), at(instant).toISOString(), text);
  // Spring forward: 02:00-02:59 does not exist; it reads as PST, which is the same instant as 03:xx PDT.
  assert.equal(iso(node.fromLiveAgentDateTime("2024-03-10 02:00:00")), "2024-03-10T10:00:00.000Z");
  assert.equal(iso(node.fromLiveAgentDateTime("2024-03-10 02:30:00")), "2024-03-10T10:30:00.000Z");
  assert.equal(iso(node.fromLiveAgentDateTime("2024-03-10 02:59:59")), "2024-03-10T10:59:59.000Z");
  // Fall back: 01:00-01:59 happens twice; the first (PDT) is taken.
  assert.equal(iso(node.fromLiveAgentDateTime("2024-11-03 01:00:00")), "2024-11-03T08:00:00.000Z");
  assert.equal(iso(node.fromLiveAgentDateTime("2024-11-03 01:30:00")), "2024-11-03T08:30:00.000Z");
  assert.equal(iso(node.fromLiveAgentDateTime("2024-11-03 01:59:59")), "2024-11-03T08:59:59.000Z");
});

test("round trips hour by hour through 2024 (Los Angeles, Berlin, Sydney): exact but for the repeated hour", () => {
  for (const zone of ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney"]) {
    let repeated = 0;
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += HOUR / 2) {
      const text = node.toLiveAgentDateTime(new Date(t), zone);
      assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      const back = node.fromLiveAgentDateTime(text, zone).getTime();
      if (back !== t) {
        // The second pass of a repeated hour reads as the first.
        assert.equal(back, t - HOUR, `${zone} ${text}`);
        assert.equal(node.toLiveAgentDateTime(new Date(back), zone), text);
        repeated++;
      }
    }
    assert.equal(repeated, 2, `${zone}: one repeated hour a year, two half-hour steps`);
  }
});

test("other zones: Berlin, Sydney (southern summer), Lord Howe (half-hour DST), Kathmandu (+05:45), Apia's skipped day", () => {
  const cases = [
    // [zone, instant, text]
    ["Europe/Berlin", "2024-03-31T00:59:59Z", "2024-03-31 01:59:59"],
    ["Europe/Berlin", "2024-03-31T01:00:00Z", "2024-03-31 03:00:00"],
    ["Europe/Berlin", "2024-10-27T00:30:00Z", "2024-10-27 02:30:00"],
    ["Europe/Berlin", "2024-10-27T01:30:00Z", "2024-10-27 02:30:00"],
    ["Australia/Sydney", "2024-04-06T15:30:00Z", "2024-04-07 02:30:00"], // AEDT, first pass
    ["Australia/Sydney", "2024-04-06T16:30:00Z", "2024-04-07 02:30:00"], // AEST, second pass
    ["Australia/Sydney", "2024-10-05T16:00:00Z", "2024-10-06 03:00:00"],
    ["Australia/Lord_Howe", "2024-10-05T15:30:00Z", "2024-10-06 02:30:00"],
    ["Asia/Kathmandu", "2024-06-01T00:00:00Z", "2024-06-01 05:45:00"],
    ["UTC", "2024-06-01T00:00:00Z", "2024-06-01 00:00:00"],
    ["Pacific/Apia", "2011-12-30T10:00:00Z", "2011-12-31 00:00:00"], // 2011-12-30 never happened there
  ];
  for (const [zone, instant, text] of cases) assert.equal(node.toLiveAgentDateTime(at(instant), zone), text, `${zone} ${instant}`);
  const back = [
    ["Europe/Berlin", "2024-03-31 02:30:00", "2024-03-31T01:30:00.000Z"], // skipped: 03:30 CEST
    ["Europe/Berlin", "2024-10-27 02:30:00", "2024-10-27T00:30:00.000Z"], // repeated: the CEST one
    ["Australia/Sydney", "2024-04-07 02:30:00", "2024-04-06T15:30:00.000Z"], // repeated: the AEDT one
    ["Australia/Sydney", "2024-10-06 02:30:00", "2024-10-05T16:30:00.000Z"], // skipped: 03:30 AEDT
    ["Australia/Lord_Howe", "2024-10-06 02:15:00", "2024-10-05T15:45:00.000Z"], // skipped half hour: 02:45
    ["Australia/Lord_Howe", "2024-04-07 01:45:00", "2024-04-06T14:45:00.000Z"], // repeated half hour: the first
    ["Pacific/Apia", "2011-12-30 12:00:00", "2011-12-30T22:00:00.000Z"], // a skipped day: 2011-12-31 12:00
  ];
  for (const [zone, text, instant] of back) assert.equal(iso(node.fromLiveAgentDateTime(text, zone)), instant, `${zone} ${text}`);
});

test("seconds are truncated, never rounded, before and after 1970; years 0001-9999; Dates of other realms", () => {
  assert.equal(node.toLiveAgentDateTime(at("2024-06-01T12:00:00.999Z"), "UTC"), "2024-06-01 12:00:00");
  assert.equal(node.toLiveAgentDateTime(new Date(-1), "UTC"), "1969-12-31 23:59:59");
  assert.equal(node.toLiveAgentDateTime(at("0099-05-06T07:08:09Z"), "UTC"), "0099-05-06 07:08:09");
  assert.equal(iso(node.fromLiveAgentDateTime("0099-05-06 07:08:09", "UTC")), "0099-05-06T07:08:09.000Z");
  assert.equal(iso(node.fromLiveAgentDateTime("9999-12-31 23:59:59", "UTC")), "9999-12-31T23:59:59.000Z");
  assert.equal(node.toLiveAgentDateTime(runInNewContext('new Date("2024-03-10T10:00:00Z")')), "2024-03-10 03:00:00");
  // Before 1883 Los Angeles kept local mean time (-07:52:58): Intl knows, so do we.
  assert.equal(node.toLiveAgentDateTime(at("1850-01-01T12:00:00Z")), "1850-01-01 04:07:02");
  assert.equal(iso(node.fromLiveAgentDateTime("1850-01-01 04:07:02")), "1850-01-01T12:00:00.000Z");
});

test("what is not a valid datetime reads as null; an unknown zone throws invalid_input", () => {
  for (const text of ["2008-12-11 08:95:41", "2024-02-30 00:00:00", "2023-02-29 12:00:00", "2024-13-01 00:00:00",
                      "2024-00-10 00:00:00", "2024-01-00 00:00:00", "2024-12-31 24:00:00", "2024-12-31 23:60:00",
                      "2024-12-31 23:59:60", "0000-01-01 00:00:00", "2024-01-01T00:00:00", "2024-01-01 00:00:00Z",
                      " 2024-01-01 00:00:00", "2024-01-01 00:00", "2024-1-01 00:00:00", "", null, undefined, 20240101]) {
    assert.equal(node.fromLiveAgentDateTime(text), null, String(text));
  }
  assert.equal(iso(node.fromLiveAgentDateTime("2024-02-29 23:59:59")), "2024-03-01T07:59:59.000Z"); // a leap day
  for (const zone of ["Mars/Olympus_Mons", "", "PST8PDT-ish"]) {
    const error = (() => { try { node.fromLiveAgentDateTime("2024-01-01 00:00:00", zone); } catch (e) { return e; } })();
    assert.ok(error instanceof node.LiveAgentError, String(error));
    assert.equal(error.kind, "invalid_input");
    assert.equal(error.operation, "fromLiveAgentDateTime");
  }
});

test("an invalid Date, a non-Date or an unknown zone is a LiveAgentError of kind invalid_input", () => {
  const cases = [[new Date(NaN)], [new Date("yesterday")], ["2024-01-01 00:00:00"], [Date.now()], [null],
                 [new Date(8.64e15)], [at("-000001-01-01T00:00:00Z")], [at("2024-01-01T00:00:00Z"), "Mars/Olympus_Mons"]];
  for (const args of cases) {
    const error = (() => { try { return node.toLiveAgentDateTime(...args); } catch (e) { return e; } })();
    assert.ok(error instanceof node.LiveAgentError, `${String(args[0])}: ${error}`);
    assert.equal(error.kind, "invalid_input");
    assert.equal(error.operation, "toLiveAgentDateTime");
    assert.equal(error.retryable, false);
    assert.match(error.message, /^toLiveAgentDateTime: /);
  }
});

test("for the wasm: formatForCore gives the text or undefined and never throws; checkTimeZone", () => {
  assert.equal(core.formatForCore(at("2024-03-10T10:00:00Z")), "2024-03-10 03:00:00");
  assert.equal(core.formatForCore(at("2024-03-10T10:00:00Z"), undefined), "2024-03-10 03:00:00");
  assert.equal(core.formatForCore(at("2024-03-10T10:00:00Z"), null), "2024-03-10 03:00:00");
  assert.equal(core.formatForCore(at("2024-03-10T10:00:00Z"), "Europe/Berlin"), "2024-03-10 11:00:00");
  const hostile = new Proxy({}, { get() { throw new Error("no"); } });
  const cases = [[new Date(NaN)], ["2024-01-01"], [undefined], [null], [hostile], [{ getTime: () => 0 }],
                 [new Date(0), "Mars/Olympus_Mons"], [new Date(0), 42], [new Date(0), hostile]];
  cases.forEach(([date, zone], i) => assert.equal(core.formatForCore(date, zone), undefined, `case ${i}`));
  for (const zone of ["America/Los_Angeles", "Europe/Berlin", "UTC", "Asia/Kathmandu", "america/los_angeles"]) {
    assert.equal(core.checkTimeZone(zone), true, zone);
  }
  for (const zone of ["Mars/Olympus_Mons", "", undefined, null, 42, {}]) assert.equal(core.checkTimeZone(zone), false, String(zone));
});

test("a Date input of a call is sent as wall-clock text in the client's timeZone, across DST", async () => {
  const sent = (timeZone) => {
    const urls = [];
    const client = new node.ResellerClient({ baseUrl: api, reseller, apiKey, ...(timeZone ? { timeZone } : {}),
      onEvent: (event) => { if (event.type === "request") urls.push(new URL(event.url).searchParams.get("created_from")); } });
    return { client, urls };
  };
  const la = sent();
  for (const [instant] of [...laSpring, ...laFall]) await la.client.listAccounts({ created_from: at(instant) });
  assert.deepEqual(la.urls, [...laSpring, ...laFall].map(([, text]) => text));
  const berlin = sent("Europe/Berlin");
  await berlin.client.listAccounts({ created_from: at("2024-03-31T00:59:59Z") });
  await berlin.client.listAccounts({ created_from: at("2024-03-31T01:00:00Z") });
  assert.deepEqual(berlin.urls, ["2024-03-31 01:59:59", "2024-03-31 03:00:00"]);
  const error = await la.client.listAccounts({ created_from: new Date(NaN) }).then(() => assert.fail("sent"), (e) => e);
  assert.ok(error instanceof node.LiveAgentError);
  assert.equal(error.kind, "invalid_input");
  assert.equal(la.urls.length, laSpring.length + laFall.length, "an invalid Date was sent");
});
