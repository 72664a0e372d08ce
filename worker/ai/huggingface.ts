/**
 * Hugging Face Inference (text-to-image task) over fetch: POST {inputs, parameters} with a
 * Bearer token, raw image bytes back. A cold model answers 503 {"error": "… is currently
 * loading", "estimated_time": s}: retryable, after about that long.
 */
import { z } from "zod";
import { ProviderError, isRetryableStatus } from "./errors";
import { asGeneratedImage, readBinary } from "./output";
import type { GeneratedImage, ImageProvider, ImageRequest } from "./provider";

export const HF_BASE_URL = "https://router.huggingface.co/hf-inference/models";
export const SDXL_HF = "stabilityai/stable-diffusion-xl-base-1.0";

export const HfModelSchema = z.string().regex(/^[\w.-]+\/[\w.-]+$/, "expected a model id like owner/name");

export interface HuggingFaceOptions {
  token: string;
  /** e.g. "black-forest-labs/FLUX.1-schnell" or "stabilityai/stable-diffusion-xl-base-1.0". */
  model: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  baseUrl?: string;
  steps?: number;
}

const NAME = "huggingface";

const ErrorBody = z.object({
  error: z.union([z.string(), z.array(z.string())]).optional(),
  estimated_time: z.number().nonnegative().optional(),
});

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Turns a non-2xx answer into a classified error; 503 "loading" and 429/5xx are retryable. Shared by the video task. */
export async function errorFromResponse(response: Response, provider = NAME): Promise<ProviderError> {
  const text = (await response.text().catch(() => "")).slice(0, 2000);
  let message = text;
  let estimatedMs: number | undefined;
  try {
    const body = ErrorBody.parse(JSON.parse(text));
    if (body.error) message = Array.isArray(body.error) ? body.error.join("; ") : body.error;
    if (body.estimated_time !== undefined) estimatedMs = body.estimated_time * 1000;
  } catch {
    // Not the JSON error shape: keep the raw text.
  }
  const status = response.status;
  const isLoading = status === 503 && /loading/i.test(message);
  const wait = estimatedMs ?? retryAfterMs(response.headers.get("Retry-After"));
  return new ProviderError(`${provider}: ${status} ${isLoading ? "model is loading" : message || response.statusText}`.trim(), {
    retryable: isLoading || isRetryableStatus(status),
    provider,
    status,
    ...(wait !== undefined ? { retryAfterMs: wait } : {}),
  });
}

export function createHuggingFaceProvider(options: HuggingFaceOptions): ImageProvider {
  const model = HfModelSchema.parse(options.model);
  const url = `${(options.baseUrl ?? HF_BASE_URL).replace(/\/+$/, "")}/${model.split("/").map(encodeURIComponent).join("/")}`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return {
    name: NAME,
    async generate(req: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
      const prompt = req.background === "transparent" ? `${req.prompt}, full figure isolated on a plain light grey studio background` : req.prompt;
      const parameters: Record<string, unknown> = { width: req.width, height: req.height, seed: Math.abs(Math.trunc(req.seed)) % 2147483647 };
      if (options.steps !== undefined) parameters.num_inference_steps = options.steps;
      const response = await doFetch(url, {
        method: "POST",
        headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json", Accept: "image/png" },
        body: JSON.stringify({ inputs: prompt, parameters }),
        signal,
      });
      if (!response.ok) throw await errorFromResponse(response);
      const type = response.headers.get("Content-Type") ?? "";
      if (/json|text/i.test(type)) {
        throw new ProviderError(`${NAME}: expected image bytes, got ${type}`, { retryable: false, provider: NAME, status: response.status });
      }
      if (!response.body) throw new ProviderError(`${NAME}: empty response`, { retryable: false, provider: NAME, status: response.status });
      return asGeneratedImage(await readBinary(response.body, NAME), NAME);
    },
  };
}
