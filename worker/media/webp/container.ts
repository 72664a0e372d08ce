/**
 * The WebP container (RIFF): reading the chunks of a file, and writing an animation from
 * single-frame files — VP8X (animation flag, canvas size), ANIM (background, loop count) and
 * one ANMF per frame wrapping that frame's image chunks. Frames are added already encoded,
 * so the writer only ever holds compressed bytes.
 */
import { ascii } from "../sniff";

export interface Chunk {
  fourcc: string;
  /** The payload, without header or padding. */
  data: Uint8Array;
}

const u32le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

/** The chunks after `RIFF <size> WEBP`, or of an ANMF payload from `offset`; throws on a malformed layout. */
export function readChunks(bytes: Uint8Array, offset = 12, end = bytes.length): Chunk[] {
  const chunks: Chunk[] = [];
  while (offset < end) {
    if (offset + 8 > end) throw new Error("WebP chunk header runs past the end");
    const size = u32le(bytes, offset + 4);
    const start = offset + 8;
    if (start + size > end) throw new Error(`WebP chunk ${ascii(bytes, offset, 4)} runs past the end`);
    chunks.push({ fourcc: ascii(bytes, offset, 4), data: bytes.subarray(start, start + size) });
    offset = start + size + (size & 1);
  }
  return chunks;
}

/** The payload of a `RIFF … WEBP` file, checked against its declared size. */
export function riffChunks(bytes: Uint8Array): Chunk[] {
  if (ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WEBP") throw new Error("Not a WebP file");
  const end = u32le(bytes, 4) + 8;
  if (end > bytes.length) throw new Error("WebP file is shorter than its RIFF size");
  return readChunks(bytes, 12, end);
}

/** The image chunks an ANMF frame carries: optional alpha, then the bitstream. */
const FRAME_CHUNKS = new Set(["ALPH", "VP8 ", "VP8L"]);

const MAX_24 = 0xffffff;

function putU24(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 255;
  out[offset + 1] = (value >>> 8) & 255;
  out[offset + 2] = (value >>> 16) & 255;
}

function header(fourcc: string, size: number): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 4; i++) out[i] = fourcc.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, size, true);
  return out;
}

const padded = (size: number) => size + (size & 1);

export interface AnimationOptions {
  /** 0 plays forever. */
  loopCount?: number;
  /** ARGB, shown where no frame paints (ours cover the canvas). */
  background?: number;
}

export class AnimatedWebpWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  private frames = 0;
  private hasAlpha = false;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly options: AnimationOptions = {},
  ) {
    if (width < 1 || height < 1 || width > MAX_24 + 1 || height > MAX_24 + 1) throw new Error(`Impossible canvas ${width}×${height}`);
  }

  get frameCount(): number {
    return this.frames;
  }

  /** Bytes held so far (the encoded frames). */
  get byteLength(): number {
    return this.length;
  }

  /** Adds a full-canvas frame from a single-frame WebP file, shown for `durationMs`. */
  addFrame(webp: Uint8Array, durationMs: number): void {
    if (!Number.isInteger(durationMs) || durationMs < 1 || durationMs > MAX_24) throw new Error(`Frame duration ${durationMs} ms is not representable`);
    const image = riffChunks(webp).filter((c) => FRAME_CHUNKS.has(c.fourcc));
    if (!image.some((c) => c.fourcc !== "ALPH")) throw new Error("The frame has no VP8 or VP8L bitstream");
    if (image.some((c) => c.fourcc === "ALPH" || c.fourcc === "VP8L")) this.hasAlpha = true;
    const body = image.reduce((n, c) => n + 8 + padded(c.data.length), 0);
    const anmf = new Uint8Array(8 + 16 + body);
    anmf.set(header("ANMF", 16 + body));
    // X/2 and Y/2 stay 0: every frame covers the whole canvas.
    putU24(anmf, 14, this.width - 1);
    putU24(anmf, 17, this.height - 1);
    putU24(anmf, 20, durationMs);
    // No blending (each frame replaces the last), no disposal.
    anmf[23] = 0b10;
    let offset = 24;
    for (const c of image) {
      anmf.set(header(c.fourcc, c.data.length), offset);
      anmf.set(c.data, offset + 8);
      offset += 8 + padded(c.data.length);
    }
    this.parts.push(anmf);
    this.length += anmf.length;
    this.frames += 1;
  }

  /** The whole file; the writer is spent afterwards. */
  finish(): Uint8Array {
    if (this.frames === 0) throw new Error("An animation needs at least one frame");
    const vp8x = new Uint8Array(8 + 10);
    vp8x.set(header("VP8X", 10));
    vp8x[8] = 0x02 | (this.hasAlpha ? 0x10 : 0);
    putU24(vp8x, 12, this.width - 1);
    putU24(vp8x, 15, this.height - 1);
    const anim = new Uint8Array(8 + 6);
    anim.set(header("ANIM", 6));
    const view = new DataView(anim.buffer);
    view.setUint32(8, this.options.background ?? 0xffffffff, true);
    view.setUint16(12, this.options.loopCount ?? 0, true);
    const riffSize = 4 + vp8x.length + anim.length + this.length;
    const out = new Uint8Array(8 + riffSize);
    out.set(header("RIFF", riffSize));
    out.set([0x57, 0x45, 0x42, 0x50], 8);
    let offset = 12;
    for (const part of [vp8x, anim, ...this.parts.splice(0)]) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/**
 * Per-frame durations (whole milliseconds) that add up to exactly `totalMs`: each frame ends
 * at round((i + 1) · total / frames), so the rounding never drifts.
 */
export function frameDurations(frames: number, totalMs: number): number[] {
  const at = (i: number) => Math.round((i * totalMs) / frames);
  return Array.from({ length: frames }, (_, i) => at(i + 1) - at(i));
}
