/** Whole-frame camera moves: a zoom that breathes in and out, and a pan along a closed curve. */
import { type Effect, TAU } from "./warp";

/** Deepest zoom at full intensity: 15 % closer. */
const ZOOM_DEPTH = 0.15;

/** Zooms in and back out once per loop on a raised cosine, about the centre. */
export const zoomPulse: Effect = ({ width, height, margin, intensity }) => {
  const cx = width / 2;
  const cy = height / 2;
  return {
    row(y, turn, u, v) {
      const scale = 1 + ZOOM_DEPTH * intensity * (1 - Math.cos(TAU * turn)) * 0.5;
      const sy = margin + cy + (y + 0.5 - cy) / scale - 0.5;
      for (let x = 0; x < u.length; x++) {
        u[x] = margin + cx + (x + 0.5 - cx) / scale - 0.5;
        v[x] = sy;
      }
    },
  };
};

/** Drifts side to side with a gentle rise and fall: a figure of eight inside the margin. */
export const pan: Effect = ({ margin, intensity }) => ({
  row(y, turn, u, v) {
    const reach = margin * intensity;
    const dx = reach * Math.sin(TAU * turn);
    const dy = 0.5 * reach * Math.sin(2 * TAU * turn);
    for (let x = 0; x < u.length; x++) {
      u[x] = margin + x + dx;
      v[x] = margin + y + dy;
    }
  },
});
