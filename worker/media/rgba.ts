/** Decoded pixels as every media operation passes them around. */

/** 8-bit RGBA with straight (not premultiplied) alpha, rows top to bottom, no padding. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A transparent image of the given size. */
export function createRgba(width: number, height: number): RgbaImage {
  return { width, height, data: new Uint8Array(width * height * 4) };
}
