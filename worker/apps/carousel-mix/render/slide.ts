/**
 * One slide: the candidate image centre-cropped to the slide's aspect and scaled to its exact
 * size (decoded no larger than needed), the caption laid out over it, encoded as JPEG.
 */
import { decodeImage } from "../../../media/decode";
import { coverResize } from "../../../media/transform";
import type { TextStyle } from "../schema";
import { fitCaption, slideNode } from "./caption";
import { ASPECTS, type Aspect } from "./aspects";
import { renderer } from "./engine";

const JPEG_QUALITY = 88;

export interface RenderedSlide {
  bytes: Uint8Array;
  contentType: "image/jpeg";
  width: number;
  height: number;
}

export async function renderSlide(image: Uint8Array, caption: string | null, style: TextStyle, aspect: Aspect): Promise<RenderedSlide> {
  const { width, height } = ASPECTS[aspect];
  const { image: decoded } = await decodeImage(image, { target: { width, height, fit: "cover" } });
  const background = coverResize(decoded, width, height);
  const engine = await renderer();
  const layout = caption ? await fitCaption(engine, caption, style, width, height) : null;
  const node = slideNode(background, caption && layout ? { text: caption, style, layout } : null);
  const bytes = await engine.render(node, { width, height, format: "jpeg", quality: JPEG_QUALITY });
  return { bytes, contentType: "image/jpeg", width, height };
}
