import { describe, expect, it } from "vitest";
import { loopDimensions, prepareLoop, renderLoop } from "../../../worker/apps/looping-flow/render";
import { EFFECT_NAMES } from "../../../worker/apps/looping-flow/effects";
import { decodeImage } from "../../../worker/media/decode";
import type { RgbaImage } from "../../../worker/media/rgba";
import { decodeFrame, largestStep, meanDifference, parseAnimatedWebp } from "../../support/webp-animation";
import { smoothStill, texturedStill } from "../../support/stills";

const SIZE = 256;
const FRAMES = 24;
const DURATION_MS = 2000;

describe.each(EFFECT_NAMES)("the %s loop", (effect) => {
  it("is an animated WebP of the requested frames, size and duration that moves and closes without a seam", async () => {
    const still = texturedStill(400);
    const { animation, poster } = await renderLoop(still, { effect, size: SIZE, frames: FRAMES, durationMs: DURATION_MS, intensity: 1 });
    const parsed = parseAnimatedWebp(animation.bytes);
    expect(parsed).toMatchObject({ width: SIZE, height: SIZE, loopCount: 0, totalMs: DURATION_MS });
    expect(parsed.frames).toHaveLength(FRAMES);
    expect(animation).toMatchObject({ frames: FRAMES, durationMs: DURATION_MS, width: SIZE, height: SIZE, contentType: "image/webp" });

    const frames: RgbaImage[] = [];
    for (const frame of parsed.frames) frames.push(await decodeFrame(frame));
    // Differences around the cycle, the last one being last → first (the seam).
    const steps = frames.map((f, i) => meanDifference(f, frames[(i + 1) % FRAMES]!));
    const largest = Math.max(...steps);
    const seam = steps.at(-1)!;
    // It moves: every frame differs from the next, and the motion is more than encoder noise.
    expect(largest).toBeGreaterThan(0.5);
    expect(Math.min(...steps)).toBeGreaterThan(0);
    // The loop closes: the seam is no bigger than a step between neighbours.
    expect(seam).toBeLessThanOrEqual(largest * 1.05);
    // No jump: the motion speeds up and slows down smoothly around the whole cycle.
    for (let i = 0; i < FRAMES; i++) expect(Math.abs(steps[i]! - steps[(i + 1) % FRAMES]!)).toBeLessThanOrEqual(largest * 0.35);

    // The poster is the first frame, as a JPEG.
    const posterPixels = (await decodeImage(poster.bytes)).image;
    expect(poster.contentType).toBe("image/jpeg");
    expect(meanDifference(posterPixels, frames[0]!)).toBeLessThan(3);
  });

  it("never tears: every drawn frame of a smooth still stays as smooth as the still", () => {
    const still = smoothStill(SIZE);
    const own = largestStep(still);
    const loop = prepareLoop(still, { effect, size: SIZE, frames: FRAMES, durationMs: DURATION_MS, intensity: 1 });
    // A tear (a jump in the displacement field) would show as a step of many levels.
    for (let i = 0; i < FRAMES; i++) expect(largestStep(loop.draw(i))).toBeLessThanOrEqual(own + 2);
  });
});

describe("the loop's shape", () => {
  it("keeps the still's aspect, its longer side the requested size", async () => {
    expect(loopDimensions({ width: 768, height: 1024 }, 512)).toEqual({ width: 384, height: 512 });
    expect(loopDimensions({ width: 1000, height: 333 }, 1024)).toEqual({ width: 1024, height: 340 });
    expect(loopDimensions({ width: 300, height: 300 }, 768)).toEqual({ width: 768, height: 768 });
    const portrait = smoothStill(300);
    const tall = { ...portrait, width: 150, height: 600, data: portrait.data.subarray(0, 150 * 600 * 4) };
    const { animation } = await renderLoop(tall, { effect: "parallax", size: 256, frames: 4, durationMs: 2000, intensity: 1 });
    expect(parseAnimatedWebp(animation.bytes)).toMatchObject({ width: 64, height: 256 });
    expect(animation).toMatchObject({ width: 64, height: 256 });
  });
});

describe("intensity", () => {
  it("moves the image further the higher it is", async () => {
    const still = smoothStill(300);
    const motion = async (intensity: number) => {
      const { animation } = await renderLoop(still, { effect: "pan", size: 128, frames: 8, durationMs: 2000, intensity });
      const parsed = parseAnimatedWebp(animation.bytes);
      return meanDifference(await decodeFrame(parsed.frames[0]!), await decodeFrame(parsed.frames[2]!));
    };
    expect(await motion(1)).toBeGreaterThan((await motion(0.2)) * 2);
  });
});
