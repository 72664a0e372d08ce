// Carousel benchmark: one captioned slide (cover crop + wrapped caption in a box + JPEG) rendered
// by the app's renderer in workerd (our JS decoder, takumi, photon), against the old stack's way,
// sharp + SVG text in Node, in the same run on the same photo. Times are CPU time per slide of
// the process doing the work (wall time too); memory is the peak RSS of that process, and for
// workerd also the wasm memories, which never shrink.
// Usage: npx node bench/carousel/run.mjs [runs]   (Node ≥ 22; default 9 timed runs per case after 2 warm-ups)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { root } from "../../scripts/lib.mjs";
import { measureWorkerd, nodeCase } from "../lib/cases.mjs";
import { busyWorkerd, startBenchWorker } from "../lib/measure.mjs";

const RUNS = Number(process.argv[2] ?? 9);
const here = join(root, "bench", "carousel");
const out = join(root, "bench", "results", "carousel");
mkdirSync(out, { recursive: true });
const CAPTION = "Promo akhir tahun: diskon 50% untuk semua koleksi batik dan tenun, gratis ongkir!";
const ASPECTS = { "1:1": [1080, 1080], "4:5": [1080, 1350], "9:16": [1080, 1920] };

/** A 2048² photo-like JPEG (what a phone upload is after our re-encode): a gradient under gaussian noise. */
async function ensurePhoto() {
  const path = join(out, "photo-2048.jpg");
  if (existsSync(path)) return path;
  const gradient = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="2048" height="2048"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#2a6"/><stop offset="1" stop-color="#f84"/></linearGradient></defs><rect width="2048" height="2048" fill="url(#g)"/><circle cx="1024" cy="800" r="520" fill="#35c" opacity="0.6"/></svg>`,
  );
  const noise = await sharp({ create: { width: 2048, height: 2048, channels: 3, noise: { type: "gaussian", mean: 128, sigma: 40 } } })
    .png()
    .toBuffer();
  await sharp(gradient)
    .composite([{ input: noise, blend: "overlay" }])
    .jpeg({ quality: 90 })
    .toFile(path);
  return path;
}

async function workerCase(origin, pid, aspect) {
  const call = async () => {
    const started = performance.now();
    const res = await fetch(`${origin}/run?aspect=${encodeURIComponent(aspect)}&caption=${encodeURIComponent(CAPTION)}`, { method: "POST" });
    const body = await res.json();
    if (!res.ok) throw new Error(`${aspect}: ${body.error}`);
    return { ms: performance.now() - started, ...body };
  };
  const { last, ...m } = await measureWorkerd(pid, call, RUNS);
  return { ...m, takumiMb: last.takumiWasmBytes / 1048576, photonMb: last.photonWasmBytes / 1048576, outputBytes: last.outputBytes };
}

const sharpCase = (photo, [width, height]) => nodeCase(join(here, "sharp-case.mjs"), [photo, width, height, RUNS, CAPTION], RUNS);

const photo = await ensurePhoto();
const { server, origin } = await startBenchWorker(here);
try {
  const stored = await fetch(origin, { method: "PUT", body: readFileSync(photo) });
  if (!stored.ok) throw new Error("upload failed");
  const pid = await busyWorkerd(async () => {
    for (let i = 0; i < 3; i++) await fetch(`${origin}/run?aspect=4:5&caption=warm`, { method: "POST" }).then((r) => r.arrayBuffer());
  });
  const rows = [];
  for (const [aspect, size] of Object.entries(ASPECTS)) rows.push({ aspect, size, ours: await workerCase(origin, pid, aspect), sharp: sharpCase(photo, size) });

  const f = (n, d = 0) => n.toFixed(d);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\nCarousel slide benchmark, ${RUNS} runs per case after 2 warm-ups, a 2048² JPEG photo and a 2-line caption in a box.`);
  console.log(`Ours: the app's renderer in workerd via wrangler dev. Baseline: sharp ${sharp.versions.sharp} + SVG text in a fresh Node process (${rows[0].sharp.threads} libvips thread(s)).`);
  console.log(`CPU = CPU time per slide of the process doing the work; wall = median per slide. Load average at the end: ${load}.\n`);
  console.log(
    "| slide | ours: CPU / wall ms | sharp + SVG: CPU / wall ms | ours ÷ sharp (CPU) | ours: workerd peak RSS (start) | ours: takumi / photon wasm | sharp: peak RSS | JPEG bytes ours / sharp |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.aspect} ${r.size.join("×")} | ${f(r.ours.cpu)} / ${f(r.ours.ms)} | ${f(r.sharp.cpu)} / ${f(r.sharp.ms)} | ${f(r.ours.cpu / r.sharp.cpu, 1)}× | ${f(r.ours.peakMb)} MB (${f(r.ours.startMb)}) | ${f(r.ours.takumiMb)} / ${f(r.ours.photonMb)} MB | ${f(r.sharp.peakMb)} MB | ${f(r.ours.outputBytes / 1024)} / ${f(r.sharp.outputBytes / 1024)} KB |`,
    );
  }
  writeFileSync(join(out, "results.json"), JSON.stringify({ runs: RUNS, caption: CAPTION, rows }, null, 2));
} finally {
  await server.stop();
}
