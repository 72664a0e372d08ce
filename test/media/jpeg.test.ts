import { describe, expect, it } from "vitest";
import { MediaError } from "../../worker/media/errors";
import { ZIGZAG } from "../../worker/media/jpeg/component";
import { decodeJpeg, readJpegHeader } from "../../worker/media/jpeg/decoder";
import { BitReader, buildHuffmanTable } from "../../worker/media/jpeg/huffman";
import { aanQuant, idct8, idctReduced } from "../../worker/media/jpeg/idct";
import { JPEG_FIXTURES, SOURCE } from "./fixtures/jpeg";
import { concat, flatGreyJpeg, fromBase64 } from "../support/images";

const SCALES = [1, 2, 4, 8] as const;
const LIMIT = 64 * 1024 * 1024;

function compare(rgba: Uint8Array, rgb: Uint8Array): { mean: number; max: number } {
  let sum = 0;
  let max = 0;
  for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(rgba[i + c]! - rgb[j + c]!);
      sum += d;
      max = Math.max(max, d);
    }
  }
  return { mean: sum / rgb.length, max };
}

describe("JPEG decoder", () => {
  for (const [name, fixture] of Object.entries(JPEG_FIXTURES)) {
    if (!fixture.reference[1]) continue;
    it(`matches libjpeg on ${name} at 1/1, 1/2, 1/4 and 1/8`, () => {
      const bytes = fromBase64(fixture.jpeg);
      for (const scale of SCALES) {
        const { image } = decodeJpeg(bytes, { scale, maxCoefficientBytes: LIMIT });
        expect([image.width, image.height]).toEqual([Math.ceil(SOURCE.width / scale), Math.ceil(SOURCE.height / scale)]);
        const diff = compare(image.data, fromBase64(fixture.reference[scale]!));
        // Full size uses the same float IDCT as libjpeg: off by rounding only. Reduced sizes
        // sample the block's cosine series at pixel centres where libjpeg averages over the
        // pixel: close, not identical (this 37×23 pattern is almost all high frequency).
        expect(diff.mean, `1/${scale}`).toBeLessThan(scale === 1 ? 0.1 : 3.5);
        expect(diff.max, `1/${scale}`).toBeLessThanOrEqual(scale === 1 ? 3 : 12);
      }
    });
  }

  it("decodes close to the original pixels", () => {
    const { image } = decodeJpeg(fromBase64(JPEG_FIXTURES.baseline444!.jpeg), { scale: 1, maxCoefficientBytes: LIMIT });
    expect(compare(image.data, fromBase64(SOURCE.rgb)).mean).toBeLessThan(4);
  });

  it("refuses arithmetic-coded JPEGs as unsupported", () => {
    const error = (() => {
      try {
        decodeJpeg(fromBase64(JPEG_FIXTURES.arithmetic!.jpeg), { scale: 1, maxCoefficientBytes: LIMIT });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).status).toBe(415);
  });

  it("refuses a progressive file whose coefficients exceed the budget", () => {
    const bytes = fromBase64(JPEG_FIXTURES.progressive420!.jpeg);
    expect(() => decodeJpeg(bytes, { scale: 1, maxCoefficientBytes: 4096 })).toThrow(/coefficients/);
    // At 1/8 only the DC of each block (plus a nonzero mask) is kept: far less memory.
    expect(decodeJpeg(bytes, { scale: 8, maxCoefficientBytes: 4096 }).image.width).toBe(5);
  });

  it("never reads past a damaged scan: the missing part decodes as flat grey", () => {
    const bytes = fromBase64(JPEG_FIXTURES.baseline420!.jpeg);
    let scan = 0;
    while (!(bytes[scan] === 0xff && bytes[scan + 1] === 0xda)) scan++;
    const cut = concat(bytes.subarray(0, Math.floor((scan + bytes.length) / 2)), Uint8Array.from([0xff, 0xd9]));
    const { image } = decodeJpeg(cut, { scale: 1, maxCoefficientBytes: LIMIT });
    expect([image.width, image.height]).toEqual([37, 23]);
  });

  it("streams a 4096×4096 baseline JPEG at 1/8 without building the full image", () => {
    const bytes = flatGreyJpeg(4096, 4096);
    expect(readJpegHeader(bytes)).toMatchObject({ width: 4096, height: 4096, progressive: false, orientation: 1 });
    const { image } = decodeJpeg(bytes, { scale: 8, maxCoefficientBytes: LIMIT });
    expect([image.width, image.height]).toEqual([512, 512]);
    expect(Array.from(image.data.subarray(0, 4))).toEqual([128, 128, 128, 255]);
  });
});

describe("entropy decoding", () => {
  it("reads a 16-bit code followed by a 10-bit magnitude at every bit alignment", () => {
    // AC table: one code of each length 1..16; the 16-bit one (fifteen 1s, then 0) is run 0 / size 10.
    const ac = buildHuffmanTable(
      Uint8Array.from({ length: 16 }, () => 1),
      Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x11, 0x12, 0x13, 0x14, 0x15, 0x0a]),
    );
    // DC table: twelve 4-bit codes for categories 0..11, so each block's DC shifts the alignment.
    const dc = buildHuffmanTable(
      Uint8Array.from([0, 0, 0, 12, ...new Array(12).fill(0)]),
      Uint8Array.from({ length: 12 }, (_, i) => i),
    );
    const blocks = Array.from({ length: 48 }, (_, i) => i % 12);
    const dcBits = (category: number) => category.toString(2).padStart(4, "0") + (category > 0 ? `1${"0".repeat(category - 1)}` : "");
    // Per block: DC, then AC "1111111111111110" + 1000000001 (= 513), then EOB "0".
    const bits = blocks.map((c) => `${dcBits(c) + "1".repeat(15)}010000000010`).join("");
    const padded = bits + "1".repeat((8 - (bits.length % 8)) % 8);
    const stuffed = padded
      .match(/.{8}/g)!
      .map((b) => Number.parseInt(b, 2))
      .flatMap((byte) => (byte === 0xff ? [0xff, 0x00] : [byte]));
    const reader = new BitReader(Uint8Array.from(stuffed), 0);
    let predictor = 0;
    let expected = 0;
    for (const [index, category] of blocks.entries()) {
      const coefs = new Int16Array(64);
      predictor = reader.decodeBlock(dc, ac, ZIGZAG, coefs, 0, predictor);
      expected += category > 0 ? 1 << (category - 1) : 0;
      expect(predictor, `block ${index}`).toBe(expected);
      expect(coefs[ZIGZAG[1]!], `block ${index}`).toBe(513);
    }
  });
});

describe("IDCT", () => {
  const quant = new Uint16Array(64).map((_, i) => 1 + (i % 7));
  const coefs = new Int16Array(64).map((_, i) => Math.round(Math.sin(i * 12.9898) * (i === 0 ? 400 : 60 / (1 + (i >> 3) + (i & 7)))));

  /** M[x][u] = ½·C(u)·cos((2x+1)uπ / 2N): the 8-point IDCT basis sampled at N pixel centres. */
  const basis = (n: number) => Array.from({ length: n * n }, (_, i) => 0.5 * (i % n === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * Math.floor(i / n) + 1) * (i % n) * Math.PI) / (2 * n)));

  /** The textbook 2-D IDCT of the top-left n×n coefficients at n pixel centres. */
  function reference(n: number): number[] {
    const m = basis(n);
    const out: number[] = [];
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        let sum = 0;
        for (let v = 0; v < n; v++) for (let u = 0; u < n; u++) sum += m[y * n + v]! * m[x * n + u]! * coefs[v * 8 + u]! * quant[v * 8 + u]!;
        out.push(Math.min(255, Math.max(0, Math.round(sum) + 128)));
      }
    }
    return out;
  }

  it("the fast 8×8 AAN transform equals the textbook IDCT within rounding", () => {
    const out = new Uint8Array(64);
    idct8(coefs, 0, aanQuant(quant), out, 0, 8);
    const expected = reference(8);
    for (let i = 0; i < 64; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThanOrEqual(1);
  });

  for (const n of [4, 2, 1] as const) {
    it(`the ${n}×${n} reduced transform equals the textbook IDCT of the low ${n}×${n} coefficients`, () => {
      const out = new Uint8Array(n * n);
      idctReduced(n, coefs, 0, quant, out, 0, n);
      const expected = reference(n);
      for (let i = 0; i < n * n; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThanOrEqual(1);
    });
  }

  it("walks the zigzag order through every coefficient once", () => {
    expect(new Set(ZIGZAG).size).toBe(64);
    expect(Array.from(ZIGZAG.subarray(0, 10))).toEqual([0, 1, 8, 16, 9, 2, 3, 10, 17, 24]);
  });
});
