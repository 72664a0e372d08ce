import { describe, expect, it } from "vitest";
import { chooseCombinations, countCombinations } from "../../../worker/apps/carousel-mix/combinations";

const key = (c: { image: number; caption: number | null }[]) => c.map((s) => `${s.image}.${s.caption}`).join("/");

describe("carousel combinations", () => {
  it("counts images × captions per position, a position without captions counting once", () => {
    expect(
      countCombinations([
        { images: 2, captions: 3 },
        { images: 1, captions: 0 },
        { images: 4, captions: 1 },
      ]),
    ).toBe(24);
    expect(
      countCombinations([
        { images: 1, captions: 0 },
        { images: 1, captions: 0 },
      ]),
    ).toBe(1);
  });

  it("saturates instead of overflowing at the largest project (10 positions × 8 images × 5 captions)", () => {
    const largest = Array.from({ length: 10 }, () => ({ images: 8, captions: 5 }));
    expect(countCombinations(largest)).toBe(Number.MAX_SAFE_INTEGER);
    const chosen = chooseCombinations(largest, 50, 7);
    expect(new Set(chosen.map(key)).size).toBe(50);
    for (const c of chosen) for (const s of c) expect(s.image >= 0 && s.image < 8 && s.caption! >= 0 && s.caption! < 5).toBe(true);
  });

  it("chooses distinct combinations, the same ones for the same seed and others for another", () => {
    for (const positions of [
      [
        { images: 3, captions: 2 },
        { images: 2, captions: 0 },
        { images: 2, captions: 2 },
      ],
      Array.from({ length: 6 }, () => ({ images: 4, captions: 3 })),
    ]) {
      const a = chooseCombinations(positions, 20, 42);
      expect(new Set(a.map(key)).size).toBe(20);
      expect(chooseCombinations(positions, 20, 42)).toEqual(a);
      expect(chooseCombinations(positions, 20, 43).map(key)).not.toEqual(a.map(key));
    }
  });

  it("can use every combination there is, each exactly once", () => {
    const positions = [
      { images: 2, captions: 3 },
      { images: 1, captions: 0 },
      { images: 2, captions: 2 },
    ];
    const all = chooseCombinations(positions, 24, 1);
    expect(new Set(all.map(key)).size).toBe(24);
    for (const c of all) expect(c[1]!.caption).toBeNull();
    expect(() => chooseCombinations(positions, 25, 1)).toThrow(RangeError);
  });
});
