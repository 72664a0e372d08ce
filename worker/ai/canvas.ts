/**
 * Anti-aliased drawing on an RGBA buffer, for the shapes photon has no primitive for
 * (thick lines, filled circles and polygons with coverage). Blending is source-over with
 * straight alpha, so untouched pixels stay fully transparent.
 */
import type { Rgb } from "../media/color";
import type { RgbaImage } from "../media/rgba";

export type Point = readonly [x: number, y: number];

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export class Canvas {
  constructor(readonly image: RgbaImage) {}

  get width(): number {
    return this.image.width;
  }

  get height(): number {
    return this.image.height;
  }

  /** Fills every pixel with a two-colour linear gradient along `angle` (radians). */
  fillLinearGradient(from: Rgb, to: Rgb, angle: number): void {
    const { width, height, data } = this.image;
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    const half = (Math.abs(dx) * width + Math.abs(dy) * height) / 2 || 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const t = Math.min(1, Math.max(0, ((x - width / 2) * dx + (y - height / 2) * dy) / (2 * half) + 0.5));
        const i = (y * width + x) * 4;
        data[i] = (from.r + (to.r - from.r) * t + 0.5) | 0;
        data[i + 1] = (from.g + (to.g - from.g) * t + 0.5) | 0;
        data[i + 2] = (from.b + (to.b - from.b) * t + 0.5) | 0;
        data[i + 3] = 255;
      }
    }
  }

  fillCircle(cx: number, cy: number, radius: number, color: Rgb, opacity = 1): void {
    this.fillShape({ x0: cx - radius, y0: cy - radius, x1: cx + radius, y1: cy + radius }, (x, y) => radius - Math.sqrt((x - cx) ** 2 + (y - cy) ** 2), color, opacity);
  }

  /** A ring of the given line width centred on `radius`. */
  strokeCircle(cx: number, cy: number, radius: number, lineWidth: number, color: Rgb, opacity = 1): void {
    const outer = radius + lineWidth / 2;
    this.fillShape({ x0: cx - outer, y0: cy - outer, x1: cx + outer, y1: cy + outer }, (x, y) => lineWidth / 2 - Math.abs(Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - radius), color, opacity);
  }

  /** A thick line with round caps (a capsule) from `a` to `b`. */
  strokeSegment(a: Point, b: Point, radius: number, color: Rgb, opacity = 1): void {
    const [ax, ay] = a;
    const [bx, by] = b;
    const vx = bx - ax;
    const vy = by - ay;
    const lengthSquared = vx * vx + vy * vy || 1;
    this.fillShape(
      {
        x0: Math.min(ax, bx) - radius,
        y0: Math.min(ay, by) - radius,
        x1: Math.max(ax, bx) + radius,
        y1: Math.max(ay, by) + radius,
      },
      (x, y) => {
        const t = Math.min(1, Math.max(0, ((x - ax) * vx + (y - ay) * vy) / lengthSquared));
        const dx = x - (ax + t * vx);
        const dy = y - (ay + t * vy);
        return radius - Math.sqrt(dx * dx + dy * dy);
      },
      color,
      opacity,
    );
  }

  /**
   * A convex polygon (any winding). A non-convex outline is drawn as the intersection of its
   * edges' half-planes, which is what a twisted torso should degrade to.
   */
  fillConvexPolygon(points: readonly Point[], color: Rgb, opacity = 1): void {
    if (points.length < 3) return;
    let area = 0;
    for (let i = 0; i < points.length; i++) {
      const [x0, y0] = points[i]!;
      const [x1, y1] = points[(i + 1) % points.length]!;
      area += x0 * y1 - x1 * y0;
    }
    if (Math.abs(area) < 1e-6) return;
    const sign = area > 0 ? 1 : -1;
    const edges = points.map((p, i) => {
      const q = points[(i + 1) % points.length]!;
      const length = Math.sqrt((q[0] - p[0]) ** 2 + (q[1] - p[1]) ** 2) || 1;
      // Inward unit normal for this winding.
      return { px: p[0], py: p[1], nx: (-(q[1] - p[1]) * sign) / length, ny: ((q[0] - p[0]) * sign) / length };
    });
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    this.fillShape(
      { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) },
      (x, y) => {
        let inside = Infinity;
        for (const e of edges) inside = Math.min(inside, (x - e.px) * e.nx + (y - e.py) * e.ny);
        return inside;
      },
      color,
      opacity,
    );
  }

  /** Blends one pixel; `alpha` 0..1. Coordinates outside the canvas are ignored. */
  blendAt(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.image.width || y >= this.image.height || alpha <= 0) return;
    blend(this.image.data, (y * this.image.width + x) * 4, color, Math.min(1, alpha));
  }

  /**
   * Blends `color` over every pixel in `box` with coverage taken from `distance`: the signed
   * distance in pixels from the pixel centre to the shape's edge, positive inside.
   */
  private fillShape(box: Box, distance: (x: number, y: number) => number, color: Rgb, opacity: number): void {
    const { width, height, data } = this.image;
    const x0 = Math.max(0, Math.floor(box.x0 - 1));
    const y0 = Math.max(0, Math.floor(box.y0 - 1));
    const x1 = Math.min(width - 1, Math.ceil(box.x1 + 1));
    const y1 = Math.min(height - 1, Math.ceil(box.y1 + 1));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const coverage = Math.min(1, Math.max(0, distance(x + 0.5, y + 0.5) + 0.5));
        if (coverage > 0) blend(data, (y * width + x) * 4, color, coverage * opacity);
      }
    }
  }
}

/** Source-over with straight alpha. */
function blend(data: Uint8Array, i: number, color: Rgb, alpha: number): void {
  const below = data[i + 3]! / 255;
  const out = alpha + below * (1 - alpha);
  if (out <= 0) return;
  const keep = (below * (1 - alpha)) / out;
  const take = alpha / out;
  data[i] = (color.r * take + data[i]! * keep + 0.5) | 0;
  data[i + 1] = (color.g * take + data[i + 1]! * keep + 0.5) | 0;
  data[i + 2] = (color.b * take + data[i + 2]! * keep + 0.5) | 0;
  data[i + 3] = (out * 255 + 0.5) | 0;
}
