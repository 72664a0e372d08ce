/** Hand-built image files for media tests: headers crafted byte by byte, PNGs in every layout. */
import { PhotonImage } from "@cf-wasm/photon";
import type { RgbaImage } from "../../worker/media/rgba";

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u16 = (n: number) => [(n >> 8) & 255, n & 255];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function pngChunk(type: string, body: Uint8Array | number[]): Uint8Array {
  const data = concat(new TextEncoder().encode(type), Uint8Array.from(body));
  return concat(Uint8Array.from(u32(data.length - 4)), data, Uint8Array.from(u32(crc32(data))));
}

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Only a signature, IHDR and IEND (plus an empty IDAT): enough for header checks. */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  return concat(PNG_SIGNATURE, pngChunk("IHDR", [...u32(width), ...u32(height), 8, 6, 0, 0, 0]), pngChunk("IDAT", []), pngChunk("IEND", []));
}

export async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** Channel samples of one pixel at the given depth (palette index for colour type 3). */
  pixel: (x: number, y: number) => number[];
  interlaced?: boolean;
  palette?: number[];
  transparency?: number[];
  /** Extra chunks placed before IDAT (e.g. tEXt). */
  extra?: Uint8Array[];
}

const CHANNELS = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/** Packs and filters scanlines (cycling through all five filter types) for one (sub)image. */
function scanlines(spec: PngSpec, xs: number[], ys: number[]): number[] {
  const bitsPerPixel = CHANNELS[spec.colorType] * spec.depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const stride = Math.ceil((xs.length * bitsPerPixel) / 8);
  const out: number[] = [];
  let prev = new Uint8Array(stride);
  ys.forEach((y, row) => {
    const line = new Uint8Array(stride);
    let bit = 0;
    for (const x of xs) {
      for (const sample of spec.pixel(x, y)) {
        if (spec.depth === 16) {
          line[bit >> 3] = sample >> 8;
          line[(bit >> 3) + 1] = sample & 255;
        } else {
          line[bit >> 3]! |= sample << (8 - spec.depth - (bit & 7));
        }
        bit += spec.depth;
      }
    }
    const type = row % 5;
    out.push(type);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? line[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][type]!;
      out.push((line[i]! - predictor) & 255);
    }
    prev = line;
  });
  return out;
}

export async function buildPng(spec: PngSpec): Promise<Uint8Array> {
  const range = (n: number, start = 0, step = 1) => Array.from({ length: Math.max(0, Math.ceil((n - start) / step)) }, (_, i) => start + i * step);
  let raw: number[] = [];
  if (spec.interlaced) {
    for (const [x0, y0, dx, dy] of PASSES) {
      const xs = range(spec.width, x0, dx);
      const ys = range(spec.height, y0, dy);
      if (xs.length > 0 && ys.length > 0) raw = raw.concat(scanlines(spec, xs, ys));
    }
  } else {
    raw = scanlines(spec, range(spec.width), range(spec.height));
  }
  return concat(
    PNG_SIGNATURE,
    pngChunk("IHDR", [...u32(spec.width), ...u32(spec.height), spec.depth, spec.colorType, 0, 0, spec.interlaced ? 1 : 0]),
    ...(spec.palette ? [pngChunk("PLTE", spec.palette)] : []),
    ...(spec.transparency ? [pngChunk("tRNS", spec.transparency)] : []),
    ...(spec.extra ?? []),
    pngChunk("IDAT", await deflate(Uint8Array.from(raw))),
    pngChunk("IEND", []),
  );
}

/** An RGBA PNG of an image, through photon's encoder. */
export function encodePng(image: RgbaImage): Uint8Array {
  const photon = new PhotonImage(image.data, image.width, image.height);
  try {
    return photon.get_bytes();
  } finally {
    photon.free();
  }
}

/** An RGBA image filled by `pixel(x, y)` → [r, g, b, a]. */
export function rgbaImage(width: number, height: number, pixel: (x: number, y: number) => readonly number[]): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  return { width, height, data };
}

export function pixelAt(image: RgbaImage, x: number, y: number): number[] {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 4;
  return Array.from(image.data.subarray(i, i + 4));
}

/** A JPEG header up to its frame (no scan): enough for sniffing, nothing to decode. */
export function jpegHeaderOnly(width: number, height: number): Uint8Array {
  return Uint8Array.from([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, ...u16(height), ...u16(width), 1, 1, 0x11, 0, 0xff, 0xda, 0, 8, 1, 1, 0, 0, 63, 0, 0, 0xff, 0xd9]);
}

/**
 * A valid grey baseline JPEG of any size, built by hand: one-code Huffman tables make every
 * block "DC unchanged, end of block", two zero bits, so 4096² costs 64 KB.
 */
export function flatGreyJpeg(width: number, height: number): Uint8Array {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scanBytes = Math.ceil((blocks * 2) / 8);
  const scan = new Uint8Array(scanBytes);
  const padBits = scanBytes * 8 - blocks * 2;
  if (padBits > 0) scan[scanBytes - 1] = (1 << padBits) - 1;
  const table = (tableClass: number) => [tableClass << 4, 1, ...new Array(15).fill(0), 0];
  return concat(
    Uint8Array.from([0xff, 0xd8]),
    Uint8Array.from([0xff, 0xdb, 0, 67, 0, ...new Array(64).fill(1)]),
    Uint8Array.from([0xff, 0xc0, 0, 11, 8, ...u16(height), ...u16(width), 1, 1, 0x11, 0]),
    Uint8Array.from([0xff, 0xc4, 0, 2 + 17 * 2 + 2, ...table(0), ...table(1)]),
    Uint8Array.from([0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 63, 0]),
    scan,
    Uint8Array.from([0xff, 0xd9]),
  );
}

/** Inserts an EXIF APP1 segment (big-endian TIFF, one IFD0 entry: Orientation) after SOI. */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, ...u16(orientation), 0, 0, 0, 0, 0, 0];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return concat(jpeg.subarray(0, 2), Uint8Array.from([0xff, 0xe1, ...u16(body.length + 2), ...body]), jpeg.subarray(2));
}

/** A WebP VP8X header claiming width×height (for cap checks that must not decode). */
export function webpHeaderOnly(width: number, height: number): Uint8Array {
  const u24 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255];
  const body = [0x56, 0x50, 0x38, 0x58, 10, 0, 0, 0, 0x10, 0, 0, 0, ...u24(width - 1), ...u24(height - 1)];
  const size = 4 + body.length;
  return Uint8Array.from([0x52, 0x49, 0x46, 0x46, size & 255, (size >> 8) & 255, 0, 0, 0x57, 0x45, 0x42, 0x50, ...body]);
}
