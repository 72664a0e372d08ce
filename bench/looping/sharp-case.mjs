// sharp writing the same animated WebP in a fresh Node process, so its peak RSS is this case's alone.
// libvips takes an animation as one tall image of every frame (pageHeight), so all frames are in memory.
// Usage: node sharp-case.mjs <size> <frames> <runs> <quality> <effort>
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { drawFrame, durations, still } from "./frames.mjs";

const [size, frames, runs, quality, effort] = process.argv.slice(2, 7).map(Number);
sharp.cache(false);
sharp.concurrency(1);
const peakKb = () => Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0);
const baselineKb = peakKb();
const source = still(size + 2 * Math.ceil(size * 0.05));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let drawMs = 0;
let encodeMs = 0;
let outputBytes = 0;
for (let run = 0; run < runs + 1; run++) {
  const t0 = cpu();
  const all = Buffer.alloc(size * size * 4 * frames);
  for (let i = 0; i < frames; i++) drawFrame(source, size, i, frames, all.subarray(i * size * size * 4, (i + 1) * size * size * 4));
  const t1 = cpu();
  const out = await sharp(all, { raw: { width: size, height: size * frames, channels: 4, pageHeight: size } })
    .webp({ quality, effort, loop: 0, delay: durations(frames, Math.round((frames * 1000) / 24)) })
    .toBuffer();
  const t2 = cpu();
  // The first run warms up.
  if (run > 0) {
    drawMs += t1 - t0;
    encodeMs += t2 - t1;
  }
  outputBytes = out.length;
}
console.log(JSON.stringify({ drawMs: drawMs / runs, encodeMs: encodeMs / runs, outputBytes, peakMb: peakKb() / 1024, baselineMb: baselineKb / 1024, version: sharp.versions.sharp }));
