/**
 * Bytes → RGBA pixels under a memory budget, decoding no larger than the caller needs.
 *
 * Budget (a Worker isolate has 128 MB for JS heap and wasm memory together). Measured with
 * @cf-wasm/photon 0.4.0 (wasm memory.buffer.byteLength after the call; it never shrinks):
 *   photon decode JPEG   ≈ 12 B/px   2048² → 49 MB, 2600² → 78 MB, 4096² → 190 MB
 *   photon decode PNG    ≈ 14 B/px   2048² → 57 MB, 4096² → 222 MB
 *   photon decode WebP   1536² → 27 MB, 1800² → 48 MB, 2048² → 63 MB, 4096² → 247 MB
 *   photon encode 2048²  JPEG/PNG → 49.5 MB, WebP → 65.6 MB; 1080×1920 WebP → 33 MB
 * So JPEG and PNG are decoded in JS (jpeg/decoder.ts, png.ts) straight to the size needed,
 * and photon sees only WebP input (≤ 1800²) and output-sized images (≤ 2048², WebP ≤ 2.1 MP):
 * its wasm memory stays under ~50 MB for the isolate's life. The JS side peaks near 55 MB
 * (a 10 MB progressive 4096² JPEG at 1/2 scale: input + 27 MB coefficients + 16.8 MB output),
 * and the decoded buffer is capped at MAX_DECODED_PIXELS (2048² RGBA = 16.8 MB).
 */
import { PhotonImage } from "@cf-wasm/photon";
import { MediaError } from "./errors";
import { type JpegScale, decodeJpeg, readJpegHeader } from "./jpeg/decoder";
import { applyOrientation } from "./orientation";
import { decodePng } from "./png";
import type { RgbaImage } from "./rgba";
import { type ImageInfo, sniffImage } from "./sniff";

/** Largest decoded image handed to resizing/encoding: 2048² RGBA is 16.8 MB. */
export const MAX_DECODED_PIXELS = 2048 * 2048;
/** WebP is decoded by photon: 1800² grows its wasm memory to 48 MB, 2048² to 63 MB. */
export const MAX_WEBP_PIXELS = 1800 * 1800;
/** Progressive JPEG coefficient storage; 4096² 4:2:0 needs 27 MB at 1/2 scale, 5 MB at 1/8. */
export const MAX_JPEG_COEFFICIENT_BYTES = 40 * 1024 * 1024;

export interface DecodeTarget {
  width: number;
  height: number;
  /** `inside`: the whole image must fit the box; `cover`: the image must cover it (and is cropped). */
  fit: "inside" | "cover";
}

export interface DecodeOptions {
  /** The size the caller will produce; decoding may shrink up to it, never below it. */
  target?: DecodeTarget;
  /** Cap on the decoded buffer; a larger image is decoded smaller (never refused for this). */
  maxPixels?: number;
}

export interface DecodedImage {
  image: RgbaImage;
  info: ImageInfo;
}

/**
 * How much the source may shrink (1 = none) while staying at least as large as needed for
 * `target`, and small enough for `maxPixels`.
 */
export function shrinkFactor(width: number, height: number, target: DecodeTarget | undefined, maxPixels: number): number {
  let allowed = 1;
  if (target) {
    const ratio = target.fit === "inside" ? Math.min(target.width / width, target.height / height) : Math.max(target.width / width, target.height / height);
    allowed = Math.max(1, Math.floor(1 / ratio));
  }
  const required = Math.max(1, Math.sqrt((width * height) / maxPixels));
  return Math.max(allowed, Math.ceil(required));
}

/** The JPEG IDCT can shrink by 2, 4 or 8 only: the largest of those not above `shrink`. */
function jpegScale(shrink: number): JpegScale {
  return shrink >= 8 ? 8 : shrink >= 4 ? 4 : shrink >= 2 ? 2 : 1;
}

export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const info = sniffImage(bytes);
  const maxPixels = options.maxPixels ?? MAX_DECODED_PIXELS;
  if (info.format === "jpeg") {
    const header = readJpegHeader(bytes);
    // EXIF orientations 5–8 turn the image a quarter: the target applies to the turned size.
    const turned = header.orientation >= 5;
    const target = options.target && turned ? { ...options.target, width: options.target.height, height: options.target.width } : options.target;
    let scale = jpegScale(shrinkFactor(header.width, header.height, target, Number.POSITIVE_INFINITY));
    // The pixel cap wins over the target: go down in powers of two until it fits.
    while (scale < 8 && Math.ceil(header.width / scale) * Math.ceil(header.height / scale) > maxPixels) scale = (scale * 2) as JpegScale;
    const decoded = decodeJpeg(bytes, { scale, maxCoefficientBytes: MAX_JPEG_COEFFICIENT_BYTES });
    return { image: capPixels(applyOrientation(decoded.image, decoded.orientation), maxPixels), info };
  }
  if (info.format === "png") {
    const shrink = shrinkFactor(info.width, info.height, options.target, maxPixels);
    const image = await decodePng(bytes, { shrink, maxInterlacedPixels: MAX_DECODED_PIXELS });
    return { image, info };
  }
  if (info.animated) throw new MediaError("unsupported", "Animated WebP images are not supported");
  if (info.width * info.height > MAX_WEBP_PIXELS) {
    throw new MediaError("too_large", `WebP images may have at most ${MAX_WEBP_PIXELS} pixels to be processed; use JPEG or PNG for larger images`, {
      width: info.width,
      height: info.height,
      maxPixels: MAX_WEBP_PIXELS,
    });
  }
  return { image: capPixels(decodeWithPhoton(bytes), maxPixels), info };
}

function decodeWithPhoton(bytes: Uint8Array): RgbaImage {
  let photon: PhotonImage;
  try {
    photon = PhotonImage.new_from_byteslice(bytes);
  } catch (error) {
    throw new MediaError("invalid", "The image could not be decoded", { reason: error instanceof Error ? error.message : String(error) });
  }
  try {
    return { width: photon.get_width(), height: photon.get_height(), data: photon.get_raw_pixels() };
  } finally {
    photon.free();
  }
}

/** Even a 1/8 JPEG of a 4096² image or a capped WebP must respect the cap: refuse what still exceeds it. */
function capPixels(image: RgbaImage, maxPixels: number): RgbaImage {
  if (image.width * image.height > maxPixels) {
    throw new MediaError("too_large", `The image is too large to process (${image.width}×${image.height} after decoding)`, {
      width: image.width,
      height: image.height,
      maxPixels,
    });
  }
  return image;
}
