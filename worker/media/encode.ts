/**
 * Encoding RGBA pixels with photon. Only the final, output-sized image enters photon's wasm
 * memory: wasm memory never shrinks once grown, so large intermediates stay in JS where the
 * garbage collector can reclaim them.
 */
import { PhotonImage } from "@cf-wasm/photon";
import type { Rgb } from "./color";
import { MediaError } from "./errors";
import type { RgbaImage } from "./rgba";

export type OutputFormat = "png" | "jpeg" | "webp";

/** Encoding 2048² grows photon's wasm memory to 49.5 MB (JPEG/PNG); WebP needs more (65.6 MB). */
export const MAX_ENCODE_PIXELS = 2048 * 2048;
/** photon's WebP encoder is lossless: 1080×1920 peaks at 33 MB of wasm memory. */
export const MAX_WEBP_ENCODE_PIXELS = 1080 * 1920;

const CONTENT_TYPES: Record<OutputFormat, "image/png" | "image/jpeg" | "image/webp"> = {
  png: "image/png",
  jpeg: "image/jpeg",
  webp: "image/webp",
};

export interface EncodeOptions {
  format: OutputFormat;
  /** JPEG quality 1–100. photon's WebP encoder is lossless and ignores it. */
  quality?: number;
  /** What transparent pixels become in a JPEG, which has no alpha. Default white. */
  matte?: Rgb;
}

export interface EncodedImage {
  bytes: Uint8Array;
  contentType: "image/png" | "image/jpeg" | "image/webp";
  width: number;
  height: number;
  /**
   * The pixels the bytes were encoded from, when this Worker drew them and still holds them
   * (the offline provider, a composite): the bytes are then its own encoding, free of
   * metadata, and an export size or a preview starts from these instead of decoding the bytes.
   */
  pixels?: RgbaImage;
}

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** True when every pixel has alpha 255. */
export function isOpaque(image: RgbaImage): boolean {
  const { data } = image;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/** A copy with every pixel composited over `matte` and alpha 255. */
export function flatten(image: RgbaImage, matte: Rgb): RgbaImage {
  const src = image.data;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += 4) {
    const a = src[i + 3]!;
    const keep = 255 - a;
    out[i] = (src[i]! * a + matte.r * keep + 127) / 255;
    out[i + 1] = (src[i + 1]! * a + matte.g * keep + 127) / 255;
    out[i + 2] = (src[i + 2]! * a + matte.b * keep + 127) / 255;
    out[i + 3] = 255;
  }
  return { width: image.width, height: image.height, data: out };
}

export function encodeRgba(image: RgbaImage, options: EncodeOptions): EncodedImage {
  const { format } = options;
  const limit = format === "webp" ? MAX_WEBP_ENCODE_PIXELS : MAX_ENCODE_PIXELS;
  if (image.width * image.height > limit) {
    throw new MediaError("too_large", `Cannot encode ${image.width}×${image.height} as ${format}: at most ${limit} pixels`, { maxPixels: limit });
  }
  const pixels = format === "jpeg" && !isOpaque(image) ? flatten(image, options.matte ?? WHITE) : image;
  const photon = new PhotonImage(pixels.data, pixels.width, pixels.height);
  try {
    const bytes = format === "png" ? photon.get_bytes() : format === "jpeg" ? photon.get_bytes_jpeg(Math.round(Math.min(100, Math.max(1, options.quality ?? 85)))) : photon.get_bytes_webp();
    return { bytes, contentType: CONTENT_TYPES[format], width: image.width, height: image.height };
  } finally {
    photon.free();
  }
}
