/**
 * Carousel combinations: one image and one caption (or none, for a position without
 * captions) per position. Counting saturates at MAX_SAFE_INTEGER; choosing is deterministic
 * from the seed and never repeats a combination.
 */
import { Random } from "../../ai/random";

/** Per position: how many images and captions it offers. */
export interface PositionChoices {
  images: number;
  captions: number;
}

/** A combination: per position, the image index and the caption index (null: no caption). */
export type Combination = { image: number; caption: number | null }[];

const choicesAt = (p: PositionChoices) => p.images * Math.max(1, p.captions);

/** How many distinct carousels the positions allow (capped at Number.MAX_SAFE_INTEGER). */
export function countCombinations(positions: PositionChoices[]): number {
  let total = 1;
  for (const p of positions) {
    total *= choicesAt(p);
    if (total >= Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  }
  return total;
}

/** Below this many combinations all are listed and shuffled; above it, draws are redrawn on a repeat. */
const ENUMERATE_UP_TO = 4096;

function decode(index: number, positions: PositionChoices[]): Combination {
  let rest = index;
  return positions.map((p) => {
    const n = choicesAt(p);
    const choice = rest % n;
    rest = Math.floor(rest / n);
    return { image: choice % p.images, caption: p.captions === 0 ? null : Math.floor(choice / p.images) };
  });
}

/** `count` distinct combinations, the same ones (in the same order) for the same seed. */
export function chooseCombinations(positions: PositionChoices[], count: number, seed: number): Combination[] {
  const total = countCombinations(positions);
  if (count > total) throw new RangeError(`only ${total} combinations exist`);
  const random = new Random(seed);
  if (total <= ENUMERATE_UP_TO) {
    const order = Array.from({ length: total }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = random.int(i, total - 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order.slice(0, count).map((i) => decode(i, positions));
  }
  const seen = new Set<string>();
  const chosen: Combination[] = [];
  while (chosen.length < count) {
    const combination = positions.map((p) => ({ image: random.int(0, p.images - 1), caption: p.captions === 0 ? null : random.int(0, p.captions - 1) }));
    const key = combination.map((c) => `${c.image}.${c.caption}`).join("/");
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(combination);
  }
  return chosen;
}
