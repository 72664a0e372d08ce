import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/ai/errors";
import { type AiBinding, FLUX_SCHNELL, SDXL_BASE, classifyWorkersAiError, createWorkersAiProvider } from "../../worker/ai/workers-ai";
import { encodeRgba } from "../../worker/media/encode";
import { rgbaImage } from "../support/images";

const png = encodeRgba(
  rgbaImage(96, 64, (x) => [x, 100, 200, 255]),
  { format: "png" },
).bytes;
const jpeg = encodeRgba(
  rgbaImage(80, 80, () => [9, 9, 9, 255]),
  { format: "jpeg" },
).bytes;
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const request = { prompt: "a cat astronaut", seed: 7, width: 512, height: 768 };

/** A fake `AI` binding that records calls and answers with `reply`. */
function fakeAi(reply: (model: string, inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown>; signal?: AbortSignal }> = [];
  const ai: AiBinding = {
    run: async (model, inputs, options) => {
      calls.push({ model, inputs, signal: options?.signal });
      return reply(model, inputs);
    },
  };
  return { ai, calls };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ProviderError,
  );

describe("Workers AI provider", () => {
  it("accepts the real binding type", () => {
    const asBinding = (ai: Ai): AiBinding => ai;
    expect(asBinding).toBeTypeOf("function");
  });

  it("FLUX schnell: sends prompt, steps and seed; decodes the base64 JSON image", async () => {
    const { ai, calls } = fakeAi(() => ({ image: base64(jpeg) }));
    const out = await createWorkersAiProvider({ ai }).generate(request);
    expect(calls[0]).toMatchObject({ model: FLUX_SCHNELL, inputs: { prompt: "a cat astronaut", steps: 4, seed: 7 } });
    expect(out).toMatchObject({ contentType: "image/jpeg", width: 80, height: 80 });
    expect(out.bytes).toEqual(jpeg);
  });

  it("asks remote models for a plain backdrop when the caller wants to cut the subject out", async () => {
    const { ai, calls } = fakeAi(() => ({ image: base64(jpeg) }));
    await createWorkersAiProvider({ ai }).generate({ ...request, background: "transparent" });
    expect(String(calls[0]!.inputs.prompt)).toMatch(/plain .* background/);
  });

  it("SDXL: sends size, seed and steps; reads PNG bytes from a stream or a byte array", async () => {
    const streamed = fakeAi(() => new Blob([png]).stream());
    const out = await createWorkersAiProvider({ ai: streamed.ai, model: SDXL_BASE }).generate(request);
    expect(streamed.calls[0]!.inputs).toMatchObject({ prompt: "a cat astronaut", width: 512, height: 768, seed: 7, num_steps: 20 });
    expect(out).toMatchObject({ contentType: "image/png", width: 96, height: 64 });
    const bytes = fakeAi(() => png);
    expect((await createWorkersAiProvider({ ai: bytes.ai, model: SDXL_BASE }).generate(request)).bytes).toEqual(png);
  });

  it("SDXL img2img: sends the init image as base64 with a strength", async () => {
    const { ai, calls } = fakeAi(() => png);
    await createWorkersAiProvider({ ai, model: SDXL_BASE }).generate({ ...request, initImage: jpeg });
    expect(calls[0]!.inputs).toMatchObject({ image_b64: base64(jpeg), strength: 0.6 });
  });

  it("passes the abort signal to the binding", async () => {
    const { ai, calls } = fakeAi(() => ({ image: base64(jpeg) }));
    const controller = new AbortController();
    await createWorkersAiProvider({ ai }).generate(request, controller.signal);
    expect(calls[0]!.signal).toBe(controller.signal);
  });

  it("treats malformed responses as permanent", async () => {
    const cases: unknown[] = [{ images: [] }, { image: "" }, { image: "%%% not base64 %%%" }, { image: base64(new TextEncoder().encode("<html>oops</html>")) }, "text"];
    for (const reply of cases) {
      const error = await failure(createWorkersAiProvider({ ai: fakeAi(() => reply).ai }).generate(request));
      expect(error, JSON.stringify(reply)).toBeInstanceOf(ProviderError);
      expect(error!.retryable).toBe(false);
    }
    const sdxl = await failure(createWorkersAiProvider({ ai: fakeAi(() => ({ image: "x" })).ai, model: SDXL_BASE }).generate(request));
    expect(sdxl!.retryable).toBe(false);
  });

  it("classifies binding errors by their Workers AI code", async () => {
    const cases: Array<[string, boolean, number | undefined]> = [
      ["3040: Capacity temporarily exceeded, please try again.", true, 429],
      ["AiError: 3007: Request timeout", true, 408],
      ["5007: No such model @cf/nope or task", false, 400],
      ["3036: You have used up your daily free allocation of 10,000 neurons.", false, 429],
      ["InferenceUpstreamError: upstream connect error", true, undefined],
    ];
    for (const [message, retryable, status] of cases) {
      const error = await failure(createWorkersAiProvider({ ai: { run: () => Promise.reject(new Error(message)) } }).generate(request));
      expect(error, message).toMatchObject({ retryable });
      expect(error!.status, message).toBe(status);
    }
    expect(classifyWorkersAiError(new ProviderError("x", { retryable: false, provider: "p" })).retryable).toBe(false);
  });
});
