/** Procedural backdrops and abstract subjects: the picture around (or instead of) a figure. */
import { mix } from "../media/color";
import type { Canvas, Point } from "./canvas";
import type { Palette } from "./palette";
import type { Random } from "./random";

const STYLES = ["bokeh", "rings", "bands", "hills"] as const;

/** An opaque backdrop: a gradient sky plus one of several seed-chosen textures. */
export function paintScene(canvas: Canvas, random: Random, palette: Palette): void {
  const { width, height } = canvas;
  const size = Math.min(width, height);
  canvas.fillLinearGradient(palette.skyTop, palette.skyBottom, random.range(Math.PI * 0.3, Math.PI * 0.7));
  const style = random.pick(STYLES);
  if (style === "bokeh") {
    const count = random.int(8, 18);
    for (let i = 0; i < count; i++) {
      canvas.fillCircle(random.range(0, width), random.range(0, height), random.range(0.03, 0.16) * size, random.pick(palette.accents), random.range(0.15, 0.45));
    }
  } else if (style === "rings") {
    paintRings(canvas, random, palette);
  } else if (style === "bands") {
    paintBands(canvas, random, palette);
  } else {
    paintHills(canvas, random, palette);
  }
  // A sun or moon: one bright focal point.
  canvas.fillCircle(random.range(0.1, 0.9) * width, random.range(0.08, 0.35) * height, random.range(0.04, 0.09) * size, mix(palette.skyTop, { r: 255, g: 250, b: 230 }, 0.7), 0.9);
}

/**
 * Concentric rings around a random centre, in one pass over the pixels (stroking each ring
 * separately would visit the whole canvas once per ring).
 */
function paintRings(canvas: Canvas, random: Random, palette: Palette): void {
  const { width, height } = canvas;
  const size = Math.min(width, height);
  const cx = random.range(0.2, 0.8) * width;
  const cy = random.range(0.2, 0.8) * height;
  const step = random.range(0.05, 0.1) * size;
  const halfLine = step * random.range(0.1, 0.25);
  const opacity = random.range(0.2, 0.4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = Math.sqrt((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2);
      const ring = Math.round(d / step);
      const coverage = Math.min(1, Math.max(0, halfLine - Math.abs(d - ring * step) + 0.5));
      if (coverage > 0) canvas.blendAt(x, y, palette.accents[ring % palette.accents.length]!, coverage * opacity);
    }
  }
}

/** Parallel diagonal stripes of alternating accent colours, in one pass. */
function paintBands(canvas: Canvas, random: Random, palette: Palette): void {
  const { width, height } = canvas;
  const size = Math.min(width, height);
  const angle = random.range(-0.8, 0.8);
  const nx = -Math.sin(angle);
  const ny = Math.cos(angle);
  const period = random.range(0.08, 0.2) * size;
  const halfBand = period * random.range(0.15, 0.35);
  const opacity = random.range(0.2, 0.45);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (x + 0.5) * nx + (y + 0.5) * ny;
      const band = Math.round(s / period);
      const coverage = Math.min(1, Math.max(0, halfBand - Math.abs(s - band * period) + 0.5));
      const color = palette.accents[((band % palette.accents.length) + palette.accents.length) % palette.accents.length]!;
      if (coverage > 0) canvas.blendAt(x, y, color, coverage * opacity);
    }
  }
}

/** Layered hills along the bottom, each a polygon strip under a sine ridge. */
function paintHills(canvas: Canvas, random: Random, palette: Palette): void {
  const { width, height } = canvas;
  const layers = random.int(2, 4);
  for (let layer = 0; layer < layers; layer++) {
    const base = height * (0.55 + (0.35 * layer) / layers);
    const amplitude = height * random.range(0.03, 0.1);
    const frequency = random.range(1, 3.5);
    const phase = random.range(0, Math.PI * 2);
    const color = mix(random.pick(palette.accents), palette.skyBottom, 0.3 + 0.15 * layer);
    const slices = 24;
    for (let s = 0; s < slices; s++) {
      const xa = (s / slices) * width;
      const xb = ((s + 1) / slices) * width;
      const ya = base - amplitude * Math.sin((s / slices) * Math.PI * 2 * frequency + phase);
      const yb = base - amplitude * Math.sin(((s + 1) / slices) * Math.PI * 2 * frequency + phase);
      canvas.fillConvexPolygon(
        [
          [xa, ya],
          [xb + 1, yb],
          [xb + 1, height],
          [xa, height],
        ],
        color,
      );
    }
  }
}

/** An abstract subject for prompts without a pose: a cluster of shapes around the centre. */
export function paintMotif(canvas: Canvas, random: Random, palette: Palette): void {
  const { width, height } = canvas;
  const size = Math.min(width, height);
  const cx = width * random.range(0.4, 0.6);
  const cy = height * random.range(0.4, 0.6);
  canvas.fillCircle(cx, cy, size * random.range(0.16, 0.26), palette.body);
  const count = random.int(4, 8);
  for (let i = 0; i < count; i++) {
    const angle = random.range(0, Math.PI * 2);
    const distance = size * random.range(0.12, 0.3);
    const x = cx + Math.cos(angle) * distance;
    const y = cy + Math.sin(angle) * distance;
    const color = random.pick(palette.accents);
    const kind = random.int(0, 2);
    if (kind === 0) {
      canvas.fillCircle(x, y, size * random.range(0.03, 0.09), color);
    } else if (kind === 1) {
      const tail: Point = [x + Math.cos(angle) * size * 0.15, y + Math.sin(angle) * size * 0.15];
      canvas.strokeSegment([x, y], tail, size * random.range(0.01, 0.03), color);
    } else {
      const r = size * random.range(0.04, 0.1);
      const turn = random.range(0, Math.PI * 2);
      const triangle: Point[] = [0, 1, 2].map((k) => [x + r * Math.cos(turn + (k * 2 * Math.PI) / 3), y + r * Math.sin(turn + (k * 2 * Math.PI) / 3)]);
      canvas.fillConvexPolygon(triangle, color);
    }
  }
  canvas.strokeCircle(cx, cy, size * random.range(0.3, 0.36), Math.max(2, size * 0.008), palette.outline, 0.8);
}
