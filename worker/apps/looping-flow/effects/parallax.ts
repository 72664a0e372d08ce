/**
 * Parallax from a depth guess: the subject (near) and the backdrop (far) move opposite ways as
 * the camera circles, so the subject seems to stand in front of the scene.
 *
 * Depth is a foreground/background separation, not a model: most stills here (pose and avatar
 * outputs, product shots) are a centred subject over a backdrop that reaches the borders. So a
 * pixel is "near" when its colour is far from the border's mean colour, helped by a centre
 * weight, on a 64² map that is blurred before use. The blur keeps the displacement field
 * smooth: the image stretches softly around the subject instead of tearing at its outline.
 */
import { resize } from "../../../media/resize";
import type { RgbaImage } from "../../../media/rgba";
import { type Effect, TAU } from "./warp";

const MAP = 64;
const BORDER = 2;
/** How much the colour distance and the centre prior count. */
const COLOUR_WEIGHT = 0.6;
const CENTRE_WEIGHT = 0.4;
/** Far pixels move this much against the camera; near ones move with it fully. */
const FAR_SHIFT = -0.4;
const BLUR_RADIUS = 3;
const BLUR_PASSES = 3;

/** One separable box-blur pass (radius r, edges clamped), in place through a scratch row. */
function boxBlur(map: Float32Array, side: number, r: number): void {
  const scratch = new Float32Array(side);
  const pass = (at: (i: number, j: number) => number) => {
    for (let j = 0; j < side; j++) {
      for (let i = 0; i < side; i++) {
        let sum = 0;
        for (let d = -r; d <= r; d++) sum += map[at(Math.min(side - 1, Math.max(0, i + d)), j)]!;
        scratch[i] = sum / (2 * r + 1);
      }
      for (let i = 0; i < side; i++) map[at(i, j)] = scratch[i]!;
    }
  };
  pass((i, j) => j * side + i);
  pass((i, j) => i * side + j);
}

const smoothstep = (lo: number, hi: number, x: number) => {
  const t = Math.min(1, Math.max(0, (x - lo) / (hi - lo)));
  return t * t * (3 - 2 * t);
};

/** Nearness 0 (backdrop) … 1 (subject) on a MAP² grid over the output area. */
export function depthMap(stage: RgbaImage, margin: number, width: number, height: number): Float32Array {
  const small = resize(stage, MAP, MAP, { source: { x: margin, y: margin, width, height }, filter: "linear" });
  const px = small.data;
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let y = 0; y < MAP; y++) {
    for (let x = 0; x < MAP; x++) {
      if (x >= BORDER && y >= BORDER && x < MAP - BORDER && y < MAP - BORDER) continue;
      const i = (y * MAP + x) * 4;
      r += px[i]!;
      g += px[i + 1]!;
      b += px[i + 2]!;
      n++;
    }
  }
  r /= n;
  g /= n;
  b /= n;
  const distance = new Float32Array(MAP * MAP);
  for (let i = 0; i < distance.length; i++) distance[i] = Math.hypot(px[i * 4]! - r, px[i * 4 + 1]! - g, px[i * 4 + 2]! - b);
  // Normalise by a high percentile, so one bright speck does not flatten the rest.
  const sorted = distance.slice().sort();
  const scale = Math.max(16, sorted[Math.floor(sorted.length * 0.95)]!);
  const centre = (MAP - 1) / 2;
  const map = new Float32Array(MAP * MAP);
  for (let y = 0; y < MAP; y++) {
    for (let x = 0; x < MAP; x++) {
      const i = y * MAP + x;
      const reach = Math.hypot(x - centre, y - centre) / (0.75 * MAP);
      const prior = Math.max(0, 1 - reach * reach);
      map[i] = smoothstep(0.3, 0.7, COLOUR_WEIGHT * Math.min(1, distance[i]! / scale) + CENTRE_WEIGHT * prior);
    }
  }
  for (let p = 0; p < BLUR_PASSES; p++) boxBlur(map, MAP, BLUR_RADIUS);
  return map;
}

export const parallax: Effect = ({ width, height, margin, intensity, stage }) => {
  const map = depthMap(stage, margin, width, height);
  // Each pixel's shift factor, read bilinearly from the map once for the whole loop.
  const shift = new Float32Array(width * height);
  const onMap = (i: number, cells: number) => Math.min(MAP - 1, Math.max(0, (i + 0.5) * (MAP / cells) - 0.5));
  for (let y = 0; y < height; y++) {
    const my = onMap(y, height);
    const y0 = my | 0;
    const y1 = Math.min(MAP - 1, y0 + 1);
    const ay = my - y0;
    for (let x = 0; x < width; x++) {
      const mx = onMap(x, width);
      const x0 = mx | 0;
      const x1 = Math.min(MAP - 1, x0 + 1);
      const ax = mx - x0;
      const top = map[y0 * MAP + x0]! + (map[y0 * MAP + x1]! - map[y0 * MAP + x0]!) * ax;
      const bottom = map[y1 * MAP + x0]! + (map[y1 * MAP + x1]! - map[y1 * MAP + x0]!) * ax;
      const near = top + (bottom - top) * ay;
      shift[y * width + x] = FAR_SHIFT + (1 - FAR_SHIFT) * near;
    }
  }
  return {
    heldBytes: shift.byteLength,
    row(y, turn, u, v) {
      const reach = margin * intensity;
      const cx = reach * Math.sin(TAU * turn);
      const cy = 0.35 * reach * Math.sin(2 * TAU * turn);
      const base = y * width;
      for (let x = 0; x < u.length; x++) {
        const s = shift[base + x]!;
        u[x] = margin + x - cx * s;
        v[x] = margin + y - cy * s;
      }
    },
  };
};
