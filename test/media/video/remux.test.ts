import { env } from "cloudflare:test";
import { EncodedPacketSink } from "mediabunny";
import { describe, expect, it } from "vitest";
import { r2Input } from "../../../worker/media/video/r2-source";
import { remuxSegments } from "../../../worker/media/video/remux";
import { clipA, clipB } from "../../apps/video-mixer/fixtures/clips";
import { fixtureBytes } from "../../apps/video-mixer/harness";

async function put(key: string, base64: string) {
  const bytes = fixtureBytes(base64);
  await env.FILES.put(key, bytes);
  return { id: key, key, sizeBytes: bytes.byteLength };
}

describe("remuxing segments", () => {
  it("concatenates key-frame-aligned segments with their audio", async () => {
    const a = await put("remux/a.mp4", clipA);
    const b = await put("remux/b.mp4", clipB);
    const result = await remuxSegments(env.FILES, [
      { clip: a, startMs: 1000, endMs: 3000 },
      { clip: b, startMs: 0, endMs: 1000 },
      { clip: a, startMs: 3000, endMs: 4000 },
    ], { key: "remux/out.mp4", keepAudio: true });
    const object = await env.FILES.head("remux/out.mp4");
    expect(object?.size).toBe(result.sizeBytes);
    const input = r2Input(env.FILES, "remux/out.mp4", result.sizeBytes);
    const video = (await input.getPrimaryVideoTrack())!;
    const sink = new EncodedPacketSink(video);
    let n = 0;
    for await (const _ of sink.packets(undefined, undefined, { metadataOnly: true })) n++;
    const first = await sink.getFirstPacket();
    console.log(JSON.stringify({ result, n, dur: await input.computeDuration([video]), first: first?.type, audio: !!(await input.getPrimaryAudioTrack()) }));
    expect(n).toBe(120);
  });
});
