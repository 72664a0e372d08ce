// One sharp measurement in a fresh Node process, so its peak RSS is this case's alone.
// Usage: node sharp-case.mjs <image> <shrink-on-load|full-decode> <runs> <maxSide>
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { reportNodeCase } from "../lib/node-case.mjs";

const [file, mode, runs, maxSide] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
sharp.cache(false);
const input = readFileSync(file);

async function once() {
  if (mode === "shrink-on-load") {
    return sharp(input).resize(maxSide, maxSide, { fit: "inside" }).jpeg({ quality: 80 }).toBuffer();
  }
  // Decode every pixel first, as a decoder without scaled IDCT must.
  const { data, info } = await sharp(input).raw().toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .resize(maxSide, maxSide, { fit: "inside" })
    .jpeg({ quality: 80 })
    .toBuffer();
}

await reportNodeCase(once, runs, { threads: sharp.concurrency() });
