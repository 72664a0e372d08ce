/**
 * Image-to-video models: a still in, a short clip out, stored as the model returned it.
 * Configured like the image providers (LOOP_PROVIDER, LOOP_MODEL, HF_TOKEN); every call has a
 * deadline and the provider's circuit breaker. The offline procedural loops need none of this.
 */
import { breakerFor } from "../breaker";
import { ProviderError } from "../errors";
import { withDeadline } from "../guard";
import { errorFromResponse, HF_BASE_URL, HfModelSchema } from "../huggingface";
import { readBinary } from "../output";

export interface VideoRequest {
  /** PNG or JPEG bytes of the still. */
  image: Uint8Array;
  prompt: string;
  width: number;
  height: number;
  frames: number;
  fps: number;
  seed: number;
}

export interface GeneratedVideo {
  bytes: Uint8Array;
  contentType: "video/mp4" | "video/webm";
  /** The extension and the API's output format. */
  format: "mp4" | "webm";
}

export interface VideoProvider {
  readonly name: string;
  animate(req: VideoRequest, signal?: AbortSignal): Promise<GeneratedVideo>;
}

export const DEFAULT_VIDEO_MODEL = "stabilityai/stable-video-diffusion-img2vid-xt";
/** Image-to-video takes far longer than an image: minutes on a cold model. */
const VIDEO_TIMEOUT_MS = 150_000;
const NAME = "huggingface-video";

/** MP4 (an `ftyp` box first) or WebM (the EBML magic), by the bytes alone. */
export function sniffVideo(bytes: Uint8Array): Pick<GeneratedVideo, "contentType" | "format"> | null {
  const ascii = (o: number, n: number) => String.fromCharCode(...bytes.subarray(o, o + n));
  if (bytes.length >= 12 && ascii(4, 4) === "ftyp") return { contentType: "video/mp4", format: "mp4" };
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return { contentType: "video/webm", format: "webm" };
  return null;
}

export interface HuggingFaceVideoOptions {
  token: string;
  model: string;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  baseUrl?: string;
}

const base64 = (bytes: Uint8Array) => {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** Hugging Face Inference, image-to-video task: POST {inputs: base64 image, parameters}, video bytes back. */
export function createHuggingFaceVideoProvider(options: HuggingFaceVideoOptions): VideoProvider {
  const model = HfModelSchema.parse(options.model);
  const url = `${(options.baseUrl ?? HF_BASE_URL).replace(/\/+$/, "")}/${model.split("/").map(encodeURIComponent).join("/")}`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const breaker = breakerFor(NAME);
  const call = async (req: VideoRequest, signal: AbortSignal): Promise<GeneratedVideo> => {
    const response = await doFetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json", Accept: "video/mp4, video/webm" },
      body: JSON.stringify({
        inputs: base64(req.image),
        parameters: { prompt: req.prompt, width: req.width, height: req.height, num_frames: req.frames, fps: req.fps, seed: req.seed },
      }),
      signal,
    });
    if (!response.ok) throw await errorFromResponse(response, NAME);
    if (!response.body) throw new ProviderError(`${NAME}: empty response`, { retryable: false, provider: NAME, status: response.status });
    const bytes = await readBinary(response.body, NAME);
    const kind = sniffVideo(bytes);
    if (!kind) throw new ProviderError(`${NAME}: the model returned something that is not an MP4 or WebM video`, { retryable: false, provider: NAME });
    return { bytes, ...kind };
  };
  return {
    name: NAME,
    animate: (req, signal) => breaker.run(() => withDeadline(NAME, VIDEO_TIMEOUT_MS, signal, (s) => call(req, s))),
  };
}
