// `npm run bench:pipeline`: the generation pipeline under one local `wrangler dev`.
//   1. throughput: N generations × M items of one app, submitted at once, against the
//      ceiling (the first item's work, render + encode + preview, in a tight loop in the
//      Worker: /api/bench/render); plus the money check (balance = start − price × completed
//      items, nothing held).
//   2. progress latency: one socket, generations one at a time; receive time − event `at`.
//   3. fan-out: many sockets for one user; latency of broadcasts to every socket.
//
// Environment (all optional):
//   BENCH_PIPELINE_SECTIONS      subset of throughput,latency,fanout (default: all)
//   BENCH_PIPELINE_GENERATIONS   generations in the throughput run, ≤ 100 (default 100)
//   BENCH_PIPELINE_ITEMS         items per generation, 1–20 (default 4)
//   BENCH_PIPELINE_APP           test-pipeline (a 256×256 image, default) or pose-generator
//                                (the product's 768×1024 pose): the work the overhead is a share of
//   BENCH_PIPELINE_CEILING_COUNT items per /api/bench/render call (default 50)
//   BENCH_PIPELINE_LATENCY_GENERATIONS  sequential generations in section 2 (default 30)
//   BENCH_PIPELINE_SOCKETS       sockets in section 3 (default 1000)
//   BENCH_PIPELINE_ROUNDS        broadcast rounds per kind in section 3 (default 5)
//   BENCH_PIPELINE_QUEUE         queue consumer overrides for experiments, e.g.
//                                "max_batch_size=100,max_batch_timeout=0" (default: wrangler.toml as is)
//   BENCH_PIPELINE_MAIN          another Worker entry (absolute path), e.g. a copy of a known-good tree
//   BENCH_PIPELINE_DIAG=1        run wrangler at --log-level info and report the queue's batch log
//   BENCH_PIPELINE_INSTRUMENT=1  serve bench/pipeline/instrumented.mjs (the same Worker behind an entry
//                                that times D1/R2/Account RPC/queue calls) and print the breakdown;
//                                =precise also yields a tick before each timed call (exact when serial)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { TERMINAL, WORKLOADS, api, balanceOf, closeSockets, grant, openSocket, percentile, pool, register, workload } from "./client.mjs";
import { cleanupAll, guardRun } from "../lib/procs.mjs";
import { selfCpu, startWorker } from "./server.mjs";

const numberEnv = (name, fallback, min, max) => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer in [${min}, ${max}]`);
    process.exit(2);
  }
  return n;
};
const SECTIONS = new Set(
  (process.env.BENCH_PIPELINE_SECTIONS ?? "throughput,latency,fanout")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
const GENERATIONS = numberEnv("BENCH_PIPELINE_GENERATIONS", 100, 1, 100);
const ITEMS = numberEnv("BENCH_PIPELINE_ITEMS", 4, 1, 20);
const APP = process.env.BENCH_PIPELINE_APP ?? "test-pipeline";
if (!WORKLOADS[APP]) {
  console.error(`BENCH_PIPELINE_APP must be one of ${Object.keys(WORKLOADS).join(", ")}`);
  process.exit(2);
}
const CEILING_COUNT = numberEnv("BENCH_PIPELINE_CEILING_COUNT", 50, 1, 500);
const LATENCY_GENERATIONS = numberEnv("BENCH_PIPELINE_LATENCY_GENERATIONS", 30, 1, 500);
const SOCKETS = numberEnv("BENCH_PIPELINE_SOCKETS", 1000, 1, 5000);
const ROUNDS = numberEnv("BENCH_PIPELINE_ROUNDS", 5, 1, 50);
const DIAG = process.env.BENCH_PIPELINE_DIAG === "1";
const INSTRUMENT = process.env.BENCH_PIPELINE_INSTRUMENT ?? "";
const QUEUE = Object.fromEntries(
  (process.env.BENCH_PIPELINE_QUEUE ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((kv) => kv.split("=").map((x) => x.trim())),
);
for (const s of SECTIONS) if (!["throughput", "latency", "fanout"].includes(s)) throw new Error(`unknown section ${s}`);

const SUBMIT_CONCURRENCY = 8;
const POLL_MS = 1000; // completion time comes from the rows' finishedAt (same machine clock), so polls can be rare
const OPEN_CONCURRENCY = 25;
const TARGET = { ratio: 0.8, overhead: 0.25, progressP99: 50, fanoutP99: 200 };

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const progress = (msg) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");
const median = (xs) => percentile(xs, 0.5);
const verdict = (ok) => (ok ? "met" : "MISSED");

// Everything stops by itself: a watchdog ends a run that overstays its budget.
const fail = guardRun(30 * 60_000);

/** Polls the generation list until every id is terminal and settled. */
async function untilSettled(job, ids, timeoutMs) {
  const wanted = new Set(ids);
  const deadline = performance.now() + timeoutMs;
  let polls = 0;
  for (;;) {
    const list = await job.list(100);
    polls++;
    const mine = list.filter((g) => wanted.has(g.id));
    if (mine.length === wanted.size && mine.every((g) => TERMINAL.has(g.status) && g.charged !== null)) return { generations: mine, polls, at: performance.now() };
    if (performance.now() > deadline) {
      const open = mine.filter((g) => !TERMINAL.has(g.status)).length;
      throw new Error(`generations not settled within ${timeoutMs} ms (${open} of ${wanted.size} still open)`);
    }
    await pause(POLL_MS);
  }
}

/** CPU ms and run-queue wait ms of each server process (and this client) while `fn` runs. */
async function withCpu(server, fn) {
  const snap = () => ({ ...server.cpu(), "bench client (node)": selfCpu() });
  const s0 = snap();
  const w0 = performance.now();
  const result = await fn();
  const wall = performance.now() - w0;
  const s1 = snap();
  const cpu = Object.fromEntries(Object.keys(s1).map((k) => [k, { cpu: s1[k].cpu - (s0[k]?.cpu ?? 0), wait: s1[k].wait - (s0[k]?.wait ?? 0) }]));
  return { result, cpu, wall };
}

async function ceiling(server, job, generationId, runs = 3) {
  const {
    result: rates,
    cpu,
    wall,
  } = await withCpu(server, async () => {
    const rates = [];
    for (let i = 0; i < runs; i++) {
      const { count, ms } = await job.render(generationId, CEILING_COUNT);
      rates.push((count * 1000) / Math.max(ms, 1));
    }
    return rates;
  });
  return { median: median(rates), rates, cpu, wall, items: runs * CEILING_COUNT };
}

// ---- 1. throughput ------------------------------------------------------------

async function throughputSection(server, client, token, job, sample) {
  progress(`ceiling: ${3} × /api/bench/render {count: ${CEILING_COUNT}} (${job.shown})`);
  const before = await ceiling(server, job, sample);
  await pause(500);

  const start = await balanceOf(client, token);
  if (start.held !== 0) throw new Error(`${start.held} credits held before the throughput run`);
  progress(`throughput: submitting ${GENERATIONS} × ${ITEMS} items (${SUBMIT_CONCURRENCY} in flight)`);
  const t0 = performance.now();
  const t0Epoch = Date.now();
  let submitMs;
  const {
    result: settled,
    cpu,
    wall: cpuWall,
  } = await withCpu(server, async () => {
    const ids = await pool(GENERATIONS, SUBMIT_CONCURRENCY, async () => (await job.submit(ITEMS)).id);
    submitMs = performance.now() - t0;
    progress(`throughput: submitted in ${f(submitMs, 0)} ms; polling GET /api/generations?limit=100 every ${POLL_MS} ms`);
    return untilSettled(job, ids, 15 * 60_000);
  });
  const gens = settled.generations;
  // The Worker stamps finishedAt with the same machine clock: exact, whatever the poll interval.
  const wallMs = Math.max(...gens.map((g) => Date.parse(g.finishedAt))) - t0Epoch;
  const completed = gens.reduce((s, g) => s + g.completed, 0);
  const failed = gens.reduce((s, g) => s + g.failed, 0);
  const charged = gens.reduce((s, g) => s + g.charged, 0);
  const serverMs = Math.max(...gens.map((g) => Date.parse(g.finishedAt))) - Math.min(...gens.map((g) => Date.parse(g.createdAt)));
  const end = await balanceOf(client, token);
  await pause(500);

  progress("ceiling again (after the pipeline run)");
  const after = await ceiling(server, job, sample);
  const ceilingRate = (before.median + after.median) / 2;
  const rate = (completed * 1000) / wallMs;
  const expectedBalance = start.balance - job.cost * completed;
  return {
    submitMs,
    wallMs,
    serverMs,
    polls: settled.polls,
    completed,
    failed,
    total: GENERATIONS * ITEMS,
    rate,
    before,
    after,
    ceilingRate,
    ratio: rate / ceilingRate,
    cpu,
    cpuWall,
    cost: job.cost,
    shown: job.shown,
    money: { start: start.balance, end: end.balance, held: end.held, expected: expectedBalance, charged, ok: end.balance === expectedBalance && end.held === 0 && charged === job.cost * completed },
  };
}

// ---- 2. progress latency -------------------------------------------------------

async function latencySection(client, token, job) {
  const completedLat = [];
  const finishedLat = [];
  const finished = new Map(); // generationId → perf time of generation.finished
  const ws = await openSocket(client, token, (frame, epoch, perf) => {
    if (frame.type === "generation.progress" && frame.item?.status === "completed" && typeof frame.at === "number") completedLat.push(epoch - frame.at);
    if (frame.type === "generation.finished") {
      finished.set(frame.generationId, perf);
      if (typeof frame.at === "number") finishedLat.push(epoch - frame.at);
    }
  });
  const e2e = [];
  try {
    progress(`latency: ${LATENCY_GENERATIONS} generations × ${ITEMS} items, one at a time, one socket`);
    for (let i = 0; i < LATENCY_GENERATIONS; i++) {
      const t = performance.now();
      const g = await job.submit(ITEMS);
      const deadline = performance.now() + 60_000;
      while (!finished.has(g.id)) {
        if (performance.now() > deadline) {
          const { body } = await client.request("GET", `/api/generations/${g.id}`, { token });
          throw new Error(
            `no generation.finished for ${g.id} within 60 s (socket state ${ws.readyState} ${JSON.stringify(ws.closeInfo ?? null)}); the generation now: ${JSON.stringify(body).slice(0, 800)}`,
          );
        }
        await pause(5);
      }
      e2e.push(finished.get(g.id) - t);
    }
    await pause(300); // stragglers
  } finally {
    await closeSockets([ws]);
  }
  return { completedLat, finishedLat, e2e };
}

// ---- 3. fan-out ----------------------------------------------------------------

async function fanoutSection(server, client, token, job) {
  let round = null;
  const onFrame = (i) => (frame, epoch, perf) => {
    if (!round) return;
    if (round.kind === "grant" && frame.type === "credits.changed" && frame.balance === round.balance && !round.got.has(i)) {
      round.got.add(i);
      round.lat.push(perf - round.t0);
    } else if (round.kind === "generation" && frame.type === "generation.progress" && frame.item?.status === "completed" && !round.got.has(`${frame.generationId}:${i}`)) {
      round.got.add(`${frame.generationId}:${i}`);
      round.byGen.push({ gid: frame.generationId, lat: epoch - frame.at });
    } else if (round.kind === "generation" && frame.type === "generation.finished") {
      round.finished.set(frame.generationId, (round.finished.get(frame.generationId) ?? 0) + 1);
    }
  };

  progress(`fan-out: opening ${SOCKETS} sockets for one user (${OPEN_CONCURRENCY} at a time)`);
  const sockets = [];
  const tOpen = performance.now();
  try {
    await pool(SOCKETS, OPEN_CONCURRENCY, async (i) => {
      sockets[i] = await openSocket(client, token, onFrame(i));
    });
    const openMs = performance.now() - tOpen;
    await pause(1000);

    const rows = [];
    const waitFor = async (done, what) => {
      const deadline = performance.now() + 60_000;
      while (!done()) {
        if (performance.now() > deadline) throw new Error(`fan-out: ${what} did not reach every socket within 60 s`);
        await pause(5);
      }
    };
    let { balance } = await balanceOf(client, token);
    for (let r = -1; r < ROUNDS; r++) {
      // round -1 warms up and is not reported
      balance += 1;
      let httpMs;
      const { cpu } = await withCpu(server, async () => {
        round = { kind: "grant", balance, got: new Set(), lat: [], t0: performance.now() };
        const res = await grant(client, token, 1);
        httpMs = performance.now() - round.t0;
        if (res.balance !== balance) throw new Error(`grant: balance ${res.balance}, expected ${balance}`);
        await waitFor(() => round.got.size === SOCKETS, "credits.changed");
      });
      if (r >= 0) rows.push({ kind: "credits.changed (POST /api/bench/grant; from before the request)", lat: round.lat, httpMs, cpu });
      round = null;
      await pause(300);
    }
    for (let r = 0; r < ROUNDS; r++) {
      let g;
      const { cpu } = await withCpu(server, async () => {
        round = { kind: "generation", got: new Set(), byGen: [], finished: new Map() };
        g = await job.submit(1);
        await waitFor(() => round.finished.get(g.id) === SOCKETS, "generation.finished");
      });
      const lat = round.byGen.filter((x) => x.gid === g.id).map((x) => x.lat);
      if (lat.length !== SOCKETS) throw new Error(`fan-out: ${lat.length} of ${SOCKETS} sockets saw the completed progress event`);
      rows.push({ kind: "generation.progress completed (1-item generation; from event `at`)", lat, cpu });
      round = null;
      await pause(300);
    }
    return { openMs, rows };
  } finally {
    progress("fan-out: closing all sockets");
    await closeSockets(sockets.filter(Boolean));
  }
}

// ---- diagnostics -----------------------------------------------------------------

/** Unit costs of the local simulators (instrumented entry only): Worker-process CPU per call. */
async function unitCosts(server, client) {
  const n = 200;
  const rows = [];
  for (const kind of ["noop", "d1-read", "d1-write", "d1-batch2", "r2-put", "do-rpc"]) {
    await client.request("GET", `/__bench/op?kind=${kind}&n=20`, { expect: 200 });
    const { cpu, wall } = await withCpu(server, () => client.request("GET", `/__bench/op?kind=${kind}&n=${n}`, { expect: 200 }));
    rows.push({ kind, n, wall: wall / n, worker: cpu["workerd: Worker"]?.cpu / n, wait: cpu["workerd: Worker"]?.wait / n });
  }
  return rows;
}

/** Batches the local queue broker logged at --log-level info: "QUEUE lumiku-generation 10/10 (123ms)". */
function queueBatches(logFile) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI colour codes of wrangler's log
  const text = readFileSync(logFile, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
  return [...text.matchAll(/QUEUE lumiku-generation (\d+)\/(\d+) \((\d+)ms\)/g)].map((m) => ({ acked: +m[1], size: +m[2], ms: +m[3] }));
}

// ---- main --------------------------------------------------------------------------

async function main() {
  const vars = {
    ENVIRONMENT: "test",
    BENCH_ROUTES: "true",
    QUEUE_RETRY_BASE_SECONDS: "0",
    GENERATION_ITEMS_PER_HOUR: "1000000",
    AUTH_RATE_LIMIT_PER_IP: "100000",
    ACCESS_TOKEN_TTL_SECONDS: "3600", // one token lasts the whole run
    PASSWORD_SCRYPT_LOG_N: "10", // registration is not measured
  };
  const main = process.env.BENCH_PIPELINE_MAIN ?? (INSTRUMENT ? join(import.meta.dirname, "instrumented.mjs") : undefined);
  const server = await startWorker({ vars, queueOverrides: QUEUE, main, logLevel: DIAG ? "info" : "warn", progress });
  const client = api(server.origin);
  const results = {};
  try {
    const token = await register(client);
    await grant(client, token, 10_000_000);
    const job = await workload(client, token, APP);
    progress(`warming up (one generation, a few renders): ${job.shown}`);
    const warm = await job.submit(ITEMS);
    await untilSettled(job, [warm.id], 60_000);
    await job.render(warm.id, 10);

    const batchesBefore = DIAG ? queueBatches(server.logFile).length : 0;
    const stats = async () => (await client.request("GET", `/__bench/stats?precise=${INSTRUMENT === "precise" ? 1 : 0}`, { expect: 200 })).body.stats;
    if (INSTRUMENT) await stats();
    if (SECTIONS.has("throughput")) results.throughput = await throughputSection(server, client, token, job, warm.id);
    if (INSTRUMENT) results.stats = await stats();
    if (INSTRUMENT) results.units = await unitCosts(server, client);
    if (DIAG) results.batches = queueBatches(server.logFile).slice(batchesBefore);
    if (SECTIONS.has("latency")) results.latency = await latencySection(client, token, job);
    if (SECTIONS.has("fanout")) results.fanout = await fanoutSection(server, client, token, job);
    const warnings = server
      .tail(400)
      .split("\n")
      .filter((l) => /error|✘/i.test(l));
    if (warnings.length > 0) results.serverErrors = warnings.slice(-5);
  } finally {
    progress("stopping wrangler dev");
    await server.stop();
    await cleanupAll();
  }
  report(results);
}

function report(r) {
  const out = [];
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  out.push(`Lumiku Edge pipeline benchmark — ${new Date().toISOString()} — ${cpus().length} CPU(s), load average ${load}`);
  out.push(`wrangler dev (local workerd), queue consumer: ${Object.keys(QUEUE).length ? JSON.stringify(QUEUE) : "as in wrangler.toml"}`);
  if (r.throughput) {
    const t = r.throughput;
    out.push("", `### 1. Pipeline throughput (${GENERATIONS} generations × ${ITEMS} items of ${t.shown}, ${SUBMIT_CONCURRENCY} submits in flight)`, "");
    out.push("| measure | value |", "|---|--:|");
    out.push(`| items completed / failed / total | ${t.completed} / ${t.failed} / ${t.total} |`);
    out.push(`| submit phase (all ${GENERATIONS} POSTs answered) | ${f(t.submitMs / 1000, 2)} s |`);
    out.push(`| time until all terminal (first submit → last finishedAt) | ${f(t.wallMs / 1000, 2)} s |`);
    out.push(`| server window (first createdAt → last finishedAt) | ${f(t.serverMs / 1000, 2)} s |`);
    out.push(`| **pipeline items/s** | **${f(t.rate)}** |`);
    out.push(`| ceiling items/s (the item's work + preview in a loop; before / after) | ${f(t.before.median)} / ${f(t.after.median)} |`);
    out.push(`| **pipeline / ceiling** (target ≥ ${TARGET.ratio * 100}%) | **${f(t.ratio * 100)}%** (${verdict(t.ratio >= TARGET.ratio)}) |`);
    const cpuCeil = ((t.before.cpu["workerd: Worker"]?.cpu ?? 0) + (t.after.cpu["workerd: Worker"]?.cpu ?? 0)) / (t.before.items + t.after.items);
    const cpuPipe = (t.cpu["workerd: Worker"]?.cpu ?? 0) / t.completed;
    out.push(`| same ratio by Worker-process CPU per item (load-independent; ${f(cpuCeil)} / ${f(cpuPipe)} ms) | ${f((cpuCeil / cpuPipe) * 100)}% |`);
    // Everything but rendering and encoding: submit, queue dispatch, D1, R2, the Account object, polls.
    const overhead = (cpuPipe - cpuCeil) / cpuCeil;
    out.push(
      `| **pipeline overhead** by Worker-process CPU per item: (${f(cpuPipe)} − ${f(cpuCeil)}) / ${f(cpuCeil)} ms (target ≤ ${TARGET.overhead * 100}%) | **${f(overhead * 100)}%** (${verdict(overhead <= TARGET.overhead)}) |`,
    );
    out.push(`| list polls | ${t.polls} |`);
    out.push(`| money: start → final balance (expected) | ${t.money.start} → ${t.money.end} (${t.money.expected}) |`);
    out.push(`| money: held at the end; Σ charged = ${t.cost} × completed | ${t.money.held}; ${t.money.charged} = ${t.cost * t.completed} |`);
    out.push(`| **money check** | **${t.money.ok ? "ok" : "FAILED"}** |`);
    const roles = [...new Set([...Object.keys(t.cpu), ...Object.keys(t.before.cpu)])].sort();
    const ceil = (role, k) => ((t.before.cpu[role]?.[k] ?? 0) + (t.after.cpu[role]?.[k] ?? 0)) / (t.before.items + t.after.items);
    const pipe = (role, k) => (t.cpu[role]?.[k] ?? 0) / t.completed;
    out.push("", "CPU and run-queue wait per item (/proc schedstat; ceiling = the render loop, pipeline = submit → all settled, incl. polls):", "");
    out.push("| process | ceiling CPU ms/item | pipeline CPU ms/item | pipeline run-queue wait ms/item | pipeline CPU / wall |", "|---|--:|--:|--:|--:|");
    for (const role of roles) out.push(`| ${role} | ${f(ceil(role, "cpu"))} | ${f(pipe(role, "cpu"))} | ${f(pipe(role, "wait"))} | ${f(((t.cpu[role]?.cpu ?? 0) / t.cpuWall) * 100, 0)}% |`);
    out.push(`| wall | ${f(1000 / t.ceilingRate)} | ${f(t.wallMs / t.completed)} | | |`);
  }
  if (r.batches && r.batches.length > 0) {
    const b = r.batches;
    const busy = b.reduce((s, x) => s + x.ms, 0);
    out.push("", "Queue batches (broker log, throughput run):", "");
    out.push("| batches | mean size | batch ms p50 / p99 / max | Σ batch ms | per item (Σ / items) |", "|--:|--:|--:|--:|--:|");
    out.push(
      `| ${b.length} | ${f(b.reduce((s, x) => s + x.size, 0) / b.length)} | ${percentile(
        b.map((x) => x.ms),
        0.5,
      )} / ${percentile(
        b.map((x) => x.ms),
        0.99,
      )} / ${Math.max(...b.map((x) => x.ms))} | ${busy} | ${f(busy / b.reduce((s, x) => s + x.size, 0), 1)} ms |`,
    );
  }
  if (r.stats) {
    const items = r.throughput?.completed || 1;
    out.push("", `Where the time goes (instrumented entry${INSTRUMENT === "precise" ? ", precise clock" : ""}; throughput run incl. ceiling calls; ${items} items):`, "");
    out.push("| context | op | calls | Σ ms | mean ms | max ms | Σ ms per item |", "|---|---|--:|--:|--:|--:|--:|");
    for (const [key, s] of Object.entries(r.stats).sort((a, b) => b[1].ms - a[1].ms)) {
      const [ctx, op] = [key.slice(0, key.lastIndexOf(" ")), key.slice(key.lastIndexOf(" ") + 1)];
      out.push(`| ${ctx} | ${op} | ${s.n} | ${s.ms} | ${f(s.ms / Math.max(s.n, 1))} | ${s.max} | ${f(s.ms / items)} |`);
    }
  }
  if (r.units) {
    out.push("", "Unit costs of the local simulators (200 sequential calls in one request; Worker workerd process):", "");
    out.push("| call | wall ms/call | CPU ms/call | run-queue wait ms/call |", "|---|--:|--:|--:|");
    for (const u of r.units) out.push(`| ${u.kind} | ${f(u.wall, 2)} | ${f(u.worker, 2)} | ${f(u.wait, 2)} |`);
  }
  if (r.latency) {
    const l = r.latency;
    out.push("", `### 2. Progress latency (one socket; ${LATENCY_GENERATIONS} generations × ${ITEMS} items, one at a time)`, "");
    out.push("| event | n | p50 ms | p99 ms | max ms |", "|---|--:|--:|--:|--:|");
    out.push(
      `| generation.progress, item completed (receive − at) | ${l.completedLat.length} | ${percentile(l.completedLat, 0.5)} | **${percentile(l.completedLat, 0.99)}** | ${Math.max(...l.completedLat)} |`,
    );
    out.push(`| generation.finished (receive − at) | ${l.finishedLat.length} | ${percentile(l.finishedLat, 0.5)} | ${percentile(l.finishedLat, 0.99)} | ${Math.max(...l.finishedLat)} |`);
    out.push(`| submit → generation.finished (client) | ${l.e2e.length} | ${f(percentile(l.e2e, 0.5), 0)} | ${f(percentile(l.e2e, 0.99), 0)} | ${f(Math.max(...l.e2e), 0)} |`);
    out.push("", `Target p99 ≤ ${TARGET.progressP99} ms for completed-item progress: ${verdict(percentile(l.completedLat, 0.99) <= TARGET.progressP99)}`);
  }
  if (r.fanout) {
    const fo = r.fanout;
    out.push("", `### 3. Fan-out (${SOCKETS} sockets, one user; opened in ${f(fo.openMs / 1000, 1)} s, ${OPEN_CONCURRENCY} at a time; one unreported warm-up grant first)`, "");
    out.push("| round | event | sockets | p50 ms | p99 ms | max ms | grant HTTP ms |", "|--:|---|--:|--:|--:|--:|--:|");
    fo.rows.forEach((row, i) => {
      out.push(
        `| ${i + 1} | ${row.kind} | ${row.lat.length} | ${f(percentile(row.lat, 0.5))} | ${f(percentile(row.lat, 0.99))} | ${f(Math.max(...row.lat))} | ${row.httpMs === undefined ? "" : f(row.httpMs)} |`,
      );
    });
    for (const kind of [...new Set(fo.rows.map((x) => x.kind))]) {
      const all = fo.rows.filter((x) => x.kind === kind).flatMap((x) => x.lat);
      out.push(`| all | ${kind} | ${all.length} | ${f(percentile(all, 0.5))} | **${f(percentile(all, 0.99))}** | ${f(Math.max(...all))} | |`);
      const roundP99 = fo.rows.filter((x) => x.kind === kind).map((x) => percentile(x.lat, 0.99));
      out.push(`| median round | ${kind.split(" (")[0]}: median / best of the per-round p99s | | | ${f(median(roundP99))} / ${f(Math.min(...roundP99))} | | |`);
    }
    out.push("", "CPU / run-queue wait per round (mean ms, /proc schedstat):", "");
    const kinds = [...new Set(fo.rows.map((x) => x.kind))];
    const roles = [...new Set(fo.rows.flatMap((x) => Object.keys(x.cpu)))].sort();
    out.push(`| event | ${roles.join(" | ")} |`, `|---|${roles.map(() => "--:").join("|")}|`);
    for (const kind of kinds) {
      const rs = fo.rows.filter((x) => x.kind === kind);
      const mean = (role, k) => f(rs.reduce((sum, x) => sum + (x.cpu[role]?.[k] ?? 0), 0) / rs.length, 0);
      out.push(`| ${kind.split(" (")[0]} | ${roles.map((role) => `${mean(role, "cpu")} / ${mean(role, "wait")}`).join(" | ")} |`);
    }
    const worst = Math.max(
      ...[...new Set(fo.rows.map((x) => x.kind))].map((kind) =>
        percentile(
          fo.rows.filter((x) => x.kind === kind).flatMap((x) => x.lat),
          0.99,
        ),
      ),
    );
    out.push("", `Target p99 ≤ ${TARGET.fanoutP99} ms: ${verdict(worst <= TARGET.fanoutP99)}`);
  }
  if (r.serverErrors) out.push("", "wrangler log lines mentioning errors (last 5):", ...r.serverErrors.map((l) => `    ${l}`));
  console.log(out.join("\n"));
}

main().catch(fail);
