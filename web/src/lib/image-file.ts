/**
 * Client-side checks for image uploads against the rule the server publishes in GET /api/apps
 * (worker/media/policy.ts): the format by magic bytes, the size in bytes, the side lengths. A
 * file that would be refused is refused here, before a byte is sent; the server checks again.
 */
import type { UploadRule } from "../stores/catalog";

export type ImageFormat = "png" | "jpeg" | "webp";

export interface CheckedImage {
  file: File;
  format: ImageFormat;
  width: number;
  height: number;
}

/** A file the server would refuse, with the reason in words. */
export class ImageProblem extends Error {
  override readonly name = "ImageProblem";
}

const FORMAT_NAMES: Record<string, string> = { png: "PNG", jpeg: "JPEG", webp: "WebP" };
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** The formats this browser check can recognise; one the server adds later is refused here until it learns it. */
function sniffFormat(b: Uint8Array): ImageFormat | null {
  if (PNG.every((byte, i) => b[i] === byte)) return "png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "webp";
  return null;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** "PNG, JPEG or WebP" */
function formatList(rule: UploadRule): string {
  const names = rule.formats.map((f) => FORMAT_NAMES[f] ?? f.toUpperCase());
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} or ${names.at(-1)}` : (names[0] ?? "");
}

/** For the file picker's filter; the real check is the magic bytes. */
export const acceptedTypes = (rule: UploadRule) => rule.formats.map((f) => `image/${f}`).join(",");

/** The rule in words, under a drop zone: "PNG, JPEG or WebP · up to 10 MB · 256–4096 px each side". */
export const uploadHint = (rule: UploadRule) => `${formatList(rule)} · up to ${rule.maxBytes / (1024 * 1024)} MB · ${rule.minSide}–${rule.maxSide} px each side`;

/** Resolves with the image's format and size, or rejects with an ImageProblem saying what to change. */
export async function checkImageFile(file: File, rule: UploadRule): Promise<CheckedImage> {
  const { maxBytes, minSide, maxSide } = rule;
  if (file.size === 0) throw new ImageProblem("This file is empty.");
  if (file.size > maxBytes) throw new ImageProblem(`This file is ${megabytes(file.size)}; images may be at most ${megabytes(maxBytes)}.`);
  const format = sniffFormat(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (!format || !rule.formats.includes(format)) throw new ImageProblem(`This is not a ${formatList(rule)} image.`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new ImageProblem("This image could not be read; it may be damaged.");
  }
  const { width, height } = bitmap;
  bitmap.close();
  if (width < minSide || height < minSide || width > maxSide || height > maxSide) {
    throw new ImageProblem(`Each side must be ${minSide}–${maxSide} px; this image is ${width}×${height}.`);
  }
  return { file, format, width, height };
}
