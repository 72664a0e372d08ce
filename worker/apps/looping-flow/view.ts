/**
 * A loop item in the API (API.md, Looping flow): `outputs` is a list of the animation (WebP, or
 * the model's MP4/WebM) with its frames and duration, beside `posterUrl`; the preview and the
 * poster are not outputs of their own.
 */
import type { Config } from "../../config/config";
import type { generationItems } from "../../db/schema";
import { parseOutputs } from "../../generations/view";
import { signFileUrl } from "../../storage/signed-url";

const COMPANIONS = new Set(["preview", "poster"]);

export async function loopItemView(config: Config, item: typeof generationItems.$inferSelect): Promise<Record<string, unknown>> {
  const stored = parseOutputs(item.outputs);
  const outputs = await Promise.all(
    Object.entries(stored)
      .filter(([format]) => !COMPANIONS.has(format))
      .map(async ([format, { key, contentType, width, height, frames, durationMs }]) => ({
        format,
        url: await signFileUrl(config.FILE_URL_SECRET, key),
        contentType,
        width,
        height,
        frames,
        durationMs,
      })),
  );
  return {
    outputs,
    outputUrl: outputs[0]?.url ?? null,
    posterUrl: stored.poster ? await signFileUrl(config.FILE_URL_SECRET, stored.poster.key) : null,
  };
}
