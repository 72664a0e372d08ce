/** The small preview every completed item gets, for progress tiles and lists. */
import type { ItemOutputBytes } from "./contract";
import { thumbnail } from "../media/transform";

const PREVIEW_MAX_SIDE = 320;

export async function previewOf(original: ItemOutputBytes): Promise<ItemOutputBytes> {
  const small = await thumbnail(original.bytes, { maxSide: PREVIEW_MAX_SIDE, format: "webp" });
  return { format: "preview", ...small };
}
