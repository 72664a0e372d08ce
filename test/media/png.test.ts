import { describe, expect, it } from "vitest";
import { MediaError } from "../../worker/media/errors";
import { decodePng } from "../../worker/media/png";
import { type PngSpec, buildPng, concat, deflate, pixelAt, pngChunk } from "../support/images";

const W = 23;
const H = 17;
const FULL = { shrink: 1, maxInterlacedPixels: 1 << 24 };

/** Expected RGBA for each layout, from the same sample function the file was built with. */
const layouts: Array<{ name: string; spec: PngSpec; expected: (x: number, y: number) => number[] }> = [
  {
    name: "RGBA 8-bit",
    spec: { width: W, height: H, colorType: 6, depth: 8, pixel: (x, y) => [x * 11, y * 15, (x * y) & 255, 255 - x * 10] },
    expected: (x, y) => [x * 11, y * 15, (x * y) & 255, 255 - x * 10],
  },
  {
    name: "RGB 8-bit",
    spec: { width: W, height: H, colorType: 2, depth: 8, pixel: (x, y) => [x * 11, y * 15, 200] },
    expected: (x, y) => [x * 11, y * 15, 200, 255],
  },
  {
    name: "RGB 16-bit with a tRNS key colour",
    spec: { width: W, height: H, colorType: 2, depth: 16, pixel: (x, y) => (x === 3 ? [0x1234, 0x5678, 0x9abc] : [x * 2800, y * 3800, 40000]), transparency: [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc] },
    expected: (x, y) => (x === 3 ? [0x12, 0x56, 0x9a, 0] : [(x * 2800) >> 8, (y * 3800) >> 8, 40000 >> 8, 255]),
  },
  {
    name: "grey 4-bit",
    spec: { width: W, height: H, colorType: 0, depth: 4, pixel: (x, y) => [(x + y) % 16] },
    expected: (x, y) => {
      const g = ((x + y) % 16) * 17;
      return [g, g, g, 255];
    },
  },
  {
    name: "grey 1-bit with tRNS",
    spec: { width: W, height: H, colorType: 0, depth: 1, pixel: (x) => [x % 2], transparency: [0, 1] },
    expected: (x) => (x % 2 ? [255, 255, 255, 0] : [0, 0, 0, 255]),
  },
  {
    name: "grey+alpha 16-bit",
    spec: { width: W, height: H, colorType: 4, depth: 16, pixel: (x, y) => [x * 2000, y * 3000] },
    expected: (x, y) => [(x * 2000) >> 8, (x * 2000) >> 8, (x * 2000) >> 8, (y * 3000) >> 8],
  },
  {
    name: "palette 2-bit with alpha",
    spec: { width: W, height: H, colorType: 3, depth: 2, pixel: (x, y) => [(x + 2 * y) % 4], palette: [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9], transparency: [255, 128, 0] },
    expected: (x, y) =>
      [
        [255, 0, 0, 255],
        [0, 255, 0, 128],
        [0, 0, 255, 0],
        [9, 9, 9, 255],
      ][(x + 2 * y) % 4]!,
  },
];

describe("PNG decoder", () => {
  for (const { name, spec, expected } of layouts) {
    for (const interlaced of [false, true]) {
      it(`decodes ${name}${interlaced ? ", Adam7 interlaced" : ""} exactly, through all five filter types`, async () => {
        const image = await decodePng(await buildPng({ ...spec, interlaced }), FULL);
        expect([image.width, image.height]).toEqual([W, H]);
        for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(pixelAt(image, x, y), `${x},${y}`).toEqual(expected(x, y));
      });
    }
  }

  it("shrinks while streaming: each output pixel is the alpha-weighted mean of its box", async () => {
    const png = await buildPng({ width: 8, height: 4, colorType: 6, depth: 8, pixel: (x) => (x % 2 ? [200, 0, 0, 255] : [0, 0, 200, 0]) });
    const image = await decodePng(png, { ...FULL, shrink: 2 });
    expect([image.width, image.height]).toEqual([4, 2]);
    // The transparent blue never tints the red: colour is alpha-weighted, alpha is averaged.
    expect(pixelAt(image, 0, 0)).toEqual([200, 0, 0, 128]);
  });

  it("keeps partial edge boxes when the size is not a multiple of the factor", async () => {
    const png = await buildPng({ width: 9, height: 5, colorType: 2, depth: 8, pixel: () => [10, 20, 30] });
    const image = await decodePng(png, { ...FULL, shrink: 4 });
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(pixelAt(image, 2, 1)).toEqual([10, 20, 30, 255]);
  });

  it("handles a 4096×4096 PNG by streaming it into a small output", async () => {
    const row = new Uint8Array(1 + 4096);
    row.fill(90, 1);
    const raw = new Uint8Array(row.length * 4096);
    for (let y = 0; y < 4096; y++) raw.set(row, y * row.length);
    const png = concat(
      Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      pngChunk("IHDR", [0, 0, 16, 0, 0, 0, 16, 0, 8, 0, 0, 0, 0]),
      pngChunk("IDAT", await deflate(raw)),
      pngChunk("IEND", []),
    );
    const image = await decodePng(png, { ...FULL, shrink: 16 });
    expect([image.width, image.height]).toEqual([256, 256]);
    expect(pixelAt(image, 255, 255)).toEqual([90, 90, 90, 255]);
  });

  it("refuses image data that ends early or is corrupt", async () => {
    const good = await buildPng({ width: 40, height: 40, colorType: 2, depth: 8, pixel: (x, y) => [x, y, x ^ y] });
    const idat = await deflate(new Uint8Array(10 * (1 + 40 * 3)));
    const short = concat(good.subarray(0, 33), pngChunk("IDAT", idat), pngChunk("IEND", []));
    const garbage = concat(good.subarray(0, 33), pngChunk("IDAT", [0x78, 0x9c, 0xff, 0xff, 0xff, 0x00, 0x12]), pngChunk("IEND", []));
    await expect(decodePng(short, FULL)).rejects.toMatchObject({ kind: "truncated" });
    const error = await decodePng(garbage, FULL).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaError);
  });

  it("refuses interlaced images above their full-size budget", async () => {
    const png = await buildPng({ width: 40, height: 40, colorType: 0, depth: 8, pixel: () => [1], interlaced: true });
    await expect(decodePng(png, { shrink: 1, maxInterlacedPixels: 1000 })).rejects.toMatchObject({ kind: "too_large", status: 413 });
  });
});
