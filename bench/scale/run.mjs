// `npm run bench:scale`: 1,000 registered users at once on loopback. Each step of the load picks
// the next user (round robin) and one action from a seeded mix: read the balance, submit a
// 1-item test-pipeline generation, read that user's last generation, list their generations.
// Prints per-route latency, D1 statements per request (the counted bench entry,
// bench/support/counted.ts), the busiest Account object's share of the Account calls, errors,
// and the money check once every generation has settled: each user's balance equals their
// grants minus their captures, the captures equal what their generations charged (7 credits
// per completed item), and nothing is held.
//
// Environment (all optional):
//   BENCH_SCALE_USERS    users, default 1000
//   BENCH_SCALE_SECONDS  length of the load, default 60
//   BENCH_SCALE_CLIENTS  requests in flight, default 16
//   BENCH_SCALE_RUNTIME  miniflare (default) or wrangler
//   BENCH_SCALE_SEED     the action mix's seed, default 1
import { randomBytes, randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { api, percentile, pool } from "../pipeline/client.mjs";
import { countsOf, labelled, perRequest, untilTerminal } from "../lib/calls.mjs";
import { cleanupAll, guardRun } from "../lib/procs.mjs";
import { cpuSince, ENTRY, RUNTIMES, startRuntime } from "../lib/runtimes.mjs";

const int = (name, fallback, min, max) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer in [${min}, ${max}]`);
    process.exit(2);
  }
  return n;
};
const USERS = int("BENCH_SCALE_USERS", 1000, 1, 10_000);
const SECONDS = int("BENCH_SCALE_SECONDS", 60, 1, 3600);
const CLIENTS = int("BENCH_SCALE_CLIENTS", 16, 1, 1000);
const SEED = int("BENCH_SCALE_SEED", 1, 0, 2 ** 31);
const RUNTIME = process.env.BENCH_SCALE_RUNTIME ?? "miniflare";
if (!RUNTIMES.includes(RUNTIME)) {
  console.error(`BENCH_SCALE_RUNTIME must be one of ${RUNTIMES.join(", ")}`);
  process.exit(2);
}

const SIGNUP_CREDITS = 100;
const ITEM_COST = 7; // the test-pipeline app's price per item
const SETUP_CONCURRENCY = 8;
/** The action mix: cumulative weights. */
const MIX = [
  ["balance", 0.5],
  ["generation submit", 0.75],
  ["generation get", 0.9],
  ["generations list", 1],
];
const SHOWN = {
  balance: "GET /api/credits/balance",
  "generation submit": "POST /api/apps/test-pipeline/generations (1 item)",
  "generation get": "GET /api/generations/:id",
  "generations list": "GET /api/generations",
};

const fail = guardRun(15 * 60_000 + USERS * 200 + SECONDS * 3000);
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** mulberry32: the same seed gives the same sequence of actions. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Registers every user through the real route (cheap scrypt, a test-only setting) and makes each a project. */
async function seed(call) {
  const password = randomBytes(18).toString("base64url");
  return pool(USERS, SETUP_CONCURRENCY, async (i) => {
    const { body } = await call("setup: register", "POST", "/api/auth/register", { json: { email: `scale-${i}-${randomUUID()}@bench.local`, password, name: `Scale ${i}` }, expect: 201 });
    const token = body.accessToken;
    const project = await call("setup: project", "POST", "/api/projects", { token, json: { appId: "test-pipeline", name: "Scale bench" }, expect: 201 });
    return { index: i, token, projectId: project.body.id, generations: [] };
  });
}

/** One action for `user`; resolves `{ route, ms, ok, error? }` and never rejects. */
async function act(call, user, route) {
  const t0 = performance.now();
  try {
    let res;
    if (route === "balance") res = await call(route, "GET", "/api/credits/balance", { token: user.token });
    else if (route === "generation submit") {
      res = await call(route, "POST", "/api/apps/test-pipeline/generations", {
        token: user.token,
        json: { projectId: user.projectId, items: ["ok"] },
        headers: { "Idempotency-Key": `scale-${randomUUID()}` },
      });
      if (res.status === 202) user.generations.push(res.body.generation.id);
    } else if (route === "generation get") res = await call(route, "GET", `/api/generations/${user.generations.at(-1)}`, { token: user.token });
    else res = await call(route, "GET", "/api/generations?limit=20", { token: user.token });
    const ms = performance.now() - t0;
    const wanted = route === "generation submit" ? 202 : 200;
    return res.status === wanted
      ? { route, user: user.index, ms, ok: true }
      : { route, user: user.index, ms, ok: false, error: `${route}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 200)}` };
  } catch (e) {
    return { route, user: user.index, ms: performance.now() - t0, ok: false, error: `${route}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function load(call, users) {
  const next = random(SEED);
  const results = [];
  /** Users with a generation, for reads when the user in turn has none yet. */
  const submitters = [];
  let step = 0;
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        let user = users[step++ % users.length];
        const r = next();
        const route = MIX.find(([, upTo]) => r < upTo)[0];
        // A generation read needs a generation: a user in turn without one lends the turn to one who has.
        if (route === "generation get" && user.generations.length === 0) {
          if (submitters.length === 0) continue;
          user = submitters[Math.floor(next() * submitters.length)];
        }
        const result = await act(call, user, route);
        if (route === "generation submit" && result.ok && user.generations.length === 1) submitters.push(user);
        results.push(result);
      }
    }),
  );
  return results;
}

/** After the load: waits until every generation has settled (polls are D1 reads only, no Account calls). */
async function settleAll(call, users) {
  const all = users.flatMap((u) => u.generations.map((id) => ({ u, id })));
  progress(`waiting for ${all.length} generations to settle`);
  const settled = await pool(all.length, 16, (i) => untilTerminal(call, all[i].u.token, all[i].id, "check: generation"));
  return { all, settled };
}

/** Every user's money against their own ledger and their generations. */
async function moneyCheck(call, users, { all, settled }) {
  const byUser = new Map(users.map((u) => [u, { charged: 0, completed: 0 }]));
  settled.forEach((g, i) => {
    const mine = byUser.get(all[i].u);
    mine.charged += g.charged;
    mine.completed += g.completed;
  });
  progress(`checking ${users.length} balances against their ledgers`);
  const problems = [];
  let grants = 0;
  let captures = 0;
  await pool(users.length, 16, async (i) => {
    const u = users[i];
    const { body: b } = await call("check: balance", "GET", "/api/credits/balance", { token: u.token, expect: 200 });
    const { body: h } = await call("check: history", "GET", "/api/credits/history?limit=100", { token: u.token, expect: 200 });
    if (h.nextCursor !== null) problems.push(`user ${i}: more than 100 ledger entries, not checked`);
    const sum = (kind) => h.items.filter((e) => e.kind === kind).reduce((s, e) => s + e.amount, 0);
    const granted = sum("grant");
    const captured = -sum("capture");
    const expected = byUser.get(u);
    grants += granted;
    captures += captured;
    if (granted !== SIGNUP_CREDITS) problems.push(`user ${i}: granted ${granted}, wanted ${SIGNUP_CREDITS}`);
    if (b.balance !== granted - captured) problems.push(`user ${i}: balance ${b.balance} ≠ grants ${granted} − captures ${captured}`);
    if (captured !== expected.charged || expected.charged !== ITEM_COST * expected.completed)
      problems.push(`user ${i}: captured ${captured}, charged ${expected.charged}, ${expected.completed} items completed`);
    if (b.held !== 0 || b.available !== b.balance) problems.push(`user ${i}: ${b.held} still held`);
  });
  const completed = [...byUser.values()].reduce((s, x) => s + x.completed, 0);
  return { generations: all.length, completed, grants, captures, problems };
}

function report({ started, loadBefore, seedMs, seedCpu, results, counts, cpu, wallMs, money }) {
  const out = [];
  const errors = results.filter((r) => !r.ok);
  out.push(
    "",
    `Scale run, ${started.toISOString().slice(0, 16).replace("T", " ")} UTC, ${RUNTIME}: ${USERS} users, ${CLIENTS} requests in flight for ${SECONDS} s (seed ${SEED}).`,
    `Machine: ${cpus().length} CPU(s), load average ${loadBefore} before, ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")} after.`,
    `Users registered through POST /api/auth/register (scrypt at the test-only log N = 10), each with a project: ${f(seedMs / 1000)} s, ${f(seedCpu.worker / USERS)} ms of workerd CPU per user.`,
    "",
    "| route | requests | req/s | p50 ms | p99 ms | errors | D1 statements / request | D1 round trips / request | Account calls / request |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
  );
  for (const route of Object.keys(SHOWN)) {
    const mine = results.filter((r) => r.route === route);
    const ms = mine.map((r) => r.ms);
    const tally = counts.routes[route];
    const p = tally ? perRequest(tally) : null;
    out.push(
      `| ${SHOWN[route]} | ${mine.length} | ${f((mine.length * 1000) / wallMs)} | ${f(percentile(ms, 0.5))} | ${f(percentile(ms, 0.99))} | ${mine.filter((r) => !r.ok).length} | ${p ? f(p.d1, 2) : "–"} | ${p ? f(p.trips, 2) : "–"} | ${p ? f(p.account, 2) : "–"} |`,
    );
  }
  const all = results.map((r) => r.ms);
  out.push(`| all | ${results.length} | ${f((results.length * 1000) / wallMs)} | ${f(percentile(all, 0.5))} | ${f(percentile(all, 0.99))} | ${errors.length} | | | |`);
  const consumer = counts.routes["queue consumer (per message)"];
  const own = counts.routes["Account object (alarm)"];
  const loadD1 = Object.keys(SHOWN).reduce((s, r) => s + (counts.routes[r] ? counts.routes[r].d1Reads + counts.routes[r].d1Writes : 0), 0);
  const backgroundD1 = (consumer ? consumer.d1Reads + consumer.d1Writes : 0) + (own ? own.d1Reads + own.d1Writes : 0);
  const d1Writes = Object.keys(SHOWN).reduce((s, r) => s + (counts.routes[r]?.d1Writes ?? 0), 0) + (consumer?.d1Writes ?? 0) + (own?.d1Writes ?? 0);
  const { objects } = counts;
  out.push(
    "",
    `- D1 statements per request: ${f(loadD1 / results.length, 2)} on the request path; ${f((loadD1 + backgroundD1) / results.length, 2)} with the queue consumer (${consumer ? f(perRequest(consumer).d1, 2) : "–"} per item message, ${consumer?.requests ?? 0} messages) and the Account objects' balance projection (${own ? own.d1Reads + own.d1Writes : 0}); ${f(d1Writes / (wallMs / 1000))} D1 writes/s in all.`,
    `- users who acted during the load: ${new Set(results.map((r) => r.user)).size} of ${USERS}.`,
    `- Account objects: ${objects.count} took ${objects.calls} calls (requests and consumer); the busiest took ${objects.busiest} = ${f((100 * objects.busiest) / Math.max(objects.calls, 1), 2)}% (an even spread is ${f(100 / Math.max(objects.count, 1), 2)}%).`,
    `- workerd CPU over the load: ${f(cpu.worker / 1000)} s in ${f(wallMs / 1000)} s (${f(cpu.worker / results.length, 2)} ms per request, consumer included); run-queue wait ${f(cpu.wait / 1000)} s.`,
    `- errors: ${errors.length}${errors.length ? ` (first: ${errors[0].error})` : ""} (target 0: ${errors.length === 0 ? "met" : "MISSED"})`,
    `- money: ${money.generations} generations, ${money.completed} items completed; Σ grants ${money.grants} − Σ captures ${money.captures} = ${money.grants - money.captures}; every user's balance = grants − captures = 7 × their completed items charged, nothing held: ${money.problems.length === 0 ? "exact" : `MISSED (${money.problems.length}: ${money.problems.slice(0, 3).join("; ")})`}`,
  );
  return { text: out.join("\n"), ok: errors.length === 0 && money.problems.length === 0 };
}

async function main() {
  const started = new Date();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const server = await startRuntime(RUNTIME, { entry: ENTRY.counted, progress });
  try {
    const client = api(server.origin);
    const call = labelled(client);
    progress(`registering ${USERS} users (${SETUP_CONCURRENCY} at a time)`);
    const t0 = performance.now();
    const seedBefore = server.cpu();
    const users = await seed(call);
    const seedMs = performance.now() - t0;
    const seedCpu = cpuSince(seedBefore, server.cpu());
    await countsOf(client, { reset: true });
    progress(`load: ${CLIENTS} in flight for ${SECONDS} s`);
    const before = server.cpu();
    const l0 = performance.now();
    const results = await load(call, users);
    const wallMs = performance.now() - l0;
    const cpu = cpuSince(before, server.cpu());
    const finished = await settleAll(call, users);
    // Read after the drain, so the consumer's calls for the load's generations are all in, and before the checks.
    const counts = await countsOf(client);
    const money = await moneyCheck(call, users, finished);
    const { text, ok } = report({ started, loadBefore, seedMs, seedCpu, results, counts, cpu, wallMs, money });
    console.log(text);
    return ok;
  } finally {
    await server.stop();
  }
}

main()
  .then(async (ok) => {
    await cleanupAll();
    process.exit(ok ? 0 : 1);
  })
  .catch(fail);
