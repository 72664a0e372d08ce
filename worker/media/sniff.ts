/**
 * Identifies PNG, JPEG and WebP by their magic bytes and reads the dimensions from the header,
 * without decoding pixels: a pixel flood is refused before any memory is spent on it. The file
 * name and the declared Content-Type are never consulted.
 */
import { MediaError } from "./errors";

export type ImageFormat = "png" | "jpeg" | "webp";

export interface ImageInfo {
  format: ImageFormat;
  contentType: "image/png" | "image/jpeg" | "image/webp";
  width: number;
  height: number;
  /** The format can carry transparency here (PNG alpha or tRNS, WebP alpha). */
  hasAlpha: boolean;
  /** APNG or animated WebP. */
  animated: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  return null;
}

/** The format and header facts of an image; throws MediaError for anything else. */
export function sniffImage(bytes: Uint8Array): ImageInfo {
  const format = sniffFormat(bytes);
  if (format === "png") return sniffPng(bytes);
  if (format === "jpeg") return sniffJpeg(bytes);
  if (format === "webp") return sniffWebp(bytes);
  throw new MediaError("unsupported", "Not a PNG, JPEG or WebP image");
}

export function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = "";
  for (let i = offset; i < offset + length && i < bytes.length; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

const u16be = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32be = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const u24le = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16);
const u32le = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;

function truncated(format: string): MediaError {
  return new MediaError("truncated", `The ${format} file ends early`);
}

/** Valid bit depths per PNG colour type. */
const PNG_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

function sniffPng(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 33) throw truncated("PNG");
  if (u32be(bytes, 8) !== 13 || ascii(bytes, 12, 4) !== "IHDR") throw new MediaError("invalid", "PNG does not start with an IHDR chunk");
  const width = u32be(bytes, 16);
  const height = u32be(bytes, 20);
  const depth = bytes[24]!;
  const colorType = bytes[25]!;
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) throw new MediaError("invalid", "PNG has an impossible size");
  if (!PNG_DEPTHS[colorType]?.includes(depth)) throw new MediaError("invalid", "PNG has an invalid colour type or bit depth");
  if (bytes[26] !== 0 || bytes[27] !== 0 || bytes[28]! > 1) throw new MediaError("invalid", "PNG uses an unknown compression, filter or interlace method");
  let hasAlpha = colorType === 4 || colorType === 6;
  let animated = false;
  let sawData = false;
  // Walk the chunk headers only (no CRC or pixel work) to prove the file is complete.
  for (let offset = 8; ; ) {
    if (offset + 8 > bytes.length) throw truncated("PNG");
    const length = u32be(bytes, offset);
    const type = ascii(bytes, offset + 4, 4);
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw truncated("PNG");
    if (type === "tRNS" && !sawData) hasAlpha = true;
    if (type === "acTL" && !sawData) animated = true;
    if (type === "IDAT") sawData = true;
    if (type === "IEND") break;
    offset = end;
  }
  if (!sawData) throw new MediaError("invalid", "PNG has no image data");
  return { format: "png", contentType: "image/png", width, height, hasAlpha, animated };
}

/** Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
export function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function sniffJpeg(bytes: Uint8Array): ImageInfo {
  let width = 0;
  let height = 0;
  let offset = 2;
  for (;;) {
    if (offset >= bytes.length) throw truncated("JPEG");
    if (bytes[offset] !== 0xff) throw new MediaError("invalid", "JPEG segment does not start with a marker");
    while (bytes[offset] === 0xff) offset++;
    if (offset >= bytes.length) throw truncated("JPEG");
    const marker = bytes[offset++]!;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9) throw new MediaError("invalid", "JPEG ends before its image data");
    if (offset + 2 > bytes.length) throw truncated("JPEG");
    const length = u16be(bytes, offset);
    if (length < 2) throw new MediaError("invalid", "JPEG segment has an invalid length");
    if (offset + length > bytes.length) throw truncated("JPEG");
    if (isStartOfFrame(marker)) {
      if (length < 8) throw new MediaError("invalid", "JPEG frame header is too short");
      height = u16be(bytes, offset + 3);
      width = u16be(bytes, offset + 5);
      if (width === 0) throw new MediaError("invalid", "JPEG has zero width");
      // Height 0 defers it to a DNL marker after the first scan: too rare to support.
      if (height === 0) throw new MediaError("unsupported", "JPEG with a deferred height (DNL) is not supported");
    }
    if (marker === 0xda) {
      if (width === 0) throw new MediaError("invalid", "JPEG scan comes before its frame header");
      if (!endsWithEoi(bytes, offset + length)) throw truncated("JPEG");
      return { format: "jpeg", contentType: "image/jpeg", width, height, hasAlpha: false, animated: false };
    }
    offset += length;
  }
}

/**
 * Entropy-coded data cannot contain FF D9 (a data FF is always followed by 00), so the last
 * FF D9 after the first scan is the end of the image; bytes after it (camera trailers) are
 * tolerated, a missing one means the download was cut.
 */
function endsWithEoi(bytes: Uint8Array, scanStart: number): boolean {
  for (let i = bytes.length - 2; i >= scanStart; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

function sniffWebp(bytes: Uint8Array): ImageInfo {
  if (bytes.length < 30 && !(bytes.length >= 25 && ascii(bytes, 12, 4) === "VP8L")) throw truncated("WebP");
  if (u32le(bytes, 4) + 8 > bytes.length) throw truncated("WebP");
  const chunk = ascii(bytes, 12, 4);
  let width: number;
  let height: number;
  let hasAlpha = false;
  let animated = false;
  if (chunk === "VP8X") {
    const flags = bytes[20]!;
    hasAlpha = (flags & 0x10) !== 0;
    animated = (flags & 0x02) !== 0;
    width = u24le(bytes, 24) + 1;
    height = u24le(bytes, 27) + 1;
  } else if (chunk === "VP8 ") {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a) throw new MediaError("invalid", "WebP VP8 frame has no start code");
    width = (bytes[26]! | (bytes[27]! << 8)) & 0x3fff;
    height = (bytes[28]! | (bytes[29]! << 8)) & 0x3fff;
  } else if (chunk === "VP8L") {
    if (bytes[20] !== 0x2f) throw new MediaError("invalid", "WebP VP8L chunk has no signature");
    const bits = u32le(bytes, 21);
    width = (bits & 0x3fff) + 1;
    height = ((bits >>> 14) & 0x3fff) + 1;
    hasAlpha = ((bits >>> 28) & 1) === 1;
  } else {
    throw new MediaError("unsupported", `Unknown WebP chunk ${JSON.stringify(chunk)}`);
  }
  if (width === 0 || height === 0) throw new MediaError("invalid", "WebP has zero width or height");
  return { format: "webp", contentType: "image/webp", width, height, hasAlpha, animated };
}
