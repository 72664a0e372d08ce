/**
 * Workers AI through the `AI` binding. FLUX.1 [schnell] answers JSON `{ image: base64 }`
 * (a JPEG, fixed 1024×1024 — the actual size is read from the returned header); SDXL-style
 * text-to-image models answer PNG bytes and take width/height, a seed and an init image.
 */
import { z } from "zod";
import { ProviderError, classify } from "./errors";
import { asGeneratedImage, fromBase64, readBinary } from "./output";
import type { GeneratedImage, ImageProvider, ImageRequest } from "./provider";

/** The part of the `Ai` binding this adapter uses (structural, so tests can pass a fake). */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export const FLUX_SCHNELL = "@cf/black-forest-labs/flux-1-schnell";
export const SDXL_BASE = "@cf/stabilityai/stable-diffusion-xl-base-1.0";

export interface WorkersAiOptions {
  ai: AiBinding;
  /** Default FLUX_SCHNELL. Models whose id contains "flux" use the FLUX input/output shape. */
  model?: string;
  /** Diffusion steps; FLUX schnell allows 1–8 (default 4), SDXL up to 20. */
  steps?: number;
}

const NAME = "workers-ai";

const FluxOutput = z.object({ image: z.string().min(1) });
const BinaryOutput = z.union([z.instanceof(ReadableStream), z.instanceof(Uint8Array), z.instanceof(ArrayBuffer)]);

/** Workers AI internal error codes (developers.cloudflare.com/workers-ai/platform/errors). */
const KNOWN_ERRORS: Record<number, { status: number; retryable: boolean }> = {
  3007: { status: 408, retryable: true },
  3008: { status: 408, retryable: true },
  3040: { status: 429, retryable: true },
  // The daily free allocation is spent: retrying within the queue's backoff cannot help.
  3036: { status: 429, retryable: false },
  3003: { status: 400, retryable: false },
  3006: { status: 413, retryable: false },
  3023: { status: 403, retryable: false },
  3039: { status: 400, retryable: false },
  3041: { status: 403, retryable: false },
  3042: { status: 404, retryable: false },
  5004: { status: 400, retryable: false },
  5005: { status: 405, retryable: false },
  5007: { status: 400, retryable: false },
  5016: { status: 403, retryable: false },
  5018: { status: 403, retryable: false },
  5019: { status: 405, retryable: false },
};

/** Binding errors carry the internal code in the message, e.g. "3040: Capacity temporarily exceeded". */
export function classifyWorkersAiError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const match = error instanceof Error ? /\b([35]\d{3})\b/.exec(error.message) : null;
  const known = match ? KNOWN_ERRORS[Number(match[1])] : undefined;
  if (known && error instanceof Error) {
    return new ProviderError(`${NAME}: ${error.message}`, { ...known, provider: NAME, cause: error });
  }
  return classify(error, NAME);
}

/** Remote models cannot return alpha; ask for a backdrop that is easy to replace instead. */
function promptFor(req: ImageRequest): string {
  return req.background === "transparent" ? `${req.prompt}, full figure isolated on a plain light grey studio background` : req.prompt;
}

const seedOf = (seed: number) => Math.abs(Math.trunc(seed)) % 2147483647;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function createWorkersAiProvider(options: WorkersAiOptions): ImageProvider {
  const model = options.model ?? FLUX_SCHNELL;
  const isFlux = /flux/i.test(model);
  return {
    name: NAME,
    async generate(req: ImageRequest, signal?: AbortSignal): Promise<GeneratedImage> {
      let result: unknown;
      try {
        if (isFlux) {
          const steps = Math.min(8, Math.max(1, options.steps ?? 4));
          result = await options.ai.run(model, { prompt: promptFor(req), steps, seed: seedOf(req.seed) }, { signal });
        } else {
          const inputs: Record<string, unknown> = {
            prompt: promptFor(req),
            width: req.width,
            height: req.height,
            seed: seedOf(req.seed),
            num_steps: Math.min(20, Math.max(1, options.steps ?? 20)),
          };
          if (req.initImage) {
            inputs.image_b64 = toBase64(req.initImage);
            inputs.strength = 0.6;
          }
          result = await options.ai.run(model, inputs, { signal });
        }
      } catch (error) {
        throw classifyWorkersAiError(error);
      }
      if (isFlux) {
        const parsed = FluxOutput.safeParse(result);
        if (!parsed.success) throw new ProviderError(`${NAME}: ${model} returned an unexpected response`, { retryable: false, provider: NAME, cause: parsed.error });
        return asGeneratedImage(fromBase64(parsed.data.image, NAME), NAME);
      }
      const parsed = BinaryOutput.safeParse(result);
      if (!parsed.success) throw new ProviderError(`${NAME}: ${model} returned an unexpected response`, { retryable: false, provider: NAME, cause: parsed.error });
      return asGeneratedImage(await readBinary(parsed.data, NAME), NAME);
    },
  };
}
