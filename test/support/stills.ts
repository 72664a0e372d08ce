/** Stills for loop tests: smooth, so any tear in a frame stands out as a step between neighbours. */
import { createRgba, type RgbaImage } from "../../worker/media/rgba";

/** Gradients in x and y plus a soft bright disc in the middle (a "subject" for parallax). */
export function smoothStill(side: number): RgbaImage {
  const image = createRgba(side, side);
  const c = side / 2;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.hypot(x - c, y - c) / side;
      const disc = Math.max(0, 1 - (r / 0.25) ** 2);
      const i = (y * side + x) * 4;
      image.data[i] = (40 + (150 * x) / side + 60 * disc) | 0;
      image.data[i + 1] = (40 + (150 * y) / side + 60 * disc) | 0;
      image.data[i + 2] = (60 + 120 * disc + (40 * (x + y)) / (2 * side)) | 0;
      image.data[i + 3] = 255;
    }
  }
  return image;
}

/** The smooth still with a fine wave pattern on it, so even a small displacement changes many pixels. */
export function texturedStill(side: number): RgbaImage {
  const image = smoothStill(side);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const wave = 35 * Math.sin(x / 5) * Math.sin(y / 6);
      const i = (y * side + x) * 4;
      for (let c = 0; c < 3; c++) image.data[i + c] = Math.min(255, Math.max(0, image.data[i + c]! + wave));
    }
  }
  return image;
}
