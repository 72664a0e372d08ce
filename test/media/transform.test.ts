import { describe, expect, it } from "vitest";
import { decodeImage } from "../../worker/media/decode";
import { encodeRgba } from "../../worker/media/encode";
import { resize } from "../../worker/media/resize";
import { sniffImage } from "../../worker/media/sniff";
import { EXPORT_SIZES, type ExportSize, exportImage, reencode, thumbnail } from "../../worker/media/transform";
import { JPEG_FIXTURES } from "./fixtures/jpeg";
import { buildPng, concat, encodePng, fromBase64, pixelAt, pngChunk, rgbaImage, withExifOrientation } from "../support/images";

/** Left half red, right half blue, 600×400. */
const halves = rgbaImage(600, 400, (x) => (x < 300 ? [255, 0, 0, 255] : [0, 0, 255, 255]));
const halvesJpeg = encodeRgba(halves, { format: "jpeg", quality: 95 }).bytes;

describe("thumbnail", () => {
  it("fits inside the box keeping the aspect ratio, as JPEG by default", async () => {
    const thumb = await thumbnail(halvesJpeg, { maxSide: 300 });
    expect(thumb.contentType).toBe("image/jpeg");
    expect(sniffImage(thumb.bytes)).toMatchObject({ format: "jpeg", width: 300, height: 200 });
  });

  it("never enlarges and can write PNG or WebP", async () => {
    const small = encodePng(rgbaImage(120, 80, () => [1, 2, 3, 255]));
    expect(sniffImage((await thumbnail(small, { maxSide: 400, format: "png" })).bytes)).toMatchObject({ format: "png", width: 120, height: 80 });
    expect(sniffImage((await thumbnail(halvesJpeg, { maxSide: 100, format: "webp" })).bytes)).toMatchObject({ format: "webp", width: 100, height: 67 });
  });
});

describe("exportImage", () => {
  it("has the four export sizes", () => {
    expect(EXPORT_SIZES).toEqual({
      original: null,
      instagram_post: { width: 1080, height: 1080 },
      instagram_story: { width: 1080, height: 1920 },
      thumbnail: { width: 400, height: 400 },
    });
  });

  for (const size of ["instagram_post", "instagram_story", "thumbnail"] as const satisfies ExportSize[]) {
    it(`produces exactly ${EXPORT_SIZES[size].width}×${EXPORT_SIZES[size].height} for ${size}`, async () => {
      const out = await exportImage(halvesJpeg, size);
      expect(sniffImage(out.bytes)).toMatchObject({ width: EXPORT_SIZES[size].width, height: EXPORT_SIZES[size].height });
      expect([out.width, out.height]).toEqual([EXPORT_SIZES[size].width, EXPORT_SIZES[size].height]);
    });
  }

  it("cover-crops from the centre: a square of a wide image keeps the middle", async () => {
    const out = await exportImage(halvesJpeg, "thumbnail", { format: "png" });
    const { image } = await decodeImage(out.bytes);
    const [r1, , b1] = pixelAt(image, 20, 200);
    const [r2, , b2] = pixelAt(image, 380, 200);
    expect(r1! > 200 && b1! < 40).toBe(true);
    expect(b2! > 200 && r2! < 40).toBe(true);
  });

  it("keeps transparency as PNG unless told otherwise", async () => {
    const png = encodePng(rgbaImage(200, 200, (x) => (x < 100 ? [0, 0, 0, 0] : [0, 200, 0, 255])));
    const out = await exportImage(png, "instagram_post");
    expect(out.contentType).toBe("image/png");
    expect(sniffImage(out.bytes).hasAlpha).toBe(true);
  });
});

describe("an image this Worker encoded, with its pixels", () => {
  const drawn = rgbaImage(500, 300, (x, y) => [Math.round((x * 255) / 499), Math.round((y * 255) / 299), 90, 255]);
  const own = { ...encodeRgba(drawn, { format: "png" }), pixels: drawn };

  it("is its own original: the same bytes, nothing to strip", async () => {
    expect((await exportImage(own, "original")).bytes).toBe(own.bytes);
  });

  it("gives the same export sizes from its pixels as from its bytes, and a preview as close", async () => {
    expect((await exportImage(own, "instagram_post")).bytes).toEqual((await exportImage(own.bytes, "instagram_post")).bytes);
    // From the bytes the decoder first shrinks by a whole factor; from the pixels one filter does it all.
    const [fromPixels, fromBytes] = await Promise.all([own, own.bytes].map(async (input) => (await decodeImage((await thumbnail(input, { maxSide: 120, format: "png" })).bytes)).image));
    expect([fromPixels!.width, fromPixels!.height]).toEqual([120, 72]);
    expect([fromBytes!.width, fromBytes!.height]).toEqual([120, 72]);
    let difference = 0;
    for (let i = 0; i < fromPixels!.data.length; i++) difference += Math.abs(fromPixels!.data[i]! - fromBytes!.data[i]!);
    expect(difference / fromPixels!.data.length).toBeLessThan(2);
  });
});

describe("reencode", () => {
  it("drops metadata chunks and anything appended after the image", async () => {
    const png = await buildPng({
      width: 300,
      height: 300,
      colorType: 2,
      depth: 8,
      pixel: () => [5, 6, 7],
      extra: [pngChunk("tEXt", [...new TextEncoder().encode("Comment\0<script>alert(1)</script>")])],
    });
    const polyglot = concat(png, new TextEncoder().encode("<?php system($_GET['c']); ?>"));
    const out = await reencode(polyglot);
    const text = new TextDecoder("latin1").decode(out.bytes);
    expect(text).not.toContain("script");
    expect(text).not.toContain("php");
    expect(sniffImage(out.bytes)).toMatchObject({ format: "png", width: 300, height: 300 });
  });

  it("drops EXIF from JPEGs after applying its orientation", async () => {
    const rotated = withExifOrientation(fromBase64(JPEG_FIXTURES.baseline444!.jpeg), 8);
    const out = await reencode(rotated);
    expect(new TextDecoder("latin1").decode(out.bytes)).not.toContain("Exif");
    expect(sniffImage(out.bytes)).toMatchObject({ format: "jpeg", width: 23, height: 37 });
  });
});

describe("resize", () => {
  it("does not bleed the colour of transparent pixels into edges", () => {
    const image = rgbaImage(10, 1, (x) => (x < 5 ? [255, 0, 0, 0] : [0, 0, 255, 255]));
    const out = resize(image, 5, 1, { filter: "lanczos3" });
    for (let x = 0; x < 5; x++) {
      const [r, , , a] = pixelAt(out, x, 0);
      if (a! > 0) expect(r).toBeLessThan(8);
    }
  });
});
