// What /proc says about the processes a benchmark measures: CPU time, RSS and its peak, and
// which workerd (wrangler runs more than one) does the work. Linux only.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

/** workerd processes started by this process (wrangler runs more than one). */
function workerdChildren(parent) {
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

/** The workerd process that runs the bench Worker: the one that burns CPU while it works. */
export async function busyWorkerd(work) {
  const pids = workerdChildren(process.pid);
  const before = pids.map(cpuMs);
  await work();
  const deltas = pids.map((pid, i) => cpuMs(pid) - before[i]);
  const pid = pids[deltas.indexOf(Math.max(...deltas))];
  if (pid === undefined) throw new Error("workerd process not found");
  return pid;
}

/** User + system CPU time of a process so far, in ms (the kernel counts in 10 ms ticks). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
export const peakMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
/** Resets the kernel's peak-RSS counter for a process (writing 5 to clear_refs). */
export const resetPeak = (pid) => writeFileSync(`/proc/${pid}/clear_refs`, "5");

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
