/** Component strips → RGBA rows: greyscale, RGB, or JFIF YCbCr, with subsampled chroma mapped by index. */
import type { RgbaImage } from "../rgba";
import type { Component } from "./component";

/** Saturation to 0..255 by lookup: index CLAMP_OFFSET + v for v in −384..639. */
const CLAMP_OFFSET = 384;
const CLAMP = Uint8Array.from({ length: 1024 }, (_, i) => Math.min(255, Math.max(0, i - CLAMP_OFFSET)));

/** JFIF YCbCr → RGB in 16.16 fixed point (ITU-R BT.601 full range). */
const CR_R = new Int32Array(256);
const CB_B = new Int32Array(256);
const CR_G = new Int32Array(256);
const CB_G = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  CR_R[i] = Math.round(1.402 * x);
  CB_B[i] = Math.round(1.772 * x);
  CR_G[i] = Math.round(-0.714136 * 65536 * x);
  CB_G[i] = Math.round(-0.344136 * 65536 * x) + 32768;
}

/** Writes output rows firstY..lastY-1 (one MCU row's worth) from the components' strips. */
export function writeRows(out: RgbaImage, components: readonly Component[], firstY: number, lastY: number, rgb: boolean): void {
  const pixels = out.data;
  const [c0, c1, c2] = components;
  for (let y = firstY; y < lastY; y++) {
    const local = y - firstY;
    let o = y * out.width * 4;
    const width = out.width;
    if (!c1 || !c2) {
      const strip = c0!.strip;
      const base = c0!.yMap[local]!;
      const xMap = c0!.xMap;
      for (let x = 0; x < width; x++, o += 4) {
        const g = strip[base + xMap[x]!]!;
        pixels[o] = g;
        pixels[o + 1] = g;
        pixels[o + 2] = g;
        pixels[o + 3] = 255;
      }
      continue;
    }
    const s0 = c0!.strip;
    const s1 = c1.strip;
    const s2 = c2.strip;
    const b0 = c0!.yMap[local]!;
    const b1 = c1.yMap[local]!;
    const b2 = c2.yMap[local]!;
    const m0 = c0!.xMap;
    const m1 = c1.xMap;
    const m2 = c2.xMap;
    if (rgb) {
      for (let x = 0; x < width; x++, o += 4) {
        pixels[o] = s0[b0 + m0[x]!]!;
        pixels[o + 1] = s1[b1 + m1[x]!]!;
        pixels[o + 2] = s2[b2 + m2[x]!]!;
        pixels[o + 3] = 255;
      }
      continue;
    }
    for (let x = 0; x < width; x++, o += 4) {
      const luma = s0[b0 + m0[x]!]!;
      const cb = s1[b1 + m1[x]!]!;
      const cr = s2[b2 + m2[x]!]!;
      pixels[o] = CLAMP[CLAMP_OFFSET + luma + CR_R[cr]!]!;
      pixels[o + 1] = CLAMP[CLAMP_OFFSET + luma + ((CB_G[cb]! + CR_G[cr]!) >> 16)]!;
      pixels[o + 2] = CLAMP[CLAMP_OFFSET + luma + CB_B[cb]!]!;
      pixels[o + 3] = 255;
    }
  }
}
