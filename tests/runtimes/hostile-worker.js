// A worker for workerd (tests/runtimes/workerd-hostile.test.mjs): it runs
// the package's clients against hostile bodies its own `fetch` answers (no
// network) and tells what each call ended in, as JSON.
//   GET /deep?depth=N&where=W&times=T   T calls answered a body N arrays deep
//                                       in W (see deepBodies), a good call
//                                       after every 100, by this client and another
//   GET /malformed                      each malformed body, then a good one
import { LiveAgentError, ResellerClient } from "liveagent-reseller";
import { answering, deep, deepBodies, good, malformed } from "../support/bodies.mjs";

/** A client whose fetch answers the text that `next()` gives, with status 200. */
const clientAnswering = (next) => answering(ResellerClient, next);

/** What a call ended in: `ok` with its result's rows, or the error's kind and message. */
async function outcome(call) {
  try {
    const result = await call();
    return { ok: (result.accounts ?? result.addons)?.length };
  } catch (error) {
    const kind = error instanceof LiveAgentError ? error.kind : `not a LiveAgentError: ${error?.name}`;
    return { kind, message: String(error?.message) };
  }
}

/** Counts of each distinct outcome, in order of first sight. */
function tally(outcomes) {
  const seen = new Map();
  for (const o of outcomes) {
    const key = JSON.stringify(o);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].map(([key, count]) => ({ ...JSON.parse(key), count }));
}

async function deepCalls(depth, where, times) {
  const body = deepBodies(deep(depth))[where];
  if (body === undefined) return { error: `no place ${where}` };
  let answer = body;
  const client = clientAnswering(() => answer);
  const other = clientAnswering(() => good);
  const hostile = [];
  const after = [];
  for (let i = 0; i < times; i++) {
    answer = body;
    hostile.push(await outcome(() => client.listAccounts()));
    if (i % 100 === 99) {
      answer = good;
      after.push(await outcome(() => client.listAccounts()), await outcome(() => other.listAccounts()));
    }
  }
  return { hostile: tally(hostile), after: tally(after) };
}

async function malformedCalls() {
  let answer;
  const client = clientAnswering(() => answer);
  const outcomes = [];
  for (const body of malformed) {
    answer = body;
    outcomes.push({ body, ...(await outcome(() => client.listAccountAddons("acc"))) });
  }
  answer = good;
  return { outcomes, after: await outcome(() => client.listAccounts()) };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const number = (name) => Number(url.searchParams.get(name));
    if (url.pathname === "/deep") {
      return Response.json(await deepCalls(number("depth"), url.searchParams.get("where"), number("times")));
    }
    if (url.pathname === "/malformed") return Response.json(await malformedCalls());
    return new Response("not found", { status: 404 });
  },
};
