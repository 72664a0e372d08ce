// How the image benchmarks measure one case: a bench Worker (measure.mjs) timed from outside
// with the CPU and peak RSS of the workerd doing the work; and a Node baseline
// in a fresh process per case (so its peak RSS is that case's alone; the script reports with
// node-case.mjs, which loads nothing else).
import { spawnSync } from "node:child_process";
import { cpuMs, median, peakMb, resetPeak, rssMb } from "./measure.mjs";

/**
 * `call` (one request, resolving to `{ms, ...}`) twice to warm up, then `runs` times: median
 * wall ms, CPU ms per run of workerd `pid`, its RSS before and peak during, and the last answer.
 */
export async function measureWorkerd(pid, call, runs) {
  for (let i = 0; i < 2; i++) await call();
  const startMb = rssMb(pid);
  resetPeak(pid);
  const results = [];
  const cpuBefore = cpuMs(pid);
  for (let i = 0; i < runs; i++) results.push(await call());
  return { ms: median(results.map((r) => r.ms)), cpu: (cpuMs(pid) - cpuBefore) / runs, startMb, peakMb: peakMb(pid), last: results.at(-1) };
}

/** Runs a case script in a fresh Node process: median wall ms, CPU ms per run, peak RSS, output size. */
export function nodeCase(script, args, runs) {
  const result = spawnSync(process.execPath, [script, ...args.map(String)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  const r = JSON.parse(result.stdout);
  return { ms: median(r.times), cpu: r.cpuMs / runs, peakMb: r.peakMb, outputBytes: r.outputBytes, threads: r.threads };
}
