import { describe, expect, it } from "vitest";
import { MediaError } from "../../worker/media/errors";
import { UPLOAD_POLICY, checkUpload, extensionFor } from "../../worker/media/policy";
import { sniffImage } from "../../worker/media/sniff";
import { JPEG_FIXTURES } from "./fixtures/jpeg";
import { buildPng, concat, fromBase64, jpegHeaderOnly, pngChunk, pngHeaderOnly, webpHeaderOnly } from "../support/images";

function mediaError(run: () => unknown): MediaError {
  try {
    run();
  } catch (error) {
    if (error instanceof MediaError) return error;
    throw error;
  }
  throw new Error("expected a MediaError");
}

const jpeg = fromBase64(JPEG_FIXTURES.baseline420!.jpeg);

describe("sniffImage", () => {
  it("identifies formats by magic bytes, whatever the file was called", async () => {
    const png = await buildPng({ width: 300, height: 260, colorType: 2, depth: 8, pixel: () => [1, 2, 3] });
    // A PNG uploaded as "avatar.jpg" with Content-Type image/jpeg is still a PNG.
    const renamed = new File([png], "avatar.jpg", { type: "image/jpeg" });
    const info = sniffImage(new Uint8Array(await renamed.arrayBuffer()));
    expect(info).toMatchObject({ format: "png", contentType: "image/png", width: 300, height: 260, hasAlpha: false });
    expect(extensionFor(info.format)).toBe("png");
    expect(sniffImage(jpeg)).toMatchObject({ format: "jpeg", width: 37, height: 23 });
  });

  it("reads dimensions from PNG IHDR, JPEG SOF and all three WebP chunk kinds", () => {
    expect(sniffImage(pngHeaderOnly(4000, 300))).toMatchObject({ width: 4000, height: 300, hasAlpha: true });
    expect(sniffImage(jpegHeaderOnly(1234, 567))).toMatchObject({ format: "jpeg", width: 1234, height: 567 });
    expect(sniffImage(webpHeaderOnly(640, 480))).toMatchObject({ format: "webp", width: 640, height: 480, hasAlpha: true });
    const lossy = Uint8Array.from([...new TextEncoder().encode("RIFF"), 22, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 "), 10, 0, 0, 0, 0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]);
    expect(sniffImage(lossy)).toMatchObject({ format: "webp", width: 640, height: 480, hasAlpha: false });
    // VP8L: 14-bit width-1 and height-1, then the alpha bit.
    const bits = 299 | (199 << 14) | (1 << 28);
    const lossless = Uint8Array.from([
      ...new TextEncoder().encode("RIFF"),
      18,
      0,
      0,
      0,
      ...new TextEncoder().encode("WEBPVP8L"),
      6,
      0,
      0,
      0,
      0x2f,
      bits & 255,
      (bits >> 8) & 255,
      (bits >> 16) & 255,
      (bits >>> 24) & 255,
      0,
    ]);
    expect(sniffImage(lossless)).toMatchObject({ width: 300, height: 200, hasAlpha: true });
  });

  it("finds the frame header behind APP segments and reports progressive files like any other", () => {
    expect(sniffImage(fromBase64(JPEG_FIXTURES.progressive420!.jpeg))).toMatchObject({ format: "jpeg", width: 37, height: 23 });
  });

  it("refuses unknown formats as unsupported (415)", () => {
    for (const bytes of [new TextEncoder().encode("GIF89a........"), new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"), new Uint8Array(0)]) {
      const error = mediaError(() => sniffImage(bytes));
      expect(error.kind).toBe("unsupported");
      expect(error.status).toBe(415);
    }
  });

  it("refuses truncated files (422) instead of decoding them", async () => {
    const png = await buildPng({ width: 40, height: 40, colorType: 6, depth: 8, pixel: () => [1, 2, 3, 4] });
    for (const cut of [png.subarray(0, 20), png.subarray(0, png.length - 12), jpeg.subarray(0, 100), jpeg.subarray(0, jpeg.length - 2), webpHeaderOnly(64, 64).subarray(0, 24)]) {
      const error = mediaError(() => sniffImage(cut));
      expect(error.kind).toBe("truncated");
      expect(error.status).toBe(422);
    }
  });

  it("refuses broken headers as invalid", () => {
    const badIhdr = concat(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", [0, 0, 0, 10, 0, 0, 0, 10, 3, 2, 0, 0, 0]), pngChunk("IEND", []));
    expect(mediaError(() => sniffImage(badIhdr)).kind).toBe("invalid");
    const scanBeforeFrame = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0xff, 0xd9]);
    expect(mediaError(() => sniffImage(scanBeforeFrame)).kind).toBe("invalid");
  });
});

describe("checkUpload", () => {
  it("rejects 1×1 and 10,000×10,000 headers before any decoding", () => {
    for (const bytes of [pngHeaderOnly(1, 1), jpegHeaderOnly(10_000, 10_000), pngHeaderOnly(10_000, 10_000), webpHeaderOnly(10_000, 10_000), jpegHeaderOnly(255, 4096)]) {
      const error = mediaError(() => checkUpload(bytes));
      expect(error.kind).toBe("dimensions");
      expect(error.status).toBe(422);
    }
  });

  it("accepts each side from 256 to 4096 px and takes the limits as parameters", () => {
    expect(checkUpload(jpegHeaderOnly(256, 4096)).width).toBe(256);
    expect(checkUpload(pngHeaderOnly(4096, 4096)).height).toBe(4096);
    expect(mediaError(() => checkUpload(pngHeaderOnly(600, 600), { ...UPLOAD_POLICY, maxSide: 512 })).kind).toBe("dimensions");
  });

  it("rejects oversized bodies with 413 and formats the policy excludes with 415", () => {
    const big = concat(pngHeaderOnly(300, 300), new Uint8Array(UPLOAD_POLICY.maxBytes));
    const tooLarge = mediaError(() => checkUpload(big));
    expect([tooLarge.kind, tooLarge.status]).toEqual(["too_large", 413]);
    const webpOnlyPng = mediaError(() => checkUpload(webpHeaderOnly(300, 300), { ...UPLOAD_POLICY, formats: ["png", "jpeg"] }));
    expect([webpOnlyPng.kind, webpOnlyPng.status]).toEqual(["unsupported", 415]);
  });
});
