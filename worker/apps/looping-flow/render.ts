/**
 * A still becomes a seamless loop: the stage is built once, then each frame is drawn, encoded
 * to WebP and appended to the animation before the next is drawn, so one RGBA frame exists at
 * a time (240 frames of 1024² would be 1 GB). Frame 0 doubles as the poster.
 */
import { type EncodedImage, encodeRgba, flatten, isOpaque } from "../../media/encode";
import { coverResize } from "../../media/transform";
import { createRgba, type RgbaImage } from "../../media/rgba";
import { AnimatedWebpWriter, frameDurations } from "../../media/webp/container";
import { encodeWebpFrame, webpEncoderMemoryBytes } from "../../media/webp/encoder";
import { EFFECTS, type EffectName } from "./effects";
import { drawFrame, MARGIN_SHARE, type WarpSetup } from "./effects/warp";

export interface LoopSpec {
  effect: EffectName;
  /** The longer side; the shorter follows the still's aspect. */
  size: number;
  frames: number;
  durationMs: number;
  intensity: number;
}

export interface RenderedLoop {
  animation: EncodedImage & { frames: number; durationMs: number };
  poster: EncodedImage;
  stats: {
    /** libwebp's wasm memory after the loop (its peak: wasm memory never shrinks). */
    encoderWasmBytes: number;
    /** The largest total of the buffers this render held at once (stage, frame, fields, encoded frames, file). */
    peakHeldBytes: number;
  };
}

const WEBP_QUALITY = 80;
/** libwebp method 1: measured at 1024² about 3× faster than the default 4, for 7–23 % more bytes. */
const WEBP_METHOD = 1;
export const POSTER_QUALITY = 85;
const WHITE = { r: 255, g: 255, b: 255 };

/** Repeating effects run about one cycle per 2.5 s, in whole cycles so the loop closes. */
const cyclesFor = (durationMs: number) => Math.max(1, Math.round(durationMs / 2500));

export interface PreparedLoop {
  width: number;
  height: number;
  /** Draws frame `index` into the one frame buffer (the same object every call). */
  draw(index: number): RgbaImage;
  /** Bytes of the stage, the frame and the effect's fields, held for the whole loop. */
  heldBytes: number;
}

/** Loops are opaque: a transparent still is laid on white. */
export const opaqueStill = (still: RgbaImage) => (isOpaque(still) ? still : flatten(still, WHITE));

/** The output keeps the still's aspect with its longer side `size` (even sides, as video players like). */
export function loopDimensions(still: Pick<RgbaImage, "width" | "height">, size: number): { width: number; height: number } {
  const scale = size / Math.max(still.width, still.height);
  const even = (n: number) => Math.max(2, 2 * Math.round((n * scale) / 2));
  return { width: even(still.width), height: even(still.height) };
}

/** Builds the stage and the effect once; frames are then drawn one at a time into one buffer. */
export function prepareLoop(still: RgbaImage, spec: LoopSpec): PreparedLoop {
  const { width, height } = loopDimensions(still, spec.size);
  const margin = Math.ceil(spec.size * MARGIN_SHARE);
  const stage = coverResize(opaqueStill(still), width + 2 * margin, height + 2 * margin);
  const setup: WarpSetup = { width, height, margin, intensity: spec.intensity, cycles: cyclesFor(spec.durationMs), stage };
  const warp = EFFECTS[spec.effect](setup);
  const frame = createRgba(width, height);
  const u = new Float32Array(width);
  const v = new Float32Array(width);
  return {
    width,
    height,
    heldBytes: stage.data.byteLength + frame.data.byteLength + (warp.heldBytes ?? 0),
    draw(index) {
      drawFrame(setup, warp, index / spec.frames, frame, u, v);
      return frame;
    },
  };
}

export async function renderLoop(still: RgbaImage, spec: LoopSpec, signal?: AbortSignal): Promise<RenderedLoop> {
  const loop = prepareLoop(still, spec);
  const writer = new AnimatedWebpWriter(loop.width, loop.height);
  const durations = frameDurations(spec.frames, spec.durationMs);
  let poster: EncodedImage | undefined;
  for (let i = 0; i < spec.frames; i++) {
    signal?.throwIfAborted();
    const frame = loop.draw(i);
    if (i === 0) poster = encodeRgba(frame, { format: "jpeg", quality: POSTER_QUALITY });
    writer.addFrame(await encodeWebpFrame(frame, { quality: WEBP_QUALITY, method: WEBP_METHOD }), durations[i]!);
  }
  const encodedBytes = writer.byteLength;
  const bytes = writer.finish();
  return {
    animation: { bytes, contentType: "image/webp", width: loop.width, height: loop.height, frames: spec.frames, durationMs: spec.durationMs },
    poster: poster!,
    // The file is assembled while the encoded frames are still held.
    stats: { encoderWasmBytes: await webpEncoderMemoryBytes(), peakHeldBytes: loop.heldBytes + encodedBytes + bytes.byteLength },
  };
}
