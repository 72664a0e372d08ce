import { describe, expect, it } from "vitest";
import { compositeOver, replaceBackground } from "../../worker/media/composite";
import { decodeImage } from "../../worker/media/decode";
import { encodeRgba } from "../../worker/media/encode";
import { sniffImage } from "../../worker/media/sniff";
import { encodePng, pixelAt, rgbaImage } from "../support/images";

/** A 200×100 subject: transparent left half, opaque green right half, a half-alpha column at x = 100. */
const subject = rgbaImage(200, 100, (x) => (x < 100 ? [255, 0, 255, 0] : x === 100 ? [0, 200, 0, 128] : [0, 200, 0, 255]));

describe("compositeOver", () => {
  it("shows the colour where alpha is 0 and the subject where alpha is 255", () => {
    const out = compositeOver(subject, { r: 10, g: 20, b: 250 });
    expect(pixelAt(out, 10, 50)).toEqual([10, 20, 250, 255]);
    expect(pixelAt(out, 150, 50)).toEqual([0, 200, 0, 255]);
    expect(pixelAt(out, 100, 50)).toEqual([5, 110, 125, 255]);
  });
});

describe("replaceBackground", () => {
  it("puts a #RRGGBB colour behind a PNG subject", async () => {
    const out = await replaceBackground(encodePng(subject), { color: "#3366CC" }, { format: "png" });
    expect(out.contentType).toBe("image/png");
    const { image } = await decodeImage(out.bytes);
    expect(pixelAt(image, 20, 20)).toEqual([0x33, 0x66, 0xcc, 255]);
    expect(pixelAt(image, 180, 20)).toEqual([0, 200, 0, 255]);
  });

  it("cover-fits a background image of another size and aspect behind the subject", async () => {
    // Tall background: top half yellow, bottom half black; cover keeps its middle band.
    const background = encodeRgba(
      rgbaImage(90, 400, (_, y) => (y < 200 ? [255, 255, 0, 255] : [0, 0, 0, 255])),
      { format: "png" },
    ).bytes;
    const out = await replaceBackground(encodePng(subject), { image: background }, { format: "png" });
    expect(sniffImage(out.bytes)).toMatchObject({ width: 200, height: 100 });
    const { image } = await decodeImage(out.bytes);
    expect(pixelAt(image, 10, 5)).toEqual([255, 255, 0, 255]);
    expect(pixelAt(image, 10, 95)).toEqual([0, 0, 0, 255]);
    expect(pixelAt(image, 180, 50)).toEqual([0, 200, 0, 255]);
  });

  it("encodes JPEG by default: the result is opaque", async () => {
    const out = await replaceBackground(encodePng(subject), { color: "#000000" });
    expect(out.contentType).toBe("image/jpeg");
  });

  it("rejects a malformed colour", async () => {
    await expect(replaceBackground(encodePng(subject), { color: "red" })).rejects.toThrow(/RRGGBB/);
  });
});
