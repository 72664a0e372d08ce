import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/ai/errors";
import { limbRadius } from "../../worker/ai/figure";
import { createProceduralProvider } from "../../worker/ai/procedural";
import type { ImageRequest } from "../../worker/ai/provider";
import { COCO_KEYPOINTS, COCO_LIMBS, KeypointsSchema, keypoint } from "../../worker/ai/skeleton";
import { decodeImage } from "../../worker/media/decode";
import type { RgbaImage } from "../../worker/media/rgba";
import { sniffImage } from "../../worker/media/sniff";
import { encodePng, pixelAt, rgbaImage } from "../support/images";
import { WAVE } from "../support/poses";

const provider = createProceduralProvider({ failWhenPromptIncludes: "explode" });
const base: ImageRequest = { prompt: "a dancer in a sunny garden", seed: 42, width: 256, height: 256 };

async function pixels(req: ImageRequest): Promise<RgbaImage> {
  return (await decodeImage((await provider.generate(req)).bytes)).image;
}

function difference(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / a.data.length;
}

describe("COCO-17 skeleton", () => {
  it("names 17 keypoints and 19 limbs between them", () => {
    expect(COCO_KEYPOINTS).toHaveLength(17);
    expect(COCO_LIMBS).toHaveLength(19);
    for (const limb of COCO_LIMBS) for (const name of limb) expect(COCO_KEYPOINTS).toContain(name);
  });

  it("validates 17 normalized points", () => {
    expect(KeypointsSchema.safeParse(WAVE).success).toBe(true);
    expect(KeypointsSchema.safeParse(WAVE.slice(1)).success).toBe(false);
    expect(KeypointsSchema.safeParse([...WAVE.slice(1), [1.2, 0.5]]).success).toBe(false);
  });
});

describe("procedural provider", () => {
  it("returns a PNG of the requested size", async () => {
    const out = await provider.generate({ ...base, width: 320, height: 200 });
    expect(out.contentType).toBe("image/png");
    expect([out.width, out.height]).toEqual([320, 200]);
    expect(sniffImage(out.bytes)).toMatchObject({ format: "png", width: 320, height: 200 });
  });

  it("is deterministic: the same prompt and seed give identical bytes", async () => {
    const req = { ...base, pose: WAVE };
    const [a, b] = await Promise.all([provider.generate(req), provider.generate(req)]);
    expect(a.bytes).toEqual(b.bytes);
  });

  it("varies visibly with the seed and with the prompt", async () => {
    const reference = await pixels(base);
    const otherSeed = await pixels({ ...base, seed: 43 });
    const otherPrompt = await pixels({ ...base, prompt: "a robot at night" });
    expect(difference(reference, otherSeed)).toBeGreaterThan(15);
    expect(difference(reference, otherPrompt)).toBeGreaterThan(15);
  });

  it("is not a flat placeholder: it has many distinct colours", async () => {
    const image = await pixels(base);
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4) colours.add((image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!);
    expect(colours.size).toBeGreaterThan(200);
  });

  it("draws the figure exactly on the skeleton, on a transparent background", async () => {
    const size = 256;
    const image = await pixels({ ...base, width: size, height: size, pose: WAVE, background: "transparent" });
    for (const [a, b] of COCO_LIMBS.filter(([a]) => !/eye|ear|nose/.test(a))) {
      const [ax, ay] = keypoint(WAVE, a);
      const [bx, by] = keypoint(WAVE, b);
      const mid = pixelAt(image, ((ax + bx) / 2) * size, ((ay + by) / 2) * size);
      expect(mid[3], `${a}–${b}`).toBe(255);
    }
    expect(pixelAt(image, 2, 2)[3]).toBe(0);
    expect(pixelAt(image, size - 3, size - 3)[3]).toBe(0);
    // Just outside a limb (its half-width plus the outline, plus a margin) is empty again.
    const [wx, wy] = keypoint(WAVE, "left_wrist");
    expect(pixelAt(image, wx * size - limbRadius(size, size) * 2.5, wy * size + limbRadius(size, size) * 2.5)[3]).toBe(0);
  });

  it("paints an opaque scene behind the same figure by default", async () => {
    const scene = await pixels({ ...base, pose: WAVE });
    const cutout = await pixels({ ...base, pose: WAVE, background: "transparent" });
    expect(pixelAt(scene, 2, 2)[3]).toBe(255);
    const [x, y] = keypoint(WAVE, "left_hip");
    expect(pixelAt(scene, x * 256, y * 256 + 20)).toEqual(pixelAt(cutout, x * 256, y * 256 + 20));
  });

  it("dresses the figure in the reference image's colour", async () => {
    const avatar = encodePng(rgbaImage(64, 64, () => [200, 30, 40, 255]));
    const image = await pixels({ ...base, pose: WAVE, background: "transparent", initImage: avatar });
    const [x, y] = keypoint(WAVE, "right_knee");
    expect(pixelAt(image, x * 256, y * 256 - 12)).toEqual([200, 30, 40, 255]);
  });

  it("fails permanently when the test fault hook matches the prompt", async () => {
    const error = await provider.generate({ ...base, prompt: "please EXPLODE now" }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).retryable).toBe(false);
    // Without the option, the same prompt renders.
    await expect(createProceduralProvider().generate({ ...base, prompt: "please EXPLODE now" })).resolves.toMatchObject({ width: base.width, height: base.height });
  });

  it("refuses sizes it cannot render as a permanent error", async () => {
    for (const size of [0, 63, 2049, 100.5]) {
      const error = await provider.generate({ ...base, width: size }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ retryable: false, status: 400 });
    }
  });
});
