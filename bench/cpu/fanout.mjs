// Fan-out on one runtime: N sockets of one user, then rounds of a 1-item test-pipeline
// generation; for each socket, the completed item's generation.progress event is timed from
// the event's own `at` (the Worker's clock, the same machine's) to its arrival.
import { performance } from "node:perf_hooks";
import { api, closeSockets, openSocket, percentile, pool, workload } from "../pipeline/client.mjs";
import { cpuSince } from "../lib/runtimes.mjs";

const OPEN_CONCURRENCY = 25;
const TARGET_P99_MS = 200;

export async function fanout(server, token, { sockets: count, rounds, progress }) {
  const client = api(server.origin);
  const job = await workload(client, token);
  let round = null;
  // One generation at a time, so a frame of any generation not finished before is this round's
  // (it may arrive before the submit's own response does).
  const done = new Set();
  const onFrame = (frame, epoch) => {
    if (!round || frame.generationId === undefined || done.has(frame.generationId)) return;
    if (frame.type === "generation.progress" && frame.item?.status === "completed") round.lat.push(epoch - frame.at);
    if (frame.type === "generation.finished") round.finished++;
  };
  progress(`fan-out: opening ${count} sockets (${OPEN_CONCURRENCY} at a time)`);
  const sockets = [];
  const t0 = performance.now();
  try {
    await pool(count, OPEN_CONCURRENCY, async (i) => {
      sockets[i] = await openSocket(client, token, onFrame);
    });
    const openMs = performance.now() - t0;
    const rows = [];
    // Round 0 warms up and is not reported.
    for (let r = 0; r <= rounds; r++) {
      progress(`fan-out: round ${r}/${rounds}`);
      const before = server.cpu();
      round = { lat: [], finished: 0 };
      const generation = await job.submit(1);
      const deadline = performance.now() + 60_000;
      while (round.finished < count) {
        if (performance.now() > deadline) throw new Error(`fan-out: generation.finished reached ${round.finished} of ${count} sockets within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      if (round.lat.length !== count) throw new Error(`fan-out: ${round.lat.length} of ${count} sockets saw the completed progress event`);
      if (r > 0) rows.push({ lat: round.lat, cpu: cpuSince(before, server.cpu()) });
      done.add(generation.id);
      round = null;
    }
    return { count, openMs, rows };
  } finally {
    progress("fan-out: closing the sockets");
    await closeSockets(sockets.filter(Boolean));
  }
}

const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "–");

export function fanoutTable(kind, { count, openMs, rows }) {
  const out = [`${kind}: fan-out, ${count} sockets of one user (opened in ${f(openMs / 1000)} s); a 1-item generation per round, its completed progress event timed from the event's \`at\`:`, ""];
  out.push("| round | sockets | p50 ms | p99 ms | max ms | Worker CPU ms for the round |", "|--:|--:|--:|--:|--:|--:|");
  rows.forEach((row, i) => {
    out.push(`| ${i + 1} | ${row.lat.length} | ${f(percentile(row.lat, 0.5))} | ${f(percentile(row.lat, 0.99))} | ${f(Math.max(...row.lat))} | ${f(row.cpu.worker, 0)} |`);
  });
  const all = rows.flatMap((r) => r.lat);
  const p99 = percentile(all, 0.99);
  out.push(`| all | ${all.length} | ${f(percentile(all, 0.5))} | **${f(p99)}** | ${f(Math.max(...all))} | |`);
  out.push("", `- fan-out p99 ${f(p99)} ms (target ≤ ${TARGET_P99_MS} ms: ${p99 <= TARGET_P99_MS ? "met" : "MISSED"})`);
  return out.join("\n");
}
