// `npm run bench:cpu`: CPU per operation on the hot path, read from the runtime's own processes
// (/proc schedstat: user + system time of workerd over a run ÷ operations), beside wall-clock
// throughput and p50/p99, under both local runtimes (bench/lib/runtimes.mjs). Operations: a
// bare request (GET /health); the floor of an authenticated route in three layers (the /api
// chain, + the token check, + one call to the caller's object that reads one row); an
// authenticated balance read, a charge (the ledger benchmark's POST /api/bench/charge:
// reserve + settle) and a realtime ticket. Cells are interleaved in
// rounds so a change in the machine's load hits every operation alike; ratios are against
// /health measured in the same run, at the same concurrency. Then, on each runtime, 1,000
// sockets of one user receive a generation's progress event (./fanout.mjs).
//
// Environment (all optional):
//   BENCH_CPU_RUNTIMES  default miniflare,wrangler
//   BENCH_CPU_SECONDS   length of each cell, default 5
//   BENCH_CPU_ROUNDS    rounds of every cell, default 3
//   BENCH_CPU_CLIENTS   concurrency levels, default 1,16
//   BENCH_CPU_SOCKETS   sockets in the fan-out, default 1000 (0: no fan-out)
//   BENCH_CPU_FANOUT_ROUNDS  progress events sent to them, default 5
import { cpus, loadavg } from "node:os";
import { charging, closedLoop, httpClient } from "../ledger/load.mjs";
import { hotUser } from "../ledger/ours.mjs";
import { median } from "../lib/measure.mjs";
import { cleanupAll, guardRun } from "../lib/procs.mjs";
import { cpuSince, RUNTIMES, startRuntime } from "../lib/runtimes.mjs";
import { fanout, fanoutTable } from "./fanout.mjs";

const list = (name, fallback) => (process.env[name] ?? fallback).split(",").map((s) => s.trim());
const int = (name, fallback, min, max) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer in [${min}, ${max}]`);
    process.exit(2);
  }
  return n;
};
const KINDS = list("BENCH_CPU_RUNTIMES", "miniflare,wrangler");
const SECONDS = int("BENCH_CPU_SECONDS", 5, 1, 120);
const ROUNDS = int("BENCH_CPU_ROUNDS", 3, 1, 20);
const CLIENTS = list("BENCH_CPU_CLIENTS", "1,16").map(Number);
const SOCKETS = int("BENCH_CPU_SOCKETS", 1000, 0, 5000);
const FANOUT_ROUNDS = int("BENCH_CPU_FANOUT_ROUNDS", 5, 1, 50);
if (KINDS.some((k) => !RUNTIMES.includes(k)) || CLIENTS.some((c) => !(Number.isInteger(c) && c > 0 && c <= 256))) {
  console.error(`BENCH_CPU_RUNTIMES must be a subset of ${RUNTIMES.join(",")}; BENCH_CPU_CLIENTS integers in [1, 256]`);
  process.exit(2);
}

/** What each operation sends; `token` is a user with plenty of credits. */
const OPS = {
  health: { shown: "bare GET /health", send: (client) => client.request("GET", "/health") },
  // The floor under every authenticated route, one layer at a time (bench/support/routes.ts).
  floorApi: { shown: "floor: /api chain only", send: (client) => client.request("GET", "/api/bench/floor/api") },
  floorToken: { shown: "floor: + token check", send: (client, token) => client.request("GET", "/api/bench/floor/token", { token }) },
  floorObject: { shown: "floor: + one object call", send: (client, token) => client.request("GET", "/api/bench/floor/object", { token }) },
  balance: { shown: "GET /api/credits/balance", send: (client, token) => client.request("GET", "/api/credits/balance", { token }) },
  charge: { shown: "charge (POST /api/bench/charge)", send: (client, token) => client.request("POST", "/api/bench/charge", { token, json: { amount: 1 } }) },
  ticket: { shown: "POST /api/realtime/ticket", send: (client, token) => client.request("POST", "/api/realtime/ticket", { token }) },
};
/** Targets as ratios to /health in the same run (issue "The hot path"). */
const TARGET = { charge: 2, balance: 1.3 };

const budgetMs = KINDS.length * (4 * 60_000 + CLIENTS.length * ROUNDS * Object.keys(OPS).length * (SECONDS * 1000 + 2000) + (SOCKETS ? 8 * 60_000 : 0));
const fail = guardRun(budgetMs);
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");

/** One cell: `op` from `clients` clients for SECONDS, with the runtime's CPU around it. */
async function cell(server, client, token, op, clients) {
  const before = server.cpu();
  const run = await closedLoop({ concurrency: clients, durationMs: SECONDS * 1000, op: charging(() => OPS[op].send(client, token)) });
  const used = cpuSince(before, server.cpu());
  return { ...run, cpu: used };
}

async function benchRuntime(kind) {
  const server = await startRuntime(kind, { progress });
  try {
    const client = httpClient(server.origin, Math.max(...CLIENTS));
    const token = await hotUser(client, 10_000_000);
    progress(`${kind}: warming up`);
    for (const op of Object.keys(OPS)) await closedLoop({ concurrency: 4, durationMs: 1000, op: charging(() => OPS[op].send(client, token)) });
    const cells = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const clients of CLIENTS) {
        for (const op of Object.keys(OPS)) {
          progress(`${kind}: round ${round + 1}/${ROUNDS}, ${op}, ${clients} client(s)`);
          cells.push({ op, clients, ...(await cell(server, client, token, op, clients)) });
        }
      }
    }
    client.close();
    const fan = SOCKETS > 0 ? await fanout(server, token, { sockets: SOCKETS, rounds: FANOUT_ROUNDS, progress: (m) => progress(`${kind}: ${m}`) }) : null;
    return { kind, cells, fan };
  } finally {
    await server.stop();
  }
}

/** Every round of one op at one concurrency, summed: CPU per op over all of them, the median round's p50/p99. */
function summarise(cells, op, clients) {
  const mine = cells.filter((c) => c.op === op && c.clients === clients);
  const ok = mine.reduce((s, c) => s + c.ok, 0);
  const errors = mine.reduce((s, c) => s + c.error + c.refused, 0);
  return {
    ok,
    errors,
    opsPerSecond: median(mine.map((c) => c.opsPerSecond)),
    p50: median(mine.map((c) => c.p50)),
    p99: median(mine.map((c) => c.p99)),
    worker: mine.reduce((s, c) => s + c.cpu.worker, 0) / ok,
    all: mine.reduce((s, c) => s + c.cpu.all, 0) / ok,
    wait: mine.reduce((s, c) => s + c.cpu.wait, 0) / ok,
    firstError: mine.map((c) => c.firstError).find(Boolean),
  };
}

function report(result) {
  const { kind, cells } = result;
  const out = [];
  const runtimeCpu = kind === "wrangler" ? "the Worker's workerd / all of wrangler dev's processes (proxy workerd, Node)" : "its one workerd";
  out.push(`### ${kind}: CPU per operation (${runtimeCpu}), ${ROUNDS} round(s) × ${SECONDS} s per cell`, "");
  out.push("| operation | clients | ops/s | p50 ms | p99 ms | CPU ms/op | × health CPU | × health p50 | run-queue wait ms/op | errors |", "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
  const verdicts = [];
  for (const clients of CLIENTS) {
    const health = summarise(cells, "health", clients);
    for (const op of Object.keys(OPS)) {
      const s = summarise(cells, op, clients);
      const cpu = kind === "wrangler" ? `${f(s.worker, 2)} / ${f(s.all, 2)}` : f(s.worker, 2);
      const cpuRatio = kind === "wrangler" ? `${f(s.worker / health.worker, 2)} / ${f(s.all / health.all, 2)}` : f(s.worker / health.worker, 2);
      out.push(`| ${OPS[op].shown} | ${clients} | ${f(s.opsPerSecond, 0)} | ${f(s.p50)} | ${f(s.p99)} | ${cpu} | ${cpuRatio} | ${f(s.p50 / health.p50, 2)} | ${f(s.wait, 2)} | ${s.errors} |`);
      if (s.firstError) verdicts.push(`- ${op} at ${clients} client(s): first error ${s.firstError}`);
      if (op === "floorObject") {
        verdicts.push(
          `- floor at ${clients} client(s): the /api chain, the token and one object call cost ${f(s.worker / health.worker, 2)}× health CPU, p50 ${f(s.p50 / health.p50, 2)}×; no route that calls the object costs less`,
        );
      }
      if (TARGET[op]) {
        const cpuRatio = s.worker / health.worker;
        const p50Ratio = s.p50 / health.p50;
        const met = (r) => (r <= TARGET[op] ? "met" : "MISSED");
        verdicts.push(`- ${op} at ${clients} client(s): CPU ${f(cpuRatio, 2)}× health (target ≤ ${TARGET[op]}×: ${met(cpuRatio)}), p50 ${f(p50Ratio, 2)}× (${met(p50Ratio)})`);
      }
    }
  }
  out.push("", ...verdicts);
  if (result.fan) out.push("", fanoutTable(kind, result.fan));
  return out.join("\n");
}

try {
  const started = new Date();
  const loadBefore = loadavg().map((l) => l.toFixed(2));
  const results = [];
  for (const kind of KINDS) results.push(await benchRuntime(kind));
  console.log(
    [
      "",
      `Hot-path CPU, ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; ${cpus().length} CPU(s), load average ${loadBefore.join(" ")} before, ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} after; Node ${process.version}.`,
      "",
      ...results.map(report).flatMap((r) => [r, ""]),
    ].join("\n"),
  );
  await cleanupAll();
} catch (e) {
  await fail(e);
}
