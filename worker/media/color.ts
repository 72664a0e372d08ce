/** Colours as the API writes them (#RRGGBB) and as pixels use them. */
import { z } from "zod";

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export const HexColorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, "expected a colour as #RRGGBB");

export function parseHexColor(hex: string): Rgb {
  const value = Number.parseInt(HexColorSchema.parse(hex).slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255 };
}

/** HSL (hue in degrees, saturation and lightness 0..1) to 8-bit RGB. */
export function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60;
  const c = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const x = c * (1 - Math.abs((h % 2) - 1));
  const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x] : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
  const m = lightness - c / 2;
  const to8 = (v: number) => Math.round(Math.min(1, Math.max(0, v + m)) * 255);
  return { r: to8(r), g: to8(g), b: to8(b) };
}

/** Linear interpolation between two colours, t in 0..1. */
export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t };
}
