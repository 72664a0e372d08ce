// Reading the counted bench Worker (bench/support/counted.ts): requests labelled with their
// route, the per-label tallies of D1 statements and Account calls, and the table of them.
import { TERMINAL } from "../pipeline/client.mjs";

/** `call(label, method, path, options)`: one request through `client` (bench/pipeline/client.mjs), labelled for the tallies. */
export const labelled =
  (client) =>
  (label, method, path, options = {}) =>
    client.request(method, path, { ...options, headers: { ...options.headers, "X-Bench-Route": label } });

/** The Worker's tallies so far: `{ routes: {label: tally}, objects: {count, calls, busiest} }`; `reset` clears them after reading. */
export async function countsOf(client, { reset = false } = {}) {
  const { body } = await client.request("GET", `/__bench/calls${reset ? "?reset=1" : ""}`, { expect: 200 });
  return body;
}

/** Polls one generation (labelled `label`) until it is terminal and settled. */
export async function untilTerminal(call, token, id, label, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await call(label, "GET", `/api/generations/${id}`, { token, expect: 200 });
    if (TERMINAL.has(body.status) && body.charged !== null) return body;
    if (Date.now() > deadline) throw new Error(`generation ${id} still ${body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const num = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** Per request of a tally: D1 reads, writes, round trips, Account calls and their methods. */
export function perRequest(tally) {
  const n = Math.max(tally.requests, 1);
  const methods = Object.entries(tally.accountMethods)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([m, k]) => `${m}${k === n ? "" : ` ×${num(k / n)}`}`)
    .join(", ");
  return { d1: (tally.d1Reads + tally.d1Writes) / n, reads: tally.d1Reads / n, writes: tally.d1Writes / n, trips: tally.d1RoundTrips / n, account: tally.accountCalls / n, methods };
}

/** Markdown table of `routes` ([label, shown]) plus the consumer's and the Account objects' own rows. */
export function callsTable(counts, routes) {
  const out = ["| route | requests | D1 statements (reads + writes) | D1 round trips | Account calls | Account methods |", "|---|--:|--:|--:|--:|---|"];
  for (const [label, shown] of routes) {
    const tally = counts[label];
    if (!tally) {
      out.push(`| ${shown} | 0 | not measured | | | |`);
      continue;
    }
    const p = perRequest(tally);
    out.push(`| ${shown} | ${tally.requests} | ${num(p.d1)} (${num(p.reads)} + ${num(p.writes)}) | ${num(p.trips)} | ${num(p.account)} | ${p.methods} |`);
  }
  const consumer = counts["queue consumer (per message)"];
  if (consumer) {
    const p = perRequest(consumer);
    out.push(`| queue consumer, per item message | ${consumer.requests} | ${num(p.d1)} (${num(p.reads)} + ${num(p.writes)}) | ${num(p.trips)} | ${num(p.account)} | ${p.methods} |`);
  }
  const own = counts["Account object (alarm)"];
  if (own)
    out.push(`| Account objects' own D1 use (alarm: balance projection, hold expiry), whole run | | ${own.d1Reads + own.d1Writes} (${own.d1Reads} + ${own.d1Writes}) | ${own.d1RoundTrips} | | |`);
  return out.join("\n");
}
