import { describe, expect, it } from "vitest";
import { breakerFor } from "../../worker/ai/breaker";
import { ProviderError } from "../../worker/ai/errors";
import { createProvider } from "../../worker/ai/select";

const request = { prompt: "a lighthouse", seed: 1, width: 128, height: 128 };

describe("createProvider", () => {
  it("builds the procedural provider by default name, deterministic and guarded", async () => {
    const provider = createProvider({ provider: "procedural" });
    expect(provider.name).toBe("procedural");
    const [a, b] = await Promise.all([provider.generate(request), provider.generate(request)]);
    expect(a.bytes).toEqual(b.bytes);
  });

  it("passes the fault hook through", async () => {
    const provider = createProvider({ provider: "procedural", failWhenPromptIncludes: "boom" });
    await expect(provider.generate({ ...request, prompt: "boom" })).rejects.toMatchObject({ retryable: false });
  });

  it("times out a hanging Workers AI call with a retryable error", async () => {
    const provider = createProvider({ provider: "workers-ai", ai: { run: () => new Promise(() => undefined) }, timeoutMs: 30 });
    const error = await provider.generate(request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: 408 });
  });

  it("classifies a Hugging Face network failure as retryable and opens that provider's breaker", async () => {
    const fetch = (() => Promise.reject(new TypeError("Network connection lost"))) as unknown as typeof globalThis.fetch;
    const provider = createProvider({ provider: "huggingface", token: "t", model: "owner/model", fetch, breaker: { failureThreshold: 2, coolDownMs: 60_000 } });
    for (let i = 0; i < 2; i++) await expect(provider.generate(request)).rejects.toMatchObject({ retryable: true });
    expect(breakerFor("huggingface").state).toBe("open");
    await expect(provider.generate(request)).rejects.toThrow(/circuit open/);
  });
});
