/**
 * The largest loop the API allows (1024², 8 s, 30 fps = 240 frames) measured inside workerd.
 * Memory = what this isolate can be charged for: libwebp's and photon's wasm memories (exact:
 * wasm memory never shrinks, so its size afterwards is its peak) plus the JS buffers the render
 * holds at its peak (stage, frame, fields, encoded frames and the file, counted by byteLength).
 * workerd exposes no JS heap figure (process.memoryUsage() reads 0 here), so small objects are
 * not in the sum; the headroom below the 128 MB limit is left for them.
 */
import { initPhoton } from "@cf-wasm/photon";
import { describe, expect, it } from "vitest";
import { renderLoop } from "../../../worker/apps/looping-flow/render";
import { MAX_FPS, MAX_SECONDS } from "../../../worker/apps/looping-flow/schema";
import { parseAnimatedWebp } from "../../support/webp-animation";
import { texturedStill } from "../../support/stills";

const MB = 1024 * 1024;
const ISOLATE_LIMIT = 128 * MB;

describe("the largest loop", () => {
  it("renders 1024², 8 s at 30 fps within the isolate's 128 MB", { timeout: 300_000 }, async () => {
    const frames = MAX_SECONDS * MAX_FPS;
    const still = texturedStill(1024);
    // Parallax holds the most (a full-size field), so it is the worst case for memory.
    const { animation, stats } = await renderLoop(still, { effect: "parallax", size: 1024, frames, durationMs: MAX_SECONDS * 1000, intensity: 1 });
    const photonBytes = (await initPhoton.ensure()).memory.buffer.byteLength;
    const total = stats.peakHeldBytes + stats.encoderWasmBytes + photonBytes + still.data.byteLength;
    console.log(
      `1024² × ${frames} frames: file ${(animation.bytes.length / MB).toFixed(1)} MB; ` +
        `held ${(stats.peakHeldBytes / MB).toFixed(1)} MB + libwebp ${(stats.encoderWasmBytes / MB).toFixed(1)} MB + photon ${(photonBytes / MB).toFixed(1)} MB + still ${(still.data.byteLength / MB).toFixed(1)} MB = ${(total / MB).toFixed(1)} MB`,
    );
    const parsed = parseAnimatedWebp(animation.bytes);
    expect(parsed).toMatchObject({ width: 1024, height: 1024, totalMs: 8000 });
    expect(parsed.frames).toHaveLength(frames);
    expect(total).toBeLessThan(ISOLATE_LIMIT);
  });
});
