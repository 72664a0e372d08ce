/** What an upload must be before any pixel is decoded: size in bytes, format and side lengths. */
import { MediaError } from "./errors";
import { type ImageFormat, type ImageInfo, sniffImage } from "./sniff";

export interface DimensionPolicy {
  minSide: number;
  maxSide: number;
}

export interface UploadPolicy extends DimensionPolicy {
  maxBytes: number;
  formats: readonly ImageFormat[];
}

/** The API's avatar rule: PNG/JPEG/WebP, at most 10 MB, 256–4096 px each side. */
export const UPLOAD_POLICY: UploadPolicy = {
  maxBytes: 10 * 1024 * 1024,
  minSide: 256,
  maxSide: 4096,
  formats: ["png", "jpeg", "webp"],
};

export function checkDimensions(info: Pick<ImageInfo, "width" | "height">, policy: DimensionPolicy): void {
  const { width, height } = info;
  if (width < policy.minSide || height < policy.minSide || width > policy.maxSide || height > policy.maxSide) {
    throw new MediaError("dimensions", `Each side must be ${policy.minSide}–${policy.maxSide} px; this image is ${width}×${height}`, {
      width,
      height,
      minSide: policy.minSide,
      maxSide: policy.maxSide,
    });
  }
}

/**
 * Validates an upload from its bytes alone: size, magic bytes, header dimensions.
 * Callers should refuse an oversized body before reading it (Content-Length) as well.
 */
export function checkUpload(bytes: Uint8Array, policy: UploadPolicy = UPLOAD_POLICY): ImageInfo {
  if (bytes.length > policy.maxBytes) {
    throw new MediaError("too_large", `Images may be at most ${policy.maxBytes} bytes`, { maxBytes: policy.maxBytes });
  }
  const info = sniffImage(bytes);
  if (!policy.formats.includes(info.format)) throw new MediaError("unsupported", `${info.format.toUpperCase()} images are not accepted here`);
  if (info.animated) throw new MediaError("unsupported", "Animated images are not accepted");
  checkDimensions(info, policy);
  return info;
}

const EXTENSIONS: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", webp: "webp" };

/** The extension for a generated file name, from the sniffed format (never the client's name). */
export function extensionFor(format: ImageFormat): string {
  return EXTENSIONS[format];
}
