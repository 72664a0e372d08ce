/**
 * Client-side checks for image uploads, mirroring the server's policy (worker/media/policy.ts):
 * PNG, JPEG or WebP by magic bytes, at most 10 MB, 256–4096 px each side. A file that would be
 * refused is refused here, before a byte is sent; the server still checks everything again.
 */

export const IMAGE_POLICY = { maxBytes: 10 * 1024 * 1024, minSide: 256, maxSide: 4096 } as const;

/** For the file picker's filter; the real check is the magic bytes below. */
export const IMAGE_ACCEPT = "image/png,image/jpeg,image/webp";

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

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

function sniffFormat(b: Uint8Array): ImageFormat | null {
  if (PNG.every((byte, i) => b[i] === byte)) return "png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "webp";
  return null;
}

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** Resolves with the image's format and size, or rejects with an ImageProblem saying what to change. */
export async function checkImageFile(file: File): Promise<CheckedImage> {
  const { maxBytes, minSide, maxSide } = IMAGE_POLICY;
  if (file.size === 0) throw new ImageProblem("This file is empty.");
  if (file.size > maxBytes) throw new ImageProblem(`This file is ${megabytes(file.size)}; images may be at most ${megabytes(maxBytes)}.`);
  const format = sniffFormat(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  if (!format) throw new ImageProblem("This is not a PNG, JPEG or WebP image.");
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
