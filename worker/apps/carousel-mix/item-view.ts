/** A carousel item in the API: its slides with signed URLs and its ZIP link. */
import type { Config } from "../../config/config";
import type { ItemRow } from "../../generations/lifecycle";
import { signFileUrl } from "../../storage/signed-url";
import { slideEntries } from "./outputs";
import { zipUrl } from "./zip";

/** The contract's item fields: `outputs: [{slide, url, width, height}]` and the carousel's `zipUrl`. */
export async function carouselItemView(config: Config, generationId: string, item: ItemRow) {
  const slides = slideEntries(item);
  return {
    outputs: await Promise.all(slides.map(async (s) => ({ slide: s.slide, url: await signFileUrl(config.FILE_URL_SECRET, s.key), width: s.width, height: s.height }))),
    zipUrl: item.status === "completed" && slides.length > 0 ? await zipUrl(config, generationId, item.key) : null,
  };
}
