/** A carousel item's slides as the consumer stored them (formats `slide-1` … `slide-N`). */
import { parseOutputs } from "../../generations/view";
import type { ItemRow } from "../../generations/lifecycle";

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
