/**
 * Video Mixer on the engine: one item per variant (15 credits each). The plan checks the
 * clips (owned, ready, one format) and picks distinct key-frame-aligned sequences from the
 * seed; each item remuxes its sequence into a fast-start MP4 streamed to R2.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db } from "../../db/client";
import { videoClips } from "../../db/video-clips";
import { ApiError, notFound } from "../../core/errors";
import { formatDifferences } from "../../media/video/format";
import { CLIP_LIMITS } from "../../media/video/probe";
import { remuxSegments } from "../../media/video/remux";
import { outputKey } from "../../storage/keys";
import { PermanentItemError, type AppDefinition, type PlanContext } from "../../generations/contract";
import { clipFormat, clipKeyframes, type ClipRow } from "./clips";
import { type NormalizableClip, passThroughNormalizer } from "./normalize";
import { planSequences } from "./sequences";
import { abortAbandonedUploads } from "./uploads";

export const VIDEO_MIXER_APP_ID = "video-mixer";
export const VARIANT_COST = 15;
export const MAX_VARIANTS = 50;
/** Published by GET /api/apps (the studio checks exactly these) and enforced by Body below. */
export const VIDEO_LIMITS = {
  clips: { min: 2, max: 20 },
  variants: { min: 1, max: MAX_VARIANTS },
  segmentSeconds: { min: 1, max: 10 },
  lengthSeconds: { min: 3, max: 120 },
  clipBytes: { min: 1, max: CLIP_LIMITS.maxBytes },
  clipSeconds: { min: 0, max: CLIP_LIMITS.maxDurationMs / 1000 },
} as const;
const ORDERS = ["shuffle", "keep-first"] as const;
const AUDIO = ["keep", "mute"] as const;

const Body = z.object({
  projectId: z.string().min(1).max(64),
  clipIds: z
    .array(z.string().min(1).max(64))
    .min(VIDEO_LIMITS.clips.min)
    .max(VIDEO_LIMITS.clips.max)
    .refine((ids) => new Set(ids).size === ids.length, "must not repeat a clip"),
  variants: z.number().int().min(VIDEO_LIMITS.variants.min).max(VIDEO_LIMITS.variants.max),
  segmentSeconds: z.number().min(VIDEO_LIMITS.segmentSeconds.min).max(VIDEO_LIMITS.segmentSeconds.max).default(3),
  lengthSeconds: z.number().min(VIDEO_LIMITS.lengthSeconds.min).max(VIDEO_LIMITS.lengthSeconds.max).default(15),
  order: z.enum(ORDERS).default("shuffle"),
  audio: z.enum(AUDIO).default("keep"),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
});
export type VideoMixBody = z.infer<typeof Body>;

const SourceRef = z.object({ key: z.string(), sizeBytes: z.number().int() });
export const SequenceStep = z.object({ clipId: z.string(), startMs: z.number().int(), endMs: z.number().int() });
export const VariantParams = z.object({
  projectId: z.string(),
  keepAudio: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
  sources: z.record(z.string(), SourceRef),
  sequence: z.array(SequenceStep).min(1),
});
type VariantParams = z.infer<typeof VariantParams>;

function normalizable(row: ClipRow): NormalizableClip {
  const format = clipFormat(row);
  if (row.status !== "ready" || !format || !row.formatKey) {
    throw new ApiError(
      "UNPROCESSABLE",
      row.status === "rejected" ? `Clip "${row.name}" was rejected: ${row.error ?? "it cannot be mixed"}` : `Clip "${row.name}" is still uploading; finish its upload first`,
    );
  }
  return { id: row.id, name: row.name, objectKey: row.objectKey, sizeBytes: row.sizeBytes, formatKey: row.formatKey, format };
}

/** The clips in the order asked for, all in the first clip's format (422 naming what differs). */
async function loadClips(body: VideoMixBody, ctx: PlanContext): Promise<{ rows: ClipRow[]; clips: NormalizableClip[] }> {
  const found = await ctx.db
    .select()
    .from(videoClips)
    .where(and(eq(videoClips.userId, ctx.user.id), eq(videoClips.projectId, ctx.projectId), inArray(videoClips.id, body.clipIds)));
  const byId = new Map(found.map((r) => [r.id, r]));
  const rows = body.clipIds.map((id) => {
    const row = byId.get(id);
    if (!row) throw notFound("Clip");
    return row;
  });
  const first = normalizable(rows[0]!);
  const clips: NormalizableClip[] = [first];
  const mismatches: { clipId: string; name: string; differences: string[] }[] = [];
  for (const row of rows.slice(1)) {
    const clip = normalizable(row);
    const usable = await passThroughNormalizer.normalize(clip, first);
    if (usable) clips.push(usable);
    else mismatches.push({ clipId: clip.id, name: clip.name, differences: formatDifferences(first.format, clip.format) });
  }
  if (mismatches.length > 0) {
    const text = mismatches.map((m) => `"${m.name}" (${m.differences.join("; ")})`).join(", ");
    throw new ApiError("UNPROCESSABLE", `Clips mix only with clips of the same format as "${first.name}"; these differ: ${text}`, { mismatches });
  }
  return { rows, clips };
}

const randomSeed = () => crypto.getRandomValues(new Uint32Array(1))[0]!;

export const videoMixerApp: AppDefinition<VideoMixBody> = {
  manifest: {
    id: VIDEO_MIXER_APP_ID,
    name: "Video Mixer",
    description: "Combine clips into many unique video variations.",
    icon: "film",
    credits: { video: VARIANT_COST },
    limits: { maxItems: MAX_VARIANTS, ranges: VIDEO_LIMITS, options: { order: ORDERS, audio: AUDIO } },
    beta: true,
    enabled: true,
  },
  body: Body,
  async plan(raw, ctx) {
    const body = Body.parse(raw);
    const { rows, clips } = await loadClips(body, ctx);
    const result = planSequences({
      clips: rows.map((r) => ({ id: r.id, durationMs: r.durationMs ?? 0, keyframesMs: clipKeyframes(r) })),
      variants: body.variants,
      segmentMs: Math.round(body.segmentSeconds * 1000),
      lengthMs: Math.round(body.lengthSeconds * 1000),
      order: body.order,
      seed: body.seed ?? randomSeed(),
    });
    if (!result.ok) {
      throw new ApiError(
        "UNPROCESSABLE",
        result.found === 0
          ? "No segment fits in that length: the clips' key frames are too far apart; ask for a longer length"
          : `Only ${result.found} distinct variant${result.found === 1 ? "" : "s"} exist with these clips and settings; ask for ${result.found} or fewer, or use shorter segments or more clips`,
        { maximum: result.found },
      );
    }
    const byId = new Map(clips.map((c) => [c.id, { key: c.objectKey, sizeBytes: c.sizeBytes }]));
    const sourcesOf = (sequence: { clipId: string }[]) => Object.fromEntries([...new Set(sequence.map((s) => s.clipId))].map((id) => [id, byId.get(id)!]));
    const { width, height } = clips[0]!.format;
    return {
      unitCost: VARIANT_COST,
      quotaEligible: false,
      items: result.sequences.map((sequence, i) => ({
        key: `variant-${i + 1}`,
        params: { projectId: ctx.projectId, keepAudio: body.audio === "keep", width, height, sources: sourcesOf(sequence), sequence } satisfies VariantParams,
      })),
    };
  },
  upkeep: (env, now) => abortAbandonedUploads(env, db(env.DB), now),
  async process(raw, ctx) {
    const params = VariantParams.parse(raw);
    for (const [clipId, source] of Object.entries(params.sources)) {
      if (!(await ctx.env.FILES.head(source.key))) throw new PermanentItemError(`Clip ${clipId} was deleted before this variant was made`);
    }
    const segments = params.sequence.map((s) => ({ clip: { id: s.clipId, ...params.sources[s.clipId]! }, startMs: s.startMs, endMs: s.endMs }));
    const key = outputKey(ctx.userId, params.projectId, ctx.generationId, ctx.itemKey, "original", "video/mp4");
    const result = await remuxSegments(ctx.env.FILES, segments, { key, keepAudio: params.keepAudio });
    return [{ format: "original", contentType: "video/mp4", width: params.width, height: params.height, stored: { key: result.key, sizeBytes: result.sizeBytes }, durationMs: result.durationMs }];
  },
};
