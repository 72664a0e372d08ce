// Video benchmark: this project's remux (mediabunny in workerd: packets copied from R2 by
// range, timestamps rewritten, a fast-start MP4 streamed back to R2) against ffmpeg's
// `-c copy` concat of the same key-frame segments into a fast-start MP4, in the same run on
// the same machine. Also workerd's peak memory per case, to show the longest variant
// (120 s) stays bounded. Needs Debian's ffmpeg (apt-get install -y ffmpeg) for the source
// clips and the baseline; without it the run stops and says so.
// Usage: npx node bench/video/run.mjs [runs]   (default 5 timed runs per case after 1 warm-up)
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../../scripts/lib.mjs";
import { busyWorkerd, cpuMs, median, peakMb, resetPeak, rssMb, startBenchWorker } from "../lib/measure.mjs";

const RUNS = Number(process.argv[2] ?? 5);
const here = join(root, "bench", "video");
const out = join(root, "bench", "results", "video");
mkdirSync(out, { recursive: true });

if (spawnSync("ffmpeg", ["-version"]).status !== 0) {
  console.error("bench/video needs ffmpeg for its source clips and its baseline: apt-get update && apt-get install -y ffmpeg");
  process.exit(2);
}

/** Two 120 s 1280×720 30 fps clips at a steady ~4 Mbit/s (filler NALs keep the rate real), a key frame every 2 s, AAC. */
function ensureClips() {
  const clips = { a: "testsrc2", b: "smptehdbars" };
  for (const [name, source] of Object.entries(clips)) {
    const path = join(out, `${name}.mp4`);
    if (existsSync(path)) continue;
    const result = spawnSync("ffmpeg", [
      "-y",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `${source}=size=1280x720:rate=30:duration=120`,
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=330:duration=120",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-b:v",
      "4M",
      "-minrate",
      "4M",
      "-maxrate",
      "4M",
      "-bufsize",
      "2M",
      "-x264-params",
      "nal-hrd=cbr",
      "-g",
      "60",
      "-keyint_min",
      "60",
      "-sc_threshold",
      "0",
      "-pix_fmt",
      "yuv420p",
      "-c:a",
      "aac",
      "-b:a",
      "128k",
      "-movflags",
      "+faststart",
      "-shortest",
      path,
    ]);
    if (result.status !== 0) throw new Error(`ffmpeg could not make ${path}: ${result.stderr}`);
  }
  return Object.fromEntries(Object.keys(clips).map((name) => [name, join(out, `${name}.mp4`)]));
}

/** Alternating 2 s key-frame segments from both clips, `seconds` long in all. */
function segments(seconds) {
  const steps = [];
  for (let t = 0; t < seconds; t += 2) steps.push({ clip: steps.length % 2 ? "b.mp4" : "a.mp4", startMs: (Math.floor(t / 4) * 4 + (steps.length % 2) * 2) * 1000, endMs: 0 });
  for (const s of steps) s.endMs = s.startMs + 2000;
  return steps;
}

async function remux(origin, steps, name) {
  const started = performance.now();
  const res = await fetch(`${origin}/remux?out=${name}`, { method: "POST", body: JSON.stringify(steps) });
  const body = await res.json();
  if (!res.ok) throw new Error(`remux ${name}: ${body.error}`);
  return { ms: performance.now() - started, ...body };
}

/** ffmpeg's concat demuxer with in/out points: the same segments, packets copied, fast start. */
function ffmpegConcat(paths, steps, name) {
  const list = join(out, `${name}.txt`);
  writeFileSync(list, steps.map((s) => `file '${paths[s.clip[0]]}'\ninpoint ${s.startMs / 1000}\noutpoint ${s.endMs / 1000}\n`).join(""));
  const target = join(out, `${name}-ffmpeg.mp4`);
  const started = performance.now();
  const result = spawnSync("bash", ["-c", `TIMEFORMAT='%U %S'; time ffmpeg -y -v error -f concat -safe 0 -i '${list}' -c copy -movflags +faststart '${target}'`], { encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`ffmpeg concat failed: ${result.stderr}`);
  const [user, sys] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { ms, cpu: (user + sys) * 1000, sizeBytes: statSync(target).size };
}

/** ffmpeg decodes every frame of the file and reports nothing wrong. */
function decodesClean(path) {
  const r = spawnSync("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], { encoding: "utf8" });
  return r.status === 0 && r.stderr.trim() === "";
}

function probeDuration(path) {
  const r = spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], { encoding: "utf8" });
  return Number(r.stdout.trim());
}

const paths = ensureClips();
const state = join(out, "state");

/** One case in a fresh workerd (the clips persist in its local R2), so each case's memory starts from the same place. */
async function measureCase(seconds) {
  const { server, origin } = await startBenchWorker(here, { persistTo: state });
  try {
    const steps = segments(seconds);
    const name = `variant-${seconds}s`;
    const pid = await busyWorkerd(() => remux(origin, steps, name));
    const startMb = rssMb(pid);
    resetPeak(pid);
    const cpuBefore = cpuMs(pid);
    const ours = [];
    for (let i = 0; i < RUNS; i++) ours.push(await remux(origin, steps, name));
    const oursCpu = (cpuMs(pid) - cpuBefore) / RUNS;
    const peak = peakMb(pid);
    const outPath = join(out, `${name}-ours.mp4`);
    writeFileSync(outPath, Buffer.from(await (await fetch(`${origin}/out?out=${name}`)).arrayBuffer()));
    ffmpegConcat(paths, steps, name);
    const theirs = Array.from({ length: RUNS }, () => ffmpegConcat(paths, steps, name));
    return {
      seconds,
      segments: steps.length,
      outMb: ours[0].sizeBytes / 1048576,
      ffmpegOutMb: theirs[0].sizeBytes / 1048576,
      oursMs: median(ours.map((r) => r.ms)),
      oursCpu,
      ffmpegMs: median(theirs.map((r) => r.ms)),
      ffmpegCpu: median(theirs.map((r) => r.cpu)),
      startMb,
      peakMb: peak,
      oursDuration: probeDuration(outPath),
      ffmpegDuration: probeDuration(join(out, `${name}-ffmpeg.mp4`)),
      decodesClean: decodesClean(outPath),
    };
  } finally {
    await server.stop();
  }
}

{
  const { server, origin } = await startBenchWorker(here, { persistTo: state });
  try {
    for (const [name, path] of Object.entries(paths)) {
      const res = await fetch(`${origin}/clip?name=${name}.mp4`, { method: "PUT", body: readFileSync(path) });
      if (!res.ok) throw new Error(`storing ${name}.mp4 failed: ${await res.text()}`);
    }
  } finally {
    await server.stop();
  }
}
const rows = [];
for (const seconds of [6, 30, 120]) rows.push(await measureCase(seconds));
{
  const f = (n, d = 0) => n.toFixed(d);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\nVideo remux benchmark: 1280×720 30 fps H.264 ~4 Mbit/s + AAC sources, alternating 2 s key-frame segments of two clips; ${RUNS} runs per case after a warm-up.`);
  console.log(
    `Ours: mediabunny 1.61.0 in workerd (wrangler dev, local R2), read by range and streamed back to R2 in 5 MiB parts. Baseline: ffmpeg -f concat -c copy -movflags +faststart on local files.`,
  );
  console.log(`MB/s = output MB / median wall time. CPU = CPU time per run of the process doing the work. Load average at the end: ${load}.\n`);
  console.log("| variant | segments | output MB (ours / ffmpeg) | ours: wall ms · CPU ms · MB/s | ffmpeg: wall ms · CPU ms · MB/s | duration s (ours / ffmpeg) | ours decodes clean |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.seconds} s | ${r.segments} | ${f(r.outMb, 1)} / ${f(r.ffmpegOutMb, 1)} | ${f(r.oursMs)} · ${f(r.oursCpu)} · ${f(r.outMb / (r.oursMs / 1000), 1)} | ${f(r.ffmpegMs)} · ${f(r.ffmpegCpu)} · ${f(r.ffmpegOutMb / (r.ffmpegMs / 1000), 1)} | ${f(r.oursDuration, 3)} / ${f(r.ffmpegDuration, 3)} | ${r.decodesClean ? "yes" : "NO"} |`,
    );
  }
  console.log("\nMemory: each case runs in a fresh workerd after one warm-up run; its peak RSS during the timed runs, and its RSS when they began.");
  console.log("The process also holds the runtime and the local R2 simulator, so only the growth compares across cases.\n");
  console.log("| variant | output MB | workerd peak RSS (start) | peak − start |");
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.seconds} s | ${f(r.outMb, 1)} | ${f(r.peakMb)} MB (${f(r.startMb)}) | ${f(r.peakMb - r.startMb)} MB |`);
  writeFileSync(join(out, "results.json"), JSON.stringify({ runs: RUNS, rows }, null, 2));
}
