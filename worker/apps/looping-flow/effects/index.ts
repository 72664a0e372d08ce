/** The loop effects by name, as the API offers them. */
import { pan, zoomPulse } from "./camera";
import { ripple, sway } from "./fields";
import { parallax } from "./parallax";
import type { Effect } from "./warp";

export const EFFECTS = {
  "zoom-pulse": zoomPulse,
  pan,
  sway,
  ripple,
  parallax,
} as const satisfies Record<string, Effect>;

export type EffectName = keyof typeof EFFECTS;
export const EFFECT_NAMES = Object.keys(EFFECTS) as [EffectName, ...EffectName[]];
