/** COCO-17 poses for provider tests (normalized 0..1). */
import type { Keypoints } from "../../worker/ai/skeleton";

/** Standing, right arm raised, legs apart. */
export const WAVE: Keypoints = [
  [0.5, 0.15],
  [0.48, 0.13],
  [0.52, 0.13],
  [0.46, 0.14],
  [0.54, 0.14],
  [0.42, 0.25],
  [0.58, 0.25],
  [0.35, 0.38],
  [0.68, 0.2],
  [0.3, 0.5],
  [0.75, 0.1],
  [0.45, 0.52],
  [0.55, 0.52],
  [0.43, 0.7],
  [0.6, 0.68],
  [0.42, 0.88],
  [0.65, 0.86],
];
