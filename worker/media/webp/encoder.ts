/**
 * Lossy WebP encoding of one RGBA frame with libwebp (@jsquash/webp's wasm build). The wasm is
 * imported as a module and instantiated once per isolate: workerd refuses to compile wasm at
 * run time. Its memory grows to fit the largest frame seen and never shrinks.
 */
import factory from "@jsquash/webp/codec/enc/webp_enc_simd.js";
import type { EncodeOptions } from "@jsquash/webp/codec/enc/webp_enc.js";
import { defaultOptions } from "@jsquash/webp/meta.js";
import wasm from "@jsquash/webp/codec/enc/webp_enc_simd.wasm";
import type { RgbaImage } from "../rgba";

export interface WebpFrameOptions {
  /** 0–100. */
  quality: number;
  /** libwebp's speed/size trade-off, 0 (fastest) – 6 (smallest). */
  method: number;
}

/** The part of the Emscripten module we use (its bundled typings model the callback wrongly). */
interface Libwebp {
  encode(data: Uint8Array, width: number, height: number, options: EncodeOptions): Uint8Array | null;
  HEAPU8: Uint8Array;
}
type Factory = (options: { noInitialRun: boolean; instantiateWasm: (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void) => WebAssembly.Exports }) => Promise<Libwebp>;

let encoder: Promise<Libwebp> | undefined;

function load(): Promise<Libwebp> {
  encoder ??= (factory as unknown as Factory)({
    noInitialRun: true,
    instantiateWasm(imports, done) {
      const instance = new WebAssembly.Instance(wasm, imports);
      done(instance);
      return instance.exports;
    },
  });
  return encoder;
}

/** A complete single-frame WebP file (RIFF, WEBP, one VP8 chunk). */
export async function encodeWebpFrame(image: RgbaImage, options: WebpFrameOptions): Promise<Uint8Array> {
  const module = await load();
  const settings: EncodeOptions = { ...defaultOptions, quality: options.quality, method: options.method };
  const result = module.encode(image.data, image.width, image.height, settings);
  if (!result) throw new Error(`libwebp could not encode a ${image.width}×${image.height} frame`);
  return result;
}

/** The encoder's wasm memory now (its peak: wasm memory never shrinks); 0 before first use. */
export async function webpEncoderMemoryBytes(): Promise<number> {
  if (!encoder) return 0;
  return (await encoder).HEAPU8.buffer.byteLength;
}
