/** Looping Flow's request body and the per-item plan the consumer renders from. */
import { z } from "zod";
import { EFFECT_NAMES } from "./effects";

export const LOOP_APP_ID = "looping-flow";
export const LOOP_COST = 20;
export const LOOP_SIZES = [512, 768, 1024] as const;
export const DEFAULT_FPS = 24;

/** Published by GET /api/apps (the studio's form reads these) and enforced by LoopBody below. */
export const LOOP_LIMITS = {
  durationSeconds: { min: 2, max: 8 },
  fps: { min: 12, max: 30 },
  intensity: { min: 0.1, max: 1 },
} as const;
export const MAX_SECONDS = LOOP_LIMITS.durationSeconds.max;
export const MAX_FPS = LOOP_LIMITS.fps.max;

const Id = z.string().min(1).max(64);

/** A still of the caller's: an upload in this project, or any completed output of theirs. */
export const LoopSource = z.union([z.strictObject({ uploadId: z.uuid() }), z.strictObject({ generationId: Id, itemKey: z.string().min(1).max(200) })]);
export type LoopSource = z.infer<typeof LoopSource>;

export const LoopBody = z.object({
  projectId: Id,
  source: LoopSource,
  effect: z.enum(EFFECT_NAMES),
  durationSeconds: z.number().int().min(LOOP_LIMITS.durationSeconds.min).max(LOOP_LIMITS.durationSeconds.max),
  fps: z.number().int().min(LOOP_LIMITS.fps.min).max(LOOP_LIMITS.fps.max).default(DEFAULT_FPS),
  intensity: z.number().min(LOOP_LIMITS.intensity.min).max(LOOP_LIMITS.intensity.max).default(0.5),
  size: z.union(LOOP_SIZES.map((s) => z.literal(s)) as [z.ZodLiteral<512>, z.ZodLiteral<768>, z.ZodLiteral<1024>]).default(768),
});
export type LoopBody = z.infer<typeof LoopBody>;

export const LoopItemParams = z.object({
  /** R2 key of the still, resolved and ownership-checked at submit. */
  sourceKey: z.string().min(1),
  effect: z.enum(EFFECT_NAMES),
  size: z.number().int(),
  frames: z.number().int().positive(),
  durationMs: z.number().int().positive(),
  intensity: z.number(),
});
export type LoopItemParams = z.infer<typeof LoopItemParams>;
