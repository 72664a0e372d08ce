// What benchmarks read about the processes doing the work (Linux /proc): workerd children,
// CPU time, resident and peak memory; the median of a run's timings; and starting a bench Worker.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unstable_dev } from "wrangler";
import { offlineEnv } from "../../scripts/lib.mjs";

/** workerd processes started by this process (wrangler runs more than one). */
export function workerdChildren(parent) {
  const pids = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === parent && stat.includes("(workerd)")) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** User + system CPU time of a process so far, in ms (the kernel counts in 10 ms ticks). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The workerd process that burns the most CPU while `work` runs: the one running the bench Worker. */
export async function busyWorkerd(work) {
  const before = new Map(workerdChildren(process.pid).map((pid) => [pid, cpuMs(pid)]));
  await work();
  // Listed again: wrangler may start the Worker's own workerd only once the work arrives.
  const pids = workerdChildren(process.pid);
  const deltas = pids.map((pid) => cpuMs(pid) - (before.get(pid) ?? 0));
  const pid = pids[deltas.indexOf(Math.max(...deltas))];
  if (pid === undefined) throw new Error("workerd process not found");
  return pid;
}

export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
export const peakMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
/** Resets the kernel's peak-RSS counter for a process (writing 5 to clear_refs). */
export const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, "5");

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A bench Worker under in-process wrangler, without file watching: nothing may reload it mid-measurement. */
export async function startBenchWorker(dir, options = {}) {
  Object.assign(process.env, offlineEnv);
  const server = await unstable_dev(join(dir, "worker.ts"), {
    config: join(dir, "wrangler.toml"),
    ip: "127.0.0.1",
    logLevel: process.env.BENCH_LOG ?? "error",
    inspect: false,
    ...options,
    experimental: { watch: false, disableExperimentalWarning: true, showInteractiveDevSession: false },
  });
  return { server, origin: `http://${server.address}:${server.port}` };
}
