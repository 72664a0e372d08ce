// Looping benchmark: writing one animated WebP, in workerd (this project's libwebp wasm frames
// + its own container, one frame in memory at a time) and with sharp in Node (libvips +
// libwebp's animation encoder, every frame in memory), on the same frames, in the same run.
// Times are CPU time of the process doing the work, with the cost of drawing the frames
// measured alone and taken off, so the table is encode time per frame. Then the app's whole
// render per frame at each size, which is what the consumer's cpu_ms is set from.
// Usage: npx node bench/looping/run.mjs [runs]   (Node ≥ 22; default 3 timed runs per case after 1 warm-up)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../../scripts/lib.mjs";
import { busyWorkerd, cpuMs, startBenchWorker } from "../lib/measure.mjs";

const RUNS = Number(process.argv[2] ?? 3);
const QUALITY = 80;
/** The app's libwebp method; sharp's `effort` is the same knob. */
const METHOD = 1;
const here = join(root, "bench", "looping");

async function call(origin, path) {
  // Once more if it fails: a kept-alive socket the server closed while sharp ran fails on first use.
  const send = () => fetch(`${origin}${path}`, { method: "POST" });
  const res = await send().catch(send);
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${body.error}`);
  return body;
}

/** Mean CPU ms of the workerd process per request, after one warm-up, and the last answer. */
async function measure(origin, pid, path) {
  await call(origin, path);
  const before = cpuMs(pid);
  let last;
  for (let i = 0; i < RUNS; i++) last = await call(origin, path);
  return { cpu: (cpuMs(pid) - before) / RUNS, ...last };
}

function sharpCase(size, frames) {
  const result = spawnSync(process.execPath, [join(here, "sharp-case.mjs"), String(size), String(frames), String(RUNS), String(QUALITY), String(METHOD)], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

const { server, origin } = await startBenchWorker(here);
const f = (n, d = 0) => n.toFixed(d);
const MB = 1048576;
try {
  // The Worker's workerd process starts with the first request; then the busy one is it.
  await call(origin, "/encode?size=256&frames=4");
  const pid = await busyWorkerd(() => call(origin, "/encode?size=512&frames=24"));

  // 2 s at 24 fps: sharp holds every frame, so 1024² × 48 is 200 MB of input for it.
  const cases = [
    { size: 512, frames: 48 },
    { size: 768, frames: 48 },
    { size: 1024, frames: 48 },
  ];
  const rows = [];
  for (const c of cases) {
    const q = `size=${c.size}&frames=${c.frames}&quality=${QUALITY}&method=${METHOD}`;
    const draw = await measure(origin, pid, `/draw?${q}`);
    const encode = await measure(origin, pid, `/encode?${q}`);
    const s = sharpCase(c.size, c.frames);
    rows.push({
      ...c,
      ours: { perFrame: (encode.cpu - draw.cpu) / c.frames, bytes: encode.outputBytes, heldMb: encode.heldBytes / MB, wasmMb: encode.wasmBytes / MB },
      sharp: { perFrame: s.encodeMs / c.frames, bytes: s.outputBytes, peakMb: s.peakMb - s.baselineMb, version: s.version },
    });
  }

  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\nAnimated WebP, quality ${QUALITY}, method/effort ${METHOD}, 48 frames (2 s at 24 fps), ${RUNS} runs per case after a warm-up.`);
  console.log(`CPU ms per frame of the process doing the work, drawing the frames taken off. sharp ${rows[0].sharp.version}, one libvips thread. Load average at the end: ${load}.\n`);
  console.log("| frame | workerd: ours ms/frame | sharp ms/frame | ours ÷ sharp | file: ours / sharp | memory: ours (held + libwebp wasm) | memory: sharp (peak RSS over its baseline) |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.size}² | ${f(r.ours.perFrame, 1)} | ${f(r.sharp.perFrame, 1)} | ${f(r.ours.perFrame / r.sharp.perFrame, 1)}× | ${f(r.ours.bytes / 1024)} KB / ${f(r.sharp.bytes / 1024)} KB | ${f(r.ours.heldMb, 1)} + ${f(r.ours.wasmMb, 1)} MB | ${f(r.sharp.peakMb, 1)} MB |`,
    );
  }

  // The app's whole render (stage, effect fields, frames, poster), per frame, and what 8 s at 30 fps costs.
  console.log("\nThe app's render in workerd, CPU per frame (24-frame runs), and the largest loop the API allows (8 s × 30 fps = 240 frames):\n");
  console.log("| size | effect | ms/frame | 240 frames | memory (held + wasm, 24 frames) |");
  console.log("|---|---|---|---|---|");
  const renders = [...["zoom-pulse", "pan", "sway", "ripple", "parallax"].map((effect) => ({ size: 1024, effect })), { size: 768, effect: "parallax" }, { size: 512, effect: "parallax" }];
  let worst = 0;
  for (const { size, effect } of renders) {
    const r = await measure(origin, pid, `/render?size=${size}&frames=24&effect=${effect}`);
    const loopMs = (r.cpu / 24) * 240;
    worst = Math.max(worst, loopMs);
    console.log(`| ${size}² | ${effect} | ${f(r.cpu / 24, 1)} | ${f(loopMs / 1000, 1)} s | ${f(r.heldBytes / MB, 1)} + ${f(r.wasmBytes / MB, 1)} MB |`);
  }
  // wrangler.toml's [limits] cpu_ms: four times the worst item, in whole 10 s (README, "Looping Flow").
  console.log(`\nWorst item: ${f(worst / 1000, 1)} s CPU → cpu_ms = ${Math.ceil((4 * worst) / 10_000) * 10_000} (4× headroom, rounded up to 10 s).`);
} finally {
  await server.stop();
}
