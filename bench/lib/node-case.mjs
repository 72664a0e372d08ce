// Inside a Node baseline's case script: nothing but node:fs is loaded here, so the process's
// peak RSS is the library's under test.
import { readFileSync } from "node:fs";

/** Inside a Node case script: warms `once` (resolving to the output bytes) up, times it, prints JSON for nodeCase. */
export async function reportNodeCase(once, runs, extra = {}) {
  const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);
  const baselineKb = peakKb();
  for (let i = 0; i < 2; i++) await once();
  const times = [];
  let outputBytes = 0;
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    outputBytes = (await once()).length;
    times.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ times, cpuMs: (cpu.user + cpu.system) / 1000, outputBytes, peakMb: peakKb() / 1024, baselineMb: baselineKb / 1024, ...extra }));
}
