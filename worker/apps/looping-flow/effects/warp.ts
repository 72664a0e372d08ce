/**
 * The frame machinery every effect shares: an effect is a backward map (for each output pixel,
 * where on the stage it samples at loop phase `turn`), and frames are drawn from the stage by
 * bilinear sampling, so motion moves by fractions of a pixel without jitter.
 * The stage is the still, cover-fitted to the output plus a margin on every side, so moving
 * the view never reveals an edge. Motion is a function of `turn` ∈ [0, 1) built from whole
 * periods, so the frame after the last is the first by construction.
 */
import type { RgbaImage } from "../../../media/rgba";

export interface WarpSetup {
  /** Output size: the still's aspect, its longer side the requested size. */
  width: number;
  height: number;
  /** Stage pixels beyond the output on each side: the most any effect may move. */
  margin: number;
  /** 0.1–1: how far things move. */
  intensity: number;
  /** Whole motion cycles per loop, for effects that repeat within it (ripple, sway). */
  cycles: number;
  /** Opaque, (width + 2·margin) × (height + 2·margin) pixels. */
  stage: RgbaImage;
}

export interface Warp {
  /** Fills the stage coordinates (pixel centres are integers) that output row `y` samples at `turn`. */
  row(y: number, turn: number, u: Float32Array, v: Float32Array): void;
  /** Bytes of precomputed fields the warp keeps for the whole loop. */
  heldBytes?: number;
}

export type Effect = (setup: WarpSetup) => Warp;

export const TAU = 2 * Math.PI;

/** Stage margin as a share of the output's longer side. */
export const MARGIN_SHARE = 0.1;

/** Bilinear samples of the stage at (u[x], v[x]) into one output row; coordinates are clamped to the stage. */
export function sampleRow(stage: RgbaImage, u: Float32Array, v: Float32Array, out: Uint8Array, offset: number): void {
  const { data, width, height } = stage;
  const maxX = width - 1;
  const maxY = height - 1;
  const stride = width * 4;
  for (let x = 0, o = offset; x < u.length; x++, o += 4) {
    const fx = Math.min(maxX, Math.max(0, u[x]!));
    const fy = Math.min(maxY, Math.max(0, v[x]!));
    const x0 = fx | 0;
    const y0 = fy | 0;
    const ax = fx - x0;
    const ay = fy - y0;
    const i00 = y0 * stride + x0 * 4;
    const i01 = x0 < maxX ? i00 + 4 : i00;
    const i10 = y0 < maxY ? i00 + stride : i00;
    const i11 = x0 < maxX ? i10 + 4 : i10;
    const w00 = (1 - ax) * (1 - ay);
    const w01 = ax * (1 - ay);
    const w10 = (1 - ax) * ay;
    const w11 = ax * ay;
    out[o] = data[i00]! * w00 + data[i01]! * w01 + data[i10]! * w10 + data[i11]! * w11 + 0.5;
    out[o + 1] = data[i00 + 1]! * w00 + data[i01 + 1]! * w01 + data[i10 + 1]! * w10 + data[i11 + 1]! * w11 + 0.5;
    out[o + 2] = data[i00 + 2]! * w00 + data[i01 + 2]! * w01 + data[i10 + 2]! * w10 + data[i11 + 2]! * w11 + 0.5;
    out[o + 3] = 255;
  }
}

/** Draws the frame at `turn` into `frame` (width × height RGBA), one row at a time through reused buffers. */
export function drawFrame(setup: WarpSetup, warp: Warp, turn: number, frame: RgbaImage, u: Float32Array, v: Float32Array): void {
  for (let y = 0; y < setup.height; y++) {
    warp.row(y, turn, u, v);
    sampleRow(setup.stage, u, v, frame.data, y * setup.width * 4);
  }
}
