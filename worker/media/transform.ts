/** Output images: thumbnails, fixed export sizes and metadata-stripping re-encodes. */
import { z } from "zod";
import { type DecodeTarget, decodeImage } from "./decode";
import { type EncodedImage, type OutputFormat, encodeRgba, isOpaque } from "./encode";
import { type ResizeFilter, coverRect, fitInside, resize } from "./resize";
import type { RgbaImage } from "./rgba";

/** Export targets offered to users; `original` keeps the source's size (within the decode cap). */
export const EXPORT_SIZES = {
  original: null,
  instagram_post: { width: 1080, height: 1080 },
  instagram_story: { width: 1080, height: 1920 },
  thumbnail: { width: 400, height: 400 },
} as const satisfies Record<string, { width: number; height: number } | null>;

export type ExportSize = keyof typeof EXPORT_SIZES;

export const ExportSizeSchema = z.enum(Object.keys(EXPORT_SIZES) as [ExportSize, ...ExportSize[]]);

export interface OutputOptions {
  /** Default: JPEG when the result is opaque, PNG when it has transparency. */
  format?: OutputFormat;
  /** JPEG quality 1–100. */
  quality?: number;
}

const DEFAULT_QUALITY = 85;

function encode(image: RgbaImage, options: OutputOptions): EncodedImage {
  const format = options.format ?? (isOpaque(image) ? "jpeg" : "png");
  return encodeRgba(image, { format, quality: options.quality ?? DEFAULT_QUALITY });
}

/** Encoded bytes, or an image this Worker encoded and whose pixels it still holds. */
export type ImageInput = Uint8Array | EncodedImage;

/** The input's pixels: the ones it holds, else its bytes decoded no larger than `target` needs. */
export async function pixelsOf(input: ImageInput, target?: DecodeTarget): Promise<RgbaImage> {
  if (!(input instanceof Uint8Array) && input.pixels) return input.pixels;
  return (await decodeImage(bytesOf(input), { target })).image;
}

const bytesOf = (input: ImageInput): Uint8Array => (input instanceof Uint8Array ? input : input.bytes);

/** Scales and centre-crops to exactly width×height (enlarging when the source is smaller). */
export function coverResize(image: RgbaImage, width: number, height: number, filter: ResizeFilter = "cubic"): RgbaImage {
  if (image.width === width && image.height === height) return image;
  return resize(image, width, height, { source: coverRect(image.width, image.height, width, height), filter });
}

/** Scales to fit inside width×height keeping the aspect ratio, never enlarging. */
export function fitResize(image: RgbaImage, width: number, height: number, filter: ResizeFilter = "cubic"): RgbaImage {
  const size = fitInside(image.width, image.height, width, height);
  if (size.width === image.width && size.height === image.height) return image;
  return resize(image, size.width, size.height, { filter });
}

/**
 * A preview that fits in maxSide×maxSide (never enlarged); JPEG q80 unless told otherwise.
 * A triangle filter (half the taps of a cubic, widened with the scale) is enough for a preview.
 */
export async function thumbnail(input: ImageInput, options: OutputOptions & { maxSide?: number } = {}): Promise<EncodedImage> {
  const maxSide = options.maxSide ?? 400;
  const image = await pixelsOf(input, { width: maxSide, height: maxSide, fit: "inside" });
  return encode(fitResize(image, maxSide, maxSide, "linear"), { format: options.format ?? "jpeg", quality: options.quality ?? 80 });
}

/**
 * One of EXPORT_SIZES: cover-cropped to its exact size, or the whole image for `original`
 * (re-encoded to strip metadata, unless it is this Worker's own encoding already).
 */
export async function exportImage(input: ImageInput, size: ExportSize, options: OutputOptions = {}): Promise<EncodedImage> {
  const box = EXPORT_SIZES[size];
  if (!box) {
    // This Worker's own encoding holds nothing to strip.
    if (!(input instanceof Uint8Array) && input.pixels && !options.format) return input;
    return reencode(bytesOf(input), options);
  }
  const image = await pixelsOf(input, { ...box, fit: "cover" });
  return encode(coverResize(image, box.width, box.height), options);
}

/**
 * Decode and encode again: EXIF (after applying its orientation), XMP, ICC, comments and
 * anything smuggled after the image data are gone. Images above the decode cap come out
 * scaled down to fit it.
 */
export async function reencode(bytes: Uint8Array, options: OutputOptions = {}): Promise<EncodedImage> {
  const { image, info } = await decodeImage(bytes);
  const format = options.format ?? (info.format === "jpeg" ? "jpeg" : isOpaque(image) && info.format === "webp" ? "jpeg" : "png");
  return encodeRgba(image, { format, quality: options.quality ?? 90 });
}
