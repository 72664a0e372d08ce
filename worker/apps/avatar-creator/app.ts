/**
 * Avatar generation on the engine: one item per avatar (10 credits each). Each completed
 * item is also an avatar row (source "generated") with its own re-encoded image and
 * thumbnail, written idempotently: id and R2 keys derive from (generation, item).
 */
import { z } from "zod";
import { hashSeed } from "../../ai/random";
import { avatars } from "../../db/schema";
import { PermanentItemError } from "../../generations/contract";
import { MediaError } from "../../media/errors";
import { type PreparedImage, prepareImage, storeImage } from "../../uploads/image";
import { SDXL_HF } from "../../ai/huggingface";
import { FLUX_SCHNELL } from "../../ai/workers-ai";
import { costOf, paidModel } from "../../generations/models";
import type { AppDefinition, ProcessContext } from "../../generations/contract";
import { generatedAvatarId, imageColumns } from "./avatars";
import { PRESET_IDS, presetById } from "./presets";

export const AVATAR_APP_ID = "avatar-creator";
export const AVATAR_COST = 10;
export const AVATAR_SIDE = 512;
export const MAX_AVATARS_PER_GENERATION = 4;
const AVATAR_LIMITS = { prompt: { min: 3, max: 500 }, style: { min: 1, max: 100 }, count: { min: 1, max: MAX_AVATARS_PER_GENERATION } } as const;

const Body = z.object({
  projectId: z.string().min(1).max(64),
  prompt: z.string().trim().min(AVATAR_LIMITS.prompt.min).max(AVATAR_LIMITS.prompt.max),
  presetId: z.enum(PRESET_IDS).optional(),
  style: z.string().trim().min(AVATAR_LIMITS.style.min).max(AVATAR_LIMITS.style.max).optional(),
  count: z.number().int().min(AVATAR_LIMITS.count.min).max(AVATAR_LIMITS.count.max).default(1),
});
export type AvatarGenerationBody = z.infer<typeof Body>;

const ItemParams = z.object({
  /** The user's prompt, as shown on the avatar. */
  prompt: z.string(),
  /** What the provider is asked for: prompt + preset style + style. */
  fullPrompt: z.string(),
  seed: z.number().int().nonnegative(),
  name: z.string(),
  projectId: z.string(),
  presetId: z.string().nullable(),
});
type ItemParams = z.infer<typeof ItemParams>;

/** The user's prompt, then the preset's style prompt, then the free-form style. */
export function composePrompt(body: Pick<AvatarGenerationBody, "prompt" | "presetId" | "style">): string {
  const preset = body.presetId ? presetById(body.presetId) : undefined;
  return [body.prompt, preset?.stylePrompt, body.style].filter((part): part is string => !!part).join(", ");
}

function avatarName(prompt: string, index: number, count: number): string {
  const base = prompt.length > 80 ? `${prompt.slice(0, 79).trimEnd()}…` : prompt;
  return count > 1 ? `${base} #${index + 1}` : base;
}

/** Stores the avatar's own copy (validated and re-encoded like an upload) and its row; safe to repeat. */
async function recordAvatar(ctx: ProcessContext, params: ItemParams, bytes: Uint8Array): Promise<void> {
  let prepared: PreparedImage;
  try {
    prepared = await prepareImage(bytes);
  } catch (e) {
    if (e instanceof MediaError) throw new PermanentItemError(`The provider returned an unusable image: ${e.message}`);
    throw e;
  }
  const id = await generatedAvatarId(ctx.userId, ctx.generationId, ctx.itemKey);
  const stored = await storeImage(ctx.env.FILES, { userId: ctx.userId, projectId: params.projectId, kind: "avatars", id }, prepared);
  await ctx.db
    .insert(avatars)
    .values({
      id,
      userId: ctx.userId,
      projectId: params.projectId,
      name: params.name,
      source: "generated",
      ...imageColumns(stored),
      generationId: ctx.generationId,
      itemKey: ctx.itemKey,
      prompt: params.prompt,
      presetId: params.presetId,
    })
    .onConflictDoNothing();
}

export const avatarCreatorApp: AppDefinition<AvatarGenerationBody> = {
  manifest: {
    id: AVATAR_APP_ID,
    name: "Avatar Creator",
    description: "Upload a photo or describe a face and get consistent avatars.",
    icon: "user-circle",
    credits: { avatar: AVATAR_COST },
    models: [
      paidModel("flux-schnell", "FLUX.1 schnell", "workers-ai", FLUX_SCHNELL, "pro", { avatar: 15 }),
      paidModel("sdxl", "Stable Diffusion XL", "huggingface", SDXL_HF, "enterprise", { avatar: 25 }),
    ],
    limits: { maxItems: MAX_AVATARS_PER_GENERATION, ranges: AVATAR_LIMITS, options: { presets: PRESET_IDS } },
    beta: false,
    enabled: true,
  },
  body: Body,
  prompt: (body) => body.prompt,
  async plan(raw, ctx) {
    const body = Body.parse(raw);
    const fullPrompt = composePrompt(body);
    return {
      unitCost: costOf(ctx.credits, "avatar"),
      quotaEligible: false,
      items: Array.from({ length: body.count }, (_, i) => ({
        key: `avatar-${i + 1}`,
        params: {
          prompt: body.prompt,
          fullPrompt,
          seed: hashSeed(`${ctx.user.id}\n${fullPrompt}`, i + 1),
          name: avatarName(body.prompt, i, body.count),
          projectId: ctx.projectId,
          presetId: body.presetId ?? null,
        } satisfies ItemParams,
      })),
    };
  },
  async process(raw, ctx) {
    const params = ItemParams.parse(raw);
    const image = await ctx.provider.generate({ prompt: params.fullPrompt, seed: params.seed, width: AVATAR_SIDE, height: AVATAR_SIDE }, ctx.signal);
    await recordAvatar(ctx, params, image.bytes);
    return [{ format: "original", ...image }];
  },
};
