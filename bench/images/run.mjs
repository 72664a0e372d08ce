// Image benchmark: this project's thumbnail pipeline (JS scaled decode + JS resize + photon
// encode) in workerd, photon's own decode + resize in workerd, and sharp in Node (shrink-on-load,
// and with a forced full decode): same machine, same run. Times are CPU time per run of the
// process doing the work (wall time too), so a busy machine skews them less.
// Usage: npx node bench/images/run.mjs [runs]   (Node ≥ 22; default 9 timed runs per case after 2 warm-ups)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { root } from "../../scripts/lib.mjs";
import { measureWorkerd, nodeCase } from "../lib/cases.mjs";
import { busyWorkerd, startBenchWorker } from "../lib/measure.mjs";

const RUNS = Number(process.argv[2] ?? 9);
const MAX_SIDE = 300;
const here = join(root, "bench", "images");
const out = join(root, "bench", "results", "images");
mkdirSync(out, { recursive: true });

/** A photo-like test image: smooth gradients, soft shapes and sensor-like noise (what makes JPEGs big). */
async function photo(size) {
  const raw = Buffer.alloc(size * size * 3);
  let seed = 12345;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = ((seed >>> 16) & 15) - 8;
      const r = Math.hypot(x - size / 2, y - size / 3) / size;
      const i = (y * size + x) * 3;
      raw[i] = Math.max(0, Math.min(255, (x * 255) / size + noise));
      raw[i + 1] = Math.max(0, Math.min(255, 128 + 110 * Math.sin(r * 18) + noise));
      raw[i + 2] = Math.max(0, Math.min(255, (y * 255) / size + noise));
    }
  }
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } });
}

/** A generated-looking RGBA PNG: gradient, a translucent disc, transparent corners. */
function drawing(size) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs><linearGradient id="g"><stop offset="0" stop-color="#123"/><stop offset="1" stop-color="#fc8"/></linearGradient></defs><rect width="${size}" height="${size}" rx="${size / 8}" fill="url(#g)"/><circle cx="${size / 2}" cy="${size * 0.42}" r="${size * 0.27}" fill="#d35" opacity="0.6"/></svg>`;
  return sharp(Buffer.from(svg)).png();
}

async function ensureImages() {
  const files = {
    "jpeg-2048": () => photo(2048).then((p) => p.jpeg({ quality: 85 })),
    "jpeg-4096": () => photo(4096).then((p) => p.jpeg({ quality: 85 })),
    "jpeg-4096-progressive": () => photo(4096).then((p) => p.jpeg({ quality: 85, progressive: true })),
    // Smooth content, so a 4096² PNG stays under the 10 MB upload limit.
    "png-2048": () => drawing(2048),
    "png-4096": () => drawing(4096),
  };
  const paths = {};
  for (const [name, make] of Object.entries(files)) {
    const path = join(out, `${name}.${name.startsWith("png") ? "png" : "jpg"}`);
    if (!existsSync(path)) await (await make()).toFile(path);
    paths[name] = path;
  }
  return paths;
}

/** fetch, once more if it fails: a kept-alive socket the server closed while sharp ran fails on first use. */
function send(url, init) {
  return fetch(url, init).catch(() => fetch(url, init));
}

async function upload(origin, name, path) {
  const res = await send(`${origin}/?image=${name}`, { method: "PUT", body: readFileSync(path) });
  if (!res.ok) throw new Error(`upload ${name} failed`);
}

async function workerCase(origin, pid, image, op) {
  await upload(origin, image, paths[image]);
  const call = async () => {
    const started = performance.now();
    const url = `${origin}/run?image=${image}&op=${op}&maxSide=${MAX_SIDE}`;
    const res = await send(url, { method: "POST" }).catch((error) => {
      throw new Error(`${op} ${image}: the Worker did not answer`, { cause: error });
    });
    const body = await res.json();
    if (!res.ok) throw new Error(`${op} ${image}: ${body.error}`);
    return { ms: performance.now() - started, ...body };
  };
  const { last, ...m } = await measureWorkerd(pid, call, RUNS);
  return { ...m, wasmMb: last.wasmBytes / 1048576, outputBytes: last.outputBytes };
}

const sharpCase = (path, mode) => nodeCase(join(here, "sharp-case.mjs"), [path, mode, RUNS, MAX_SIDE], RUNS);

const paths = await ensureImages();
const { server, origin } = await startBenchWorker(here);
try {
  await upload(origin, "jpeg-2048", paths["jpeg-2048"]);
  const pid = await busyWorkerd(async () => {
    for (let i = 0; i < 5; i++) await fetch(`${origin}/run?image=jpeg-2048&op=ours`, { method: "POST" }).then((r) => r.arrayBuffer());
  });
  const cases = [
    { image: "jpeg-2048", label: "2048² JPEG → 300 px", photon: true },
    { image: "jpeg-4096", label: "4096² JPEG (largest upload) → 300 px", photon: true },
    { image: "jpeg-4096-progressive", label: "4096² progressive JPEG → 300 px" },
    { image: "png-2048", label: "2048² RGBA PNG (generated-image size) → 300 px" },
    { image: "png-4096", label: "4096² RGBA PNG (largest upload) → 300 px" },
  ];
  const rows = [];
  for (const c of cases) {
    const bytes = readFileSync(paths[c.image]).length;
    rows.push({
      ...c,
      inputMb: bytes / 1048576,
      ours: await workerCase(origin, pid, c.image, "ours"),
      sharp: sharpCase(paths[c.image], "shrink-on-load"),
      sharpFull: sharpCase(paths[c.image], "full-decode"),
    });
  }
  // Last: photon's own decode grows wasm memory for good (to ~190 MB at 4096²).
  for (const row of rows.filter((r) => r.photon)) row.photonOnly = await workerCase(origin, pid, row.image, "photon");

  const f = (n, d = 0) => n.toFixed(d);
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  console.log(`\nImage benchmark, ${RUNS} runs per case after 2 warm-ups. sharp ${sharp.versions.sharp} (${rows[0].sharp.threads} libvips thread(s)), photon 0.4.0 in workerd via wrangler dev.`);
  console.log(`CPU = CPU time per run of the process doing the work (workerd, or a fresh Node process for sharp); wall = median wall time per run. Load average at the end: ${load}.\n`);
  const cell = (m, base) => `${f(m.cpu)} / ${f(m.ms)}${base ? ` (${f(m.cpu / base.cpu, 1)}×)` : ""}`;
  console.log("| case | input | ours: CPU / wall ms (× sharp CPU) | sharp shrink-on-load | sharp full decode | photon decode+resize (× sharp CPU) |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.label} | ${f(r.inputMb, 1)} MB | ${cell(r.ours, r.sharp)} | ${cell(r.sharp)} | ${cell(r.sharpFull)} | ${r.photonOnly ? cell(r.photonOnly, r.sharp) : "—"} |`);
  }
  console.log("\nMemory. workerd: peak RSS of the process during the case (its RSS when the case began: runtime, earlier");
  console.log("cases, garbage not yet collected) and photon's wasm memory, which never shrinks. sharp: peak RSS of its fresh process.\n");
  console.log("| case | ours: workerd peak (start) | ours: photon wasm | sharp shrink-on-load: peak | sharp full decode: peak | photon: workerd peak (start) / wasm |");
  console.log("|---|---|---|---|---|---|");
  const rss = (m) => `${f(m.peakMb)} MB (${f(m.startMb)})`;
  for (const r of rows) {
    const photon = r.photonOnly ? `${rss(r.photonOnly)} / ${f(r.photonOnly.wasmMb)} MB` : "—";
    console.log(`| ${r.label} | ${rss(r.ours)} | ${f(r.ours.wasmMb)} MB | ${f(r.sharp.peakMb)} MB | ${f(r.sharpFull.peakMb)} MB | ${photon} |`);
  }
  writeFileSync(join(out, "results.json"), JSON.stringify({ runs: RUNS, maxSide: MAX_SIDE, rows }, null, 2));
} finally {
  await server.stop();
}
