/** Applies an EXIF orientation (1–8) to pixels, so re-encoded images (which drop EXIF) stay upright. */
import type { RgbaImage } from "./rgba";

/**
 * Orientation n says how the stored pixels must be transformed for display: 2 mirror,
 * 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90°
 * counter-clockwise. Returns the image unchanged for 1 or unknown values.
 */
export function applyOrientation(image: RgbaImage, orientation: number): RgbaImage {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, data } = image;
  const turned = orientation >= 5;
  const outWidth = turned ? h : w;
  const outHeight = turned ? w : h;
  const aligned = data.byteOffset % 4 === 0 ? data : data.slice();
  // One 32-bit word per pixel moves all four channels at once (byte order is irrelevant here).
  const src = new Uint32Array(aligned.buffer, aligned.byteOffset, w * h);
  const out = new Uint32Array(outWidth * outHeight);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let dx: number;
      let dy: number;
      switch (orientation) {
        case 2:
          dx = w - 1 - x;
          dy = y;
          break;
        case 3:
          dx = w - 1 - x;
          dy = h - 1 - y;
          break;
        case 4:
          dx = x;
          dy = h - 1 - y;
          break;
        case 5:
          dx = y;
          dy = x;
          break;
        case 6:
          dx = h - 1 - y;
          dy = x;
          break;
        case 7:
          dx = h - 1 - y;
          dy = w - 1 - x;
          break;
        default:
          dx = y;
          dy = w - 1 - x;
          break;
      }
      out[dy * outWidth + dx] = src[y * w + x]!;
    }
  }
  return { width: outWidth, height: outHeight, data: new Uint8Array(out.buffer) };
}
