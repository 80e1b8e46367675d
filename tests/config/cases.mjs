// Configs for tests/config_rules.rs: each is checked by js/config.js and by
// the core (`sansio::config::from_js_config`), which must agree on every one.
// `[label, make]`: make() returns a fresh config.

const ok = { baseUrl: "https://x.example.com/api", reseller: "r@x.com", apiKey: "k3y" };
const with_ = (extra) => () => ({ ...ok, ...extra });
const without = (key) => () => {
  const config = { ...ok };
  delete config[key];
  return config;
};
const getter = (key, get) => () => Object.defineProperty({ ...ok }, key, { get, enumerable: true });

export const cases = [
  // Valid.
  ["the minimum", () => ({ ...ok })],
  ["every setting", with_({
    timeoutMs: 2147483647, maxRetries: 10, fetch: async () => {}, headers: { "X-Extra": "café" },
    timeZone: "Europe/Berlin", onEvent: () => {}, maxResponseBytes: 2 ** 53,
  })],
  ["the default zone, -0 retries, nulls", with_({ timeZone: "America/Los_Angeles", maxRetries: -0, fetch: null, headers: null })],
  ["an unknown key set to undefined", with_({ timeout: undefined })],
  ["an inherited unknown key", () => Object.assign(Object.create({ timeout: 5, fetch: 1 }), ok)],
  ["a non-enumerable unknown key", () => Object.defineProperty({ ...ok }, "timeout", { value: 5 })],
  ["a symbol key", with_({ [Symbol("x")]: 1 })],
  ["a getter for baseUrl", getter("baseUrl", () => ok.baseUrl)],
  ["headers from Object.create(null)", with_({ headers: Object.assign(Object.create(null), { "X-A": "1" }) })],
  ["a class as fetch", with_({ fetch: class {} })],
  ["an @ in the path", with_({ baseUrl: "https://x/a@b/" })],
  ["upper-case scheme", with_({ baseUrl: "HTTPS://X.EXAMPLE.COM/API//" })],
  ["a non-ASCII host", with_({ baseUrl: "https://é.example/api" })],
  ["a zone in lower case", with_({ timeZone: "utc" })],

  // Not an object, or one that cannot be listed.
  ["undefined", () => undefined],
  ["null", () => null],
  ["a string", () => "https://x/api"],
  ["a function", () => () => ok],
  ["a proxy whose keys throw", () => new Proxy({ ...ok }, { ownKeys() { throw new Error("no"); } })],
  ["a throwing enumerable getter", getter("baseUrl", () => { throw new Error("no"); })],

  // Unknown keys, with the closest name.
  ["timeout", with_({ timeout: 5 })],
  ["base_url", with_({ base_url: "x" })],
  ["apikey", with_({ apikey: "x" })],
  ["retries", with_({ retries: 1 })],
  ["on_event", with_({ on_event: () => {} })],
  ["time_zone", with_({ time_zone: "UTC" })],
  ["Headers", with_({ Headers: {} })],
  ["fetsch", with_({ fetsch: fetch })],
  ["maxResponseSize", with_({ maxResponseSize: 1 })],
  ["no close name", with_({ zzzzzzzzzzzzzzzz: 1 })],
  ["a null unknown key", with_({ signal: null })],
  ["non-ASCII", with_({ "ßaseUrl": 1 })],
  ["a lone surrogate in a key", with_({ "time\uD800out": 1 })],
  ["a key past 32 bytes", with_({ ["maxResponseBytes".repeat(3)]: 1 })],
  ["an array config", () => Object.assign([], ok)],

  // Required.
  ["no baseUrl", without("baseUrl")],
  ["no reseller", without("reseller")],
  ["no apiKey", without("apiKey")],
  ["null apiKey", with_({ apiKey: null })],
  ["nothing", () => ({})],

  // Types.
  ["baseUrl 5", with_({ baseUrl: 5 })],
  ["baseUrl true", with_({ baseUrl: true })],
  ["baseUrl array", with_({ baseUrl: ["https://x/api"] })],
  ["baseUrl String object", with_({ baseUrl: new String("https://x/api") })],
  ["baseUrl URL", with_({ baseUrl: new URL("https://x/api") })],
  ["baseUrl lone surrogate", with_({ baseUrl: "https://x/\uD800" })],
  ["reseller lone surrogate", with_({ reseller: "\uDC00" })],
  ["apiKey lone surrogate", with_({ apiKey: "k\uD800" })],
  ["apiKey number", with_({ apiKey: 123 })],
  ["apiKey bigint", with_({ apiKey: 1n })],

  // baseUrl forms.
  ...["x.example.com/api", "ftp://x/api", "https://", "https:///", "https://u:p@x/api", "https://x/api?a=1",
    "https://x/api#f", "https://x /api", "https://x\\api", "https://x/\u007f", "https://x/\tapi", "", "http:/x",
    "https://x/api\n", "//x/api"]
    .map((baseUrl) => [`baseUrl ${JSON.stringify(baseUrl)}`, with_({ baseUrl })]),
  // reseller and apiKey.
  ...["", ".", ".."].map((reseller) => [`reseller ${JSON.stringify(reseller)}`, with_({ reseller })]),
  ["apiKey empty", with_({ apiKey: "" })],

  // Numbers.
  ...[0, -1, 1.5, NaN, Infinity, -Infinity, -0, 2147483648, 1e300, "1000", true, 10n, Number.MIN_VALUE]
    .map((timeoutMs) => [`timeoutMs ${String(timeoutMs)}`, with_({ timeoutMs })]),
  ...[11, -1, 0.5, "2", 2 ** 64, NaN]
    .map((maxRetries) => [`maxRetries ${String(maxRetries)}`, with_({ maxRetries })]),
  ...[0, 2 ** 53 + 2, 1.5, 1e19, -5, "64"]
    .map((maxResponseBytes) => [`maxResponseBytes ${String(maxResponseBytes)}`, with_({ maxResponseBytes })]),

  // Headers.
  ...[
    "X-A: 1", [], new Map([["X-A", "1"]]), new Headers({ "X-A": "1" }), () => {}, 5,
    { "x y": "1" }, { "X-A": 1 }, { "X-A": undefined }, { "X-A": null }, { "": "1" },
    { "Transfer-Encoding": "chunked" }, { expect: "100-continue" }, { Upgrade: "h2" }, { "Keep-Alive": "5" },
    { HOST: "x" }, { "Content-Length": "1" }, { "Proxy-Authorization": "x" }, { "SEC-Fetch-Mode": "cors" },
    { "proxy-": "x" }, { "X-Sec-Ok": "1" },
    { X: "a\r\nb" }, { X: "a\0b" }, { X: "\u0100" }, { X: "\u{1F600}" }, { X: "\uD800" }, { "\uD800": "1" },
    { "X-Ok": "1", "Bad Name": "2" }, { "Bad Name": "\u0100" }, { "X-É": "1" },
  ].map((headers, i) => [`headers #${i}`, with_({ headers })]),
  ["headers with a throwing getter", with_({
    headers: Object.defineProperty({}, "X-A", { get() { throw new Error("no"); }, enumerable: true }),
  })],
  ["headers a proxy", with_({ headers: new Proxy({}, { getPrototypeOf() { throw new Error("no"); } }) })],

  // Functions.
  ...["x", {}, 1, true].map((fetch) => [`fetch ${typeof fetch}`, with_({ fetch })]),
  ["onEvent 1", with_({ onEvent: 1 })],

  // Time zones.
  ...["Mars/Olympus", "", "Europe/Berlin ", 5, "\uD800", {}]
    .map((timeZone) => [`timeZone ${JSON.stringify(String(timeZone))}`, with_({ timeZone })]),

  // The key scrubbed from what a message quotes, and never from the package's words.
  ["a short key, an unknown key", with_({ apiKey: "e", timeout: 5 })],
  ["the key is an unknown key", with_({ apiKey: "timeout", timeout: 5 })],
  ["the key in a header name", with_({ apiKey: "k3y", headers: { "k3y y": "1" } })],
  ["the key inside a forbidden name", with_({ apiKey: "os", headers: { Host: "x" } })],
  ["the key in a zone", with_({ apiKey: "Mars", timeZone: "Mars/Olympus" })],
  ["the key percent-encoded in a key", with_({ apiKey: "a b/é", "a%20b%2F%C3%A9": 1 })],
  ["the key as a form in a key", with_({ apiKey: "a b", "x+a+b+y": 1 })],
  ["the key JSON-escaped in a header name", with_({ apiKey: "é/", headers: { "\\u00e9\\/": "1" } })],
  ["the key twice, a marker", with_({ apiKey: "d", "[redacted]dad": 1 })],
  ["an empty key, a bad header", with_({ apiKey: "", headers: { "a b": "1" } })],
  ["an ill-formed key is not scrubbed", with_({ apiKey: "\uD800", "\uD800x": 1 })],
  ["words of the package, key 'must'", with_({ apiKey: "must", maxRetries: 11 })],
];

/** A seeded generator (mulberry32): the same random cases on every run. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pieces = ["a", "B", "_", "-", " ", "/", "%", "+", "\\", "\"", "é", "😀", "[", "]", "redacted", "%2F", "%20",
  "\\u00e9", "\\/", "timeout", "Ms", "max", "Retries", "key", "k", "\n", "\u0100"];

/** Random configs: keys near the settings' names, headers and keys with the key's forms. */
export function randomCases(count, seed = 17) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const text = (max) => Array.from({ length: Math.floor(next() * max) }, () => pick(pieces)).join("");
  const out = [];
  for (let i = 0; i < count; i++) {
    const apiKey = text(3);
    const config = { ...ok, apiKey };
    const what = next();
    if (what < 0.4) config[text(4) + pick(["timeoutMs", "baseUrl", "headers", "onEvent", ""])] = 1;
    else if (what < 0.8) config.headers = { [text(4)]: text(2) };
    else config.timeZone = text(3);
    out.push([`random #${i} ${JSON.stringify(config)}`, () => config]);
  }
  return out;
}

/** Random `[text, key]` pairs for the scrub itself: texts built around forms of the key. */
export function scrubPairs(count, seed = 23) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const forms = (key) => [
    key,
    [...new TextEncoder().encode(key)].map((b) => (next() < 0.5 ? `%${b.toString(16).padStart(2, "0")}` : String.fromCharCode(b))).join(""),
    encodeURIComponent(key).replace(/%20/g, "+"),
    JSON.stringify(key).slice(1, -1),
    [...key].map((c) => (next() < 0.5 ? c : Array.from({ length: c.length }, (_, j) => `\\u${c.charCodeAt(j).toString(16).padStart(4, "0")}`).join(""))).join(""),
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    const key = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(pieces)).join("");
    const text = Array.from({ length: Math.floor(next() * 6) }, () => (next() < 0.4 ? pick(forms(key)) : pick(pieces))).join("");
    out.push([text, key]);
  }
  return out;
}
