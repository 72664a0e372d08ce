import { describe, expect, it } from "vitest";
import { createRgba } from "../../worker/media/rgba";
import { AnimatedWebpWriter, frameDurations, riffChunks } from "../../worker/media/webp/container";
import { encodeWebpFrame } from "../../worker/media/webp/encoder";
import { sniffImage } from "../../worker/media/sniff";
import { decodeFrame, parseAnimatedWebp } from "../support/webp-animation";

function solid(width: number, height: number, rgb: [number, number, number]) {
  const image = createRgba(width, height);
  for (let i = 0; i < image.data.length; i += 4) image.data.set([...rgb, 255], i);
  return image;
}

describe("animated WebP container", () => {
  it("writes VP8X + ANIM + one full-canvas ANMF per frame, looping forever", async () => {
    const writer = new AnimatedWebpWriter(64, 48);
    const colours: [number, number, number][] = [
      [200, 30, 30],
      [30, 200, 30],
      [30, 30, 200],
    ];
    for (const [i, rgb] of colours.entries()) writer.addFrame(await encodeWebpFrame(solid(64, 48, rgb), { quality: 90, method: 4 }), 100 + i);
    const bytes = writer.finish();

    expect(sniffImage(bytes)).toMatchObject({ format: "webp", width: 64, height: 48, animated: true });
    const parsed = parseAnimatedWebp(bytes);
    expect(parsed).toMatchObject({ width: 64, height: 48, flags: 0x02, loopCount: 0, totalMs: 303 });
    expect(parsed.frames.map((f) => [f.x, f.y, f.width, f.height, f.durationMs, f.blend, f.disposeToBackground])).toEqual([
      [0, 0, 64, 48, 100, false, false],
      [0, 0, 64, 48, 101, false, false],
      [0, 0, 64, 48, 102, false, false],
    ]);
    for (const [i, frame] of parsed.frames.entries()) {
      expect(frame.chunks.map((c) => c.fourcc)).toEqual(["VP8 "]);
      const pixels = await decodeFrame(frame);
      const centre = (24 * 64 + 32) * 4;
      for (let c = 0; c < 3; c++) expect(Math.abs(pixels.data[centre + c]! - colours[i]![c]!)).toBeLessThan(8);
    }
  });

  it("keeps every chunk on an even offset and the RIFF size exact", async () => {
    const writer = new AnimatedWebpWriter(17, 9);
    for (let i = 0; i < 4; i++) writer.addFrame(await encodeWebpFrame(solid(17, 9, [i * 60, 90, 200 - i * 40]), { quality: 75, method: 2 }), 40);
    const bytes = writer.finish();
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(bytes.length - 8);
    // riffChunks walks the padding: a wrong pad or size throws or misreads the fourcc.
    expect(riffChunks(bytes).map((c) => c.fourcc)).toEqual(["VP8X", "ANIM", "ANMF", "ANMF", "ANMF", "ANMF"]);
  });

  it("refuses frames and durations a player could not show", async () => {
    const writer = new AnimatedWebpWriter(8, 8);
    const frame = await encodeWebpFrame(solid(8, 8, [1, 2, 3]), { quality: 75, method: 2 });
    expect(() => writer.addFrame(frame, 0)).toThrow(/duration/);
    expect(() => writer.addFrame(frame, 2 ** 24)).toThrow(/duration/);
    expect(() => writer.addFrame(frame.subarray(0, 20), 40)).toThrow();
    expect(() => writer.finish()).toThrow(/at least one frame/);
    expect(() => new AnimatedWebpWriter(0, 8)).toThrow();
  });

  it("splits a duration into whole-millisecond frames that add up exactly", () => {
    for (const [frames, total] of [
      [192, 8000],
      [240, 8000],
      [24, 2000],
      [7, 1000],
    ] as const) {
      const durations = frameDurations(frames, total);
      expect(durations).toHaveLength(frames);
      expect(durations.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...durations) - Math.min(...durations)).toBeLessThanOrEqual(1);
    }
  });
});
