import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "../../worker/ai/breaker";
import { ProviderError } from "../../worker/ai/errors";
import { guarded } from "../../worker/ai/guard";
import { HF_BASE_URL, createHuggingFaceProvider } from "../../worker/ai/huggingface";
import { encodeRgba } from "../../worker/media/encode";
import { rgbaImage } from "../support/images";

const png = encodeRgba(
  rgbaImage(64, 48, () => [1, 2, 3, 255]),
  { format: "png" },
).bytes;
const request = { prompt: "a lighthouse", seed: 99, width: 640, height: 480 };
const MODEL = "stabilityai/stable-diffusion-xl-base-1.0";

/** An injectable fetch that records requests and answers with `reply`. */
function fakeFetch(reply: (request: Request) => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    requests.push(req);
    return reply(req);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const provider = (reply: (request: Request) => Response | Promise<Response>) => {
  const fake = fakeFetch(reply);
  return { provider: createHuggingFaceProvider({ token: "hf_test_token", model: MODEL, fetch: fake.fetch }), requests: fake.requests };
};

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ProviderError,
  );
const json = (body: unknown, status: number, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

describe("Hugging Face provider", () => {
  it("POSTs {inputs, parameters} with a Bearer token and returns the image bytes", async () => {
    const { provider: hf, requests } = provider(() => new Response(png, { headers: { "Content-Type": "image/png" } }));
    const out = await hf.generate(request);
    expect(out).toMatchObject({ contentType: "image/png", width: 64, height: 48 });
    const sent = requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.url).toBe(`${HF_BASE_URL}/${MODEL}`);
    expect(sent.headers.get("Authorization")).toBe("Bearer hf_test_token");
    expect(await sent.json()).toEqual({ inputs: "a lighthouse", parameters: { width: 640, height: 480, seed: 99 } });
  });

  it("503 'model is loading' is retryable after the estimated time", async () => {
    const { provider: hf } = provider(() => json({ error: `Model ${MODEL} is currently loading`, estimated_time: 20.5 }, 503));
    const error = await failure(hf.generate(request));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, status: 503, retryAfterMs: 20_500 });
    expect(error!.message).toMatch(/loading/);
  });

  it("429 and 5xx are retryable (with Retry-After), other 4xx permanent", async () => {
    const cases: Array<[Response, boolean]> = [
      [json({ error: "Rate limit reached" }, 429, { "Retry-After": "7" }), true],
      [json({ error: "Internal error" }, 500), true],
      [new Response("Bad gateway", { status: 502 }), true],
      [json({ error: ["Input validation error: `inputs` must be non-empty"] }, 400), false],
      [json({ error: "Invalid credentials in Authorization header" }, 401), false],
      [json({ error: "Model not found" }, 404), false],
    ];
    for (const [response, retryable] of cases) {
      const status = response.status;
      const error = await failure(provider(() => response).provider.generate(request));
      expect(error, String(status)).toMatchObject({ retryable, status });
    }
    const throttled = await failure(provider(() => json({ error: "slow down" }, 429, { "Retry-After": "7" })).provider.generate(request));
    expect(throttled!.retryAfterMs).toBe(7_000);
  });

  it("a 200 that is not an image is a permanent invalid response", async () => {
    for (const response of [
      json({ error: "unexpected" }, 200),
      new Response("<html></html>", { headers: { "Content-Type": "text/html" } }),
      new Response(new Uint8Array([1, 2, 3]), { headers: { "Content-Type": "image/png" } }),
    ]) {
      const error = await failure(provider(() => response).provider.generate(request));
      expect(error).toMatchObject({ retryable: false });
    }
  });

  it("a network failure is retryable", async () => {
    const error = await failure(provider(() => Promise.reject(new TypeError("Network connection lost"))).provider.generate(request));
    // The adapter lets fetch's TypeError through; the guard classifies it (see select tests).
    expect(error).toBeInstanceOf(TypeError);
  });

  it("times out a call that never answers and aborts the fetch", async () => {
    let aborted = false;
    const fetch = ((_: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener("abort", () => {
          aborted = true;
          reject(init.signal!.reason);
        }),
      )) as typeof globalThis.fetch;
    const hf = guarded(createHuggingFaceProvider({ token: "t", model: MODEL, fetch }), { timeoutMs: 30, breaker: new CircuitBreaker("hf-timeout", { failureThreshold: 5, coolDownMs: 1_000 }) });
    await expect(hf.generate(request)).rejects.toMatchObject({ retryable: true, status: 408 });
    expect(aborted).toBe(true);
  });

  it("rejects a malformed model id at construction", () => {
    expect(() => createHuggingFaceProvider({ token: "t", model: "../../admin" })).toThrow(/model id/);
  });
});
