import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { probeClip } from "../../../worker/media/video/probe";
import { clipA } from "../../apps/video-mixer/fixtures/clips";
import { fixtureBytes } from "../../support/video-mixer";

async function stored(name: string, base64: string) {
  const bytes = fixtureBytes(base64);
  await env.FILES.put(`probe/${name}`, bytes);
  return probeClip(env.FILES, `probe/${name}`, bytes.byteLength);
}

describe("probing a clip without decoding", () => {
  it("reads codec, profile, size, frame rate, duration and key frames of an H.264 clip", async () => {
    const result = await stored("a.mp4", clipA);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.info).toMatchObject({ width: 320, height: 180, fps: 30, profile: "High", durationMs: 4000 });
    expect(result.info.codec).toMatch(/^avc1\.64/);
    expect(result.info.keyframesMs).toEqual([0, 1000, 2000, 3000]);
    expect(result.info.format.audio).toMatchObject({ sampleRate: 44100, channels: 1 });
  });
});
