/** Smooth displacement fields: a sway anchored at the bottom edge and ripples from the centre. */
import { type Effect, TAU } from "./warp";

/**
 * Bends the picture like a plant in the wind: the bottom edge stays, the top moves most
 * (weight (1 − y)²), with a lag that grows upwards so the bend travels up the image.
 */
export const sway: Effect = ({ height, margin, intensity, cycles }) => ({
  row(y, turn, u, v) {
    const fromTop = 1 - (y + 0.5) / height;
    const weight = fromTop * fromTop;
    const phase = TAU * cycles * turn - 1.2 * fromTop;
    const dx = margin * intensity * weight * Math.sin(phase);
    const dy = 0.15 * margin * intensity * weight * Math.sin(2 * phase);
    for (let x = 0; x < u.length; x++) {
      u[x] = margin + x + dx;
      v[x] = margin + y + dy;
    }
  },
});

/** Waves across the output's longer side. */
const RIPPLE_WAVES = 5;
/** Peak radial displacement at full intensity, as a share of the longer side. */
const RIPPLE_DEPTH = 0.012;

/** One period of sine, sampled finely enough that linear reading is exact to ~1e-6. */
const SINE_STEPS = 4096;
const SINE = Float32Array.from({ length: SINE_STEPS + 1 }, (_, i) => Math.sin((TAU * i) / SINE_STEPS));

/**
 * Rings travelling outward from the centre: a radial displacement sin(2π·(r/λ − cycles·turn)),
 * eased to zero at the centre (× r / (r + λ/4)) so the field stays smooth there. The sine is
 * read from a table: Math.sin per pixel was a quarter of this effect's time (bench/looping).
 */
export const ripple: Effect = ({ width, height, margin, intensity, cycles }) => {
  const cx = width / 2;
  const cy = height / 2;
  const side = Math.max(width, height);
  const wavelength = side / RIPPLE_WAVES;
  const amplitude = RIPPLE_DEPTH * side * intensity;
  const ease = wavelength / 4;
  return {
    row(y, turn, u, v) {
      // In whole waves, kept positive so the fractional part is the phase.
      const shift = cycles * (1 - turn);
      const dy = y + 0.5 - cy;
      for (let x = 0; x < u.length; x++) {
        const dx = x + 0.5 - cx;
        const r = Math.sqrt(dx * dx + dy * dy);
        const waves = r / wavelength + shift;
        const at = (waves - Math.floor(waves)) * SINE_STEPS;
        const i = at | 0;
        const sine = SINE[i]! + (SINE[i + 1]! - SINE[i]!) * (at - i);
        const push = (amplitude * sine) / (r + ease);
        u[x] = margin + x + dx * push;
        v[x] = margin + y + dy * push;
      }
    },
  };
};
