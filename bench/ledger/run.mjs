// `npm run bench:ledger`: one hot user charged 1 credit per request by 1/16/64 concurrent
// HTTP clients, through our Worker (Account Durable Object) and through a faithful
// rebuild of the old Hono + PostgreSQL stack (variants a, b, c). Prints one table.
//
// Environment (all optional):
//   BENCH_LEDGER_SECONDS   length of each throughput cell, default 10
//   BENCH_LEDGER_CLIENTS   concurrency levels, default 1,16,64
//   BENCH_LEDGER_VARIANTS  which stacks, default ours,a,b,c
//   BENCH_LEDGER_RUNTIME   where ours runs (bench/lib/runtimes.mjs): miniflare (default) or wrangler
//   PG_BIN                 directory holding initdb and postgres
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { closedLoop, charging, httpClient } from "./load.mjs";
import { balanceOf, chargeRequest, healthRequest, hotUser } from "./ours.mjs";
import { startPostgres } from "./postgres.mjs";
import { cleanupAll, freePort, guardRun, startProcess, tempDir, waitUntil } from "../lib/procs.mjs";
import { RUNTIMES, startRuntime } from "../lib/runtimes.mjs";

const SECONDS = Number(process.env.BENCH_LEDGER_SECONDS ?? 10);
const CLIENTS = (process.env.BENCH_LEDGER_CLIENTS ?? "1,16,64").split(",").map(Number);
const VARIANTS = (process.env.BENCH_LEDGER_VARIANTS ?? "ours,a,b,c").split(",").map((v) => v.trim());
const RUNTIME = process.env.BENCH_LEDGER_RUNTIME ?? "miniflare";
const THROUGHPUT_BALANCE = 1_000_000;
const OVERDRAFT_BALANCE = 1_000;
const OVERDRAFT_ATTEMPTS = 2_000;
const WARMUP_MS = Math.min(2_000, SECONDS * 1000);
const PAUSE_MS = 500;

if (!(SECONDS > 0) || CLIENTS.some((c) => !(Number.isInteger(c) && c > 0)) || VARIANTS.some((v) => !["ours", "a", "b", "c"].includes(v)) || !RUNTIMES.includes(RUNTIME)) {
  console.error(`BENCH_LEDGER_SECONDS must be > 0, BENCH_LEDGER_CLIENTS positive integers, BENCH_LEDGER_VARIANTS a subset of ours,a,b,c, BENCH_LEDGER_RUNTIME one of ${RUNTIMES.join(", ")}`);
  process.exit(2);
}

const LABEL = {
  ours: `ours: Worker + Account DO (reserve+settle), ${RUNTIME}`,
  a: "(a) pg READ COMMITTED, created_at DESC",
  b: "(b) pg SERIALIZABLE + retry",
  c: "(c) pg FOR UPDATE lock row, id DESC",
};

// Everything stops by itself: a watchdog ends a run that overstays its budget.
const budgetMs = 10 * 60_000 + VARIANTS.length * CLIENTS.length * (2 * SECONDS * 1000 + 90_000);
const fail = guardRun(budgetMs);

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

/** One cell: a throughput run and an overdraft run at `clients`, each on a fresh hot user. */
async function cell({ clients, newUser, charge, finalBalance }) {
  const tUser = await newUser(THROUGHPUT_BALANCE);
  const throughput = await closedLoop({ concurrency: clients, durationMs: SECONDS * 1000, op: charging(() => charge(tUser)) });
  const tFinal = await finalBalance(tUser);
  await pause(PAUSE_MS);
  const oUser = await newUser(OVERDRAFT_BALANCE);
  const overdraft = await closedLoop({ concurrency: clients, attempts: OVERDRAFT_ATTEMPTS, op: charging(() => charge(oUser)) });
  const oFinal = await finalBalance(oUser);
  await pause(PAUSE_MS);
  return {
    clients,
    throughput,
    drift: tFinal - THROUGHPUT_BALANCE + throughput.ok,
    overdraft,
    overdrafts: Math.max(0, overdraft.ok - OVERDRAFT_BALANCE),
    overdraftDrift: oFinal - OVERDRAFT_BALANCE + overdraft.ok,
  };
}

async function benchOurs() {
  const stack = await startRuntime(RUNTIME, { progress: (m) => progress(`ours: ${m}`) });
  try {
    const client = httpClient(stack.origin, Math.max(...CLIENTS));
    progress("ours: warming up");
    const warm = await hotUser(client, THROUGHPUT_BALANCE);
    await closedLoop({ concurrency: 16, durationMs: WARMUP_MS, op: charging(chargeRequest(client, warm)) });
    await closedLoop({ concurrency: 16, durationMs: WARMUP_MS, op: charging(healthRequest(client)) });
    const rows = [];
    const health = [];
    for (const clients of CLIENTS) {
      progress(`ours: GET /health floor, ${clients} client(s)`);
      health.push({ clients, ...(await closedLoop({ concurrency: clients, durationMs: SECONDS * 1000, op: charging(healthRequest(client)) })) });
      await pause(PAUSE_MS);
      progress(`ours: charges, ${clients} client(s)`);
      rows.push(
        await cell({
          clients,
          newUser: (balance) => hotUser(client, balance),
          charge: (token) => chargeRequest(client, token)(),
          finalBalance: async (token) => {
            const b = await balanceOf(client, token);
            if (b.held !== 0) throw new Error(`${b.held} credits still held after the run`);
            return b.balance;
          },
        }),
      );
    }
    client.close();
    return { rows, health };
  } finally {
    await stack.stop();
  }
}

async function benchOld(variant, databaseUrl) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = startProcess(process.execPath, [join(import.meta.dirname, "old-stack.mjs")], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), VARIANT: variant },
    logFile: join(tempDir(`lumiku-bench-old-${variant}-`), "server.log"),
  });
  const client = httpClient(origin, Math.max(...CLIENTS));
  try {
    await waitUntil(`old stack (${variant})`, async () => (await client.request("GET", "/health")).status === 200, { proc, timeoutMs: 30_000 });
    const newUser = async (balance) => {
      const userId = randomUUID();
      const res = await client.request("POST", "/setup", { json: { userId, balance } });
      if (res.status !== 200) throw new Error(`setup: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return userId;
    };
    const charge = (userId) => client.request("POST", "/charge", { json: { userId, amount: 1 } });
    const finalBalance = async (userId) => (await client.request("GET", `/balance?userId=${userId}`)).body.balance;
    progress(`(${variant}): warming up`);
    const warm = await newUser(THROUGHPUT_BALANCE);
    await closedLoop({ concurrency: 16, durationMs: WARMUP_MS, op: charging(() => charge(warm)) });
    const rows = [];
    for (const clients of CLIENTS) {
      progress(`(${variant}): charges, ${clients} client(s)`);
      rows.push(await cell({ clients, newUser, charge, finalBalance }));
    }
    return { rows };
  } finally {
    client.close();
    await proc.stop();
  }
}

// ---- table ------------------------------------------------------------------

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");

function table(results) {
  const out = [];
  out.push(
    `| stack | clients | ops/s | p50 ms | p99 ms | retries | errors | drift | overdraft run: ok / refused | overdrafts | drift | retries |`,
    `|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|`,
  );
  for (const variant of VARIANTS) {
    const r = results[variant];
    if (!r || r.error) {
      out.push(`| ${LABEL[variant]} | – | failed: ${(r?.error ?? "not run").split("\n")[0].slice(0, 120)} |||||||||||`);
      continue;
    }
    for (const row of r.rows) {
      const t = row.throughput;
      const o = row.overdraft;
      out.push(
        `| ${LABEL[variant]} | ${row.clients} | ${int(t.opsPerSecond)} | ${fmt(t.p50)} | ${fmt(t.p99)} | ${int(t.retries)} | ${int(t.error + o.error)} | ${int(row.drift)} | ${int(o.ok)} / ${int(o.refused)} | ${int(row.overdrafts)} | ${int(row.overdraftDrift)} | ${int(o.retries)} |`,
      );
    }
    if (variant === "ours") {
      for (const h of r.health) out.push(`| ours: bare GET /health (floor) | ${h.clients} | ${int(h.requestsPerSecond)} | ${fmt(h.p50)} | ${fmt(h.p99)} | | ${int(h.error)} | | | | | |`);
    }
  }
  return out.join("\n");
}

const verdict = (ok) => (ok ? "met" : "MISSED");

function summary(results) {
  const lines = [];
  const ours = results.ours && !results.ours.error ? results.ours : null;
  const at = (variant, clients) => results[variant]?.rows?.find((r) => r.clients === clients);
  if (ours) {
    for (const row of ours.rows) {
      const h = ours.health.find((x) => x.clients === row.clients);
      const ratio = row.throughput.p50 / h.p50;
      lines.push(
        `- ours vs bare /health at ${row.clients} client(s): charge p50 ${fmt(row.throughput.p50)} ms / health p50 ${fmt(h.p50)} ms = ${fmt(ratio, 2)}× (target ≤ 2×: ${verdict(ratio <= 2)})`,
      );
    }
    const top = Math.max(...CLIENTS);
    for (const [variant, target] of [
      ["b", 4],
      ["c", 1],
    ]) {
      const theirs = at(variant, top);
      const mine = at("ours", top);
      if (theirs && mine) {
        const ratio = mine.throughput.opsPerSecond / theirs.throughput.opsPerSecond;
        lines.push(
          `- ours vs (${variant}) at ${top} clients: ${int(mine.throughput.opsPerSecond)} / ${int(theirs.throughput.opsPerSecond)} ops/s = ${fmt(ratio, 2)}× (target ≥ ${target}×: ${verdict(ratio >= target)})`,
        );
      }
    }
    const bad = ours.rows.reduce((n, r) => n + r.overdrafts + Math.abs(r.drift) + Math.abs(r.overdraftDrift) + r.throughput.retries + r.overdraft.retries, 0);
    const errors = ours.rows.reduce((n, r) => n + r.throughput.error + r.overdraft.error, 0);
    lines.push(`- ours: overdrafts, drift and retries all 0: ${verdict(bad === 0)}; errors: ${errors}`);
    const firstError = ours.rows.map((r) => r.throughput.firstError ?? r.overdraft.firstError).find(Boolean);
    if (firstError) lines.push(`  first error: ${firstError}`);
  }
  for (const v of ["a", "b", "c"]) {
    const firstError = results[v]?.rows?.map((r) => r.throughput.firstError ?? r.overdraft.firstError).find(Boolean);
    if (firstError) lines.push(`- (${v}) first error: ${firstError}`);
  }
  return lines.join("\n");
}

// ---- run ----------------------------------------------------------------------

try {
  const startedAt = new Date();
  const loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  const results = {};
  let pgVersion = null;
  if (VARIANTS.includes("ours")) {
    try {
      results.ours = await benchOurs();
    } catch (e) {
      results.ours = { error: e instanceof Error ? e.message : String(e) };
      console.error(`ours failed: ${results.ours.error}`);
    }
  }
  const old = VARIANTS.filter((v) => v !== "ours");
  if (old.length > 0) {
    progress("old stack: initdb and starting PostgreSQL …");
    const cluster = await startPostgres();
    pgVersion = cluster.version;
    try {
      for (const variant of old) {
        try {
          results[variant] = await benchOld(variant, cluster.url);
        } catch (e) {
          results[variant] = { error: e instanceof Error ? e.message : String(e) };
          console.error(`(${variant}) failed: ${results[variant].error}`);
        }
      }
    } finally {
      await cluster.stop();
    }
  }
  const loadAfter = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(
    [
      "",
      `Ledger benchmark, ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC: one hot user, 1-credit charges;`,
      `throughput run ${SECONDS} s from ${int(THROUGHPUT_BALANCE)} credits, overdraft run ${int(OVERDRAFT_ATTEMPTS)} attempts from ${int(OVERDRAFT_BALANCE)} credits.`,
      `Machine: ${cpus().length} CPU(s) (${cpus()[0]?.model ?? "?"}), load average ${loadBefore} before, ${loadAfter} after; Node ${process.version}${pgVersion ? `; ${pgVersion}` : ""}.`,
      "",
      table(results),
      "",
      summary(results),
      "",
    ].join("\n"),
  );
  await cleanupAll();
  process.exit(VARIANTS.some((v) => results[v]?.error) ? 1 : 0);
} catch (e) {
  await fail(e);
}
