/** Reads an animated WebP the way a player does: VP8X, ANIM, then each ANMF frame, decoded to pixels. */
import { expect } from "vitest";
import { decodeImage } from "../../worker/media/decode";
import type { RgbaImage } from "../../worker/media/rgba";
import { type Chunk, readChunks, riffChunks } from "../../worker/media/webp/container";
import { concat } from "./images";

export interface AnimationFrame {
  x: number;
  y: number;
  width: number;
  height: number;
  durationMs: number;
  blend: boolean;
  disposeToBackground: boolean;
  chunks: Chunk[];
}

export interface ParsedAnimation {
  width: number;
  height: number;
  flags: number;
  background: number;
  loopCount: number;
  frames: AnimationFrame[];
  totalMs: number;
}

const u24 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);

export function parseAnimatedWebp(bytes: Uint8Array): ParsedAnimation {
  const chunks = riffChunks(bytes);
  const [vp8x, anim, ...rest] = chunks;
  expect(vp8x?.fourcc).toBe("VP8X");
  expect(anim?.fourcc).toBe("ANIM");
  const frames = rest.map((c) => {
    expect(c.fourcc).toBe("ANMF");
    const d = c.data;
    return {
      x: u24(d, 0) * 2,
      y: u24(d, 3) * 2,
      width: u24(d, 6) + 1,
      height: u24(d, 9) + 1,
      durationMs: u24(d, 12),
      blend: (d[15]! & 0b10) === 0,
      disposeToBackground: (d[15]! & 1) === 1,
      chunks: readChunks(d, 16),
    };
  });
  const view = new DataView(anim!.data.buffer, anim!.data.byteOffset, anim!.data.byteLength);
  return {
    width: u24(vp8x!.data, 4) + 1,
    height: u24(vp8x!.data, 7) + 1,
    flags: vp8x!.data[0]!,
    background: view.getUint32(0, true),
    loopCount: view.getUint16(4, true),
    frames,
    totalMs: frames.reduce((n, f) => n + f.durationMs, 0),
  };
}

function riff(chunks: Chunk[]): Uint8Array {
  const parts = chunks.map((c) => {
    const out = new Uint8Array(8 + c.data.length + (c.data.length & 1));
    for (let i = 0; i < 4; i++) out[i] = c.fourcc.charCodeAt(i);
    new DataView(out.buffer).setUint32(4, c.data.length, true);
    out.set(c.data, 8);
    return out;
  });
  const body = concat(new TextEncoder().encode("WEBP"), ...parts);
  const head = new Uint8Array(8);
  head.set(new TextEncoder().encode("RIFF"));
  new DataView(head.buffer).setUint32(4, body.length, true);
  return concat(head, body);
}

/** A frame's pixels: its image chunks as a still WebP, decoded. */
export async function decodeFrame(frame: AnimationFrame): Promise<RgbaImage> {
  return (await decodeImage(riff(frame.chunks))).image;
}

/** Mean absolute difference per RGB sample, 0–255. */
export function meanDifference(a: RgbaImage, b: RgbaImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    sum += Math.abs(a.data[i]! - b.data[i]!) + Math.abs(a.data[i + 1]! - b.data[i + 1]!) + Math.abs(a.data[i + 2]! - b.data[i + 2]!);
  }
  return sum / ((a.data.length / 4) * 3);
}

/** The largest jump between horizontally or vertically adjacent pixels (any channel): a tear shows as a large one. */
export function largestStep(image: RgbaImage): number {
  const { width, height, data } = image;
  let largest = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        if (x + 1 < width) largest = Math.max(largest, Math.abs(data[i + c]! - data[i + 4 + c]!));
        if (y + 1 < height) largest = Math.max(largest, Math.abs(data[i + c]! - data[i + width * 4 + c]!));
      }
    }
  }
  return largest;
}
