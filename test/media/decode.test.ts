import { initPhoton } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import { MAX_DECODED_PIXELS, MAX_WEBP_PIXELS, decodeImage, shrinkFactor } from "../../worker/media/decode";
import { encodeRgba } from "../../worker/media/encode";
import { MediaError } from "../../worker/media/errors";
import { JPEG_FIXTURES } from "./fixtures/jpeg";
import { flatGreyJpeg, fromBase64, pixelAt, rgbaImage, webpHeaderOnly, withExifOrientation } from "../support/images";

const wasmBytes = async () => (await initPhoton.ensure()).memory.buffer.byteLength;

describe("decodeImage", () => {
  it("decodes a JPEG only as large as the target needs (scaled IDCT)", async () => {
    const bytes = flatGreyJpeg(2048, 1024);
    const inside = await decodeImage(bytes, { target: { width: 300, height: 300, fit: "inside" } });
    expect([inside.image.width, inside.image.height]).toEqual([512, 256]);
    const cover = await decodeImage(bytes, { target: { width: 300, height: 300, fit: "cover" } });
    expect([cover.image.width, cover.image.height]).toEqual([1024, 512]);
  });

  it("never decodes more than the pixel cap: a 4096² JPEG with no target comes out 2048²", async () => {
    const { image, info } = await decodeImage(flatGreyJpeg(4096, 4096));
    expect([info.width, info.height]).toEqual([4096, 4096]);
    expect(image.width * image.height).toBeLessThanOrEqual(MAX_DECODED_PIXELS);
  });

  it("keeps photon's wasm memory flat while thumbnailing a 4096² JPEG", async () => {
    const before = await wasmBytes();
    const { image } = await decodeImage(flatGreyJpeg(4096, 4096), { target: { width: 400, height: 400, fit: "inside" } });
    encodeRgba(image, { format: "jpeg" });
    // photon would need ~190 MB of wasm memory for this decode; here it only encodes 512².
    expect(await wasmBytes()).toBeLessThanOrEqual(Math.max(before, 16 * 1024 * 1024));
  });

  it("turns the image upright from its EXIF orientation", async () => {
    const plain = (await decodeImage(fromBase64(JPEG_FIXTURES.baseline444!.jpeg))).image;
    const rotated = (await decodeImage(withExifOrientation(fromBase64(JPEG_FIXTURES.baseline444!.jpeg), 6))).image;
    expect([rotated.width, rotated.height]).toEqual([plain.height, plain.width]);
    // Orientation 6 = rotate 90° clockwise: the stored top-left pixel ends up top-right.
    expect(pixelAt(rotated, rotated.width - 1, 0)).toEqual(pixelAt(plain, 0, 0));
  });

  it("refuses WebP above its measured cap before photon sees it", async () => {
    const error = await decodeImage(webpHeaderOnly(1801, 1800)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toMatchObject({ kind: "too_large", status: 413, details: { maxPixels: MAX_WEBP_PIXELS } });
  });

  it("decodes WebP through photon", async () => {
    const webp = encodeRgba(
      rgbaImage(64, 48, (x) => [x * 4, 100, 50, 255]),
      { format: "webp" },
    ).bytes;
    const { image, info } = await decodeImage(webp);
    expect(info.format).toBe("webp");
    expect(pixelAt(image, 10, 10)).toEqual([40, 100, 50, 255]);
  });

  it("chooses the shrink factor from the target fit and the pixel cap", () => {
    expect(shrinkFactor(4000, 3000, { width: 400, height: 400, fit: "inside" }, Infinity)).toBe(10);
    expect(shrinkFactor(4000, 3000, { width: 400, height: 400, fit: "cover" }, Infinity)).toBe(7);
    expect(shrinkFactor(4000, 3000, undefined, 1_000_000)).toBe(4);
    expect(shrinkFactor(300, 300, { width: 1080, height: 1080, fit: "cover" }, Infinity)).toBe(1);
  });
});
