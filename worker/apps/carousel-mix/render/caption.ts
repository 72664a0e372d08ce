/**
 * Caption layout: the caption sits in a box inside the slide's safe margin, wraps to its
 * width, and shrinks from the chosen size (10% a step) until it fits its band of the slide.
 */
import type { ContainerNode, Node } from "@takumi-rs/wasm";
import type { Renderer } from "@takumi-rs/wasm";
import type { TextStyle } from "../schema";
import { type FontId, fontById } from "./fonts";

/** The margin no caption ink crosses, as a share of the slide's width. */
export const SAFE_MARGIN = 0.06;
/** The caption may take at most this share of the slide's height. */
export const MAX_CAPTION_HEIGHT = 0.4;
export const MIN_FONT_SIZE = 20;
const LINE_HEIGHT = 1.25;

export interface CaptionLayout {
  fontSize: number;
  /** Box padding in px. */
  padding: number;
  /** The box's width limit: the slide less its margins. */
  maxWidth: number;
  margin: number;
}

const families = (font: FontId) => fontById(font).files.map((f) => f.family);

/** The caption's box: the text node inside a padded container, boxed or shadowed. */
export function captionNode(text: string, style: TextStyle, layout: CaptionLayout): ContainerNode {
  return {
    type: "container",
    style: {
      position: "relative",
      display: "flex",
      maxWidth: layout.maxWidth,
      padding: layout.padding,
      borderRadius: layout.padding * 0.6,
      backgroundColor: style.box ? "rgba(0, 0, 0, 0.6)" : "transparent",
    },
    children: [
      {
        type: "text",
        text,
        style: {
          fontFamily: families(style.font).join(", "),
          fontWeight: 700,
          fontSize: layout.fontSize,
          lineHeight: LINE_HEIGHT,
          color: style.color,
          textAlign: "center",
          overflowWrap: "anywhere",
          textShadow: style.box ? undefined : `0 ${Math.max(2, layout.fontSize / 16)}px ${Math.max(4, layout.fontSize / 6)}px rgba(0, 0, 0, 0.85)`,
        },
      },
    ],
  };
}

const layoutAt = (width: number, fontSize: number): CaptionLayout => {
  const margin = Math.round(width * SAFE_MARGIN);
  return { fontSize, padding: Math.round(fontSize * 0.45), maxWidth: width - 2 * margin, margin };
};

/** The largest size, from the chosen one down, at which the caption fits its band. */
export async function fitCaption(engine: Renderer, text: string, style: TextStyle, width: number, height: number): Promise<CaptionLayout> {
  const scale = width / 1080;
  const maxHeight = height * MAX_CAPTION_HEIGHT;
  let fontSize = Math.round(style.size * scale);
  for (;;) {
    const layout = layoutAt(width, fontSize);
    const measured = await engine.measure(captionNode(text, style, layout), { width: layout.maxWidth, fontFamilies: families(style.font) });
    const smaller = Math.floor(fontSize * 0.9);
    if (measured.height <= maxHeight || smaller < MIN_FONT_SIZE * scale) return layout;
    fontSize = smaller;
  }
}

const JUSTIFY = { top: "flex-start", center: "center", bottom: "flex-end" } as const;

/** The whole slide: the cropped photo under the caption, which sits in its band within the margin. */
export function slideNode(background: { width: number; height: number; data: Uint8Array }, caption: { text: string; style: TextStyle; layout: CaptionLayout } | null): Node {
  const { width, height } = background;
  const children: Node[] = [{ type: "image", src: background, width, height, style: { position: "absolute", left: 0, top: 0, width, height } }];
  if (caption) children.push(captionNode(caption.text, caption.style, caption.layout));
  const margin = caption?.layout.margin ?? 0;
  return {
    type: "container",
    style: {
      position: "relative",
      display: "flex",
      flexDirection: "column",
      alignItems: "center",
      justifyContent: caption ? JUSTIFY[caption.style.position] : "flex-start",
      width,
      height,
      padding: margin,
    },
    children,
  };
}
