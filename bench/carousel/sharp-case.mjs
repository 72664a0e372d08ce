// One slide the old stack's way, in a fresh Node process (so its peak RSS is this case's alone):
// sharp cover-crops the photo and composites an SVG caption over it. SVG text has no line
// breaking, so lines are cut by a character count, as the old stack did.
// Usage: node sharp-case.mjs <photo> <width> <height> <runs> <caption>
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { reportNodeCase } from "../lib/node-case.mjs";

const [file, width, height, runs, caption] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]), process.argv[6]];
sharp.cache(false);
const input = readFileSync(file);
const SIZE = 64;
const margin = Math.round(width * 0.06);
const padding = Math.round(SIZE * 0.45);
const perLine = Math.floor((width - 2 * margin - 2 * padding) / (SIZE * 0.55));

function lines(text) {
  const out = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && `${line} ${word}`.length > perLine) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

const escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function overlay() {
  const rows = lines(caption);
  const lineHeight = SIZE * 1.25;
  const boxHeight = rows.length * lineHeight + 2 * padding;
  const top = height - margin - boxHeight;
  const tspans = rows.map((r, i) => `<tspan x="${width / 2}" y="${top + padding + (i + 0.8) * lineHeight}">${escapeXml(r)}</tspan>`).join("");
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect x="${margin}" y="${top}" width="${width - 2 * margin}" height="${boxHeight}" rx="${padding * 0.6}" fill="rgba(0,0,0,0.6)"/><text font-family="Noto Sans, DejaVu Sans, sans-serif" font-weight="700" font-size="${SIZE}" fill="#FFFFFF" text-anchor="middle">${tspans}</text></svg>`,
  );
}

const once = () =>
  sharp(input)
    .resize(width, height, { fit: "cover" })
    .composite([{ input: overlay() }])
    .jpeg({ quality: 88 })
    .toBuffer();

await reportNodeCase(once, runs, { threads: sharp.concurrency() });
