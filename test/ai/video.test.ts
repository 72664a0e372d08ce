import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/ai/errors";
import { HF_BASE_URL } from "../../worker/ai/huggingface";
import { createHuggingFaceVideoProvider, sniffVideo } from "../../worker/ai/video/provider";
import { MP4, WEBM } from "../support/videos";

const MODEL = "stabilityai/stable-video-diffusion-img2vid-xt";
const request = { image: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), prompt: "gentle sway", width: 384, height: 512, frames: 48, fps: 24, seed: 7 };

function provider(reply: (req: Request) => Response) {
  const requests: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push(req);
    return reply(req);
  }) as typeof globalThis.fetch;
  return { video: createHuggingFaceVideoProvider({ token: "hf_test_token", model: MODEL, fetch }), requests };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ProviderError,
  );

describe("image-to-video provider", () => {
  it("sends the still as base64 with the motion and timing, and returns the clip's bytes as they came", async () => {
    const { video, requests } = provider(() => new Response(MP4, { headers: { "Content-Type": "video/mp4" } }));
    const out = await video.animate(request);
    expect(out).toEqual({ bytes: MP4, contentType: "video/mp4", format: "mp4" });
    const sent = requests[0]!;
    expect(sent.url).toBe(`${HF_BASE_URL}/${MODEL}`);
    expect(sent.headers.get("Authorization")).toBe("Bearer hf_test_token");
    expect(await sent.json()).toEqual({
      inputs: btoa(String.fromCharCode(...request.image)),
      parameters: { prompt: "gentle sway", width: 384, height: 512, num_frames: 48, fps: 24, seed: 7 },
    });
  });

  it("tells MP4 from WebM by their bytes, and refuses anything else", async () => {
    expect(sniffVideo(WEBM)).toEqual({ contentType: "video/webm", format: "webm" });
    expect((await provider(() => new Response(WEBM)).video.animate(request)).format).toBe("webm");
    const notVideo = await failure(provider(() => new Response(new TextEncoder().encode("<html>busy</html>"))).video.animate(request));
    expect(notVideo).toBeInstanceOf(ProviderError);
    expect(notVideo).toMatchObject({ retryable: false });
  });

  it("classifies failures like the image models: loading and 5xx retry, other 4xx do not", async () => {
    const loading = await failure(provider(() => Response.json({ error: `Model ${MODEL} is currently loading`, estimated_time: 42 }, { status: 503 })).video.animate(request));
    expect(loading).toMatchObject({ retryable: true, status: 503, retryAfterMs: 42_000, provider: "huggingface-video" });
    const refused = await failure(provider(() => Response.json({ error: "image too small" }, { status: 400 })).video.animate(request));
    expect(refused).toMatchObject({ retryable: false, status: 400 });
  });
});
