/** A carousel item's slides as the consumer stored them (formats `slide-1` … `slide-N`), and their API view. */
import type { Config } from "../../config/config";
import { parseOutputs } from "../../generations/view";
import type { ItemRow } from "../../jobs/progress";
import { signFileUrl } from "../../storage/signed-url";
import { zipUrl } from "./zip";

export const slideFormat = (slide: number) => `slide-${slide}`;
const SLIDE_FORMAT = /^slide-(\d+)$/;

export interface StoredSlide {
  slide: number;
  key: string;
  width: number;
  height: number;
}

export function slideEntries(item: Pick<ItemRow, "outputs">): StoredSlide[] {
  return Object.entries(parseOutputs(item.outputs))
    .flatMap(([format, o]) => {
      const m = SLIDE_FORMAT.exec(format);
      return m ? [{ slide: Number(m[1]), key: o.key, width: o.width, height: o.height }] : [];
    })
    .sort((a, b) => a.slide - b.slide);
}

/** The contract's item fields: `outputs: [{slide, url, width, height}]` and the carousel's `zipUrl`. */
export async function carouselItemView(config: Config, generationId: string, item: ItemRow) {
  const slides = slideEntries(item);
  return {
    outputs: await Promise.all(slides.map(async (s) => ({ slide: s.slide, url: await signFileUrl(config.FILE_URL_SECRET, s.key), width: s.width, height: s.height }))),
    zipUrl: item.status === "completed" && slides.length > 0 ? await zipUrl(config, generationId, item.key) : null,
  };
}
