/** Checks what a remote model returned really is a PNG or JPEG, and reads its size from the header. */
import { MediaError } from "../media/errors";
import { sniffImage } from "../media/sniff";
import { ProviderError } from "./errors";
import type { GeneratedImage } from "./provider";

/** Generous for a 2048² PNG; anything bigger is not an image we asked for. */
export const MAX_OUTPUT_BYTES = 32 * 1024 * 1024;

export function asGeneratedImage(bytes: Uint8Array, provider: string): GeneratedImage {
  if (bytes.length > MAX_OUTPUT_BYTES) {
    throw new ProviderError(`${provider} returned ${bytes.length} bytes, more than an image should be`, { retryable: false, provider });
  }
  try {
    const info = sniffImage(bytes);
    if (info.format === "webp") throw new MediaError("unsupported", "WebP output is not expected");
    return { bytes, contentType: info.contentType === "image/png" ? "image/png" : "image/jpeg", width: info.width, height: info.height };
  } catch (error) {
    if (!(error instanceof MediaError)) throw error;
    throw new ProviderError(`${provider} returned something that is not a usable image: ${error.message}`, { retryable: false, provider, cause: error });
  }
}

/** Decodes standard base64 (what Workers AI puts in JSON); malformed input is a permanent error. */
export function fromBase64(text: string, provider: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ""));
  } catch (error) {
    throw new ProviderError(`${provider} returned invalid base64`, { retryable: false, provider, cause: error });
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Reads a binary body (stream, bytes or buffer) into one Uint8Array, stopping past MAX_OUTPUT_BYTES. */
export async function readBinary(body: ReadableStream<unknown> | Uint8Array | ArrayBuffer, provider: string): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw new ProviderError(`${provider} streamed something other than bytes`, { retryable: false, provider });
      total += value.length;
      if (total > MAX_OUTPUT_BYTES) {
        throw new ProviderError(`${provider} returned more than ${MAX_OUTPUT_BYTES} bytes`, { retryable: false, provider });
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
