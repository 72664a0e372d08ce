/** A colour palette for a procedural image, derived from the prompt's mood words and the seed. */
import { type Rgb, hsl } from "../media/color";
import type { Random } from "./random";

export interface Palette {
  skyTop: Rgb;
  skyBottom: Rgb;
  accents: readonly Rgb[];
  body: Rgb;
  outline: Rgb;
  skin: Rgb;
  joint: Rgb;
}

/** Words that steer the base hue and brightness, so "night forest" and "sunny beach" differ. */
const MOODS: ReadonlyArray<{ words: RegExp; hue?: number; light?: number }> = [
  { words: /\b(night|dark|space|midnight|noir)\b/i, light: 0.18 },
  { words: /\b(sunset|sunrise|warm|fire|autumn|desert)\b/i, hue: 22 },
  { words: /\b(ocean|sea|water|beach|sky|blue|ice|winter)\b/i, hue: 205 },
  { words: /\b(forest|green|nature|garden|jungle|spring)\b/i, hue: 125 },
  { words: /\b(pink|love|rose|candy|pastel)\b/i, hue: 330, light: 0.72 },
  { words: /\b(purple|violet|magic|dream)\b/i, hue: 275 },
  { words: /\b(gold|yellow|sunny|summer)\b/i, hue: 48, light: 0.62 },
];

export function makePalette(prompt: string, random: Random): Palette {
  let hue = random.range(0, 360);
  let light = random.range(0.42, 0.62);
  for (const mood of MOODS) {
    if (!mood.words.test(prompt)) continue;
    if (mood.hue !== undefined) hue = mood.hue + random.range(-18, 18);
    if (mood.light !== undefined) light = mood.light + random.range(-0.06, 0.06);
  }
  // Analogous, complementary or triadic accents: the scheme itself varies with the seed.
  const spread = random.pick([30, 180, 120]);
  const saturation = random.range(0.45, 0.85);
  const accents = [0, 1, 2, 3].map((k) => hsl(hue + spread * (k % 2 === 0 ? k / 2 : -(k + 1) / 2), saturation, random.range(0.35, 0.7)));
  const bodyHue = hue + 180 + random.range(-40, 40);
  return {
    skyTop: hsl(hue, saturation * 0.8, Math.min(0.9, light + 0.2)),
    skyBottom: hsl(hue + random.range(-50, 50), saturation, Math.max(0.08, light - 0.15)),
    accents,
    body: hsl(bodyHue, random.range(0.55, 0.9), random.range(0.42, 0.58)),
    outline: hsl(bodyHue, 0.5, 0.12),
    skin: hsl(random.range(18, 38), random.range(0.35, 0.6), random.range(0.45, 0.8)),
    joint: hsl(bodyHue + 150, 0.85, 0.6),
  };
}
