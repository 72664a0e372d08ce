/** A video-mixer generation's variants in the contract's shape: MP4 outputs, poster and the sequence used. */
import { z } from "zod";
import type { Config } from "../../config/config";
import { db } from "../../db/client";
import { notFound } from "../../core/errors";
import { itemsOf, ownedGeneration } from "../../generations/routes";
import { ItemView, parseOutputs } from "../../generations/view";
import { signFileUrl } from "../../storage/signed-url";
import { SequenceStep, VIDEO_MIXER_APP_ID, VariantParams } from "./app";

export const VariantView = z.object({
  key: z.string(),
  status: ItemView.shape.status,
  outputs: z.array(z.object({ format: z.literal("mp4"), url: z.string(), durationMs: z.number().int(), width: z.number().int(), height: z.number().int(), sizeBytes: z.number().int() })),
  /** Always null: the Worker never decodes a frame; the page shows the video's first frame. */
  posterUrl: z.null(),
  sequence: z.array(SequenceStep),
  error: z.string().nullable(),
});
export type VariantView = z.infer<typeof VariantView>;

export async function variantsOf(env: Env, config: Config, userId: string, generationId: string): Promise<VariantView[]> {
  const database = db(env.DB);
  const generation = await ownedGeneration(database, userId, generationId);
  if (generation.appId !== VIDEO_MIXER_APP_ID) throw notFound("Generation");
  const items = await itemsOf(database, generation.id);
  return Promise.all(
    items.map(async (item) => {
      const params = VariantParams.safeParse(JSON.parse(item.params));
      const video = parseOutputs(item.outputs).original;
      const outputs =
        video && video.sizeBytes !== undefined && video.durationMs !== undefined
          ? [{ format: "mp4" as const, url: await signFileUrl(config.FILE_URL_SECRET, video.key), durationMs: video.durationMs, width: video.width, height: video.height, sizeBytes: video.sizeBytes }]
          : [];
      return { key: item.key, status: item.status, outputs, posterUrl: null, sequence: params.success ? params.data.sequence : [], error: item.error };
    }),
  );
}
