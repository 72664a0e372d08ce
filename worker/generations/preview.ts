/** The small preview every completed item gets, for progress tiles and lists. */
import type { ItemOutput } from "./contract";
import { thumbnail } from "../media/transform";

const PREVIEW_MAX_SIDE = 320;

export async function previewOf(original: ItemOutput): Promise<ItemOutput> {
  const small = await thumbnail(original.bytes, { maxSide: PREVIEW_MAX_SIDE, format: "webp" });
  return { format: "preview", ...small };
}
