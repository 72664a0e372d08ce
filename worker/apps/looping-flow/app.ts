/**
 * Looping Flow on the generation engine: one still, one effect, one loop = one item (20
 * credits). The source is resolved and ownership-checked at submit; process() reads it,
 * renders the loop frame by frame (or asks the configured image-to-video model) and returns
 * the animation with its poster.
 */
import { hashSeed } from "../../ai/random";
import { decodeImage } from "../../media/decode";
import { MediaError } from "../../media/errors";
import type { RgbaImage } from "../../media/rgba";
import { type AppDefinition, type ItemOutput, PermanentItemError, type ProcessContext } from "../../generations/contract";
import { animateRemotely, loopProviderFor } from "./remote";
import { renderLoop } from "./render";
import { resolveSourceKey } from "./source";
import { loopItemView } from "./view";
import { EFFECT_NAMES } from "./effects";
import { LOOP_APP_ID, LOOP_COST, LOOP_LIMITS, LOOP_SIZES, LoopBody, LoopItemParams } from "./schema";

async function readStill(ctx: ProcessContext, key: string): Promise<Uint8Array> {
  const object = await ctx.env.FILES.get(key);
  // Deleted after submit (its project or generation went): retrying cannot bring it back.
  if (!object) throw new PermanentItemError("The source image is no longer available");
  return new Uint8Array(await object.arrayBuffer());
}

/** The still, decoded no larger than the loop needs; a still that cannot be decoded never will be. */
async function decodeStill(bytes: Uint8Array, size: number): Promise<RgbaImage> {
  try {
    return (await decodeImage(bytes, { target: { width: size, height: size, fit: "inside" } })).image;
  } catch (e) {
    if (e instanceof MediaError) throw new PermanentItemError(`The source image cannot be used: ${e.message}`);
    throw e;
  }
}

async function renderOffline(params: LoopItemParams, still: RgbaImage, signal: AbortSignal): Promise<ItemOutput[]> {
  const { animation, poster } = await renderLoop(still, params, signal);
  return [
    { format: "webp", ...animation },
    { format: "poster", ...poster },
  ];
}

export const loopingFlowApp: AppDefinition<LoopBody> = {
  manifest: {
    id: LOOP_APP_ID,
    name: "Looping Flow",
    description: "Turn a still into a seamless looping animation.",
    icon: "repeat",
    credits: { loop: LOOP_COST },
    limits: { maxItems: 1, ranges: LOOP_LIMITS, options: { effects: EFFECT_NAMES, sizes: LOOP_SIZES.map(String) } },
    beta: true,
    enabled: true,
  },
  body: LoopBody,
  async plan(body, { env, db, user, projectId }) {
    const sourceKey = await resolveSourceKey(db, env.FILES, user.id, projectId, body.source);
    const params: LoopItemParams = {
      sourceKey,
      effect: body.effect,
      size: body.size,
      frames: body.durationSeconds * body.fps,
      durationMs: body.durationSeconds * 1000,
      intensity: body.intensity,
    };
    return { unitCost: LOOP_COST, quotaEligible: false, items: [{ key: "loop", params }] };
  },
  viewItem: (config, _generationId, item) => loopItemView(config, item),
  async process(raw, ctx) {
    const params = LoopItemParams.parse(raw);
    const still = await decodeStill(await readStill(ctx, params.sourceKey), params.size);
    const remote = loopProviderFor(ctx.config);
    if (!remote) return renderOffline(params, still, ctx.signal);
    return animateRemotely(params, still, remote, hashSeed(`${ctx.generationId}\n${ctx.itemKey}`, 1), ctx.signal);
  },
};
